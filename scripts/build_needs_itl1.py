"""Rebuild the packaged spending-needs inputs for the 12 ITL1 nations and regions.

Reads the shared research data (``<shared>/crpsf``, ``<shared>/la_population``,
``<shared>/neighbourhoods``, ``<shared>/missions_indicators``) and the ITL1
boundaries already packaged in ``simulator/data/uk_itl1``, and writes two
compact CSVs to ``simulator/data/needs_itl1/``:

* ``expenditure_by_category.csv``: identifiable expenditure (CRPSF Table 2)
  by service category, region and financial year, GBP million;
* ``drivers.csv``: one row per region, the cost drivers (population by age
  band, UK-comparable deprivation, land area, median weekly pay).

Deterministic: running it twice gives byte-identical files.

    .venv/bin/python scripts/build_needs_itl1.py [--shared ../shared/data/uk]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "simulator" / "data" / "needs_itl1"
BOUNDARIES = REPO / "simulator" / "data" / "uk_itl1" / "itl1_boundaries.geojson"
DEFAULT_SHARED = REPO.parent / "shared" / "data" / "uk"

CODES = ["TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK", "TLL", "TLM", "TLN"]
#: English region GSS code -> ITL1 code
REGION_ITL1 = {"E12000001": "TLC", "E12000002": "TLD", "E12000003": "TLE", "E12000004": "TLF",
               "E12000005": "TLG", "E12000006": "TLH", "E12000007": "TLI", "E12000008": "TLJ",
               "E12000009": "TLK", "W92000004": "TLL", "S92000003": "TLM", "N92000002": "TLN"}
NATION_ITL1 = {"W": "TLL", "S": "TLM", "N": "TLN"}

#: service category -> CRPSF COFOG function rows added (``-`` subtracts)
CATEGORIES = {
    "general_public_services": ["1. General public services"],
    "public_order_safety": ["3. Public order and safety"],
    "transport": ["4. of which: transport"],
    "other_economic_affairs": ["4. Economic affairs", "-4. of which: transport"],
    "environment": ["5. Environment protection"],
    "housing_community": ["6. Housing and community amenities"],
    "health": ["7. Health"],
    "recreation_culture": ["8. Recreation, culture and religion"],
    "education": ["9. Education (includes training)"],
    "social_protection": ["10. Social protection"],
}
IDENTIFIABLE = "Table 2: Total Identifiable Expenditure"
#: age bands kept (inclusive lower, inclusive upper; None = open)
AGE_BANDS = {"age_0_4": (0, 4), "age_5_18": (5, 18), "age_65_plus": (65, None),
             "age_75_plus": (75, None), "age_85_plus": (85, None)}
EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Whole file or nothing: a temporary file in the same folder, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", newline="") as out:
            frame.to_csv(out, index=False, lineterminator="\n")
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def expenditure(shared: Path) -> pd.DataFrame:
    table = pd.read_csv(shared / "crpsf" / "crpsf_fye2025_expenditure_by_region_function_long.csv")
    table = table[(table["table"] == IDENTIFIABLE) & table["itl1_code"].isin(CODES)]
    wide = table.pivot_table(index=["financial_year", "itl1_code"], columns="function",
                             values="value_gbp_m", aggfunc="sum")
    rows = []
    for category, functions in CATEGORIES.items():
        value = sum((-wide[f[1:]] if f.startswith("-") else wide[f]) for f in functions)
        rows.append(pd.DataFrame({"year": value.index.get_level_values(0),
                                  "code": value.index.get_level_values(1),
                                  "category": category, "value_gbp_m": value.to_numpy()}))
    out = pd.concat(rows, ignore_index=True)
    if out["value_gbp_m"].isna().any():
        raise SystemExit("expenditure: a function is missing for some region and year")
    out["value_gbp_m"] = out["value_gbp_m"].round(6)
    order = {c: i for i, c in enumerate(CODES)}
    out = out.sort_values(["year", "code", "category"], key=lambda s: s.map(order) if s.name == "code" else s)
    # the categories must cover identifiable expenditure except defence (and EU transactions)
    total = table[table["function"] == "Total identifiable expenditure"].groupby(
        ["financial_year", "itl1_code"])["value_gbp_m"].sum()
    covered = out.groupby(["year", "code"])["value_gbp_m"].sum()
    gap = (total - covered.reindex(total.index)).abs() / total
    print(f"identifiable expenditure not in the 10 categories (defence, EU): max {gap.max():.2%}")
    return out.reset_index(drop=True)


def itl1_of_authority(shared: Path, codes: pd.Series) -> pd.Series:
    lookup = pd.read_csv(shared / "neighbourhoods" / "ons_lookup_ltla24_region24.csv")
    region = codes.map(lookup.set_index("ltla24_code")["region24_code"]).map(REGION_ITL1)
    return region.fillna(codes.str[0].map(NATION_ITL1))


def population(shared: Path) -> pd.DataFrame:
    table = pd.read_csv(shared / "la_population" /
                        "policyengine_ons_mye_la_population_single_year_of_age.csv")
    table["itl1"] = itl1_of_authority(shared, table["code"])
    if table["itl1"].isna().any():
        raise SystemExit(f"population: authority without region: {table[table['itl1'].isna()]['code'].iloc[0]}")
    ages = [str(a) for a in range(90)] + ["90+"]
    counts = table[ages].to_numpy(float)
    out = {"population": table["all"].to_numpy(float)}
    for name, (low, high) in AGE_BANDS.items():
        last = 91 if high is None else high + 1
        out[name] = counts[:, low:last].sum(axis=1)
    frame = pd.DataFrame(out).groupby(table["itl1"].to_numpy()).sum().reindex(CODES)
    return frame.round(1)


def deprivation(shared: Path) -> pd.DataFrame:
    """Mean England-anchored composite UK IMD score of the small areas in each region
    (unweighted), and the share of small areas in the UK's most deprived population
    quintile.  English LSOA 2011 codes are placed by the LSOA 2021 lookup (unchanged
    codes; the few split or merged LSOAs are left out)."""
    areas = pd.read_csv(shared / "neighbourhoods" /
                        "mysociety_composite_uk_imd_england_anchored_small_areas.csv")
    lookup = pd.read_csv(shared / "neighbourhoods" / "ons_lookup_lsoa21_ward24_ltla24.csv")
    ltla = areas["lsoa"].map(lookup.drop_duplicates("lsoa21_code").set_index("lsoa21_code")["ltla24_code"])
    areas["itl1"] = itl1_of_authority(shared, ltla.fillna(areas["nation"]))
    english = areas["nation"] == "E"
    placed = areas["itl1"].notna()
    print(f"deprivation: English small areas placed in a region: {placed[english].mean():.1%}")
    areas = areas[placed]
    grouped = areas.groupby("itl1")
    return pd.DataFrame({
        "deprivation_score": grouped["UK_IMD_E_score"].mean().round(4),
        "deprived_quintile_share": grouped["UK_IMD_E_pop_quintile"].apply(lambda s: (s == 1).mean()).round(4),
        "small_areas": grouped.size(),
    }).reindex(CODES)


def ring_area_km2(ring: list) -> float:
    """Area of a lon/lat ring on the sphere (the trapezoid formula on sin(latitude))."""
    lon = np.radians(np.array([p[0] for p in ring]))
    lat = np.radians(np.array([p[1] for p in ring]))
    return abs(float(np.sum((np.roll(lon, -1) - lon) * (np.sin(lat) + np.sin(np.roll(lat, -1)))))
               ) / 2 * EARTH_RADIUS_KM ** 2


def land_area() -> pd.Series:
    shapes = json.loads(BOUNDARIES.read_text())
    areas = {}
    for feature in shapes["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        areas[feature["properties"]["code"]] = sum(
            ring_area_km2(polygon[0]) - sum(ring_area_km2(hole) for hole in polygon[1:])
            for polygon in polygons)
    return pd.Series(areas).reindex(CODES).round(1)


def weekly_pay(shared: Path) -> pd.DataFrame:
    table = pd.read_csv(shared / "missions_indicators" / "ons_subnational_indicators_2022_all_geographies.csv")
    table = table[(table["indicator"] == "Median Weekly Pay") & table["area_code"].isin(REGION_ITL1)]
    pay = table.assign(code=table["area_code"].map(REGION_ITL1)).set_index("code")
    return pd.DataFrame({"median_weekly_pay_gbp": pd.to_numeric(pay["value"]),
                         "pay_year": pay["period"].astype(int)}).reindex(CODES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    shared = parser.parse_args().shared
    write_csv(expenditure(shared), OUT / "expenditure_by_category.csv")
    drivers = pd.concat([population(shared), deprivation(shared), weekly_pay(shared)], axis=1)
    drivers["land_area_km2"] = land_area()
    drivers.index.name = "code"
    if drivers.isna().any().any():
        raise SystemExit("drivers: a value is missing")
    write_csv(drivers.reset_index(), OUT / "drivers.csv")
    print(drivers.to_string())


if __name__ == "__main__":
    main()
