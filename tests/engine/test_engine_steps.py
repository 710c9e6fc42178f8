"""Each step against a small case computed by hand.

Unless stated otherwise: three regions A, B, C with populations 1000, 2000,
1000 and fiscal capacity 100, 200, 400 per head (one devolved tax, no block
grant), so the national average is 900 000 / 4000 = 225 per head.
"""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from engine_testkit import hand_system, simple_inputs
from simulator import ConfigurationError, simulate
from simulator.steps import (STEP_TYPES, ChangeLimits, FixedPool, GapFill, HorizontalFunding,
                             MinimumGuarantee, NeedsPool, NoWorseOff, Standard, Symmetric,
                             WeightPopulation, step_from_dict)

POPULATION = [1000.0, 2000.0, 1000.0]
CAPACITY = [100.0, 200.0, 400.0]


def run_steps(*steps, capacity=CAPACITY, population=POPULATION, **kwargs):
    return simulate(simple_inputs(population, capacity), hand_system(*steps), **kwargs)


def per_head(state, step=-1):
    return state.transfers[step][1] / state.population


def test_every_type_key_is_registered():
    # the engine's own catalogue; presets and the over-time package add more
    assert set(STEP_TYPES) >= {"gap_fill", "symmetric", "weight_population", "minimum_guarantee",
                               "needs_pool", "change_limits", "no_worse_off",
                               "horizontal_funding", "fixed_pool"}
    for cls in STEP_TYPES.values():
        assert cls.__doc__ and cls.reference and cls.real_system and cls.title
        for name, field in cls.model_fields.items():
            if name not in ("type", "label"):
                assert field.description, (cls, name)
                assert "unit" in (field.json_schema_extra or {}), (cls, name)


# ---------------------------------------------------------------- gap_fill
def test_gap_fill_to_national_average():
    state = run_steps(GapFill(rate=1.0))
    np.testing.assert_allclose(per_head(state), [125.0, 25.0, 0.0])
    np.testing.assert_allclose(state.paid_by_centre[-1][1], 125_000 + 50_000)


def test_gap_fill_half_rate_to_ninety_percent():
    state = run_steps(GapFill(rate=0.5, standard={"kind": "national_average", "fraction": 0.9}))
    np.testing.assert_allclose(per_head(state), [0.5 * 102.5, 0.5 * 2.5, 0.0])


def test_gap_fill_on_resources_counts_the_block_grant():
    inputs = simple_inputs(POPULATION, CAPACITY, grant_per_head=[300.0, 100.0, 0.0])
    # resources per head 400, 300, 400: average (400 + 600 + 400) / 4 = 350
    state = simulate(inputs, hand_system(GapFill(measure="resources"), grant=True))
    np.testing.assert_allclose(per_head(state), [0.0, 50.0, 0.0])
    state = simulate(inputs, hand_system(GapFill(measure="capacity"), grant=True))
    np.testing.assert_allclose(per_head(state), [125.0, 25.0, 0.0])


@pytest.mark.parametrize("percentile, expected", [(0, 100.0), (25, 100.0), (50, 200.0),
                                                  (75, 200.0), (80, 400.0), (100, 400.0)])
def test_percentile_standard_is_the_population_quantile(percentile, expected):
    # population shares 0.25 at 100, 0.5 at 200, 0.25 at 400
    state = run_steps(GapFill(standard={"kind": "percentile", "percentile": percentile}))
    np.testing.assert_allclose(per_head(state) + CAPACITY, np.maximum(CAPACITY, expected))


def test_regions_average_and_per_head_standards():
    state = run_steps(GapFill(standard={"kind": "regions_average", "regions": ["B", "C"]}))
    # (400 000 + 400 000) / 3000 = 266.67
    np.testing.assert_allclose(per_head(state), [800 / 3 - 100, 800 / 3 - 200, 0.0])
    state = run_steps(GapFill(standard={"kind": "per_head", "amount": 150.0}))
    np.testing.assert_allclose(per_head(state), [50.0, 0.0, 0.0])
    with pytest.raises(ConfigurationError, match="unknown region code 'Z'"):
        run_steps(GapFill(standard={"kind": "regions_average", "regions": ["Z"]}))


# ---------------------------------------------------------------- symmetric
def test_symmetric_closes_a_share_of_every_gap_and_sums_to_zero():
    state = run_steps(Symmetric(rate=0.5))
    np.testing.assert_allclose(per_head(state), [62.5, 12.5, -87.5])
    assert state.transfers[-1][1].sum() == pytest.approx(0.0, abs=1e-9)
    assert state.paid_by_centre[-1][1] == 0.0


def test_default_symmetric_rate_is_germany():
    assert Symmetric().rate == 0.63


# ---------------------------------------------------------------- weight_population
def test_weighted_inhabitants_change_the_average_and_per_head_need():
    state = run_steps(WeightPopulation(weights={"C": 2.0}), Symmetric(rate=1.0))
    assert len(state.transfers) == 1  # the weighting adds no transfer
    np.testing.assert_allclose(state.equalisation_population, [1000, 2000, 2000])
    np.testing.assert_allclose(state.population, POPULATION)
    # average per weighted inhabitant 900 000 / 5000 = 180
    np.testing.assert_allclose(state.transfers[0][1], [80_000, -40_000, -40_000])


def test_weights_replace_rather_than_compound_and_reject_bad_input():
    state = run_steps(WeightPopulation(weights={"C": 2.0}), WeightPopulation(weights={"A": 1.5}))
    np.testing.assert_allclose(state.equalisation_population, [1500, 2000, 1000])
    with pytest.raises(ConfigurationError, match="weights names unknown region 'Z'"):
        run_steps(WeightPopulation(weights={"Z": 1.35}))
    with pytest.raises(ValidationError):
        WeightPopulation(weights={"A": 0.0})


# ---------------------------------------------------------------- minimum_guarantee
def swiss_top_up(index):
    k = 0.9 * 30 / 16.5
    return np.where(index < 70, 86.5 - index,
                    np.where(index < 100, 16.5 * (np.clip(100 - index, 0, None) / 30) ** k, 0.0))


def test_minimum_guarantee_swiss_parameters():
    state = run_steps(MinimumGuarantee())
    index = 100 * np.array(CAPACITY) / 225
    expected = swiss_top_up(index) / 100 * 225
    np.testing.assert_allclose(per_head(state), expected)
    # A (index 44.4) ends exactly at 86.5% of the average; C (177.8) gets nothing
    assert (CAPACITY[0] + per_head(state)[0]) / 225 == pytest.approx(0.865)
    assert per_head(state)[2] == 0.0
    assert MinimumGuarantee().exponent == pytest.approx(1.636363636)


def test_minimum_guarantee_marginal_withdrawal_at_the_floor():
    step = MinimumGuarantee()
    h = 1e-6
    slope = (step.top_up_points(70 + h) - step.top_up_points(70 + 2 * h)) / h
    assert slope == pytest.approx(0.9, rel=1e-4)
    assert step.top_up_points(70.0) == pytest.approx(16.5)
    assert step.top_up_points(69.999999) == pytest.approx(16.5, abs=1e-5)  # continuous
    assert step.top_up_points(100.0) == 0.0


def test_minimum_guarantee_rejects_rank_reversing_parameters():
    with pytest.raises(ValidationError, match="marginal_rate_at_floor"):
        MinimumGuarantee(floor_index=70, target_index=86.5, marginal_rate_at_floor=0.5)
    with pytest.raises(ValidationError, match="floor_index < target_index"):
        MinimumGuarantee(floor_index=80, target_index=75)


# ---------------------------------------------------------------- needs_pool
def test_needs_pool_with_given_relativities_and_floor():
    state = run_steps(NeedsPool(amount=4_750_000, relativities={"A": 2, "B": 1, "C": 0.5}))
    # r x P = 2000, 2000, 500 of 4500
    np.testing.assert_allclose(state.transfers[0][1], np.array([2000, 2000, 500]) / 4500 * 4.75e6)
    state = run_steps(NeedsPool(amount=4_750_000, relativities={"A": 2, "B": 1, "C": 0.5},
                                relativity_floor=0.75))
    np.testing.assert_allclose(state.transfers[0][1], [2e6, 2e6, 0.75e6])
    assert state.transfers[0][1].sum() == pytest.approx(4.75e6)


def test_needs_pool_derived_relativities_equalise_to_need():
    capacity = [200.0, 220.0, 260.0]  # average 225
    state = run_steps(NeedsPool(pool_per_head=100.0), capacity=capacity)
    # E = 225 + 100: r = (325 - c) / 100 = 1.25, 1.05, 0.65 and every region ends at 325
    np.testing.assert_allclose(per_head(state), [125.0, 105.0, 65.0])
    state = run_steps(NeedsPool(pool_per_head=100.0, need_index={"A": 1.2, "B": 1.0, "C": 0.8}),
                      capacity=capacity)
    np.testing.assert_allclose(per_head(state) + capacity, [1.2 * 325, 325, 0.8 * 325])


def test_needs_pool_uses_the_system_need_index():
    inputs = simple_inputs(POPULATION, [200.0, 220.0, 260.0])
    inputs.indicators["need"] = np.array([1.2, 1.0, 0.8]) * 7  # rescaled to mean 1
    system = hand_system(NeedsPool(pool_per_head=100.0)).model_copy(update={"need_index": "need"})
    state = simulate(inputs, system)
    np.testing.assert_allclose(state.transfers[0][1] / state.population, [190.0, 105.0, 0.0],
                               atol=1e-9)


def test_needs_pool_clips_negative_relativities_and_keeps_the_pool():
    state = run_steps(NeedsPool(pool_per_head=100.0))
    # r = (325 - c) / 100 = 2.25, 1.25, -0.75 -> 0; r x P = 2250, 2500, 0
    np.testing.assert_allclose(state.transfers[0][1], np.array([2250, 2500, 0]) / 4750 * 400_000)


def test_needs_pool_input_errors():
    with pytest.raises(ValidationError, match="exactly one"):
        NeedsPool()
    with pytest.raises(ValidationError, match="exactly one"):
        NeedsPool(amount=1.0, pool_per_head=1.0)
    with pytest.raises(ConfigurationError, match="every region; missing C"):
        run_steps(NeedsPool(amount=1.0, relativities={"A": 1, "B": 1}))


# ---------------------------------------------------------------- change_limits, no_worse_off
BASELINE = np.array([100_000.0, 100_000.0, 100_000.0])
RESOURCES = [90.0, 100.0, 120.0]  # per head, populations of 1000: -10%, 0, +20%


def limited(step):
    return simulate(simple_inputs([1000.0] * 3, RESOURCES), hand_system(step),
                    baseline_resources=BASELINE).transfers[-1][1] / 1000


def test_floor_paid_by_the_centre():
    np.testing.assert_allclose(limited(ChangeLimits(floor_change=-0.02)), [8.0, 0.0, 0.0])


def test_floor_financed_by_scaling_back_gains():
    # gains above the floor (98): 0, 2, 22; lambda = 8 / 24
    got = limited(ChangeLimits(floor_change=-0.02, self_financing=True))
    np.testing.assert_allclose(got, [8.0, -2 / 3, -22 / 3])
    assert got.sum() == pytest.approx(0.0, abs=1e-9)


def test_floor_financed_by_a_common_cap():
    # 100 x (0.2 - x) = 8 -> x = 0.12: C capped at 112
    got = limited(ChangeLimits(floor_change=-0.02, self_financing=True, financing="cap"))
    np.testing.assert_allclose(got, [8.0, 0.0, -8.0])


def test_explicit_cap_and_its_savings():
    np.testing.assert_allclose(limited(ChangeLimits(floor_change=-0.02, cap_change=0.1)),
                               [8.0, 0.0, -10.0])
    # the cap saves more (10) than the floor costs (8): nothing more to finance
    np.testing.assert_allclose(
        limited(ChangeLimits(floor_change=-0.02, cap_change=0.1, self_financing=True)),
        [8.0, 0.0, -10.0])
    np.testing.assert_allclose(limited(ChangeLimits(floor_change=None, cap_change=0.05)),
                               [0.0, 0.0, -15.0])


def test_unfundable_floor_leaves_the_rest_to_the_centre():
    # floor +10%: cost 20 + 10 = 30, gains above 110: 10 only
    got = limited(ChangeLimits(floor_change=0.1, self_financing=True))
    np.testing.assert_allclose(got, [20.0, 10.0, -10.0])


def test_change_limits_input_errors():
    with pytest.raises(ValidationError, match="cap_change"):
        ChangeLimits(floor_change=0.05, cap_change=0.0)
    with pytest.raises(ValidationError, match="give floor_change, cap_change or both"):
        ChangeLimits(floor_change=None)
    with pytest.raises(ConfigurationError, match="baseline resources"):
        run_steps(ChangeLimits())  # no grant: the status-quo baseline is zero


def test_no_worse_off():
    np.testing.assert_allclose(limited(NoWorseOff()), [10.0, 0.0, 0.0])


# ---------------------------------------------------------------- horizontal_funding
def test_horizontal_funding_makes_a_gap_fill_horizontal():
    # capacity 100, 300, 300 with populations 2000, 1000, 1000: average 200
    state = run_steps(GapFill(), HorizontalFunding(), capacity=[100.0, 300.0, 300.0],
                      population=[2000.0, 1000.0, 1000.0])
    np.testing.assert_allclose(state.transfers[-1][1], [0.0, -100_000, -100_000])
    assert state.centre_paid_by_steps == pytest.approx(0.0)
    assert state.total_transfers.sum() == pytest.approx(0.0)


def test_horizontal_funding_ratio_to_centre_is_switzerland_forty_sixty():
    state = run_steps(GapFill(), HorizontalFunding(ratio_to_centre=2 / 3))
    # cost 175 000; strong C pays 40% = 70 000, the centre keeps 105 000
    np.testing.assert_allclose(state.transfers[-1][1], [0.0, 0.0, -70_000])
    assert state.centre_paid_by_steps == pytest.approx(105_000)
    same = run_steps(GapFill(), HorizontalFunding(share=0.4))
    np.testing.assert_allclose(same.transfers[-1][1], state.transfers[-1][1])
    with pytest.raises(ValidationError, match="not both"):
        HorizontalFunding(share=0.4, ratio_to_centre=2 / 3)


def test_horizontal_funding_never_pushes_a_payer_below_the_standard():
    # the centre-paid step costs more than the excess of the strong region
    state = run_steps(GapFill(standard={"kind": "per_head", "amount": 300.0}), HorizontalFunding())
    # cost 200 000 + 200 000; C's excess over 225 is 175 000: it pays that, no more
    np.testing.assert_allclose(state.transfers[-1][1], [0.0, 0.0, -175_000])


def test_funding_steps_need_an_earlier_transfer():
    with pytest.raises(ConfigurationError, match="needs an earlier step"):
        run_steps(HorizontalFunding())
    with pytest.raises(ConfigurationError, match="scope names no earlier step 'Nope'"):
        run_steps(GapFill(), FixedPool(amount=1.0, scope=["Nope"]))


# ---------------------------------------------------------------- fixed_pool
def test_fixed_pool_proportional():
    state = run_steps(GapFill(), FixedPool(amount=350_000, method="proportional"))
    np.testing.assert_allclose(state.transfers[-1][1], [125_000, 50_000, 0])


def test_fixed_pool_equal_per_head_reduction_is_capped_at_receipts():
    # per head 125, 25, 0: 1000 min(125, D) + 2000 min(25, D) = 100 000 -> D = 50
    state = run_steps(GapFill(), FixedPool(amount=75_000))
    np.testing.assert_allclose(state.transfers[-1][1], [-50_000, -50_000, 0])


def test_fixed_pool_equal_per_head_increase_canada():
    # receivers A, B at 225 after the gap-fill: C = 225; non-receiver C at 400
    state = run_steps(GapFill(), FixedPool(amount=275_000))  # 3000 D = 100 000
    np.testing.assert_allclose(state.transfers[-1][1], [100_000 / 3, 200_000 / 3, 0])
    state = run_steps(GapFill(), FixedPool(amount=800_000))  # 4000 D - 175 000 = 625 000
    np.testing.assert_allclose(state.transfers[-1][1], [200_000, 400_000, 25_000])
    assert state.transfers[0][1].sum() + state.transfers[1][1].sum() == pytest.approx(800_000)


def test_fixed_pool_scope_last_and_per_head_amount():
    state = run_steps(Symmetric(rate=0.5), GapFill(), FixedPool(amount_per_head=50.0,
                                                                scope="last"))
    assert state.transfers[1][1].sum() + state.transfers[2][1].sum() == pytest.approx(200_000)


def test_steps_build_from_yaml_mappings():
    step = step_from_dict({"type": "minimum_guarantee", "floor_index": 60})
    assert isinstance(step, MinimumGuarantee) and step.floor_index == 60
    step = step_from_dict({"type": "gap_fill", "standard": "national_average",
                           "measure": "resources"})
    assert step.standard == Standard() and step.measure == "resources"
    with pytest.raises(ValidationError):
        step_from_dict({"type": "gap_fill", "measure": "income"})
