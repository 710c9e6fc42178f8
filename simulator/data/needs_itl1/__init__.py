"""Spending-needs inputs for the 12 ITL1 nations and regions (read only; no model here).

Two compact CSVs written by ``scripts/build_needs_itl1.py`` (see PROVENANCE.md):
identifiable expenditure by service category, region and financial year, and the
cost drivers of each region.  The needs model (:mod:`simulator.needs`) is
computed from these; this loader never imports it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import DataValidationError
from .._common import read_csv

__all__ = ["CODES", "CATEGORIES", "DRIVER_COLUMNS", "expenditure", "drivers", "years"]

HERE = Path(__file__).resolve().parent
CODES = ("TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK", "TLL", "TLM", "TLN")
#: service categories, in the order of the category axis
CATEGORIES = ("health", "education", "social_protection", "public_order_safety",
              "housing_community", "transport", "other_economic_affairs", "environment",
              "recreation_culture", "general_public_services")
DRIVER_COLUMNS = ("population", "age_0_4", "age_5_18", "age_65_plus", "age_75_plus",
                  "age_85_plus", "deprivation_score", "deprived_quintile_share",
                  "median_weekly_pay_gbp", "land_area_km2")


def _finite(frame: pd.DataFrame, name: str, columns) -> None:
    for column in columns:
        values = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise DataValidationError(f"{name}: not a finite number >= 0: {frame[column].iloc[row]!r}",
                                      region=str(frame["code"].iloc[row]), column=column)


@lru_cache(maxsize=None)
def _expenditure() -> tuple[tuple[str, ...], np.ndarray]:
    table = read_csv(HERE, "expenditure_by_category.csv", ("year", "code", "category", "value_gbp_m"),
                     dtype={"year": str, "code": str, "category": str})
    _finite(table, "expenditure_by_category.csv", ("value_gbp_m",))
    year_list = tuple(sorted(table["year"].unique()))
    index = pd.MultiIndex.from_product([year_list, CATEGORIES, CODES])
    cube = (table.set_index(["year", "category", "code"])["value_gbp_m"].reindex(index)
            .to_numpy(float).reshape(len(year_list), len(CATEGORIES), len(CODES)))
    if np.isnan(cube).any():
        y, c, r = np.argwhere(np.isnan(cube))[0]
        raise DataValidationError("expenditure_by_category.csv: no row", region=CODES[r],
                                  column=CATEGORIES[c], year=year_list[y])
    cube.flags.writeable = False
    return year_list, cube


def years() -> tuple[str, ...]:
    """Financial years with expenditure by category (1999-00 .. 2024-25)."""
    return _expenditure()[0]


def expenditure() -> tuple[tuple[str, ...], np.ndarray]:
    """``(years, GBP million (years, categories, regions))``, read-only."""
    return _expenditure()


@lru_cache(maxsize=None)
def _drivers() -> dict[str, np.ndarray]:
    table = read_csv(HERE, "drivers.csv", ("code", *DRIVER_COLUMNS), dtype={"code": str})
    if tuple(table["code"]) != CODES:
        raise DataValidationError("drivers.csv: regions must be TLC..TLN in order", column="code")
    _finite(table, "drivers.csv", DRIVER_COLUMNS)
    out = {}
    for column in DRIVER_COLUMNS:
        values = table[column].to_numpy(float)
        values.flags.writeable = False
        out[column] = values
    return out


def drivers() -> dict[str, np.ndarray]:
    """Driver name -> values ``(12,)`` in the order of :data:`CODES` (read-only arrays)."""
    return dict(_drivers())
