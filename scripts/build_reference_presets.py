"""Rebuild the datasets of the real-system presets from the shared reference tables.

    .venv/bin/python scripts/build_reference_presets.py [--reference DIR]

Reads ``../shared/data/reference`` (the only code that does) and writes compact
CSVs into ``simulator/data/``:

- ``canada_2025_26/``: Finance Canada per-capita fiscal capacities 2025-26, the
  StatCan July 1 populations 2021-2024 (two vintages), the published 2025-26
  Equalization per capita and the program totals;
- ``australia_2025_26/``: ABS ERP by state at four dates, the CGC 2025-26
  relativities and results, and earlier relativities;
- ``germany_2024/``: the published 2024 Finanzkraftausgleich per Land, and the
  Finanzkraft back-solved from it under FAG s.9 to s.11 (see its PROVENANCE.md);
- ``switzerland_teaching/``: a made-up teaching federation (its table is below)
  scaled to the real 2024 resource-equalisation total, and the real NFA figures.

Derived values are computed here, never typed; every file is deterministic.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REFERENCE = ROOT.parent / "shared" / "data" / "reference"
DATA = ROOT / "simulator" / "data"

CANADA_PROVINCES = ("NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC")
AUSTRALIA_NAMES = {
    "NSW": "New South Wales", "VIC": "Victoria", "QLD": "Queensland", "WA": "Western Australia",
    "SA": "South Australia", "TAS": "Tasmania", "ACT": "Australian Capital Territory",
    "NT": "Northern Territory",
}
GERMANY_NAMES = {
    "NW": "Nordrhein-Westfalen", "BY": "Bayern", "BW": "Baden-Württemberg", "NI": "Niedersachsen",
    "HE": "Hessen", "SN": "Sachsen", "RP": "Rheinland-Pfalz", "ST": "Sachsen-Anhalt",
    "SH": "Schleswig-Holstein", "TH": "Thüringen", "BB": "Brandenburg",
    "MV": "Mecklenburg-Vorpommern", "SL": "Saarland", "BE": "Berlin", "HH": "Hamburg",
    "HB": "Bremen",
}
#: FAG s.9: inhabitants' weights for Land revenue (s.9(2)) and municipal taxes (s.9(3))
GERMANY_LAND_WEIGHTS = {"BE": 1.35, "HB": 1.35, "HH": 1.35}
GERMANY_MUNICIPAL_WEIGHTS = {"BE": 1.35, "HB": 1.35, "HH": 1.35, "MV": 1.05, "BB": 1.03, "ST": 1.02}
#: FAG s.8 inclusion of municipal taxes, s.10 rate, s.11(2) rate and level
GERMANY_MUNICIPAL_SHARE, GERMANY_RATE, GERMANY_BEZ_RATE, GERMANY_BEZ_LEVEL = 0.75, 0.63, 0.80, 0.9975

#: The Swiss teaching federation: made-up cantons (codes chosen not to be real
#: canton codes), population in thousands and an intended resource index.  The
#: last canton's index is solved so that the population-weighted mean is 100.
SWISS_TEACHING = (
    ("AU", "Alpenau (teaching canton)", 85, 62.0),
    ("BT", "Bergtal (teaching canton)", 360, 66.0),
    ("FM", "Flussmatt (teaching canton)", 330, 72.0),
    ("HW", "Hochwald (teaching canton)", 1040, 76.0),
    ("KB", "Kluserberg (teaching canton)", 520, 80.0),
    ("ML", "Mittelland (teaching canton)", 720, 84.0),
    ("NH", "Nordhalde (teaching canton)", 660, 88.0),
    ("OM", "Obermatt (teaching canton)", 1150, 92.0),
    ("RA", "Rheinau (teaching canton)", 910, 97.0),
    ("SB", "Stadtbach (teaching canton)", 200, 150.0),
    ("ZB", "Zugerberg (teaching canton)", 130, 250.0),
    ("SL", "Seeland (teaching canton)", 1600, None),
)
#: the real total the teaching federation is scaled to (switzerland_nfa_figures.csv)
SWISS_SCALE_YEAR, SWISS_SCALE_ITEM = "2024", "resource_equalisation_total"


def read(name: str, reference: Path) -> pd.DataFrame:
    return pd.read_csv(reference / name, comment="#")


def write(frame: pd.DataFrame, folder: str, name: str) -> None:
    target = DATA / folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(target, index=False, lineterminator="\n", float_format="%.10g")
    print(f"wrote {target.relative_to(ROOT)} ({len(frame)} rows)")


# ------------------------------------------------------------------ Canada
def build_canada(reference: Path) -> None:
    capacity = read("canada_2025_26_percapita_finance_canada.csv", reference)
    population = read("canada_population_july1_2021_2023.csv", reference)
    totals = read("canada_equalization_totals_finance_canada.csv", reference)
    population = population[population["prov"].isin(CANADA_PROVINCES)]
    names = population.drop_duplicates("prov").set_index("prov")["geo"]
    capacity = capacity.set_index("province").loc[list(CANADA_PROVINCES)]
    write(pd.DataFrame({
        "code": CANADA_PROVINCES,
        "name": [names[c] for c in CANADA_PROVINCES],
        "non_resource_cad": capacity["nonresource_fiscal_capacity"].to_numpy(),
        "natural_resources_cad": capacity["natural_resource_fiscal_capacity"].to_numpy(),
    }), "canada_2025_26", "fiscal_capacity_per_head_2025_26.csv")
    write(pd.DataFrame({
        "code": CANADA_PROVINCES,
        "equalization_per_head_cad": capacity["equalization_per_capita"].to_numpy(),
    }), "canada_2025_26", "published_2025_26.csv")
    write(pd.DataFrame({
        "vintage": population["vintage"], "code": population["prov"],
        "p2021": population["P2021_jul1"], "p2022": population["P2022_jul1"],
        "p2023": population["P2023_jul1"], "p2024": population["P2024_jul1"],
    }), "canada_2025_26", "population_july1.csv")
    write(totals.rename(columns={"equalization_total_millions": "equalization_total_cad_m"}),
          "canada_2025_26", "equalization_totals.csv")


# ------------------------------------------------------------------ Australia
def build_australia(reference: Path) -> None:
    erp = read("australia_erp_by_state.csv", reference)
    gst = read("australia_gst_2025_26.csv", reference)
    history = read("australia_gst_relativities.csv", reference)
    codes = list(AUSTRALIA_NAMES)
    write(pd.DataFrame({"code": codes, "name": list(AUSTRALIA_NAMES.values())}),
          "australia_2025_26", "states.csv")
    erp = erp.set_index("state").loc[codes].reset_index().rename(columns={"state": "code"})
    write(erp, "australia_2025_26", "population_erp_k.csv")
    gst = gst.set_index("state").loc[codes]
    write(pd.DataFrame({
        "code": codes,
        "relativity": gst["gst_relativity_2025_26"].to_numpy(),
        "gst_per_person_aud": gst["gst_per_person_aud"].to_numpy(),
        "gst_share_pct": gst["gst_share_pct"].to_numpy(),
        "population_share_pct": gst["population_share_pct"].to_numpy(),
        "gst_aud_bn": gst["gst_2025_26_bn_aud"].to_numpy(),
    }), "australia_2025_26", "published_2025_26.csv")
    write(history.rename(columns={"state": "code", "note": "source"})[
        ["year", "code", "relativity", "source"]], "australia_2025_26", "relativities.csv")


# ------------------------------------------------------------------ Germany
def germany_weights(codes: list[str], weights: dict[str, float]) -> np.ndarray:
    return np.array([weights.get(code, 1.0) for code in codes])


def germany_derivation(table: pd.DataFrame) -> dict[str, float | np.ndarray]:
    """Back-solve the Finanzkraft from the published Zu-/Abschlaege and allgemeine BEZ.

    FAG s.10: Z = 0.63 (A - F); s.11(2): BEZ = 0.8 max(0, 0.9975 A - F - Z), so for
    a receiving Land BEZ / 0.8 = (0.37 / 0.63) Z - 0.0025 A.  With s.9,
    A_i = a_L WL_i + a_G WG_i (national Land revenue and 75% of municipal taxes per
    weighted inhabitant); a_L and a_G are fitted by least squares on the BEZ of
    the receiving Laender; then F_i = A_i - Z_i / 0.63.
    """
    codes = list(table["code"])
    population = table["population"].to_numpy(float)
    land = germany_weights(codes, GERMANY_LAND_WEIGHTS) * population
    municipal = germany_weights(codes, GERMANY_MUNICIPAL_WEIGHTS) * population
    surcharge = table["zu_abschlag_eur_m"].to_numpy(float) * 1e6
    grants = table["allg_bez_eur_m"].to_numpy(float) * 1e6
    receives = grants > 0
    keep = (1 - GERMANY_RATE) / GERMANY_RATE
    target = (keep * surcharge - grants / GERMANY_BEZ_RATE) / (1 - GERMANY_BEZ_LEVEL)
    design = np.column_stack([land, municipal])
    (a_land, a_municipal), *_ = np.linalg.lstsq(design[receives], target[receives], rcond=None)
    standard = a_land * land + a_municipal * municipal
    finanzkraft = standard - surcharge / GERMANY_RATE
    municipal_taxes = a_municipal * municipal / GERMANY_MUNICIPAL_SHARE
    return {"a_land": float(a_land), "a_municipal": float(a_municipal),
            "standard": standard, "finanzkraft": finanzkraft,
            "land_revenue": finanzkraft - GERMANY_MUNICIPAL_SHARE * municipal_taxes,
            "municipal_taxes": municipal_taxes, "receives": receives}


def build_germany(reference: Path) -> None:
    raw = read("germany_2024_finanzkraftausgleich.csv", reference)
    table = pd.DataFrame({
        "code": raw["land"], "name": raw["land"].map(GERMANY_NAMES),
        "population": raw["population_2024_06_30"],
        "vat_base_eur_m": raw["vat_base_meur"], "zu_abschlag_eur_m": raw["zu_abschlag_meur"],
        "allg_bez_eur_m": raw["allg_bez_meur"]})
    write(table, "germany_2024", "laender_2024.csv")
    derived = germany_derivation(table)
    write(pd.DataFrame({
        "code": table["code"],
        "land_revenue_eur_m": np.round(derived["land_revenue"] / 1e6, 6),
        "municipal_taxes_eur_m": np.round(derived["municipal_taxes"] / 1e6, 6),
    }), "germany_2024", "finanzkraft_derived_2024.csv")
    write(pd.DataFrame({
        "parameter": ["land_revenue_per_weighted_inhabitant", "municipal_taxes_75pct_per_weighted_inhabitant"],
        "value_eur": [round(derived["a_land"], 6), round(derived["a_municipal"], 6)],
        "meaning": ["national Land revenue (FAG s.7) per inhabitant weighted as in s.9(2)",
                    "national 75% of municipal taxes (FAG s.8) per inhabitant weighted as in s.9(3)"],
    }), "germany_2024", "derivation_parameters.csv")


# ------------------------------------------------------------------ Switzerland
def swiss_teaching_table() -> pd.DataFrame:
    codes = [row[0] for row in SWISS_TEACHING]
    population = np.array([row[2] for row in SWISS_TEACHING], float) * 1000
    index = np.array([np.nan if row[3] is None else row[3] for row in SWISS_TEACHING])
    free = np.isnan(index)
    index[free] = (100 * population.sum() - (index[~free] * population[~free]).sum()) / population[free].sum()
    return pd.DataFrame({"code": codes, "name": [row[1] for row in SWISS_TEACHING],
                         "population": population, "resource_index": index})


def read_swiss_figures(reference: Path) -> pd.DataFrame:
    """switzerland_nfa_figures.csv: one row (2025 total) has unquoted commas in its
    last field, ``source``; everything after the fifth comma is the source."""
    import csv

    lines = [line for line in (reference / "switzerland_nfa_figures.csv").read_text(
        encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    rows = list(csv.reader(lines))
    header, body = rows[0], rows[1:]
    width = len(header)
    return pd.DataFrame([row[:width - 1] + [",".join(row[width - 1:])] for row in body],
                        columns=header)


def build_switzerland(reference: Path) -> None:
    from simulator import EngineInputs, System
    from simulator.engine import simulate

    figures = read_swiss_figures(reference)
    write(figures, "switzerland_teaching", "real_figures.csv")
    table = swiss_teaching_table()
    population = table["population"].to_numpy()
    per_head = table["resource_index"].to_numpy() / 100  # at an average of 1 CHF per head
    system = System(devolution={"standardised_tax_yield": 1}, block_grant_adjustment="none", steps=[
        {"type": "minimum_guarantee", "floor_index": 70, "target_index": 86.5,
         "marginal_rate_at_floor": 0.9}])
    state = simulate(EngineInputs(codes=tuple(table["code"]), taxes=("standardised_tax_yield",),
                                  population=population, revenue=(per_head * population)[None]),
                     system)
    # what the weak cantons receive is the whole resource equalisation (financed 60%
    # by the Confederation and 40% by the strong cantons); linear in the scale
    total_per_unit = state.total_transfers.sum()
    wanted = figures[(figures["year"].astype(str) == SWISS_SCALE_YEAR)
                     & (figures["item"] == SWISS_SCALE_ITEM)]["value"].astype(float).iloc[0] * 1e6
    average = wanted / total_per_unit
    table["standardised_tax_yield_chf"] = per_head * average
    write(table[["code", "name", "population", "resource_index", "standardised_tax_yield_chf"]],
          "switzerland_teaching", "cantons.csv")
    print(f"  Swiss teaching scale: average standardised tax yield {average:,.2f} CHF per head")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=REFERENCE,
                        help="folder of the shared reference tables")
    args = parser.parse_args(argv)
    if not args.reference.is_dir():
        print(f"reference folder not found: {args.reference}", file=sys.stderr)
        return 2
    build_canada(args.reference)
    build_australia(args.reference)
    build_germany(args.reference)
    build_switzerland(args.reference)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
