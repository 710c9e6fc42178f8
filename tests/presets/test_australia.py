"""Australia's GST 2025-26 preset against the CGC's published distribution."""

from __future__ import annotations

import numpy as np
import pytest

from presets_testkit import SCENARIOS, load_script
from simulator.data import australia_2025_26
from simulator.scenario import load_scenario, run_scenario
from simulator.scenario.running import run_on

validation = load_script("validation_table")
PATH = SCENARIOS / "australia_gst_2025_26.yaml"


@pytest.fixture(scope="module")
def figures():
    return validation.australia()


def test_shares_within_three_tenths_of_a_point(figures):
    assert np.abs(figures["share_error"]).max() <= validation.AUSTRALIA_TOLERANCE_PP
    assert figures["simulated_share"].sum() == pytest.approx(100)


def test_gst_per_person_is_proportional_to_the_relativity(figures):
    per_unit = figures["simulated_per_unit"]
    np.testing.assert_allclose(per_unit, per_unit[0], rtol=1e-12)
    # published: the same within rounding to the dollar (3,417.3 +- 0.5)
    assert np.ptp(figures["published_per_unit"]) < 0.5
    assert figures["total"] == pytest.approx(95e9, rel=1e-12)


def test_the_level_gap_from_projected_populations_is_reported(figures):
    # ERP at 31 Dec 2024 instead of the projected 31 Dec 2025: about 1.3% more per person
    gap = figures["simulated_per_unit"][0] / figures["published_per_unit"].mean() - 1
    assert 0.010 < gap < 0.016
    np.testing.assert_allclose(figures["per_person_gap"], gap, atol=0.0005)


def test_the_scenario_uses_the_published_relativities_and_the_floor_binds_for_wa():
    scenario = load_scenario(PATH)
    step = scenario.steps[0]
    assert step.relativities == australia_2025_26.relativity_map("2025-26")
    assert step.relativity_floor == australia_2025_26.RELATIVITY_FLOOR["2025-26"] == 0.75
    assert step.relativities["WA"] == 0.75
    assert australia_2025_26.relativity_map("2022-23")["WA"] == \
        australia_2025_26.RELATIVITY_FLOOR["2022-23"] == 0.70
    assert step.amount == australia_2025_26.GST_POOL_2025_26


def test_a_relativity_below_the_floor_is_raised_to_it():
    scenario = load_scenario(PATH)
    step = scenario.steps[0]
    lower = step.model_copy(update={"relativities": {**step.relativities, "WA": 0.5}})
    federation = scenario.load_federation()
    floored = run_on(scenario.model_copy(update={"steps": [lower]}), federation)
    published = run_on(scenario, federation)
    np.testing.assert_allclose(floored.state.total_transfers, published.state.total_transfers,
                               rtol=1e-12)
    no_floor = lower.model_copy(update={"relativity_floor": None})
    without = run_on(scenario.model_copy(update={"steps": [no_floor]}), federation)
    wa = federation.codes.index("WA")
    assert without.state.total_transfers[0, wa] < published.state.total_transfers[0, wa]


def test_compared_with_an_equal_per_capita_split():
    result = run_scenario(load_scenario(PATH))
    baseline = result.baseline_resources_per_head.reshape(-1)
    np.testing.assert_allclose(baseline, 95e9 / result.state.population.sum(), rtol=1e-12)
    assert result.summary()["cost_to_centre_aud_m"].iloc[0] == pytest.approx(0, abs=1e-6)
