"""Rebuild simulator/data/outcomes/itl1_outcomes.csv from the ONS subnational indicators.

    python scripts/build_outcomes.py [SHARED_DATA_DIR]

Two vintages of ONS's Subnational indicators explorer (missions_indicators/ in the shared
data: the August 2022 machine-readable download and the March 2024 revised data) are matched
by ``simulator/data/outcomes/vintage_mapping.csv`` (one row per indicator: its name in each
vintage). For each vintage and indicator the value of each ITL1 region (12 nations and
regions) is the population-weighted mean of its local authority districts' values
(districts and unitary authorities only, so no area is counted twice; weights: ONS mid-year population by LA,
la_population/), the same method for both vintages so the change between them is like for
like. LADs are placed in regions by the ONS LTLA 2024 -> region lookup (Wales, Scotland and
Northern Ireland by code prefix); districts abolished in the 2023 reorganisations (Cumbria,
North Yorkshire, Somerset) by their county's region. Indicators with fewer than 100 LADs in a
vintage (upper-tier only) get no values. Deterministic: same inputs, same bytes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "simulator" / "data" / "outcomes"
LOWER_2022 = {"Non-metropolitan District", "Unitary Authority", "Metropolitan District",
              "London Borough", "Council Area", "Local Government District"}
LOWER_2024 = {"Local Authority District"}
ITL1 = {"E12000001": "TLC", "E12000002": "TLD", "E12000003": "TLE", "E12000004": "TLF",
        "E12000005": "TLG", "E12000006": "TLH", "E12000007": "TLI", "E12000008": "TLJ",
        "E12000009": "TLK"}
PREFIX = {"W": "TLL", "S": "TLM", "N": "TLN"}
#: districts abolished in April 2023 -> their region (Cumbria NW, North Yorkshire Y&H, Somerset SW)
ABOLISHED_2023 = {**{f"E0700002{i}": "TLD" for i in range(6, 10)}, "E07000030": "TLD",
                  "E07000031": "TLD",
                  **{f"E0700016{i}": "TLE" for i in range(3, 10)},
                  **{f"E0700018{i}": "TLK" for i in range(7, 10)}, "E07000190": "TLK",
                  "E07000191": "TLK", "E07000246": "TLK"}


def _clean(name: str) -> str:
    return name.replace("\x96", "-").replace("\u2013", "-").strip()


def region_of(codes: pd.Series, lookup: dict[str, str]) -> pd.Series:
    mapped = codes.map(lookup).fillna(codes.map(ABOLISHED_2023))
    return mapped.fillna(codes.str[0].map(PREFIX))


def build(shared: Path) -> pd.DataFrame:
    mapping = pd.read_csv(OUT / "vintage_mapping.csv")
    folder = shared / "missions_indicators"
    v2022 = pd.read_csv(folder / "ons_subnational_indicators_2022_all_geographies.csv")
    v2024 = pd.read_csv(folder / "ons_subnational_indicators_2024_lad_utla.csv")
    v2022["indicator"] = v2022["indicator"].map(_clean)
    lookup = pd.read_csv(shared / "neighbourhoods" / "ons_lookup_ltla24_region24.csv")
    lookup = dict(zip(lookup["ltla24_code"], lookup["region24_code"].map(ITL1)))
    population = pd.read_csv(shared / "la_population" /
                             "policyengine_ons_mye_la_population_single_year_of_age.csv",
                             usecols=["code", "all"])
    weight = dict(zip(population["code"], population["all"]))
    rows = []
    for vintage, table, lower in (("2022", v2022, LOWER_2022), ("2024", v2024, LOWER_2024)):
        # lower tier: districts, plus unitary authorities, which the 2024 file lists only
        # under "County or Unitary Authority" (shire counties E10 and metropolitan
        # counties E11 are upper tier and left out)
        table = table[table["geography"].isin(lower)
                      | ((table["geography"] == "County or Unitary Authority")
                         & ~table["area_code"].str[:3].isin(["E10", "E11"]))]
        for spec in mapping.itertuples():
            if "upper-tier areas only" in spec.note:
                continue
            names = [_clean(n) for n in getattr(spec, f"name_{vintage}").split(";")]
            areas = table[table["indicator"].isin(names)].drop_duplicates("area_code")
            areas = areas[pd.to_numeric(areas["value"], errors="coerce").notna()]
            if len(areas) < 100:
                continue
            region = region_of(areas["area_code"], lookup)
            # an LA missing from the population table weighs the median LA
            w = areas["area_code"].map(weight).fillna(np.nanmedian(list(weight.values())))
            frame = pd.DataFrame({"region": region, "value": areas["value"].astype(float),
                                  "w": w}).dropna(subset=["region"])
            for code, group in frame.groupby("region", sort=True):
                rows.append({"indicator": spec.indicator, "vintage": vintage, "code": code,
                             "value": round(float(np.average(group["value"],
                                                             weights=group["w"])), 4),
                             "areas": len(group)})
    return pd.DataFrame(rows).sort_values(["indicator", "vintage", "code"])


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "uk"
    shared = Path(argv[0]) if argv else Path(os.environ.get("FISCALSIM_SHARED", default))
    frame = build(shared)
    target = OUT / "itl1_outcomes.csv"
    temp = target.with_suffix(".csv.tmp")
    frame.to_csv(temp, index=False, lineterminator="\n")
    os.replace(temp, target)
    print(f"wrote {target} ({len(frame)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
