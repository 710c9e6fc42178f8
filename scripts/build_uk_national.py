"""Rebuild ``simulator/data/uk_national/``: UK-wide series the analyses need.

Writes two compact CSVs from the shared research data (deterministic: running it
twice gives byte-identical files; the only code that reads ``../shared`` for them):

- ``uk_gdp_deflator.csv``: financial year, UK money GDP (CRPSF FYE 2025
  supplementary Table S11, series BKTL, GBP m) and the UK whole-economy GVA
  implied deflator (ONS *Regional gross domestic product: all ITL regions*,
  Table 8, 2019 = 100, calendar year Y shown as financial year Y-(Y+1)); blank
  where the release has no value (calendar 2022 on).
- ``identifiable_expenditure_by_function.csv``: CRPSF FYE 2025 expenditure
  Table 2 (total identifiable expenditure) by COFOG function for the 12 ITL1
  areas, GBP m, one column per financial year.

    .venv/bin/python scripts/build_uk_national.py [--shared ../shared/data/uk]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "simulator" / "data" / "uk_national"
DEFAULT_SHARED = REPO.parent / "shared" / "data" / "uk"
CODES = ["TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK", "TLL", "TLM", "TLN"]


def _write(frame: pd.DataFrame, name: str) -> None:
    """Whole or not at all: a temp file in the same folder, then os.replace."""
    OUT.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=OUT, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
        frame.to_csv(stream, index=False, lineterminator="\n")
    os.replace(temp, OUT / name)


def deflator(shared: Path) -> pd.DataFrame:
    supp = pd.read_csv(shared / "crpsf" / "crpsf_fye2025_supp_S1-S6_S11_S12_long.csv")
    gdp = supp[supp["table"] == "Table S11"][["financial_year", "value"]]
    gdp = gdp.rename(columns={"value": "uk_gdp_gbp_m"}).reset_index(drop=True)
    regional = pd.read_csv(shared / "regional_economy" / "ons_regional_gdp_all_itl_apr2023_long.csv")
    uk = regional[(regional["table"] == "Table 8") & (regional["itl_code"] == "UK")]
    by_year = dict(zip(uk["year"].astype(int), uk["value"].astype(float)))
    first = gdp["financial_year"].str[:4].astype(int)
    gdp["calendar_year"] = first
    gdp["gva_deflator_2019_100"] = [by_year.get(int(y)) for y in first]
    return gdp[["financial_year", "calendar_year", "uk_gdp_gbp_m", "gva_deflator_2019_100"]]


def expenditure(shared: Path) -> pd.DataFrame:
    long = pd.read_csv(shared / "crpsf" / "crpsf_fye2025_expenditure_by_region_function_long.csv")
    table = long[long["table"] == "Table 2: Total Identifiable Expenditure"]
    table = table[table["itl1_code"].isin(CODES)]
    wide = table.pivot_table(index=["line_order", "function", "itl1_code"],
                             columns="financial_year", values="value_gbp_m", aggfunc="first")
    wide = wide.reset_index().rename(columns={"itl1_code": "code"})
    wide["order"] = wide["code"].map(CODES.index)
    wide = wide.sort_values(["line_order", "order"]).drop(columns="order")
    wide.columns.name = None
    return wide


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    shared = parser.parse_args().shared
    _write(deflator(shared), "uk_gdp_deflator.csv")
    _write(expenditure(shared), "identifiable_expenditure_by_function.csv")


if __name__ == "__main__":
    main()
