"""Spending-needs drivers of the 296 English lower-tier authorities (read only; no model here).

One compact CSV written by ``scripts/build_needs_england_la.py`` (see PROVENANCE.md),
joined to ``england_la`` by authority code.  The needs model
(:mod:`simulator.needs.england_la`) is computed from it; this loader never imports it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from ...errors import DataValidationError
from .._common import read_csv

__all__ = ["DRIVER_COLUMNS", "drivers"]

HERE = Path(__file__).resolve().parent
DRIVER_COLUMNS = ("population", "age_0_17", "age_18_64", "age_65_plus", "age_85_plus",
                  "income_deprived", "imd_average_score", "median_weekly_pay_gbp", "land_area_km2")


@lru_cache(maxsize=None)
def _drivers() -> tuple[tuple[str, ...], tuple[str, ...], dict[str, np.ndarray]]:
    table = read_csv(HERE, "drivers.csv", ("code", "name", *DRIVER_COLUMNS), dtype={"code": str})
    if table["code"].duplicated().any():
        raise DataValidationError("drivers.csv: duplicated authority",
                                  region=str(table["code"][table["code"].duplicated()].iloc[0]))
    out = {}
    for column in DRIVER_COLUMNS:
        values = table[column].to_numpy(float)
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise DataValidationError(f"drivers.csv: not a finite number >= 0: {table[column].iloc[row]!r}",
                                      region=str(table["code"].iloc[row]), column=column)
        values.flags.writeable = False
        out[column] = values
    return tuple(table["code"]), tuple(table["name"]), out


def drivers() -> tuple[tuple[str, ...], tuple[str, ...], dict[str, np.ndarray]]:
    """``(codes, names, driver name -> values (296,))`` (read-only arrays, sorted by code)."""
    codes, names, values = _drivers()
    return codes, names, dict(values)
