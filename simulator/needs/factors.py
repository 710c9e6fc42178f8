"""The cost drivers (disabilities) and their default weights for the nations and regions.

Each factor turns the packaged drivers (``simulator/data/needs_itl1/drivers.csv``)
into one value per head per region; the model only uses its ratio to the
population-weighted average.  Factors are swappable: a weights table names
only the factors it uses, and a factor with weight 0 contributes nothing.

**The weights are a judgement**, not an estimate: each is the share of the
category's spending taken to vary with the driver (the rest is the same per
head everywhere).  They were set once, from the structure of the spending
(what the category pays for), before looking at the results, and were not
tuned to any published figure.  Rationale per category in ``docs/needs.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

__all__ = ["Factor", "FACTORS", "DEFAULT_WEIGHTS", "weights_array", "driver_values"]


@dataclass(frozen=True)
class Factor:
    name: str
    title: str
    description: str
    source: str
    year: str
    #: drivers (name -> (R,)) -> value per head (R,); any leading axes allowed
    value: Callable[[Mapping[str, np.ndarray]], np.ndarray]


def _share(column: str):
    return lambda d: np.asarray(d[column], float) / np.asarray(d["population"], float)


def _sparsity(d: Mapping[str, np.ndarray]) -> np.ndarray:
    """1 + ln(UK density / region density), at least 1: each halving of density
    below the national average adds ln 2 = 0.69 (denser than average: 1)."""
    population = np.asarray(d["population"], float)
    area = np.asarray(d["land_area_km2"], float)
    national = population.sum(-1, keepdims=True) / area.sum(-1, keepdims=True)
    return 1.0 + np.maximum(0.0, np.log(national / (population / area)))


_POP = ("ONS mid-year population estimates by single year of age, mid-2023, 360 UK authorities "
        "(PolicyEngine UK data extract), summed to ITL1")
FACTORS: dict[str, Factor] = {f.name: f for f in (
    Factor("young_children", "Children 0-4", "share of the population aged 0-4", _POP, "mid-2023",
           _share("age_0_4")),
    Factor("pupils", "School age 5-18", "share of the population aged 5-18", _POP, "mid-2023",
           _share("age_5_18")),
    Factor("older", "Aged 65+", "share of the population aged 65 and over", _POP, "mid-2023",
           _share("age_65_plus")),
    Factor("very_old", "Aged 75+", "share of the population aged 75 and over", _POP, "mid-2023",
           _share("age_75_plus")),
    Factor("oldest", "Aged 85+", "share of the population aged 85 and over", _POP, "mid-2023",
           _share("age_85_plus")),
    Factor("deprivation", "Deprivation",
           "mean England-anchored composite UK IMD score of the region's small areas",
           "mySociety, Composite UK IMD (UK_IMD_E, CC-BY 4.0), built on IoD 2019, WIMD 2019, "
           "SIMD 2020, NIMDM 2017", "2017-2020", lambda d: np.asarray(d["deprivation_score"], float)),
    Factor("sparsity", "Sparsity",
           "1 + ln(UK population density / region density), at least 1",
           "population as above; land area from the ONS ITL1 boundaries shipped in "
           "simulator/data/uk_itl1 (spherical area)", "mid-2023", _sparsity),
    Factor("wages", "Wage costs", "median gross weekly pay of employees (workplace-based)",
           "ONS subnational indicators (ASHE), August 2022 release", "2021",
           lambda d: np.asarray(d["median_weekly_pay_gbp"], float)),
)}

#: category -> {factor: weight}.  Judgements (see the module docstring and docs/needs.md).
DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "health": {"older": 0.15, "very_old": 0.20, "deprivation": 0.15, "sparsity": 0.05,
               "wages": 0.15},
    "education": {"pupils": 0.65, "young_children": 0.05, "deprivation": 0.10,
                  "sparsity": 0.05, "wages": 0.10},
    "social_protection": {"older": 0.45, "very_old": 0.05, "deprivation": 0.35},
    "public_order_safety": {"deprivation": 0.30, "wages": 0.15},
    "housing_community": {"deprivation": 0.30, "sparsity": 0.05, "wages": 0.10},
    "transport": {"sparsity": 0.20, "wages": 0.10},
    "other_economic_affairs": {"deprivation": 0.20, "sparsity": 0.10},
    "environment": {"sparsity": 0.15, "wages": 0.10},
    "recreation_culture": {"sparsity": 0.05, "wages": 0.10},
    "general_public_services": {"sparsity": 0.05, "wages": 0.10},
}


def weights_array(categories, factors, weights: Mapping[str, Mapping[str, float]] | None = None,
                  ) -> np.ndarray:
    """A weights table as an array ``(C, F)``; categories or factors not named weigh 0.

    Raises ValueError naming an unknown category or factor, or a non-numeric weight.
    """
    weights = DEFAULT_WEIGHTS if weights is None else weights
    categories, factors = list(categories), list(factors)
    out = np.zeros((len(categories), len(factors)))
    for category, row in weights.items():
        if category not in categories:
            raise ValueError(f"needs weights: unknown category {category!r}; known: {', '.join(categories)}")
        for factor, value in row.items():
            if factor not in factors:
                raise ValueError(f"needs weights: unknown factor {factor!r} in {category}; "
                                 f"known: {', '.join(factors)}")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"needs weights: {category}.{factor} must be a number, got {value!r}")
            out[categories.index(category), factors.index(factor)] = float(value)
    return out


def driver_values(drivers: Mapping[str, np.ndarray], factors=None) -> np.ndarray:
    """Each factor's value per head ``(F, R)`` (``factors`` default: all, in FACTORS order)."""
    names = list(FACTORS) if factors is None else list(factors)
    return np.stack([FACTORS[name].value(drivers) for name in names], axis=-2)
