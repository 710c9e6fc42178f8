"""Gap-fill whose standard is measured after its own transfers (a guarantee that holds once paid)."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

import simulator
from simulator.steps import GapFill
from simulator.steps._numerics import solve_standard_after_gap_fill


def _inputs(capacity, population):
    capacity = np.asarray(capacity, float)
    population = np.asarray(population, float)
    codes = tuple(f"R{i}" for i in range(capacity.shape[-1]))
    return simulator.EngineInputs(codes=codes, taxes=("tax",), population=population,
                                  revenue=capacity[..., None, :])


def test_hand_computed_guarantee_of_90_percent():
    # per head 10, 50, 100 with one person each: sum 160.
    # S = 0.9 (160 + (S - 10)) / 3  ->  3S = 144 + 0.9S - 9  ->  S = 135/2.1 = 64.2857...
    # then region 2 (50) also receives: S = 0.9 (160 + (S-10) + (S-50)) / 3
    #   -> 3S = 90 + 1.8S  ->  S = 75; check: regions 10 and 50 are below 75: consistent.
    inputs = _inputs([[10.0, 50.0, 100.0]], [[1.0, 1.0, 1.0]])
    system = simulator.System(devolution={"tax": 1.0}, block_grant_adjustment="none", steps=[
        GapFill(rate=1.0, standard={"kind": "national_average", "fraction": 0.9},
                standard_after_transfer=True)])
    state = simulator.simulate(inputs, system)
    np.testing.assert_allclose(state.transfers[0][1], [[65.0, 25.0, 0.0]])
    after = state.equalised_capacity
    np.testing.assert_allclose(after.min() / after.mean(), 0.9)


def test_invalid_combinations_are_refused():
    with pytest.raises(ValueError, match="fraction x rate < 1"):
        GapFill(rate=1.0, standard_after_transfer=True)
    with pytest.raises(ValueError, match="national_average or regions_average"):
        GapFill(rate=0.5, standard={"kind": "per_head", "amount": 3.0}, standard_after_transfer=True)


@settings(max_examples=60, deadline=None)
@given(
    per_head=arrays(float, st.tuples(st.integers(1, 3), st.integers(2, 40)),
                    elements=st.floats(0.0, 1e4)),
    fraction=st.floats(0.5, 0.99),
    rate=st.floats(0.1, 1.0),
)
def test_the_standard_is_a_fixed_point_and_rate_one_lifts_to_it(per_head, fraction, rate):
    population = np.linspace(1.0, 3.0, per_head.shape[-1]) * np.ones_like(per_head)
    total = (per_head * population).sum(-1, keepdims=True)
    standard = solve_standard_after_gap_fill(per_head, population, total, fraction, rate)
    transfer = rate * np.maximum(0.0, standard - per_head) * population
    recomputed = fraction * (total + transfer.sum(-1, keepdims=True)) / population.sum(-1, keepdims=True)
    np.testing.assert_allclose(standard, recomputed, rtol=1e-9, atol=1e-6)
    if rate == 1.0:
        after = (per_head * population + transfer) / population
        assert (after >= standard - 1e-6 * (1 + abs(standard))).all()


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_regions=st.integers(2, 30), n_years=st.integers(1, 3),
       rates=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=4),
       fractions=st.lists(st.floats(0.5, 0.99), min_size=1, max_size=4),
       averaged=st.booleans())
def test_rate_and_fraction_with_a_leading_axis_equal_each_value_alone(
        seed, n_regions, n_years, rates, fractions, averaged):
    """A sweep hands the step ``rate`` (K, 1, 1) and ``fraction`` (1, K', 1, 1) on data
    ``(years, regions)``: each point equals the step run with those values alone."""
    rng = np.random.default_rng(seed)
    inputs = _inputs(rng.lognormal(7.0, 0.5, (n_years, n_regions)) * 1e5,
                     rng.lognormal(12.0, 1.0, (n_years, n_regions)))
    kind = {"kind": "regions_average", "regions": inputs.codes[: max(1, n_regions // 2)]} \
        if averaged else {"kind": "national_average"}
    rate = np.array(rates)[:, None, None, None]
    fraction = np.array(fractions)[:, None, None]
    step = GapFill(rate=0.5, standard={**kind, "fraction": 0.9}, standard_after_transfer=True)
    swept = step.model_copy(update={"rate": rate, "standard": step.standard.model_copy(
        update={"fraction": fraction})})
    system = simulator.System(devolution={"tax": 1.0}, block_grant_adjustment="none")
    together = simulator.simulate(inputs, system.model_copy(update={"steps": [swept]}))
    assert together.shape == (len(rates), len(fractions), n_years, n_regions)
    for i, r in enumerate(rates):
        for j, f in enumerate(fractions):
            alone_step = step.model_copy(update={"rate": r, "standard": step.standard.model_copy(
                update={"fraction": f})})
            alone = simulator.simulate(inputs, system.model_copy(update={"steps": [alone_step]}))
            np.testing.assert_array_equal(together.transfers[0][1][i, j], alone.transfers[0][1])
            np.testing.assert_array_equal(together.resources[i, j], alone.resources)
