"""UK-wide series for the analyses: money GDP, a deflator, spending by function and region.

Not a federation (not in ``simulator.data.DATASETS``): the tax suitability table
reads the deflator and money GDP; the regional impact assessment reads the
regional shares of identifiable expenditure by COFOG function.  See
``PROVENANCE.md`` beside this file; rebuilt by ``scripts/build_uk_national.py``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import DataValidationError

__all__ = ["SOURCE", "DEFLATOR_SOURCE", "EXPENDITURE_SOURCE", "gdp_and_deflator",
           "expenditure_by_function", "functions"]

HERE = Path(__file__).resolve().parent
DEFLATOR_SOURCE = ("UK whole-economy GVA implied deflator, 2019 = 100 (ONS Regional GDP, all ITL "
                   "regions, Table 8, April 2023; calendar year Y as FY Y-(Y+1)); money GDP: CRPSF "
                   "FYE 2025 Table S11 (BKTL)")
EXPENDITURE_SOURCE = ("ONS Country and Regional Public Sector Finances FYE 2025, expenditure Table 2 "
                      "(total identifiable expenditure by COFOG function; HM Treasury CRA/PESA)")
SOURCE = "ONS CRPSF FYE 2025; ONS Regional GDP April 2023. Crown copyright, OGL v3.0"


@lru_cache(maxsize=None)
def _deflator_table() -> pd.DataFrame:
    table = pd.read_csv(HERE / "uk_gdp_deflator.csv", dtype={"financial_year": str})
    for column in ("uk_gdp_gbp_m", "gva_deflator_2019_100"):
        bad = np.isinf(table[column]) | (table[column] <= 0)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataValidationError("uk_gdp_deflator.csv: value must be finite and > 0",
                                      column=column, year=table["financial_year"].iloc[row])
    return table


def gdp_and_deflator(years) -> tuple[np.ndarray, np.ndarray]:
    """UK money GDP (GBP m) and the GVA deflator (2019 = 100) for ``years`` ``(Y,)``;
    NaN where not published (the deflator after 2021-22).  A year outside
    1999-00 … 2024-25 raises, naming it."""
    table = _deflator_table().set_index("financial_year")
    missing = [y for y in years if y not in table.index]
    if missing:
        raise DataValidationError(
            f"no UK GDP/deflator for this year ({table.index[0]} to {table.index[-1]})",
            year=missing[0])
    rows = table.loc[list(years)]
    return rows["uk_gdp_gbp_m"].to_numpy(float), rows["gva_deflator_2019_100"].to_numpy(float)


@lru_cache(maxsize=None)
def _expenditure_table() -> pd.DataFrame:
    return pd.read_csv(HERE / "identifiable_expenditure_by_function.csv", dtype={"code": str})


def functions() -> list[str]:
    """The published COFOG function labels, in line order."""
    table = _expenditure_table()
    return list(dict.fromkeys(table.sort_values("line_order")["function"]))


def expenditure_by_function(function: str, year: str, codes) -> np.ndarray:
    """Identifiable expenditure of one function by region, GBP m ``(R,)`` in ``codes`` order.

    Raises:
        DataValidationError: an unknown function (listing the known ones), year
            or region code.
    """
    table = _expenditure_table()
    known = functions()
    if function not in known:
        raise DataValidationError(f"unknown COFOG function; known: {'; '.join(known)}",
                                  column=function)
    if year not in table.columns:
        years = [c for c in table.columns if c not in ("line_order", "function", "code")]
        raise DataValidationError(f"no expenditure by function for this year ({years[0]} to "
                                  f"{years[-1]})", year=year)
    rows = table[table["function"] == function].set_index("code")[year]
    missing = [c for c in codes if c not in rows.index]
    if missing:
        raise DataValidationError("no expenditure by function for this region",
                                  region=missing[0], column=function, year=year)
    return rows.loc[list(codes)].to_numpy(float)
