"""Benchmarks declared in a scenario: tolerance, precision, located errors, outcome
indicators by vintage, and a report that reproduces itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.benchmarks import (MEASURES, BenchmarkCheck, decimals_for, evaluate,
                                  format_value, gap, met)
from simulator.data.outcomes import (OUTCOME_VINTAGES, outcome_progress, outcome_values,
                                     vintage_mapping)
from simulator.scenario import parse_scenario, run_scenario
from simulator.analysis.report import build_report, scenario_from_report

# ../shared beside the clone (as in CI); the test skips without it
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "uk" / "missions_indicators"


def test_a_guarantee_computed_as_89_99999999999997_is_met_and_printed_90():
    value = 89.99999999999997
    assert met(value, 90.0, "at_least", 1e-3)
    assert format_value(value, 1e-3) == "90.000"
    assert gap(value, 90.0, "at_least", 1e-3) == 0.0
    assert not met(89.998, 90.0, "at_least", 1e-3)
    assert gap(89.998, 90.0, "at_least", 1e-3) == pytest.approx(0.002)


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(0, 10))
def test_met_means_no_gap(value, target, tolerance):
    for direction in ("at_least", "at_most"):
        assert bool(met(value, target, direction, tolerance)) == (
            gap(value, target, direction, tolerance) == 0.0)


def test_decimals_follow_the_tolerance():
    assert [decimals_for(t) for t in (1, 0.5, 0.1, 1e-3, 1e-4, 0)] == [0, 1, 1, 3, 4, 10]


def test_statutory_guarantee_is_met_in_its_own_report(library):
    result = run_scenario(library["statutory_guarantee_90"])
    table = evaluate(result, [BenchmarkCheck("guarantee", "min_index", 90)])
    assert table.loc[0, "met"] and table.loc[0, "gap"] == 0.0
    html = build_report(library["statutory_guarantee_90"])
    assert "<td class=\"num\">90.000</td><td class=\"num\">yes</td>" in html


def test_fiscal_benchmarks_by_year_equal_metrics(library):
    scenario = library["barnett_with_needs_floor"]
    result = run_scenario(scenario)
    table = evaluate(result, [BenchmarkCheck("gini", "gini", 0.05),
                              BenchmarkCheck("ratio 2020", "max_min_ratio", 1.3, year="2020-21")])
    from simulator import metrics

    gini = metrics.gini(result.resources_per_head, result.state.population)
    assert list(table["year"][:10]) == list(result.federation.years)
    np.testing.assert_allclose(table["value"][:10], gini)
    assert list(table["met"][:10]) == list(gini <= 0.05 + 1e-4)
    assert table.iloc[10]["year"] == "2020-21"


def test_outcome_values_hand_computed():
    codes = ["TLC", "TLI", "TLM"]
    pay = {v: outcome_values("median_weekly_pay", codes, v) for v in OUTCOME_VINTAGES}
    table = pd.read_csv(Path(__file__).resolve().parents[2] / "simulator/data/outcomes/"
                        "itl1_outcomes.csv", dtype={"vintage": str})
    row = table[(table.indicator == "median_weekly_pay") & (table.vintage == "2024")
                & (table.code == "TLI")]
    assert pay["2024"][1] == float(row["value"].iloc[0])
    check = BenchmarkCheck("pay", "outcome_max_min_ratio", 1.3, indicator="median_weekly_pay")
    spec = MEASURES[check.measure]
    full = outcome_values("median_weekly_pay", [f"TL{c}" for c in "CDEFGHIJKLMN"], "2024")
    assert spec.compute(full, True) == pytest.approx(full.max() / full.min())
    # lower is better: the worst region is the highest
    smoke = outcome_values("smoking", [f"TL{c}" for c in "CDEFGHIJKLMN"], "2024")
    assert MEASURES["outcome_worst_index"].compute(smoke, False) == pytest.approx(
        100 * np.nanmean(smoke) / np.nanmax(smoke))
    progress = outcome_progress("smoking", ["TLC"], ["North East"])
    assert bool(progress["improved"][0]) == (progress["change"][0] < 0)


def test_mapping_names_exist_in_both_vintages():
    if not SHARED.is_dir():
        pytest.skip("shared data not present")
    clean = lambda s: s.replace("\x96", "-").replace("\u2013", "-").strip()  # noqa: E731
    v2022 = set(pd.read_csv(SHARED / "ons_subnational_indicators_2022_all_geographies.csv",
                            usecols=["indicator"])["indicator"].map(clean))
    v2024 = set(pd.read_csv(SHARED / "ons_subnational_indicators_2024_lad_utla.csv",
                            usecols=["indicator"])["indicator"])
    mapping = vintage_mapping()
    exact = 0
    for indicator, spec in mapping.iterrows():
        assert clean(spec["name_2022"]) in v2022, indicator
        for name in spec["name_2024"].split(";"):
            assert name in v2024, (indicator, name)
        exact += spec["name_2022"] == spec["name_2024"]
    assert exact == 1     # only net additions to the housing stock keeps its name


def test_aggregate_matches_published_regional_value():
    """The LA aggregation reproduces ONS's own regional 2019 GDHI per head (2022 vintage)."""
    if not SHARED.is_dir():
        pytest.skip("shared data not present")
    raw = pd.read_csv(SHARED / "ons_subnational_indicators_2022_all_geographies.csv")
    published = raw[(raw.geography == "Region")
                    & raw.indicator.str.startswith("Gross Disposable Household Income")]
    ours = outcome_values("gdhi_per_head", ["TLC", "TLI"], "2022")
    ne = float(published[published.area_code == "E12000001"]["value"].iloc[0])
    london = float(published[published.area_code == "E12000007"]["value"].iloc[0])
    assert ours[0] == pytest.approx(ne, rel=1e-3)
    assert ours[1] == pytest.approx(london, rel=0.02)   # 30,003 vs 30,256: weights' year


def test_report_embeds_the_resolved_scenario_and_reproduces(library):
    scenario = library["business_rates_75_retention"]
    html = build_report(scenario)
    again = scenario_from_report(html)
    assert again.model_dump() == scenario.model_dump()
    assert "fiscalsim 0." in html and "Data edition: uk_itl1: ONS Country" in html
    np.testing.assert_allclose(run_scenario(again).resources_per_head,
                               run_scenario(scenario).resources_per_head, rtol=0)


def test_outcome_benchmarks_in_the_report(library):
    text = """
extends: statutory_guarantee_90
benchmarks:
  - {name: Guarantee, measure: min_index, target: 90}
  - {name: Pay spread, measure: outcome_max_min_ratio, indicator: median_weekly_pay,
     target: 1.3}
"""
    scenario = parse_scenario(text, name="bench.yaml")
    html = build_report(scenario)
    assert "Outcome benchmarks" in html and 'class="progress-median_weekly_pay"' in html
    pay = outcome_values("median_weekly_pay", [f"TL{c}" for c in "CDEFGHIJKLMN"], "2024")
    assert f"{pay.max() / pay.min():,.4f}" in html


def test_cli_flags_add_to_declared_benchmarks(tmp_path, capsys):
    from simulator.cli import main

    out = tmp_path / "road.html"
    assert main(["report", "roadmap_income_tax_2030", "--out", str(out), "--min-index", "85"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "No region below 90% of average resources per head" in text   # declared
    assert "at least 85 (tolerance 0.001)" in text                         # the flag's
    assert "at most 1.5 (tolerance 0.0001)" in text                        # declared ratio
    assert main(["report", "status_quo", "--out", str(tmp_path / "s.html")]) == 0
    assert "at least 90 (tolerance 0.001)" in (tmp_path / "s.html").read_text(encoding="utf-8")
