#!/usr/bin/env python
"""Rebuild ``simulator/data/england_la`` from the shared research data.

The 296 lower-tier English local authorities on 2023 codes (the codes of the
MHCLG Council Taxbase 2024 and of the ONS 2023 LTLA boundaries).  Inputs, all
under ``--shared`` (default ``<repo>/../shared/data/uk``):

* ``la_council_tax/mhclg_council_taxbase_2024_la_summary.csv`` - Band D
  equivalents after council tax support (Table 1.32) and average Band D
  (Table 3.04), region;
* ``la_population/policyengine_ons_mye_la_population_single_year_of_age.csv`` -
  population (England total 57,690,323 = ONS mid-2023 as first published);
* ``hmrc/hmrc_spi_table3_15_income_and_tax_by_region_and_la_2021-22.csv`` -
  income tax and taxpayers' income (SPI Table 3.15, 2021-22);
* ``la_deprivation/mhclg_iod2019_file10_lad_summaries_all_domains.csv`` -
  IoD 2019 average scores (2019 codes, mapped through the code-change table);
* ``missions_indicators/ons_subnational_indicators_2024_lad_utla.csv`` - ONS
  subnational indicators (both geographies; predecessor districts combined);
* ``geo/england_ltla_2023_ons_uk-topojson.geojson`` and
  ``geo/hexjson/odileeds_uk-local-authority-districts-2023.hexjson``.

Predecessors are combined population-weighted, using the population the IoD
2019 itself implies (Income scale / Income average score, about mid-2015).
Needs shapely (boundary simplification).  Deterministic: same inputs, same bytes.

Usage: ``python scripts/build_england_la.py [--shared PATH] [--out PATH]``
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared" / "data" / "uk"
DEFAULT_OUT = REPO / "simulator" / "data" / "england_la"

#: MHCLG region abbreviation -> (ONS E12 code, region name, ITL1 code)
REGIONS = {
    "NE": ("E12000001", "North East", "TLC"),
    "NW": ("E12000002", "North West", "TLD"),
    "YH": ("E12000003", "Yorkshire and The Humber", "TLE"),
    "EM": ("E12000004", "East Midlands", "TLF"),
    "WM": ("E12000005", "West Midlands", "TLG"),
    "E": ("E12000006", "East of England", "TLH"),
    "L": ("E12000007", "London", "TLI"),
    "SE": ("E12000008", "South East", "TLJ"),
    "SW": ("E12000009", "South West", "TLK"),
}

#: Authorities created since the IoD 2019 codes (2020-2023 reorganisations)
#: -> their predecessor districts (2019 codes).  Every other 2023 code is its own
#: 2019 code (BCP E06000058, Dorset E06000059, East/West Suffolk E07000244/5 and
#: Somerset West and Taunton E07000246 were created on 1 April 2019 and already
#: carry their codes in the IoD 2019).
CODE_CHANGES = {
    "E06000060": ("E07000004", "E07000005", "E07000006", "E07000007"),  # Buckinghamshire 2020
    "E06000061": ("E07000150", "E07000152", "E07000153", "E07000156"),  # North Northamptonshire 2021
    "E06000062": ("E07000151", "E07000154", "E07000155"),  # West Northamptonshire 2021
    "E06000063": ("E07000026", "E07000028", "E07000029"),  # Cumberland 2023
    "E06000064": ("E07000027", "E07000030", "E07000031"),  # Westmorland and Furness 2023
    "E06000065": ("E07000163", "E07000164", "E07000165", "E07000166",
                  "E07000167", "E07000168", "E07000169"),  # North Yorkshire 2023
    "E06000066": ("E07000187", "E07000188", "E07000189", "E07000246"),  # Somerset 2023
}

#: IoD 2019 File 10 "<domain> - Average score" -> (indicator id, unit, description)
IOD_SCORES = {
    "IMD": ("imd_score", "score", "IMD 2019 average score (population-weighted mean of LSOA scores)"),
    "Income": ("imd_income_score", "share of population", "Income deprivation, average score"),
    "Employment": ("imd_employment_score", "share of working-age population",
                   "Employment deprivation, average score"),
    "Education, Skills and Training": ("imd_education_score", "score",
                                       "Education, skills and training deprivation, average score"),
    "Health Deprivation and Disability": ("imd_health_score", "score",
                                          "Health deprivation and disability, average score"),
    "Crime": ("imd_crime_score", "score", "Crime domain, average score (recorded crime, pre-2019)"),
    "Barriers to Housing and Services": ("imd_barriers_score", "score",
                                         "Barriers to housing and services, average score"),
    "Living Environment": ("imd_living_environment_score", "score",
                           "Living environment deprivation, average score"),
    "IDACI": ("idaci_score", "share of children", "Income deprivation affecting children, average score"),
    "IDAOPI": ("idaopi_score", "share of older people",
               "Income deprivation affecting older people, average score"),
}

#: ONS subnational indicators explorer 2024 `indicator_id` -> (indicator id, unit)
ONS_INDICATORS = {
    "Gross value added per hour worked": ("gva_per_hour_worked_gbp", "GBP per hour"),
    "Gross disposable household income per head": ("gdhi_per_head_gbp", "GBP per head"),
    "Gross median weekly pay": ("median_weekly_pay_gbp", "GBP per week"),
    "Aged 16 to 64 years employment rate (Great Britain)": ("employment_rate_16_64_pct", "%"),
    "Aged 16 years and over modelled unemployment": ("unemployment_rate_16plus_pct", "%"),
    "Gigabit capable broadband": ("gigabit_broadband_pct", "% of premises"),
    "Net additions to the housing stock": ("net_additional_dwellings_per_1000",
                                           "net additional dwellings per 1,000 stock"),
    "Cycle to employment centre with 500 to 4999 jobs": ("travel_time_jobs_cycle_min", "minutes"),
    "Drive to employment centre with 500 to 4999 jobs": ("travel_time_jobs_drive_min", "minutes"),
    "Public transport or walk to employment centre with 500 to 4999 jobs": (
        "travel_time_jobs_public_transport_min", "minutes"),
    "Pupils meeting the expected standard in reading, writing and maths at the end of key stage 2": (
        "ks2_expected_standard_rwm_pct", "% of pupils"),
    "GCSEs (and equivalent) in English and maths by age 19": (
        "gcse_english_maths_by_19_pct", "% of cohort"),
    "Children at expected level for communication and language by end of early years foundation stage": (
        "eyfs_communication_language_pct", "% of children"),
    "Children at expected level for literacy by end of early years foundation stage": (
        "eyfs_literacy_pct", "% of children"),
    "Children at expected level for maths by end of early years foundation stage": (
        "eyfs_maths_pct", "% of children"),
    "Aged 16 to 64 years NVQ level 3 or above qualifications (Great Britain)": (
        "nvq3_plus_16_64_pct", "% of population aged 16-64"),
    "Apprenticeships starts": ("apprenticeship_starts_per_100k", "per 100,000 population"),
    "Apprenticeships achievements": ("apprenticeship_achievements_per_100k", "per 100,000 population"),
    "Aged 19 years and over further education and skills participation": (
        "fe_skills_participation_19plus_per_100k", "per 100,000 population"),
    "Persistent absences for all pupils": ("persistent_absence_all_pct", "% of pupils"),
    "Persistent absences for pupils eligible for free school meals": (
        "persistent_absence_fsm_pct", "% of pupils"),
    "Persistent absences for pupils looked after continuously for at least 12 months by local authorities": (
        "persistent_absence_looked_after_pct", "% of pupils"),
    "State-funded schools rated good or outstanding": ("schools_good_outstanding_pct", "% of schools"),
    "Female healthy life expectancy": ("healthy_life_expectancy_female_years", "years"),
    "Male healthy life expectancy": ("healthy_life_expectancy_male_years", "years"),
    "Cigarette smokers": ("smokers_pct", "% of adults"),
    "Adult obesity prevalence (aged 18 years and over)": ("adult_obesity_pct", "% of adults"),
    "Obesity prevalence in children at reception age (aged four to five years)": (
        "child_obesity_reception_pct", "% of children"),
    "Obesity prevalence in children at Year 6 age (aged 10 to 11 years)": (
        "child_obesity_year6_pct", "% of children"),
    "Circulatory mortality considered preventable in persons aged under 75 (England)": (
        "preventable_circulatory_mortality_u75_per_100k", "deaths per 100,000 population"),
    "Cancer diagnosis at stage 1 and 2": ("cancer_early_stage_diagnosis_pct", "% of diagnoses"),
    "Life satisfaction": ("life_satisfaction_score", "mean score 0-10"),
    "Happiness": ("happiness_score", "mean score 0-10"),
    "Anxiety": ("anxiety_score", "mean score 0-10"),
    "Feeling life is worthwhile": ("worthwhile_score", "mean score 0-10"),
}

#: IoD 2025 File 10-style LTLA summary column (2024 codes) -> indicator id.  The same ids as
#: the IoD 2019 scores above: IoD 2025 is the default, IoD 2019 is kept in ``iod2019.csv``.
IOD2025_SCORES = {
    "imd_average_score": "imd_score",
    "income_average_score": "imd_income_score",
    "employment_average_score": "imd_employment_score",
    "education_skills_and_training_average_score": "imd_education_score",
    "health_deprivation_and_disability_average_score": "imd_health_score",
    "crime_average_score": "imd_crime_score",
    "barriers_to_housing_and_services_average_score": "imd_barriers_score",
    "living_environment_average_score": "imd_living_environment_score",
}
#: IoD 2025 summaries with no IoD 2019 counterpart kept here -> (id, unit, description)
IOD2025_EXTRA = {
    "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally": (
        "imd_share_lsoas_most_deprived_10pct", "share of the authority's LSOAs",
        "IMD 2025: share of LSOAs in the most deprived 10% nationally"),
    "imd25_extent": ("imd_extent", "share of population",
                     "IMD 2025 extent: share of population in the most deprived LSOAs (weighted)"),
    "imd25_local_concentration": ("imd_local_concentration", "average rank",
                                  "IMD 2025 local concentration: population-weighted average rank "
                                  "of the authority's most deprived LSOAs holding 10% of its people"),
}
#: kept from IoD 2019 under IoD 2025 too: the IoD 2025 files held have no IDACI/IDAOPI score
IOD2019_ONLY = ("idaci_score", "idaopi_score")
IOD2025_FILE = "neighbourhoods/mhclg_iod2025_ltla24_summaries.csv"

SPI_FILE = "hmrc/hmrc_spi_table3_15_income_and_tax_by_region_and_la_2021-22.csv"
IOD_FILE = "la_deprivation/mhclg_iod2019_file10_lad_summaries_all_domains.csv"
ONS_FILE = "missions_indicators/ons_subnational_indicators_2024_lad_utla.csv"
CTB_FILE = "la_council_tax/mhclg_council_taxbase_2024_la_summary.csv"
POP_FILE = "la_population/policyengine_ons_mye_la_population_single_year_of_age.csv"
GEO_FILE = "geo/england_ltla_2023_ons_uk-topojson.geojson"
HEX_FILE = "geo/hexjson/odileeds_uk-local-authority-districts-2023.hexjson"

#: boundary simplification (degrees; ~300-450 m) and coordinate rounding (3 dp ~ 100 m)
SIMPLIFY_TOLERANCE = 0.004
MIN_PART_AREA = 5e-5  # drop islands smaller than ~0.4 km2 (the largest part is always kept)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"build_england_la: {message}")


# ----------------------------------------------------------------------------- inputs
def read_authorities(shared: Path) -> pd.DataFrame:
    """Council taxbase 2024 rows (not England) with region and population."""
    ctb = pd.read_csv(shared / CTB_FILE)
    england = ctb[ctb["ons_code"] == "E92000001"].iloc[0]
    ctb = ctb[ctb["ons_code"] != "E92000001"].copy()
    check(len(ctb) == 296, f"expected 296 authorities, got {len(ctb)}")
    for column in ("band_d_equivalents_after_cts", "band_d_equivalents_before_cts", "dwellings_total"):
        check(abs(ctb[column].sum() - england[column]) < 0.5,
              f"{column}: authorities do not add up to the England row")
    regions = ctb["region"].map(REGIONS)
    check(regions.notna().all(), "unknown region abbreviation in the council taxbase")
    population = pd.read_csv(shared / POP_FILE, usecols=["code", "all"]).set_index("code")["all"]
    frame = pd.DataFrame({
        "code": ctb["ons_code"].to_numpy(),
        "name": ctb["local_authority"].to_numpy(),
        "region_code": [r[0] for r in regions],
        "region_name": [r[1] for r in regions],
        "itl1_code": [r[2] for r in regions],
        "population_mid2023": population.reindex(ctb["ons_code"]).to_numpy(),
        "dwellings_total": ctb["dwellings_total"].to_numpy(),
        "band_d_equivalents_before_cts": ctb["band_d_equivalents_before_cts"].to_numpy(),
        "band_d_equivalents_after_cts": ctb["band_d_equivalents_after_cts"].to_numpy(),
        "band_d_average_gbp": ctb["avg_band_d_council_tax_incl_parish_gbp_as_reported_ctb_oct2024"].to_numpy(),
    })
    check(frame["population_mid2023"].notna().all(), "an authority has no population")
    check((frame["population_mid2023"] % 1 == 0).all(), "population is not whole persons")
    frame["population_mid2023"] = frame["population_mid2023"].astype(int)
    check(frame["band_d_average_gbp"].notna().all(), "an authority has no Band D")
    return frame.sort_values("code", kind="stable").reset_index(drop=True)


def code_change_table(shared: Path, codes: list[str], names: dict[str, str]) -> pd.DataFrame:
    """Every 2023 code -> its 2019 code(s), with population weights from the IoD itself.

    Weight of a predecessor = its IoD 2019 population, Income scale / Income
    average score (the score is the population-weighted share income-deprived,
    so the ratio recovers the population the IoD used, about mid-2015, to ~1%).
    """
    iod = pd.read_csv(shared / IOD_FILE).set_index("lad19cd")
    implied = (iod["Income scale"] / iod["Income - Average score"]).round()
    rows = []
    for code in codes:
        predecessors = CODE_CHANGES.get(code, (code,))
        missing = [p for p in predecessors if p not in iod.index]
        check(not missing, f"2019 code {missing} for {code} not in the IoD 2019 file")
        weights = implied.loc[list(predecessors)]
        for predecessor in predecessors:
            rows.append({
                "code": code, "name": names[code], "code_2019": predecessor,
                "name_2019": iod.loc[predecessor, "lad19nm"],
                "population_iod2019": int(weights.loc[predecessor]),
                "weight": round(float(weights.loc[predecessor] / weights.sum()), 6),
                "changed": code in CODE_CHANGES,
            })
    table = pd.DataFrame(rows)
    used = set(table["code_2019"])
    unused = sorted(set(iod.index) - used)
    check(not unused, f"2019 codes not mapped to any 2023 authority: {unused}")
    return table


def combine(values: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Population-weighted mean of predecessors' values, per 2023 code.

    ``values`` is indexed by 2019/old code, one column per indicator.  A 2023
    authority gets NaN for an indicator when any predecessor lacks it.
    """
    joined = table[["code", "code_2019", "weight"]].join(values, on="code_2019")
    columns = list(values.columns)
    weighted = joined[columns].mul(joined["weight"], axis=0)
    total = weighted.groupby(joined["code"], sort=True).sum(min_count=1)
    any_missing = joined[columns].isna().groupby(joined["code"], sort=True).any()
    return total.mask(any_missing)


def read_iod(shared: Path, table: pd.DataFrame) -> pd.DataFrame:
    iod = pd.read_csv(shared / IOD_FILE).set_index("lad19cd")
    scores = pd.DataFrame({ident: iod[f"{domain} - Average score"]
                           for domain, (ident, _, _) in IOD_SCORES.items()})
    return combine(scores, table).round(4)


def read_iod2025(shared: Path, codes: list[str]) -> pd.DataFrame:
    """IoD 2025 average scores and summaries on 2024 codes (the same 296 codes as 2023)."""
    iod = pd.read_csv(shared / IOD2025_FILE).set_index("ltla24_code")
    check(sorted(iod.index) == sorted(codes), "IoD 2025 authority codes differ from the taxbase")
    columns = {**IOD2025_SCORES, **{k: v[0] for k, v in IOD2025_EXTRA.items()}}
    return iod[list(columns)].rename(columns=columns).reindex(codes).round(4)


def read_spi(shared: Path, authorities: pd.DataFrame) -> pd.DataFrame:
    """Income tax (GBP m), taxpayers (thousands) and their income (GBP m), 2021-22.

    Merged authorities: sums over predecessors (median: taxpayer-weighted mean of
    medians, an approximation).  Torbay and the Isles of Scilly are "[Not
    available]" in Table 3.15; their joint value is the South West total less
    the other South West authorities, split by population (flagged "residual").
    """
    spi = pd.read_csv(shared / SPI_FILE, dtype=str).set_index("code")
    numeric = spi.drop(columns="name").apply(lambda c: pd.to_numeric(c.str.replace(",", ""),
                                                                     errors="coerce"))
    base = pd.DataFrame({
        "income_tax_2021_22_gbp_m": numeric["total_tax_amount_gbp_m"],
        "taxpayers_2021_22_thousands": numeric["total_income_count_thousands"],
        "taxpayer_income_2021_22_gbp_m": numeric["total_income_count_thousands"]
        * numeric["total_income_mean_gbp"] / 1e3,
        "taxpayer_median_income_2021_22_gbp": numeric["total_income_median_gbp"],
    })
    out = base.reindex(authorities["code"]).copy()
    out["income_tax_source"] = np.where(out["income_tax_2021_22_gbp_m"].notna(), "direct", "")
    for code, predecessors in CODE_CHANGES.items():
        if pd.notna(out.loc[code, "income_tax_2021_22_gbp_m"]):
            continue
        parts = base.loc[list(predecessors)]
        check(parts.notna().all().all(), f"SPI predecessors of {code} incomplete")
        sums = parts[["income_tax_2021_22_gbp_m", "taxpayers_2021_22_thousands",
                      "taxpayer_income_2021_22_gbp_m"]].sum()
        out.loc[code, sums.index] = sums.to_numpy()
        out.loc[code, "taxpayer_median_income_2021_22_gbp"] = float(np.average(
            parts["taxpayer_median_income_2021_22_gbp"], weights=parts["taxpayers_2021_22_thousands"]))
        out.loc[code, "income_tax_source"] = "predecessors"
    # residual for the suppressed South West authorities
    regions = authorities.set_index("code")
    missing = out.index[out["income_tax_2021_22_gbp_m"].isna()].tolist()
    check(set(missing) <= {"E06000027", "E06000053"}, f"unexpected SPI gaps: {missing}")
    if missing:
        south_west = regions.index[regions["region_code"] == "E12000009"]
        known = out.loc[south_west].dropna(subset=["income_tax_2021_22_gbp_m"])
        residual = base.loc["E12000009"] - known[base.columns].sum()
        population = regions.loc[missing, "population_mid2023"]
        share = population / population.sum()
        for column in ("income_tax_2021_22_gbp_m", "taxpayers_2021_22_thousands",
                       "taxpayer_income_2021_22_gbp_m"):
            check(residual[column] > 0, f"South West residual of {column} not positive")
            out.loc[missing, column] = (residual[column] * share).to_numpy()
        out.loc[missing, "taxpayer_median_income_2021_22_gbp"] = np.nan
        out.loc[missing, "income_tax_source"] = "residual"
    for column in ("income_tax_2021_22_gbp_m", "taxpayer_income_2021_22_gbp_m"):
        out[column] = out[column].round(1)
    out["taxpayers_2021_22_thousands"] = out["taxpayers_2021_22_thousands"].round(2)
    out["taxpayer_median_income_2021_22_gbp"] = out["taxpayer_median_income_2021_22_gbp"].round(0)
    return out.reset_index(names="code")


def read_ons(shared: Path, table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Wide ONS subnational indicators on 2023 codes, and their metadata.

    Both geographies are read: districts, metropolitan and London boroughs under
    "Local Authority District", unitary authorities only under "County or
    Unitary Authority".  Counties (E10) are not in the file, so indicators
    published at upper tier only are missing for the 164 shire districts.
    """
    ons = pd.read_csv(shared / ONS_FILE)
    ons = ons[ons["area_code"].str.startswith("E") & ons["indicator_id"].isin(ONS_INDICATORS)]
    check(not ons.duplicated(["area_code", "indicator_id"]).any(),
          "an area appears under both geographies for one indicator")
    missing = sorted(set(ONS_INDICATORS) - set(ons["indicator_id"]))
    check(not missing, f"indicators not found: {missing}")
    ons = ons.assign(indicator=ons["indicator_id"].map(lambda i: ONS_INDICATORS[i][0]))
    wide = ons.pivot(index="area_code", columns="indicator", values="value")
    codes = table["code"].unique()
    direct = wide.reindex(codes)
    old_codes = [c for c in table.loc[table["changed"], "code_2019"] if c in wide.index]
    changed_table = table[table["changed"] & table["code_2019"].isin(old_codes)]
    partial = table[table["code"].isin(changed_table["code"]) & ~table["code_2019"].isin(old_codes)]
    check(partial.empty, f"only some predecessors of {sorted(set(partial['code']))} in the ONS file")
    combined = combine(wide.loc[old_codes], changed_table).round(4)
    filled = direct.copy()
    fill_codes = combined.index.intersection(direct.index[direct.isna().all(axis=1)])
    filled.loc[fill_codes] = combined.loc[fill_codes]
    order = [ident for ident, _ in ONS_INDICATORS.values()]
    filled = filled[order].round(4)
    meta = (ons.groupby("indicator")
            .agg(source_indicator=("indicator_id", "first"), period=("period", "first"),
                 category=("category", "first")).reindex(order))
    meta["unit"] = [ONS_INDICATORS[s][1] for s in meta["source_indicator"]]
    meta["n_from_predecessors"] = filled.loc[fill_codes].notna().sum().reindex(order).to_numpy()
    return filled, meta


# ----------------------------------------------------------------------------- geography
def simplified_boundaries(shared: Path, codes: list[str]) -> dict:
    try:
        from shapely.geometry import MultiPolygon, mapping, shape
        from shapely.geometry.polygon import orient
    except ImportError:  # pragma: no cover
        raise SystemExit("build_england_la: needs shapely (pip install shapely)")
    source = json.loads((shared / GEO_FILE).read_text())
    features = []
    for feature in source["features"]:
        geometry = shape(feature["geometry"])
        parts = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
        largest = max(parts, key=lambda p: p.area)
        parts = [p for p in parts if p is largest or p.area >= MIN_PART_AREA]
        geometry = (MultiPolygon(parts) if len(parts) > 1 else parts[0]).simplify(
            SIMPLIFY_TOLERANCE, preserve_topology=True)
        parts = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
        parts = [orient(p, sign=-1.0) for p in parts]  # exterior clockwise, as the source
        geometry = MultiPolygon(parts) if len(parts) > 1 else parts[0]
        coordinates = _round(mapping(geometry)["coordinates"], 3)
        features.append({"type": "Feature",
                         "properties": {"areacd": feature["properties"]["areacd"],
                                        "areanm": feature["properties"]["areanm"]},
                         "geometry": {"type": geometry.geom_type, "coordinates": coordinates}})
    features.sort(key=lambda f: f["properties"]["areacd"])
    check([f["properties"]["areacd"] for f in features] == sorted(codes),
          "boundary codes differ from the council taxbase codes")
    return {"type": "FeatureCollection", "features": features}


def _round(coordinates, digits: int):
    if isinstance(coordinates[0], (int, float)):
        return [round(float(coordinates[0]), digits), round(float(coordinates[1]), digits)]
    return [_round(c, digits) for c in coordinates]


def england_hexmap(shared: Path, authorities: pd.DataFrame) -> dict:
    hexmap = json.loads((shared / HEX_FILE).read_text())
    hexes = {code: hexmap["hexes"][code] for code in sorted(hexmap["hexes"]) if code.startswith("E")}
    check(sorted(hexes) == sorted(authorities["code"]), "hex map codes differ from the taxbase codes")
    region = authorities.set_index("code")["region_code"]
    wrong = [c for c, h in hexes.items() if h["region"] != region[c]]
    check(not wrong, f"hex map region differs from the taxbase region for {wrong[:3]}")
    return {"layout": hexmap["layout"], "hexes": hexes}


# ----------------------------------------------------------------------------- main
def build(shared: Path, out: Path) -> None:
    authorities = read_authorities(shared)
    codes = authorities["code"].tolist()
    names = dict(zip(authorities["code"], authorities["name"]))
    table = code_change_table(shared, codes, names)
    spi = read_spi(shared, authorities)
    authorities = authorities.merge(spi, on="code", how="left", validate="one_to_one")

    iod2019 = read_iod(shared, table)
    iod2025 = read_iod2025(shared, codes)
    iod = iod2025.join(iod2019[list(IOD2019_ONLY)])[
        [v for v in IOD2025_SCORES.values()] + list(IOD2019_ONLY)
        + [v[0] for v in IOD2025_EXTRA.values()]]
    ons, ons_meta = read_ons(shared, table)
    indicators = iod.join(ons).reindex(codes)
    indicators.index.name = "code"
    iod2019 = iod2019.reindex(codes)
    iod2019.index.name = "code"

    from_2019 = int(table["changed"].groupby(table["code"]).any().sum())
    source_2025 = {v: k for k, v in IOD2025_SCORES.items()}
    meta_rows = []
    for domain, (ident, unit, description) in IOD_SCORES.items():
        if ident in IOD2019_ONLY:
            meta_rows.append({
                "indicator": ident, "unit": unit,
                "description": description + " (IoD 2019 also under IoD 2025: no 2025 score held)",
                "period": "IoD 2019 (most inputs 2015-16)",
                "publisher": "MHCLG, English Indices of Deprivation 2019, File 10",
                "source_indicator": f"{domain} - Average score", "n_from_predecessors": from_2019})
        else:
            meta_rows.append({
                "indicator": ident, "unit": unit,
                "description": description.replace("IMD 2019", "IMD 2025"),
                "period": "IoD 2025 (most inputs 2021-24; option iod='2019' for IoD 2019)",
                "publisher": "MHCLG, English Indices of Deprivation 2025, LTLA summaries",
                "source_indicator": source_2025[ident], "n_from_predecessors": 0})
    meta_rows += [{"indicator": ident, "unit": unit, "description": description,
                   "period": "IoD 2025 (most inputs 2021-24)",
                   "publisher": "MHCLG, English Indices of Deprivation 2025, LTLA summaries",
                   "source_indicator": source, "n_from_predecessors": 0}
                  for source, (ident, unit, description) in IOD2025_EXTRA.items()]
    meta_rows += [{"indicator": ident, "unit": row["unit"], "description": row["source_indicator"],
                   "period": str(row["period"]),
                   "publisher": "ONS, Subnational indicators explorer (March 2024 data)",
                   "source_indicator": row["source_indicator"],
                   "n_from_predecessors": int(row["n_from_predecessors"])}
                  for ident, row in ons_meta.iterrows()]
    meta = pd.DataFrame(meta_rows)
    meta["n_areas"] = indicators[meta["indicator"]].notna().sum().to_numpy()

    out.mkdir(parents=True, exist_ok=True)
    csv = dict(index=False, lineterminator="\n")
    authorities.to_csv(out / "authorities.csv", **csv)
    indicators.reset_index().to_csv(out / "indicators.csv", **csv)
    iod2019.reset_index().to_csv(out / "iod2019.csv", **csv)
    meta.to_csv(out / "indicator_metadata.csv", **csv)
    table.to_csv(out / "code_changes_2019_2023.csv", **csv)
    boundaries = simplified_boundaries(shared, codes)
    (out / "boundaries_ltla_2023.geojson").write_text(
        json.dumps(boundaries, separators=(",", ":")) + "\n")
    hexmap = england_hexmap(shared, authorities)
    hex_lines = ",\n".join(f"{json.dumps(code)}:{json.dumps(cell, separators=(',', ':'))}"
                           for code, cell in hexmap["hexes"].items())
    (out / "hexmap_lad_2023.json").write_text(
        f'{{"layout":{json.dumps(hexmap["layout"])},"hexes":{{\n{hex_lines}}}}}\n')

    revenue = authorities["band_d_equivalents_after_cts"] * authorities["band_d_average_gbp"]
    print(f"authorities: {len(authorities)}; population {authorities['population_mid2023'].sum():,.0f}; "
          f"Band D equivalents after CTS {authorities['band_d_equivalents_after_cts'].sum():,.1f}")
    print(f"council tax (base x Band D) GBP {revenue.sum() / 1e9:,.3f} bn; income tax 2021-22 "
          f"GBP {authorities['income_tax_2021_22_gbp_m'].sum() / 1e3:,.3f} bn")
    print(f"indicators: {indicators.shape[1]}; coverage min {meta['n_areas'].min()} of 296")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="the shared UK research data folder (default: ../shared/data/uk)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    if not (args.shared / CTB_FILE).exists():
        raise SystemExit(f"build_england_la: {args.shared} does not hold the shared UK data")
    build(args.shared, args.out)


if __name__ == "__main__":
    sys.exit(main())
