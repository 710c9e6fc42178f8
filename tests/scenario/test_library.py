"""The scenario library: every file validates, runs, round-trips, and reproduces the
expected headline results kept beside it (recomputed here, compared with a tolerance)."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from simulator.scenario import dump_scenario, load_scenario, parse_scenario, run_scenario
from simulator.scenario.library import (compact_headline, expected_path, headline_results,
                                        is_compact, library_dir, library_scenarios)

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
        if is_compact(figures):
            assert_compact_equal(got, figures)
            continue
        per_head = figures[f"resources_per_head_{cur}"]
        assert list(got[f"resources_per_head_{cur}"]) == list(per_head)
        np.testing.assert_allclose(list(got[f"resources_per_head_{cur}"].values()),
                                   list(per_head.values()), rtol=RELATIVE)
        for key in (f"cost_to_centre_{cur}_m", "gini_before", "gini_after"):
            assert got[key] == pytest.approx(figures[key], rel=RELATIVE, abs=1e-6), key


def assert_compact_equal(got: dict, figures: dict) -> None:
    """One year's compact headline (many areas) against the expected one: counts exactly,
    every figure (the by-authority table, the distribution, the sum-of-squares checksum)
    at rtol 1e-6; an undefined figure (None) must stay undefined."""
    for key, want in figures.items():
        have = got[key]
        if isinstance(want, dict):
            assert list(have) == list(want), key
            np.testing.assert_allclose(list(have.values()), list(want.values()),
                                       rtol=RELATIVE, atol=1e-9, err_msg=key)
        elif want is None or isinstance(want, int):
            assert have == want, key
        else:
            assert have == pytest.approx(want, rel=RELATIVE, abs=1e-6), key


def test_a_many_area_scenario_keeps_the_compact_form_and_a_small_file():
    many = [name for name, path in LIBRARY.items()
            if load_scenario(path).dataset.name == "england_lsoa"]
    assert {"local_trust_neighbourhood_fund", "two_tier_neighbourhood_fund"} <= set(many)
    for name in many:
        path = expected_path(LIBRARY[name])
        assert path.stat().st_size < 50_000, name
        years = json.loads(path.read_text(encoding="utf-8"))["years"]
        for figures in years.values():
            assert is_compact(figures) and figures["areas"] == 33_755
            assert len(figures["resources_per_head_gbp_by_authority"]) == 296


def test_local_trust_fund_pays_the_1262_left_behind_areas_the_same_per_head(runs):
    result = runs["local_trust_neighbourhood_fund"]
    figures = headline_results(result)["2025-26"]
    assert figures["areas_funded"] == 1_262
    assert figures["total_paid_gbp_m"] == pytest.approx(100.0)
    assert figures["funded_per_head_min_gbp"] == pytest.approx(figures["funded_per_head_max_gbp"])
    left_behind = result.federation.indicators["left_behind"].ravel() == 1
    paid = (result.resources_per_head - result.baseline_resources_per_head).ravel()
    assert set(np.flatnonzero(paid > 0)) == set(np.flatnonzero(left_behind))
    # authorities: population-weighted per head = the fund's money in them / their people
    population = result.federation.population.ravel()
    authority = result.federation.indicators["authority_index"].ravel().astype(int)
    by_authority = np.bincount(authority, paid * population) / np.bincount(authority, population)
    np.testing.assert_allclose(list(figures["resources_per_head_gbp_by_authority"].values()),
                               by_authority, rtol=1e-12)


def test_two_tier_fund_floors_and_caps_every_authority(runs):
    result = runs["two_tier_neighbourhood_fund"]
    figures = headline_results(result)["2025-26"]
    assert figures["total_paid_gbp_m"] == pytest.approx(500.0)
    per_head = np.array(list(figures["resources_per_head_gbp_by_authority"].values()))
    equal = 500e6 / result.federation.population.sum()       # the equal per-head share
    assert (per_head >= 0.3 * equal * (1 - 1e-9)).all()      # Australia's FAG floor
    assert (per_head <= 4.0 * equal * (1 + 1e-9)).all()      # the cap
    assert np.isclose(per_head, 0.3 * equal).sum() > 0 and np.isclose(per_head, 4 * equal).sum() > 0


def test_the_compact_checksum_catches_a_swap_the_authority_table_cannot_see(runs):
    """Swap the amounts of two funded areas of one authority (different populations):
    the authority's total and the count are unchanged, the sum of squares is not."""
    result = runs["two_tier_neighbourhood_fund"]
    label, paid = result.state.transfers[-1]
    paid = np.array(paid, dtype=float)
    authority = result.federation.indicators["authority_index"].ravel()
    population = result.federation.population.ravel()
    row = paid.reshape(-1)
    # the best-funded area of an authority with several funded areas, and its least-funded
    several = np.bincount(authority.astype(int), row > 0)[authority.astype(int)] > 1
    top = int(np.argmax(np.where(several, row / population, -1.0)))
    mates = np.flatnonzero((authority == authority[top]) & (row > 0))
    low = int(mates[np.argmin(row[mates] / population[mates])])
    assert population[top] != population[low] and row[top] > 2 * row[low]
    row[[top, low]] = row[[low, top]]
    state = replace(result.state, transfers=(*result.state.transfers[:-1], (label, paid)))
    swapped = compact_headline(replace(result, state=state))["2025-26"]
    original = compact_headline(result)["2025-26"]
    np.testing.assert_allclose(list(swapped["resources_per_head_gbp_by_authority"].values()),
                               list(original["resources_per_head_gbp_by_authority"].values()),
                               rtol=1e-12)
    assert swapped["areas_funded"] == original["areas_funded"]
    assert swapped["sum_sq_per_head_gbp"] != pytest.approx(original["sum_sq_per_head_gbp"],
                                                           rel=RELATIVE)
    with pytest.raises(AssertionError):
        assert_compact_equal(swapped, original)


def test_a_small_dataset_keeps_a_row_per_region(runs):
    years = headline_results(runs["status_quo"])
    assert all(not is_compact(figures) for figures in years.values())
    assert all(len(figures["resources_per_head_gbp"]) == 12 for figures in years.values())


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
