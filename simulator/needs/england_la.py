"""The needs model applied to the 296 English lower-tier authorities (Fair Funding style).

Three council service blocks as in MHCLG's Fair Funding Review relative needs
formulas (*The Fair Funding Review 2.0*, consultation, June 2025): adult social
care (by age and deprivation), children's services (by children and
deprivation) and a foundation formula (per head, deprivation, sparsity), each
with an area cost adjustment (here: relative median pay) as one more additive
factor.  The same core (:func:`simulator.needs.model.assess`) as the nations
and regions: assessed need per head = standard x (1 + sum_f w_f (r_f - 1)).

**Judgements (not published figures):** the standards (the three blocks' shares
of council service spending per head, default 0.40 / 0.25 / 0.35) and every
weight below.  They are parameters; docs/needs.md gives the reasoning.
Council services are those of both tiers (county and district together), so
two-tier areas are assessed as one authority area.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

import numpy as np

from ..data import needs_england_la as data
from .factors import FACTORS as _ITL1_FACTORS, Factor, weights_array
from .model import Assessment, assess

__all__ = ["CATEGORIES", "FACTORS", "DEFAULT_WEIGHTS", "DEFAULT_STANDARD", "prepare",
           "assess_england_la"]

CATEGORIES = ("adult_social_care", "childrens_services", "foundation")
#: relative size of each block per head (judgement; see the module docstring)
DEFAULT_STANDARD = {"adult_social_care": 0.40, "childrens_services": 0.25, "foundation": 0.35}

_POP = ("ONS mid-year population estimates by single year of age, mid-2023 "
        "(PolicyEngine UK data extract), 2024 authority codes")


def _share(column: str):
    return lambda d: np.asarray(d[column], float) / np.asarray(d["population"], float)


FACTORS: dict[str, Factor] = {f.name: f for f in (
    Factor("children", "Children 0-17", "share of the population aged 0-17", _POP, "mid-2023",
           _share("age_0_17")),
    Factor("older", "Aged 65+", "share of the population aged 65 and over", _POP, "mid-2023",
           _share("age_65_plus")),
    Factor("oldest", "Aged 85+", "share of the population aged 85 and over", _POP, "mid-2023",
           _share("age_85_plus")),
    Factor("income_deprivation", "Income deprivation",
           "share of residents income-deprived (IoD 2025 income scale / population)",
           "MHCLG, English Indices of Deprivation 2025, LTLA 2024 summaries (OGL v3.0)", "2025",
           _share("income_deprived")),
    Factor("sparsity", "Sparsity", "1 + ln(England density / authority density), at least 1",
           "population as above; land area from england_la's LTLA 2023 boundaries",
           "mid-2023", _ITL1_FACTORS["sparsity"].value),
    Factor("area_cost", "Area cost (pay)", "median gross weekly pay (workplace), relative",
           "ONS subnational indicators (ASHE 2023), March 2024 release", "2023",
           lambda d: np.asarray(d["median_weekly_pay_gbp"], float)),
)}

DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "adult_social_care": {"older": 0.25, "oldest": 0.25, "income_deprivation": 0.25,
                          "area_cost": 0.20},
    "childrens_services": {"children": 0.40, "income_deprivation": 0.40, "area_cost": 0.15},
    "foundation": {"income_deprivation": 0.30, "sparsity": 0.05, "area_cost": 0.15},
}


@dataclass(frozen=True, eq=False)
class Prepared:
    codes: tuple[str, ...]
    names: tuple[str, ...]
    population: np.ndarray   # (R,)
    drivers: np.ndarray      # (F, R)


@lru_cache(maxsize=None)
def prepare() -> Prepared:
    codes, names, values = data.drivers()
    drivers = np.stack([f.value(values) for f in FACTORS.values()], axis=-2)
    return Prepared(codes, names, values["population"], drivers)


def assess_england_la(weights: Mapping[str, Mapping[str, float]] | np.ndarray | None = None,
                      standard: Mapping[str, float] | None = None,
                      prepared: Prepared | None = None) -> Assessment:
    """The assessment of the 296 authorities (need index: mean 1 over England's population)."""
    p = prepared or prepare()
    w = weights if isinstance(weights, np.ndarray) else weights_array(
        CATEGORIES, FACTORS, DEFAULT_WEIGHTS if weights is None else weights)
    s = dict(DEFAULT_STANDARD if standard is None else standard)
    unknown = set(s) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown council service block {sorted(unknown)[0]!r}; known: {', '.join(CATEGORIES)}")
    return assess(p.population, p.drivers, np.array([float(s.get(c, 0.0)) for c in CATEGORIES]), w,
                  codes=p.codes, categories=CATEGORIES, factors=tuple(FACTORS))
