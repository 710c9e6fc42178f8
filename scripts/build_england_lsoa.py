#!/usr/bin/env python
"""Rebuild ``simulator/data/england_lsoa`` from the shared research data.

England's 33,755 lower layer super output areas (LSOAs, 2021 codes), one row
each, with: Census 2021 usual residents; the English Indices of Deprivation
2025 (IMD score, rank, decile; the seven domain scores; six sub-domain scores;
key indicators); the Community Needs Index 2023 (score, rank, three domains,
left-behind flag); the ONS 2021 rural-urban class; ward (2024), lower-tier
authority (2024) and region (2024) codes.  Inputs, all under
``--shared`` (default ``<repo>/../shared/data/uk``), folder ``neighbourhoods/``
(see section 7 of the shared PROVENANCE.md).

Writes ``lsoa.csv.gz`` (gzip with mtime 0, so deterministic: same inputs, same
bytes), ``authorities.csv`` (296 LTLAs -> region), ``wards.csv.gz`` (ward ->
authority) and ``wards2017_cni2019.csv.gz`` (CNI 2019 by ward, Local Trust's 225
left-behind wards).  No value is changed: columns are renamed, joined on the LSOA code,
and numbers written as read (the inputs carry 3 dp at most).

Usage: ``python scripts/build_england_lsoa.py [--shared PATH] [--out PATH]``
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared" / "data" / "uk"
DEFAULT_OUT = REPO / "simulator" / "data" / "england_lsoa"
FOLDER = "neighbourhoods"

SCORES = "mhclg_iod2025_lsoa21_scores_ranks_deciles.csv"
SUBDOMAINS = "mhclg_iod2025_lsoa21_subdomains.csv"
INDICATORS = "mhclg_iod2025_lsoa21_indicators.csv"
CNI = "ocsi_cni2023_england_lsoa21.csv"
CENSUS = "ons_census2021_usual_residents_lsoa21.csv"
LOOKUP = "ons_lookup_lsoa21_ward24_ltla24.csv"
REGIONS = "ons_lookup_ltla24_region24.csv"
RUC = "ons_ruc2021_lsoa21.csv"
WARDS_2019 = "ocsi_cni2019_england_ward17_left_behind.csv"
#: england_la's 2019 -> 2023 authority code table (built from the IoD 2019 by build_england_la.py)
LA_CODE_CHANGES = REPO / "simulator" / "data" / "england_la" / "code_changes_2019_2023.csv"
#: authorities abolished on 1 April 2019 that the CNI 2019 ward file still carries -> the
#: authority that replaced them (Bournemouth, Christchurch and Poole; Dorset; East and West
#: Suffolk; Somerset West and Taunton: the Structural Changes Orders of 2018)
ABOLISHED_2019 = {
    "E06000028": "E06000058", "E06000029": "E06000058", "E07000048": "E06000058",
    "E07000049": "E06000059", "E07000050": "E06000059", "E07000051": "E06000059",
    "E07000052": "E06000059", "E07000053": "E06000059",
    "E07000201": "E07000245", "E07000204": "E07000245",
    "E07000205": "E07000244", "E07000206": "E07000244",
    "E07000190": "E07000246", "E07000191": "E07000246",
}
WARD_COLUMNS = {
    "ward17_code": "code", "ward17_name": "name", "lad19_code": "lad19_code",
    "Community Needs Index score": "cni_score", "Community Needs Index rank": "cni_rank",
    "Civic Assets score": "cni_civic_assets_score",
    "Connectedness score": "cni_connectedness_score",
    "Engaged community score": "cni_engaged_community_score", "Left Behind Area?": "left_behind",
}

#: IoD 2025 scores/ranks/deciles file column -> packaged column (same names as england_la)
IOD_COLUMNS = {
    "IMD_score": "imd_score", "IMD_rank": "imd_rank", "IMD_decile": "imd_decile",
    "Income_score": "imd_income_score", "Employment_score": "imd_employment_score",
    "Education_score": "imd_education_score", "Health_score": "imd_health_score",
    "Crime_score": "imd_crime_score", "Housing_and_Services_score": "imd_barriers_score",
    "Environment_score": "imd_living_environment_score",
}
SUBDOMAIN_COLUMNS = {
    "children_and_young_people_score": "sub_children_young_people_score",
    "adult_skills_score": "sub_adult_skills_score",
    "geographical_barriers_score": "sub_geographical_barriers_score",
    "wider_barriers_score": "sub_wider_barriers_score",
    "indoors_score": "sub_indoors_score",
    "outdoors_score": "sub_outdoors_score",
}
#: key IoD 2025 indicators kept (of 28)
INDICATOR_COLUMNS = {
    "income_domain_numerator": "income_deprived_people",
    "employment_domain_numerator": "employment_deprived_people",
    "income_deprivation_affecting_children_index_idaci_numerator": "idaci_children",
    "income_deprivation_affecting_older_people_index_idaopi_numerator": "idaopi_older_people",
    "adult_skills_and_english_language_proficiency_indicator": "adult_skills_indicator",
    "entry_to_higher_education_indicator": "entry_to_higher_education_indicator",
    "comparative_illness_and_disability_ratio_indicator": "illness_disability_ratio",
    "years_of_potential_life_lost_indicator": "years_of_potential_life_lost",
    "housing_affordability_indicator": "housing_affordability_indicator",
    "digital_connectivity_broadband_download_and_upload_speeds": "broadband_indicator",
    "homelessness_indicator_rate_per_1_000_households": "homelessness_per_1000_households",
    "household_overcrowding_indicator_rooms": "overcrowding_rooms_indicator",
}
CNI_COLUMNS = {
    "Community Needs Index 2023 Score": "cni_score",
    "Community Needs Index 2023 Rank": "cni_rank",
    "Civic Assets Domain Score": "cni_civic_assets_score",
    "Connectedness Domain Score": "cni_connectedness_score",
    "Active and Engaged Community Domain Score": "cni_engaged_community_score",
    "Left Behind Area?": "left_behind",
}
#: columns held as whole numbers
INTEGER_COLUMNS = ("population", "imd_rank", "imd_decile", "cni_rank", "left_behind")
N_LSOAS = 33_755
ENGLAND_RESIDENTS = 56_490_046


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"build_england_lsoa: {message}")


def read(shared: Path, name: str, **kwargs) -> pd.DataFrame:
    frame = pd.read_csv(shared / FOLDER / name, **kwargs)
    if "lsoa21_code" in frame:
        frame = frame[frame["lsoa21_code"].str.startswith("E01")]
        check(not frame["lsoa21_code"].duplicated().any(), f"{name}: duplicated LSOA code")
    return frame.set_index("lsoa21_code") if "lsoa21_code" in frame else frame


def build_table(shared: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    scores = read(shared, SCORES)
    check(len(scores) == N_LSOAS, f"expected {N_LSOAS} LSOAs in {SCORES}, got {len(scores)}")
    codes = scores.index.sort_values()
    parts = {name: read(shared, name)
             for name in (SUBDOMAINS, INDICATORS, CNI, CENSUS, LOOKUP, RUC)}
    for name, frame in parts.items():
        check(set(frame.index) == set(codes), f"{name}: LSOA codes differ from {SCORES}")
    lookup = parts[LOOKUP].reindex(codes)
    regions = read(shared, REGIONS)
    check(len(regions) == 296 and not regions["ltla24_code"].duplicated().any(),
          f"{REGIONS}: expected 296 unique authorities")
    region_of = regions.set_index("ltla24_code")["region24_code"]
    check(set(lookup["ltla24_code"]) == set(region_of.index),
          "the LSOA lookup's authorities differ from the region lookup's")

    table = pd.DataFrame(index=codes.copy())
    table["name"] = lookup["lsoa21_name"]
    table["ward_code"] = lookup["ward24_code"]
    table["la_code"] = lookup["ltla24_code"]
    table["region_code"] = lookup["ltla24_code"].map(region_of)
    table["population"] = parts[CENSUS]["usual_residents_census2021"].reindex(codes)
    table["ruc21"] = parts[RUC]["ruc21_code"].reindex(codes)
    for source, columns in ((scores, IOD_COLUMNS), (parts[SUBDOMAINS], SUBDOMAIN_COLUMNS),
                            (parts[INDICATORS], INDICATOR_COLUMNS), (parts[CNI], CNI_COLUMNS)):
        for old, new in columns.items():
            table[new] = source[old].reindex(codes)
    table["left_behind"] = table["left_behind"].map({True: 1, False: 0, "True": 1, "False": 0})
    check(table["left_behind"].notna().all(), "left-behind flag not TRUE/FALSE")
    required = ["population", "imd_score", "imd_rank", "imd_decile", "cni_score", "cni_rank"]
    check(table[required].notna().all().all(), f"missing values in {required}")
    for column in INTEGER_COLUMNS:
        check((table[column] % 1 == 0).all(), f"{column} is not whole")
        table[column] = table[column].astype(np.int64)
    check(int(table["population"].sum()) == ENGLAND_RESIDENTS,
          f"Census 2021 residents sum to {table['population'].sum():,}, not {ENGLAND_RESIDENTS:,}")
    check(int(table["left_behind"].sum()) == 1262, "expected 1,262 left-behind LSOAs")
    check(sorted(table["imd_rank"]) == list(range(1, N_LSOAS + 1)), "IMD ranks are not 1..33,755")
    table.index.name = "code"

    lookup = lookup.reset_index(drop=True)
    authorities = (lookup[["ltla24_code", "ltla24_name"]].drop_duplicates()
                   .rename(columns={"ltla24_code": "code", "ltla24_name": "name"})
                   .merge(regions[["ltla24_code", "region24_code", "region24_name"]]
                          .rename(columns={"ltla24_code": "code", "region24_code": "region_code",
                                           "region24_name": "region_name"}),
                          on="code", validate="one_to_one")
                   .sort_values("code").reset_index(drop=True))
    wards = (lookup[["ward24_code", "ward24_name", "ltla24_code"]].drop_duplicates()
             .rename(columns={"ward24_code": "code", "ward24_name": "name",
                              "ltla24_code": "la_code"})
             .sort_values("code").reset_index(drop=True))
    check(not wards["code"].duplicated().any(), "a ward lies in two authorities")
    return table.reset_index(), authorities, wards


def build_wards_2019(shared: Path, authority_codes: set[str]) -> pd.DataFrame:
    """CNI 2019 by ward (2017 codes) with Local Trust's 225 left-behind wards, and each
    ward's authority on today's (2023 = 2024) codes."""
    wards = read(shared, WARDS_2019)[list(WARD_COLUMNS)].rename(columns=WARD_COLUMNS)
    check(len(wards) == 7433 and not wards["code"].duplicated().any(), "expected 7,433 wards")
    changes = pd.read_csv(LA_CODE_CHANGES, dtype=str)
    to_2023 = dict(zip(changes["code_2019"], changes["code"]))
    code_2019 = wards["lad19_code"].map(lambda c: ABOLISHED_2019.get(c, c))
    wards["la_code"] = code_2019.map(to_2023)
    check(wards["la_code"].notna().all(), "a ward's authority has no 2023 code")
    check(set(wards["la_code"]) <= authority_codes, "a ward's authority is not among the 296")
    wards["left_behind"] = wards["left_behind"].map({True: 1, False: 0, "True": 1, "False": 0})
    check(int(wards["left_behind"].sum()) == 225, "expected 225 left-behind wards")
    wards["cni_rank"] = wards["cni_rank"].astype(np.int64)
    wards["cni_score"] = wards["cni_score"].round(4)
    for column in ("cni_civic_assets_score", "cni_connectedness_score",
                   "cni_engaged_community_score"):
        wards[column] = wards[column].round(4)
    return wards.sort_values("code").reset_index(drop=True)


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (temp file + rename)."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode()


def gzip_bytes(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as out:
        out.write(data)
    return buffer.getvalue()


def build(shared: Path, out: Path) -> None:
    table, authorities, wards = build_table(shared)
    out.mkdir(parents=True, exist_ok=True)
    write_whole(out / "lsoa.csv.gz", gzip_bytes(csv_bytes(table)))
    write_whole(out / "authorities.csv", csv_bytes(authorities))
    write_whole(out / "wards.csv.gz", gzip_bytes(csv_bytes(wards)))
    wards_2019 = build_wards_2019(shared, set(authorities["code"]))
    write_whole(out / "wards2017_cni2019.csv.gz", gzip_bytes(csv_bytes(wards_2019)))
    print(f"LSOAs {len(table):,}; residents {table['population'].sum():,}; wards {len(wards):,}; "
          f"authorities {len(authorities)}; left behind {table['left_behind'].sum():,}; "
          f"lsoa.csv.gz {(out / 'lsoa.csv.gz').stat().st_size:,} bytes")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="the shared UK research data folder (default: ../shared/data/uk)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    if not (args.shared / FOLDER / SCORES).exists():
        raise SystemExit(f"build_england_lsoa: {args.shared} does not hold the shared UK data")
    build(args.shared, args.out)


if __name__ == "__main__":
    sys.exit(main())
