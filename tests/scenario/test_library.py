"""The scenario library: every file validates, runs, round-trips, and reproduces the
expected headline results kept beside it (recomputed here, compared with a tolerance)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simulator.scenario import dump_scenario, load_scenario, parse_scenario, run_scenario
from simulator.scenario.library import (expected_path, headline_results, library_dir,
                                        library_scenarios)

LIBRARY = library_scenarios()
REQUIRED = {"status_quo", "income_tax_gap_fill_75", "statutory_guarantee_90",
            "german_symmetric", "swiss_minimum_guarantee", "needs_based"}
RELATIVE = 1e-6  # data or float noise; a policy or data change moves figures far more


def test_library_has_the_required_scenarios():
    assert library_dir() is not None and REQUIRED <= set(LIBRARY)


@pytest.fixture(scope="module")
def runs():
    return {name: run_scenario(load_scenario(path)) for name, path in LIBRARY.items()}


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_opens_with_a_comment_saying_what_it_encodes(name):
    first = LIBRARY[name].read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and len(first) > 30


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_dump_reloads_to_an_equal_scenario(name):
    scenario = load_scenario(LIBRARY[name])
    assert scenario.name == name
    assert parse_scenario(dump_scenario(scenario)) == scenario


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_reproduces_its_expected_results(name, runs):
    path = expected_path(LIBRARY[name])
    assert path.is_file(), f"run scripts/update_expected.py {name}"
    expected = json.loads(path.read_text(encoding="utf-8"))
    actual = headline_results(runs[name])
    assert set(actual) == set(expected["years"])
    for year, figures in expected["years"].items():
        got = actual[year]
        assert set(got) == set(figures)
        cur = runs[name].currency.lower()  # presets run in CAD, AUD, EUR, CHF
        per_head = figures[f"resources_per_head_{cur}"]
        assert list(got[f"resources_per_head_{cur}"]) == list(per_head)
        np.testing.assert_allclose(list(got[f"resources_per_head_{cur}"].values()),
                                   list(per_head.values()), rtol=RELATIVE)
        for key in (f"cost_to_centre_{cur}_m", "gini_before", "gini_after"):
            assert got[key] == pytest.approx(figures[key], rel=RELATIVE, abs=1e-6), key


def per_head_change(result):
    return result.resources_per_head - result.baseline_resources_per_head


def summary(result):
    return result.summary().iloc[0]


def test_status_quo_changes_nothing(runs):
    result = runs["status_quo"]
    np.testing.assert_allclose(per_head_change(result), 0, atol=1e-9)
    assert summary(result)["cost_to_centre_gbp_m"] == pytest.approx(0, abs=1e-6)


def test_gap_fill_75_closes_three_quarters_of_the_capacity_gap(runs):
    assert summary(runs["income_tax_gap_fill_75"])["capacity_gap_closed"] == pytest.approx(0.75)


def test_german_symmetric_is_purely_horizontal(runs):
    row = summary(runs["german_symmetric"])
    assert row["cost_to_centre_gbp_m"] == pytest.approx(0, abs=1e-3)
    assert row["capacity_gap_closed"] == pytest.approx(0.63)
    assert row["horizontal_flows_gbp_m"] > 0


def test_statutory_guarantee_lifts_every_region_to_90_percent_of_the_prior_average(runs):
    result = runs["statutory_guarantee_90"]
    state = result.state
    before = state.resources - state.transfers[-1][1]
    floor = 0.9 * before.sum() / state.population.sum()
    assert (result.resources_per_head >= floor * (1 - 1e-9)).all()
    assert summary(result)["paid_by_centre_gbp_m"] > 0  # funded vertically


def test_swiss_strong_regions_pay_two_fifths(runs):
    row = summary(runs["swiss_minimum_guarantee"])
    regions = row["horizontal_flows_gbp_m"]
    assert regions / (regions + row["paid_by_centre_gbp_m"]) == pytest.approx(0.4, rel=1e-6)


def test_needs_based_pool_leaves_the_centres_outlay_unchanged(runs):
    result = runs["needs_based"]
    assert summary(result)["cost_to_centre_gbp_m"] == pytest.approx(0, abs=1e-3)
    status_quo = runs["status_quo"]
    np.testing.assert_allclose(result.baseline_resources_per_head,
                               status_quo.resources_per_head)
