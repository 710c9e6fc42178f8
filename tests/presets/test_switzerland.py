"""Switzerland's NFA resource equalisation on the teaching federation: the rules of
FiLaG Art. 3a and 4, and the real 2024 totals that can be checked."""

from __future__ import annotations

import numpy as np
import pytest

from presets_testkit import SCENARIOS, load_script
from simulator.data import switzerland_teaching
from simulator.scenario import load_scenario, run_scenario

validation = load_script("validation_table")
PATH = SCENARIOS / "switzerland_nfa_teaching.yaml"
REAL_CANTONS = {"ZH", "BE", "LU", "UR", "SZ", "OW", "NW", "GL", "ZG", "FR", "SO", "BS", "BL",
                "SH", "AR", "AI", "SG", "GR", "AG", "TG", "TI", "VD", "VS", "NE", "GE", "JU"}


@pytest.fixture(scope="module")
def figures():
    return validation.switzerland()


def test_the_teaching_federation_says_it_is_invented():
    table = switzerland_teaching.cantons()
    assert not set(table["code"]) & REAL_CANTONS
    assert table["name"].str.endswith("(teaching canton)").all()
    population = table["population"].to_numpy(float)
    assert (table["resource_index"] * population).sum() / population.sum() == pytest.approx(100)


def test_the_minimum_endowment_is_reached(figures):
    below = figures["index_before"] < 70
    assert below.sum() >= 2
    np.testing.assert_allclose(figures["index_after_payments"][below], 86.5, rtol=1e-12)
    between = ~below & (figures["index_before"] < 100)
    assert (figures["index_after_payments"][between] > 86.5).all()
    assert (figures["payment_per_head"][figures["index_before"] >= 100] == 0).all()


def test_the_ranking_is_kept(figures):
    before = figures["index_before"]
    order = np.argsort(before)
    for after in (figures["index_after_payments"], figures["index_after_all"]):
        assert (np.diff(after[order]) >= -1e-9).all()


def test_financing_is_two_thirds_of_the_confederations_share(figures):
    assert figures["cantons_simulated_m"] == pytest.approx(2 / 3 * figures["centre_simulated_m"])
    # the real 2024 split: 4,500 = 2,700 (Confederation) + 1,800 (strong cantons)
    assert figures["total_simulated_m"] == pytest.approx(figures["total_real_m"], abs=1e-6)
    assert figures["centre_simulated_m"] == pytest.approx(2_700, abs=1e-6)
    assert figures["cantons_simulated_m"] == pytest.approx(1_800, abs=1e-6)


def test_strong_cantons_pay_the_same_share_of_their_excess():
    result = run_scenario(load_scenario(PATH))
    state = result.state
    capacity = state.fiscal_capacity[0] / state.population[0]
    average = state.fiscal_capacity.sum() / state.population.sum()
    contribution = -state.transfers[1][1][0] / state.population[0]
    strong = capacity > average
    shares = contribution[strong] / (capacity[strong] - average)
    np.testing.assert_allclose(shares, shares[0], rtol=1e-12)
    assert (contribution[~strong] == 0).all()
