"""Invariants of the engine on random federations (2 to 400 regions, random
leading axes) and random systems of steps."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import BaseModel
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine_testkit import (build_system, federations, groups_of, money_scale, per_head_outcome,
                            permute_inputs, random_inputs, scale_inputs, slice_inputs,
                            split_inputs, standard_specs, system_specs)
from simulator import System, metrics, simulate
from simulator.steps import _numerics as numerics
from simulator.steps import (ChangeLimits, GapFill, HorizontalFunding, MinimumGuarantee,
                             NeedsPool, Symmetric, WeightPopulation)

SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
measures = st.sampled_from(["capacity", "resources"])


def devolve(*steps, adjustment="per_capita"):
    return System(devolution={"income": 1.0, "vat": 0.5}, block_grant="grant",
                  need_index="need", block_grant_adjustment=adjustment, steps=list(steps))


def close(actual, expected, scale, rel=1e-9):
    np.testing.assert_allclose(actual, expected, rtol=rel, atol=rel * scale)


def weakly_same_order(before, after, scale):
    """``after`` never reverses the order of ``before`` (ties may form)."""
    order = np.argsort(before, axis=-1, kind="stable")
    sorted_after = np.take_along_axis(np.broadcast_to(after, before.shape), order, axis=-1)
    assert (np.diff(sorted_after, axis=-1) >= -1e-9 * scale).all()


# ---------------------------------------------------------------- accounting
@SETTINGS
@given(federations(), system_specs())
def test_resources_are_own_revenue_plus_block_grant_plus_transfers(federation, spec):
    inputs = random_inputs(*federation)
    state = simulate(inputs, build_system(spec, groups_of(inputs.codes)))
    parts = state.block_grant + state.own_revenue + sum(a for _, a in state.transfers)
    scale = float(np.abs(state.resources).max())
    close(state.resources, parts, scale)
    # the centre's accounting: every step's net payment is the sum of its transfer,
    # except the horizontal symmetric step, which the centre does not pay
    for (label, amount), (_, paid) in zip(state.transfers, state.paid_by_centre):
        expected = 0.0 if label.startswith("Symmetric") else amount.sum(axis=-1)
        close(paid, expected, scale * len(inputs.codes))


@SETTINGS
@given(federations(), st.floats(0, 1), measures, st.booleans())
def test_symmetric_step_sums_to_zero(federation, rate, measure, weighted):
    inputs = random_inputs(*federation)
    steps = [WeightPopulation(weights={inputs.codes[0]: 1.35})] if weighted else []
    state = simulate(inputs, devolve(*steps, Symmetric(rate=rate, measure=measure)))
    total = np.abs(state.transfers[-1][1]).sum(axis=-1)
    assert (np.abs(state.transfers[-1][1].sum(axis=-1)) <= 1e-12 * total + 1e-6).all()
    assert (state.paid_by_centre[-1][1] == 0).all()


@SETTINGS
@given(federations(), st.floats(0, 1), measures)
def test_gap_fill_with_full_horizontal_funding_sums_to_zero(federation, rate, measure):
    inputs = random_inputs(*federation)
    state = simulate(inputs, devolve(GapFill(rate=rate, measure=measure),
                                     HorizontalFunding(measure=measure)))
    scale = np.abs(state.transfers[0][1]).sum(axis=-1) + 1.0
    assert (np.abs(state.total_transfers.sum(axis=-1)) <= 1e-9 * scale).all()
    assert (np.abs(state.centre_paid_by_steps) <= 1e-9 * scale).all()


@SETTINGS
@given(federations(), st.floats(-0.05, 0.0), st.sampled_from(["scale", "cap"]),
       st.sampled_from([None, 0.01, 0.1]))
def test_self_financing_change_limits_sum_to_zero_when_fundable(federation, floor, financing,
                                                               cap):
    inputs = random_inputs(*federation)
    # resources after a symmetric step on capacity; baseline resources = today's grant
    state = simulate(inputs, devolve(Symmetric(), adjustment="own_revenue"))
    system = devolve(Symmetric(), ChangeLimits(floor_change=floor, cap_change=cap,
                                               self_financing=True, financing=financing),
                     adjustment="own_revenue")
    limited = simulate(inputs, system)
    baseline = state.baseline_resources
    before, after = state.resources, limited.resources
    scale = float(np.abs(before).max())
    fundable = before.sum(axis=-1) >= (1 + floor) * baseline.sum(axis=-1)
    floor_cost = np.maximum(0.0, (1 + floor) * baseline - before).sum(axis=-1)
    cap_saving = (0.0 if cap is None else
                  np.maximum(0.0, np.maximum(before, (1 + floor) * baseline)
                             - (1 + cap) * baseline).sum(axis=-1))
    step_total = limited.transfers[-1][1].sum(axis=-1)
    expected = np.where(fundable, -np.maximum(0.0, cap_saving - floor_cost), step_total)
    close(step_total, expected, scale * len(inputs.codes), rel=1e-8)
    # nobody ends below the floor; with a cap, nobody above it
    assert (after >= (1 + floor) * baseline - 1e-9 * scale).all()
    if cap is not None:
        assert (after <= (1 + cap) * baseline + 1e-9 * scale).all()


@SETTINGS
@given(federations(), st.floats(1.0, 3000.0), st.sampled_from([None, 0.75]))
def test_needs_pool_shares_exactly_the_pool(federation, per_head, floor):
    inputs = random_inputs(*federation)
    state = simulate(inputs, devolve(NeedsPool(pool_per_head=per_head, relativity_floor=floor)))
    pool = per_head * state.population.sum(axis=-1)
    close(state.transfers[-1][1].sum(axis=-1), pool, float(pool.max()))
    assert (state.transfers[-1][1] >= 0).all()


# ---------------------------------------------------------------- zero rates, gap fill
@SETTINGS
@given(federations(), standard_specs(), measures)
def test_rate_zero_leaves_every_region_unchanged(federation, standard, measure):
    inputs = random_inputs(*federation)
    if standard["kind"] == "regions_average":
        standard["regions"] = [inputs.codes[0]]
    system = devolve(GapFill(rate=0.0, standard=standard, measure=measure),
                     Symmetric(rate=0.0, measure=measure), HorizontalFunding(share=0.0))
    state = simulate(inputs, system)
    unchanged = simulate(inputs, devolve())
    for _, amount in state.transfers:
        assert (amount == 0).all()
    np.testing.assert_array_equal(state.resources, unchanged.resources)


@SETTINGS
@given(federations(), standard_specs(), measures)
def test_full_gap_fill_lifts_every_region_below_the_standard_exactly_to_it(federation,
                                                                           standard, measure):
    inputs = random_inputs(*federation)
    if standard["kind"] == "regions_average":
        standard["regions"] = [inputs.codes[-1]]
    step = GapFill(rate=1.0, standard=standard, measure=measure)
    before = simulate(inputs, devolve())
    after = simulate(inputs, devolve(step))
    population = before.equalisation_population
    level = step.standard.per_head(before, before.measure(measure))
    old, new = before.measure(measure) / population, after.measure(measure) / population
    scale = money_scale(before)
    close(new, np.maximum(old, level), scale)


# ---------------------------------------------------------------- rankings, inequality
@st.composite
def ranking_steps(draw):
    kind = draw(st.sampled_from(["gap_fill", "symmetric", "minimum_guarantee", "funded"]))
    rate, measure = draw(st.floats(0, 1)), draw(measures)
    if kind == "gap_fill":
        standard = draw(standard_specs().filter(lambda s: s["kind"] != "regions_average"))
        return [GapFill(rate=rate, standard=standard, measure=measure)]
    if kind == "symmetric":
        return [Symmetric(rate=rate, measure=measure)]
    if kind == "funded":
        return [GapFill(rate=rate, measure=measure),
                HorizontalFunding(share=draw(st.floats(0, 1)), measure=measure)]
    floor = draw(st.floats(0.0, 90.0))
    target = draw(st.floats(floor + 0.5, 100.0))
    lowest = (target - floor) / (100.0 - floor)
    return [MinimumGuarantee(floor_index=floor, target_index=target, measure=measure,
                             marginal_rate_at_floor=lowest + draw(st.floats(0, 1)) * (1 - lowest))]


@SETTINGS
@given(federations(), ranking_steps())
def test_rates_in_unit_interval_never_reverse_the_per_head_ranking(federation, steps):
    inputs = random_inputs(*federation)
    before = simulate(inputs, devolve())
    after = simulate(inputs, devolve(*steps))
    measure = steps[0].measure
    population = before.equalisation_population
    weakly_same_order(before.measure(measure) / population, after.measure(measure) / population,
                      money_scale(before))


@SETTINGS
@given(federations(), st.floats(0, 1), measures, st.booleans())
def test_symmetric_step_never_raises_the_gini(federation, rate, measure, weighted):
    inputs = random_inputs(*federation)
    steps = [WeightPopulation(weights={inputs.codes[-1]: 1.35})] if weighted else []
    before = simulate(inputs, devolve(*steps))
    after = simulate(inputs, devolve(*steps, Symmetric(rate=rate, measure=measure)))
    population = before.equalisation_population
    gini_before = metrics.gini(before.measure(measure) / population, population)
    gini_after = metrics.gini(after.measure(measure) / population, population)
    assert (gini_after <= gini_before + 1e-12).all()
    np.testing.assert_allclose(gini_after, (1 - rate) * gini_before, atol=1e-9)


# ---------------------------------------------------------------- symmetries of random systems
@SETTINGS
@given(federations(), system_specs(), st.randoms(use_true_random=False))
def test_permuting_regions_permutes_results(federation, spec, random):
    inputs = random_inputs(*federation)
    order = np.array(random.sample(range(len(inputs.codes)), len(inputs.codes)))
    system = build_system(spec, groups_of(inputs.codes))
    state = simulate(inputs, system)
    permuted = simulate(permute_inputs(inputs, order), system)
    assert permuted.codes == tuple(np.array(state.codes)[order])
    close(per_head_outcome(permuted), per_head_outcome(state)[..., order], money_scale(state),
          rel=1e-8)


@SETTINGS
@given(federations(), system_specs(), st.sampled_from([0.001, 0.5, 3.0, 1000.0]))
def test_scaling_all_money_scales_every_transfer(federation, spec, factor):
    inputs = random_inputs(*federation)
    groups = groups_of(inputs.codes)
    state = simulate(inputs, build_system(spec, groups))
    scaled = simulate(scale_inputs(inputs, factor), build_system(spec, groups, money=factor))
    close(per_head_outcome(scaled), factor * per_head_outcome(state), factor * money_scale(state),
          rel=1e-8)


@SETTINGS
@given(federations(max_regions=200), system_specs(), st.floats(0, 1))
def test_splitting_a_region_into_identical_halves_keeps_per_head_results(federation, spec,
                                                                         where):
    inputs = random_inputs(*federation)
    region = min(int(where * len(inputs.codes)), len(inputs.codes) - 1)
    groups = groups_of(inputs.codes)
    state = simulate(inputs, build_system(spec, groups))
    split_groups = [list(g) for g in groups]
    split_groups[region] = [inputs.codes[region] + "a", inputs.codes[region] + "b"]
    split = simulate(split_inputs(inputs, region), build_system(spec, split_groups))
    expected = per_head_outcome(state)
    expected = np.insert(expected, region, expected[..., region], axis=-1)
    close(per_head_outcome(split), expected, money_scale(state), rel=1e-8)


@SETTINGS
@given(federations(max_leading=0), st.integers(2, 3), system_specs())
def test_a_leading_axis_equals_running_each_slice_alone(federation, n_slices, spec):
    seed, n_regions, _ = federation
    inputs = random_inputs(seed, n_regions, (n_slices,))
    system = build_system(spec, groups_of(inputs.codes))
    together = simulate(inputs, system)
    for index in range(n_slices):
        alone = simulate(slice_inputs(inputs, index), system)
        assert [label for label, _ in alone.transfers] == [label for label, _ in together.transfers]
        close(per_head_outcome(together)[:, index], per_head_outcome(alone), money_scale(alone))


@SETTINGS
@given(federations(max_regions=40), system_specs(), st.integers(1, 200))
def test_block_by_block_equals_whole_arrays_bit_for_bit(federation, spec, block):
    """Chains of operations run block by block along the first axis (so a block
    stays in the CPU's cache) give exactly the numbers of whole arrays."""
    inputs = random_inputs(*federation)
    system = build_system(spec, groups_of(inputs.codes))
    whole = simulate(inputs, system)
    default = numerics.BLOCK_ELEMENTS
    numerics.BLOCK_ELEMENTS = block
    try:
        blocks = simulate(inputs, system)
    finally:
        numerics.BLOCK_ELEMENTS = default
    names = ("fiscal_capacity", "own_revenue", "block_grant", "revenue_forgone_by_centre",
             "need_index", "resources", "cost_to_centre")
    for name in names:
        np.testing.assert_array_equal(getattr(blocks, name), getattr(whole, name), err_msg=name)
    for (label, a), (_, b) in zip(blocks.transfers + blocks.paid_by_centre,
                                  whole.transfers + whole.paid_by_centre, strict=True):
        np.testing.assert_array_equal(a, b, err_msg=label)
    for tax in whole.capacity_by_tax:
        np.testing.assert_array_equal(blocks.capacity_by_tax[tax], whole.capacity_by_tax[tax])


def _float_parameters(model, prefix=()):
    """(path, value) of every float parameter of a step, nested models included."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _float_parameters(value, prefix + (name,))
        elif isinstance(value, float):
            yield prefix + (name,), value


def _with_parameter(model, path, value):
    """``model`` with the nested field ``path`` set to ``value`` (no validation: a sweep)."""
    if len(path) > 1:
        value = _with_parameter(getattr(model, path[0]), path[1:], value)
    return model.model_copy(update={path[0]: value})


def _valid(step, path, value) -> bool:
    try:
        type(step).model_validate(_with_parameter(step, path, value).model_dump())
    except ValueError:
        return False
    return True


@SETTINGS
@given(federations(max_regions=60, max_leading=1), system_specs(), st.data())
def test_a_parameter_with_a_leading_axis_equals_running_each_value_alone(federation, spec, data):
    """A sweep's parameter ``(K, 1, ..., 1)`` on data without that axis: the state
    grows the axis from the parameter's step on, and each slice equals the system
    run with that value alone."""
    inputs = random_inputs(*federation)
    system = build_system(spec, groups_of(inputs.codes))
    choices = [(i, path, value) for i, step in enumerate(system.steps)
               for path, value in _float_parameters(step)]
    assume(choices)
    index, path, value = data.draw(st.sampled_from(choices))
    step = system.steps[index]
    factors = data.draw(st.lists(st.sampled_from([1.0, 0.9, 0.6, 0.3, 1.1]), min_size=1,
                                 max_size=3))
    values = [value] + [value * f for f in factors if _valid(step, path, value * f)]
    column = np.array(values).reshape((-1,) + (1,) * np.ndim(inputs.population))
    steps = list(system.steps)
    steps[index] = _with_parameter(step, path, column)
    together = simulate(inputs, system.model_copy(update={"steps": steps}))
    for k, v in enumerate(values):
        steps[index] = _with_parameter(step, path, v)
        alone = simulate(inputs, system.model_copy(update={"steps": steps}))
        full = (len(values),) + alone.shape
        assert np.broadcast_shapes(together.shape, full) == full
        assert [label for label, _ in alone.transfers] == [label for label, _ in together.transfers]
        parts = [amount for _, amount in together.transfers] + [together.resources]
        outcome = np.stack([np.broadcast_to(p, full)[k] for p in parts]) / alone.population
        close(outcome, per_head_outcome(alone), money_scale(alone))


@SETTINGS
@given(st.floats(0.0, 90.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0),
       st.lists(st.floats(0.0, 300.0), min_size=2, max_size=50))
def test_minimum_guarantee_top_up_never_reverses_a_ranking(floor, where, steepness, indices):
    """Proof by property: index + s(index) is non-decreasing for every valid
    (floor, target, marginal rate), so equalisation keeps every ranking."""
    target = floor + 0.5 + where * (99.5 - floor)
    lowest = (target - floor) / (100.0 - floor)
    step = MinimumGuarantee(floor_index=floor, target_index=target,
                            marginal_rate_at_floor=lowest + steepness * (1 - lowest))
    index = np.sort(np.array(indices))
    after = index + step.top_up_points(index)
    assert (np.diff(after) >= -1e-9).all()
    assert (after[index < floor] == pytest.approx(target))
    assert (after >= index).all()
