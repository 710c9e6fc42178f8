"""Rebuild the packaged spending-needs drivers of the 296 English lower-tier authorities.

Reads the shared research data (``<shared>/la_population``, ``<shared>/neighbourhoods``,
``<shared>/missions_indicators``) and the boundaries and code changes packaged in
``simulator/data/england_la`` (read only: that dataset is not modified), and writes
``simulator/data/needs_england_la/drivers.csv``: one row per authority (2024 codes).
Deterministic: running it twice gives byte-identical files.

    .venv/bin/python scripts/build_needs_england_la.py [--shared ../shared/data/uk]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_needs_itl1 import ring_area_km2, write_csv  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "simulator" / "data" / "needs_england_la"
ENGLAND_LA = REPO / "simulator" / "data" / "england_la"
DEFAULT_SHARED = REPO.parent / "shared" / "data" / "uk"


def population(shared: Path) -> pd.DataFrame:
    table = pd.read_csv(shared / "la_population" /
                        "policyengine_ons_mye_la_population_single_year_of_age.csv")
    table = table[table["code"].str.startswith("E")].set_index("code")
    ages = [str(a) for a in range(90)] + ["90+"]
    counts = table[ages].to_numpy(float)
    return pd.DataFrame({
        "name": table["name"],
        "population": table["all"],
        "age_0_17": counts[:, :18].sum(1),
        "age_18_64": counts[:, 18:65].sum(1),
        "age_65_plus": counts[:, 65:].sum(1),
        "age_85_plus": counts[:, 85:].sum(1),
    }, index=table.index)


def deprivation(shared: Path) -> pd.DataFrame:
    iod = pd.read_csv(shared / "neighbourhoods" / "mhclg_iod2025_ltla24_summaries.csv").set_index("ltla24_code")
    return pd.DataFrame({"income_deprived": iod["income_scale"],
                         "imd_average_score": iod["imd_average_score"]})


#: authorities with no published median pay -> the neighbour whose figure they take
NEIGHBOUR_PAY = {"E06000053": "E06000052",   # Isles of Scilly -> Cornwall
                 "E09000001": "E09000033"}   # City of London -> Westminster


def weekly_pay(shared: Path, codes: pd.Index) -> pd.DataFrame:
    """Median weekly pay 2023 by district (unitaries: their county-or-UA row); the four 2023 unitaries (Cumberland, Westmorland
    and Furness, North Yorkshire, Somerset) get the IoD-2019-population-weighted mean of their
    predecessor districts' 2021 pay (england_la/code_changes_2019_2023.csv), times the median
    2023/2021 growth of the districts published in both years."""
    table = pd.read_csv(shared / "missions_indicators" / "ons_subnational_indicators_2024_lad_utla.csv")
    table = table[table["indicator"] == "Gross median weekly pay"]
    # districts first; unitary authorities appear only as "County or Unitary Authority"
    table = table.assign(order=(table["geography"] != "Local Authority District").astype(int))
    table = table.sort_values(["order", "area_code"], kind="stable")
    pay = table.drop_duplicates("area_code").set_index("area_code")["value"].astype(float)
    # 2021 pay by district (2022 release, 2019-2021 districts), brought to 2023 by the median
    # 2023/2021 ratio of the districts published in both
    old = pd.read_csv(shared / "missions_indicators" / "ons_subnational_indicators_2022_all_geographies.csv")
    old = old[old["indicator"] == "Median Weekly Pay"].drop_duplicates("area_code")
    pay_2021 = pd.to_numeric(old.set_index("area_code")["value"], errors="coerce")
    both = pay.index.intersection(pay_2021.index)
    growth = float(np.median(pay[both] / pay_2021[both]))
    print(f"median weekly pay 2023/2021 (median over {both.size} districts): {growth:.4f}")
    changes = pd.read_csv(ENGLAND_LA / "code_changes_2019_2023.csv")
    changes = changes[(changes["changed"].astype(str) == "True") & ~changes["code"].isin(pay.index)]
    changes = changes.assign(pay=changes["code_2019"].map(pay_2021) * growth)
    if changes["pay"].isna().any():
        raise SystemExit(f"pay: predecessor without 2021 pay: {changes[changes['pay'].isna()]['code_2019'].iloc[0]}")
    filled = (changes.assign(w=changes["weight"] * changes["pay"])
              .groupby("code")[["w", "weight"]].sum())
    predecessor = filled["w"] / filled["weight"]
    out = pay.reindex(codes)
    source = np.where(out.notna(), "published 2023", "predecessors 2021 x growth").astype(object)
    out = out.fillna(predecessor.reindex(codes))
    # no published figure (small samples): the neighbouring authority's
    for code, neighbour in NEIGHBOUR_PAY.items():
        if code in out.index and np.isnan(out[code]):
            out[code] = pay[neighbour]
            source[out.index.get_loc(code)] = f"neighbour {neighbour}"
    return pd.DataFrame({"median_weekly_pay_gbp": out.round(2), "pay_source": source}, index=codes)


def land_area(codes: pd.Index) -> pd.Series:
    shapes = json.loads((ENGLAND_LA / "boundaries_ltla_2023.geojson").read_text())
    areas = {}
    for feature in shapes["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        areas[feature["properties"]["areacd"]] = sum(
            ring_area_km2(p[0]) - sum(ring_area_km2(h) for h in p[1:]) for p in polygons)
    return pd.Series(areas).reindex(codes).round(2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    shared = parser.parse_args().shared
    drivers = population(shared)
    codes = drivers.index
    drivers = drivers.join(deprivation(shared), how="left").join(weekly_pay(shared, codes))
    drivers["land_area_km2"] = land_area(codes)
    drivers.index.name = "code"
    drivers = drivers.sort_index()
    missing = drivers.columns[drivers.isna().any()].tolist()
    if missing:
        raise SystemExit(f"drivers: missing values in {missing}: "
                         f"{drivers[drivers[missing[0]].isna()].index[:5].tolist()}")
    for column in ("population", "age_0_17", "age_18_64", "age_65_plus", "age_85_plus", "income_deprived"):
        drivers[column] = drivers[column].round(1)
    write_csv(drivers.reset_index(), OUT / "drivers.csv")
    print(drivers.describe().T.to_string())


if __name__ == "__main__":
    main()
