"""The needs model applied to the 12 ITL1 nations and regions (packaged data).

``prepare(year)`` reads the packaged inputs once into arrays; ``assess_itl1``
runs the model on them (microseconds).  The standard of each category is the
UK's identifiable spending per head in that category in ``year`` (CRPSF FYE
2025, Table 2), the drivers those of ``simulator/data/needs_itl1/drivers.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

import numpy as np
import pandas as pd

from ..data import needs_itl1 as data
from .factors import FACTORS, driver_values, weights_array
from .model import Assessment, assess

__all__ = ["Prepared", "prepare", "assess_itl1", "assessment_table", "funding_against_need",
           "years", "LATEST_YEAR"]

LATEST_YEAR = "2024-25"


@dataclass(frozen=True, eq=False)
class Prepared:
    """Inputs of the ITL1 model as arrays (built once; the model itself is cheap)."""

    year: str
    codes: tuple[str, ...]
    categories: tuple[str, ...]
    factors: tuple[str, ...]
    population: np.ndarray          # (R,) mid-2023
    drivers: np.ndarray             # (F, R)
    standard: np.ndarray            # (C,) GBP per head, the year's UK average
    spending_per_head: np.ndarray   # (C, R) actual identifiable spending per head in the year


@lru_cache(maxsize=None)
def prepare(year: str = LATEST_YEAR) -> Prepared:
    """The packaged inputs for ``year`` (a financial year 1999-00 .. 2024-25).

    The drivers are one edition (population mid-2023, deprivation 2017-2020,
    pay 2021) whatever the year; only the standards (category spending mix)
    follow the year.
    """
    years, cube = data.expenditure()
    if year not in years:
        raise ValueError(f"needs model: year {year!r} not in the expenditure data "
                         f"({years[0]} to {years[-1]})")
    drivers = data.drivers()
    population = drivers["population"]
    spending = cube[years.index(year)] * 1e6  # (C, R) GBP
    standard = spending.sum(-1) / population.sum()
    factors = tuple(FACTORS)
    return Prepared(year, data.CODES, data.CATEGORIES, factors, population,
                    driver_values(drivers, factors), standard, spending / population)


def assess_itl1(year: str = LATEST_YEAR,
                weights: Mapping[str, Mapping[str, float]] | np.ndarray | None = None,
                prepared: Prepared | None = None) -> Assessment:
    """The assessment of the 12 regions (default weights: :data:`~.factors.DEFAULT_WEIGHTS`).

    ``weights`` is a table category -> factor -> weight, or an array ``(..., C, F)``
    (leading axes broadcast, e.g. a sweep over a weight).
    """
    p = prepared or prepare(year)
    w = weights if isinstance(weights, np.ndarray) else weights_array(p.categories, p.factors, weights)
    return assess(p.population, p.drivers, p.standard, w, codes=p.codes,
                  categories=p.categories, factors=p.factors)


def assessment_table(assessment: Assessment, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """CGC-style "assessment by category" table (2-D assessment): one row per region,
    category and factor, contribution per head and in index points (100 = average)."""
    a = assessment
    C, F, R = a.contributions.shape[-3:]
    index = 100 * a.contributions / a.standard[:, None, None]
    frame = pd.DataFrame({
        "code": np.tile(a.codes, C * F),
        "category": np.repeat(a.categories, F * R),
        "factor": np.tile(np.repeat(a.factors, R), C),
        "contribution_per_head_gbp": a.contributions.ravel(),
        "contribution_index_points": index.ravel(),
    })
    if names:
        frame.insert(1, "region", frame["code"].map(names))
    return frame


def years() -> tuple[str, ...]:
    """Financial years with spending by category (the standards' years)."""
    return data.years()


def funding_against_need(prepared: Prepared, assessment: Assessment) -> dict[str, np.ndarray]:
    """Today's identifiable spending per head against assessed need ``(..., R)``:

        spending index s_i = 100 x x_i / xbar,   funded relative to need = s_i / n_i

    (x identifiable spending per head of the year, xbar its population-weighted
    mean, n the need index); 100 = funded exactly at assessed need."""
    spending = prepared.spending_per_head.sum(-2)
    P = prepared.population
    index = 100 * spending / ((spending * P).sum(-1, keepdims=True) / P.sum(-1, keepdims=True))
    return {"spending_index": index, "funded_relative_to_need": index / assessment.need_index}
