"""Rebuild the packaged income-tax calibration data from the shared research data.

Reads three HMRC tables in ``<shared>/hmrc`` and writes compact CSVs to
``simulator/data/uk_income_tax/``:

- ``taxpayers_by_marginal_rate.csv``: Income Tax Liabilities Statistics (ITLS,
  June 2024) Table 2.2, taxpayers (thousands) by marginal rate for the 12 ITL1
  areas, 2018-19 to 2024-25 (savers-rate payers added to basic, as HMRC's note
  groups them);
- ``spi_income_by_region.csv``: Survey of Personal Incomes Table 3.15
  (2021-22), total income and income tax of taxpayers for the 12 areas;
- ``uk_income_ranges.csv``: ITLS Table 2.5, UK taxpayers, total income and
  liability by range of total income, 2021-22 to 2024-25.

Deterministic: running it twice gives byte-identical files.

    .venv/bin/python scripts/build_income_tax.py [--shared ../shared/data/uk]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "simulator" / "data" / "uk_income_tax"
DEFAULT_SHARED = next((p for p in (REPO.parent / "shared" / "data" / "uk",
                       REPO.parents[1] / "shared" / "data" / "uk") if p.is_dir()),
                      REPO.parent / "shared" / "data" / "uk")  # a clone or a worktree

#: ONS (GSS) code -> ITL1 code, in the uk_itl1 dataset's order.
ITL1 = {"E12000001": "TLC", "E12000002": "TLD", "E12000003": "TLE", "E12000004": "TLF",
        "E12000005": "TLG", "E12000006": "TLH", "E12000007": "TLI", "E12000008": "TLJ",
        "E12000009": "TLK", "W92000004": "TLL", "S92000003": "TLM", "N92000002": "TLN"}
FIRST_YEAR = 2018
MEASURES = {"All Income Tax payers": "all", "Savers rate": "savers", "Basic rate": "basic",
            "Higher rate": "higher", "Additional rate": "additional"}


def _number(text: str) -> float:
    return float(str(text).replace(",", "").strip())


def _write(frame: pd.DataFrame, name: str) -> None:
    """Whole file or nothing: a temporary file in the folder, then os.replace."""
    OUT.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=OUT, suffix=".tmp")
    with os.fdopen(handle, "w", newline="") as stream:
        frame.to_csv(stream, index=False, lineterminator="\n")
    os.replace(temp, OUT / name)


def taxpayers(shared: Path) -> pd.DataFrame:
    raw = pd.read_csv(shared / "hmrc" / "hmrc_itls_2024_table2_1_2_2_taxpayers_by_region_"
                      "marginal_rate.csv", dtype=str, keep_default_na=False)
    raw = raw[raw["ons_code"].isin(ITL1) & raw["measure"].isin(MEASURES)]
    raw = raw.assign(year=raw["tax_year"].str.slice(0, 4).astype(int))
    raw = raw[raw["year"] >= FIRST_YEAR]
    wide = raw.pivot(index=["ons_code", "year"], columns="measure", values="value_thousands")
    out = pd.DataFrame({
        "code": [ITL1[c] for c, _ in wide.index],
        "tax_year": [f"{y}-{(y + 1) % 100:02d}" for _, y in wide.index],
        "all_thousands": wide["All Income Tax payers"].map(_number).to_numpy(),
        "basic_thousands": (wide["Savers rate"].map(_number)
                            + wide["Basic rate"].map(_number)).to_numpy(),
        "higher_thousands": wide["Higher rate"].map(_number).to_numpy(),
        "additional_thousands": wide["Additional rate"].map(_number).to_numpy(),
        "projected": [y >= 2022 for _, y in wide.index],
    })
    order = {code: i for i, code in enumerate(ITL1.values())}
    return out.sort_values(["tax_year", "code"], key=lambda s: s.map(order) if s.name == "code"
                           else s).reset_index(drop=True)


def spi(shared: Path) -> pd.DataFrame:
    raw = pd.read_csv(shared / "hmrc" / "hmrc_spi_table3_15_income_and_tax_by_region_and_la_"
                      "2021-22.csv", dtype=str, keep_default_na=False)
    raw = raw[raw["code"].isin(ITL1)].set_index("code").loc[list(ITL1)]
    return pd.DataFrame({
        "code": [ITL1[c] for c in raw.index], "tax_year": "2021-22",
        "taxpayers_thousands": raw["total_income_count_thousands"].map(_number).to_numpy(),
        "total_income_mean_gbp": raw["total_income_mean_gbp"].map(_number).to_numpy(),
        "total_income_median_gbp": raw["total_income_median_gbp"].map(_number).to_numpy(),
        "income_tax_mean_gbp": raw["total_tax_mean_gbp"].map(_number).to_numpy(),
        "income_tax_median_gbp": raw["total_tax_median_gbp"].map(_number).to_numpy(),
        "income_tax_gbp_m": raw["total_tax_amount_gbp_m"].map(_number).to_numpy(),
    })


def ranges(shared: Path) -> pd.DataFrame:
    raw = pd.read_csv(shared / "hmrc" / "hmrc_itls_2024_table2_5_liabilities_by_income_"
                      "range_uk.csv", dtype=str, keep_default_na=False)
    wanted = {"Total number of Income Tax payers": "taxpayers_thousands",
              "Total income": "total_income_gbp_m",
              "Total Income Tax liability": "income_tax_gbp_m"}
    raw = raw[raw["measure"].isin(wanted) & (raw["income_range_lower_gbp"] != "All Ranges")]
    raw = raw.assign(lower=raw["income_range_lower_gbp"].map(
        lambda s: 2_000_000.0 if "2,000,000" in s else _number(s)))
    wide = raw.pivot(index=["tax_year", "lower"], columns="measure", values="value")
    out = pd.DataFrame({"tax_year": [y for y, _ in wide.index],
                        "income_range_lower_gbp": [int(x) for _, x in wide.index]})
    for measure, column in wanted.items():
        out[column] = wide[measure].map(_number).to_numpy()
    return out.sort_values(["tax_year", "income_range_lower_gbp"]).reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    shared = parser.parse_args().shared
    _write(taxpayers(shared), "taxpayers_by_marginal_rate.csv")
    _write(spi(shared), "spi_income_by_region.csv")
    _write(ranges(shared), "uk_income_ranges.csv")


if __name__ == "__main__":
    main()
