"""Invariants of the need-based steps: expenditure_need, fiscal_equalisation, needs_floor."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from engine_testkit import random_inputs  # noqa: E402

from simulator import EngineInputs, System, simulate  # noqa: E402
from simulator.errors import ConfigurationError  # noqa: E402
from simulator.needs import assess_itl1  # noqa: E402
from simulator.steps import (ExpenditureNeed, FiscalEqualisation, NeedsFloor,  # noqa: E402
                             NeedsPool, step_from_dict)

cases = st.tuples(st.integers(0, 10_000), st.integers(2, 12), st.sampled_from([(), (3,)]))


def need_of(inputs, seed):
    rng = np.random.default_rng(seed + 1)
    return {code: float(v) for code, v in zip(inputs.codes, rng.uniform(0.6, 1.6, len(inputs.codes)))}


def devolve(*steps, grant=False):
    return System(devolution={"income": 1.0}, block_grant="grant" if grant else None,
                  block_grant_adjustment="none", steps=list(steps))


def need_array(inputs, need):
    n = np.array([need[c] for c in inputs.codes])
    P = np.asarray(inputs.population)
    return n * P.sum(-1, keepdims=True) / (n * P).sum(-1, keepdims=True)


@settings(max_examples=60, deadline=None)
@given(cases, st.one_of(st.just(0.0), st.floats(1e-2, 5e3)))
def test_expenditure_need_shares_the_pool_in_proportion_to_need(case, per_head):
    seed, n, leading = case
    inputs = random_inputs(seed, n, leading)
    need = need_of(inputs, seed)
    state = simulate(inputs, devolve(ExpenditureNeed(pool_per_head=per_head, need_index=need)))
    transfer = state.transfers[0][1]
    P = np.asarray(inputs.population)
    np.testing.assert_allclose(transfer.sum(-1), per_head * P.sum(-1), rtol=1e-9)
    # equal amount per unit of need: transfer / (need x P) is the same everywhere
    per_need = transfer / (need_array(inputs, need) * P)
    np.testing.assert_allclose(per_need, np.broadcast_to(per_need[..., :1], per_need.shape), rtol=1e-9, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(cases, st.floats(1e2, 1e4))
def test_fiscal_equalisation_funds_every_region_exactly_at_need(case, per_head):
    seed, n, leading = case
    inputs = random_inputs(seed, n, leading)
    need = need_of(inputs, seed)
    state = simulate(inputs, devolve(FiscalEqualisation(pool_per_head=per_head, need_index=need)))
    P = np.asarray(inputs.population)
    np.testing.assert_allclose(state.transfers[0][1].sum(-1), per_head * P.sum(-1), rtol=1e-9)
    after = (state.equalised_capacity / P) / need_array(inputs, need)
    np.testing.assert_allclose(after, np.broadcast_to(after[..., :1], after.shape), rtol=1e-9)  # per head proportional to need


@settings(max_examples=60, deadline=None)
@given(cases, st.floats(1e2, 1e4), st.floats(0.0, 1.0))
def test_fiscal_equalisation_floor_keeps_the_pool_and_lifts_relativities(case, per_head, floor):
    seed, n, leading = case
    inputs = random_inputs(seed, n, leading)
    need = need_of(inputs, seed)
    step = FiscalEqualisation(pool_per_head=per_head, need_index=need, relativity_floor=floor)
    transfer = simulate(inputs, devolve(step)).transfers[0][1]
    P = np.asarray(inputs.population)
    np.testing.assert_allclose(transfer.sum(-1), per_head * P.sum(-1), rtol=1e-9)
    assert (transfer >= -1e-6).all()


@settings(max_examples=40, deadline=None)
@given(cases, st.floats(1e3, 1e4))
def test_fiscal_equalisation_with_a_remainder_shares_it_equally_per_head(case, per_head):
    seed, n, leading = case
    inputs = random_inputs(seed, n, leading)
    need = need_of(inputs, seed)
    base = FiscalEqualisation(pool_per_head=per_head, need_index=need, spending_per_head=3000.0)
    more = base.model_copy(update={"pool_per_head": per_head + 100.0})
    a = simulate(inputs, devolve(base)).transfers[0][1]
    b = simulate(inputs, devolve(more)).transfers[0][1]
    np.testing.assert_allclose((b - a) / np.asarray(inputs.population), 100.0, rtol=1e-7)


@settings(max_examples=40, deadline=None)
@given(cases, st.floats(1e3, 1e4), st.randoms(use_true_random=False))
def test_permuting_regions_permutes_the_transfers(case, per_head, rng):
    seed, n, leading = case
    inputs = random_inputs(seed, n, leading)
    need = need_of(inputs, seed)
    order = np.arange(n)
    rng.shuffle(order)
    permuted = EngineInputs(codes=tuple(np.array(inputs.codes)[order]), taxes=inputs.taxes,
                            population=inputs.population[..., order],
                            revenue=inputs.revenue[..., order],
                            tax_base={k: v[..., order] for k, v in inputs.tax_base.items()},
                            indicators={k: v[..., order] for k, v in inputs.indicators.items()})
    for step in (FiscalEqualisation(pool_per_head=per_head, need_index=need, relativity_floor=0.75),
                 ExpenditureNeed(pool_per_head=per_head, need_index=need),
                 NeedsFloor(region=inputs.codes[0], factor=1.1)):
        a = simulate(inputs, devolve(step, grant=True)).transfers[0][1]
        b = simulate(permuted, devolve(step, grant=True)).transfers[0][1]
        np.testing.assert_allclose(b, a[..., order], rtol=1e-9, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(cases, st.floats(0.5, 2.0))
def test_needs_floor_holds_once_paid_and_touches_no_one_else(case, factor):
    seed, n, leading = case
    inputs = random_inputs(seed, n, leading)
    target = inputs.codes[-1]
    step = NeedsFloor(region=target, factor=factor)
    before = simulate(inputs, devolve(grant=True))
    after = simulate(inputs, devolve(step, grant=True))
    P = np.asarray(inputs.population)
    x_before, x_after = before.resources / P, after.resources / P
    reference = (after.resources[..., :-1].sum(-1)) / P[..., :-1].sum(-1)
    assert (x_after[..., -1] >= factor * reference * (1 - 1e-12)).all()
    np.testing.assert_array_equal(x_after[..., :-1], x_before[..., :-1])
    transfer = after.transfers[0][1][..., -1]
    assert (transfer >= 0).all()
    already = x_before[..., -1] >= factor * reference
    np.testing.assert_array_equal(transfer[already], 0.0)


def test_model_need_is_the_default_on_the_nations_and_regions():
    """With no need index given the steps use the needs model for ITL1 codes, and
    refuse regions no model covers (naming the parameter)."""
    a = assess_itl1()
    rng = np.random.default_rng(0)
    population = rng.uniform(1e6, 9e6, 12)
    inputs = EngineInputs(codes=a.codes, taxes=("income",), population=population,
                          revenue=(population * rng.uniform(2e3, 8e3, 12))[None, :], tax_base={},
                          indicators={})
    explicit = dict(zip(a.codes, a.need_index))
    for make in (lambda **k: ExpenditureNeed(amount=1e9, **k),
                 lambda **k: FiscalEqualisation(amount=1e11, **k)):
        default = simulate(inputs, devolve(make())).transfers[0][1]
        given_ = simulate(inputs, devolve(make(need_index=explicit))).transfers[0][1]
        np.testing.assert_allclose(default, given_, rtol=1e-12)
    pool = simulate(inputs, devolve(NeedsPool(amount=1e11, need_source="expenditure_model"))).transfers[0][1]
    full = simulate(inputs, devolve(FiscalEqualisation(amount=1e11))).transfers[0][1]
    if (full >= 0).all():  # no clip at 0: Australia's pool and full equalisation agree
        np.testing.assert_allclose(pool, full, rtol=1e-9)
    with pytest.raises(ConfigurationError, match="2031-32"):
        simulate(inputs, devolve(ExpenditureNeed(amount=1e9, year="2031-32")))
    other = random_inputs(0, 4)
    with pytest.raises(ConfigurationError, match="need_index"):
        simulate(other, devolve(ExpenditureNeed(amount=1e9)))


def test_steps_validate_at_the_boundary():
    with pytest.raises(ValueError, match="exactly one"):
        step_from_dict({"type": "fiscal_equalisation"})
    with pytest.raises(ValueError):
        step_from_dict({"type": "needs_floor", "region": "TLL", "factor": -1})
    with pytest.raises(ValueError, match="own reference"):
        step_from_dict({"type": "needs_floor", "region": "TLL", "reference_regions": ["TLL"]})
    with pytest.raises(ValueError):
        step_from_dict({"type": "expenditure_need", "amount": 1, "year": "2024"})


def test_weights_in_the_step_change_the_model_need():
    """A category's weights given in the step replace that category's defaults only."""
    from simulator.needs import DEFAULT_WEIGHTS

    a = assess_itl1()
    population = np.linspace(1e6, 9e6, 12)
    inputs = EngineInputs(codes=a.codes, taxes=("income",), population=population,
                          revenue=(population * 5e3)[None, :], tax_base={}, indicators={})
    changed = {"health": {"very_old": 0.5}}
    step = ExpenditureNeed(amount=1e9, weights=changed)
    expected = assess_itl1(weights={**DEFAULT_WEIGHTS, **changed}).need_index
    given = simulate(inputs, devolve(ExpenditureNeed(amount=1e9, need_index=dict(zip(a.codes, expected)))))
    np.testing.assert_allclose(simulate(inputs, devolve(step)).transfers[0][1],
                               given.transfers[0][1], rtol=1e-12)
    with pytest.raises(ConfigurationError, match="weights"):
        simulate(inputs, devolve(ExpenditureNeed(amount=1e9, weights={"health": {"age": 0.1}})))
    with pytest.raises(ValueError):
        ExpenditureNeed(amount=1e9, weights={"health": {"older": 1.5}})


def test_needs_floor_takes_its_factor_from_the_model():
    """Without a factor the floor is the region's modelled need relative to the reference."""
    a = assess_itl1()
    rng = np.random.default_rng(3)
    population = rng.uniform(1e6, 9e6, 12)
    grant = population * rng.uniform(8e3, 16e3, 12)
    inputs = EngineInputs(codes=a.codes, taxes=("income",), population=population,
                          revenue=(population * 5e3)[None, :], tax_base={},
                          indicators={"grant": grant})
    england = [c for c in a.codes if c < "TLL"]
    step = NeedsFloor(region="TLN", reference_regions=england)
    need = a.need_index * population.sum() / (a.need_index * population).sum()
    mask = np.isin(a.codes, england)
    factor = need[-1] / ((need * population * mask).sum() / (population * mask).sum())
    given = NeedsFloor(region="TLN", reference_regions=england, factor=float(factor))
    model = simulate(inputs, devolve(step, grant=True)).transfers[0][1]
    np.testing.assert_allclose(model, simulate(inputs, devolve(given, grant=True)).transfers[0][1],
                               rtol=1e-9)
    assert model[..., -1].max() > 0  # the floor binds here, so the test can tell factors apart
