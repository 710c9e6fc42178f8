"""Indexed block grant adjustments through the engine; phase-in; behavioural response."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import simulator
from simulator import EngineInputs, System, TaxDevolution
from simulator.errors import ConfigurationError
from simulator.over_time import block_grant_adjustment, project_federation
from simulator.over_time.settlement import (
    BGAIndexation, run_over_time, simulate_over_time, with_behavioural_response,
)
from simulator.steps import GapFill


def test_indexed_deduction_reaches_the_engine(federation):
    system = System(devolution={"income_tax": 1.0}, block_grant="grant")
    result = run_over_time(federation, system, bga=BGAIndexation(method="indexed_per_capita"))
    expected = block_grant_adjustment("indexed_per_capita", federation.tax_revenue("income_tax"),
                                      federation.population)
    grant = federation.indicators["grant"]
    np.testing.assert_allclose(result.state.block_grant, grant - expected)
    np.testing.assert_allclose(result.state.baseline_resources, grant)
    np.testing.assert_allclose(result.state.resources[0], result.baseline.resources[0])
    gain = result.state.resources - result.baseline.resources
    np.testing.assert_allclose(gain, federation.tax_revenue("income_tax") - expected, atol=1e-3)
    assert "_grant_after_indexed_bga" not in result.state.indicators


def test_no_indexation_is_the_plain_engine(federation):
    system = System(devolution={"vat": 0.5}, block_grant="grant", steps=[GapFill()])
    plain = simulator.run(federation, system)
    ours = run_over_time(federation, system)
    np.testing.assert_allclose(ours.state.resources, plain.state.resources)


def test_bga_on_several_taxes_with_base_year_and_comparator(federation):
    devolution = {"income_tax": 1.0, "vat": 0.5}
    bga = BGAIndexation(method="comparable_model", base_year=federation.years[3],
                        comparator=("W", "L", "N"))
    state = simulate_over_time(EngineInputs.from_federation(federation),
                               System(devolution=devolution, block_grant="grant"),
                               federation.years, bga)
    mask = np.array([False, True, True, True])
    expected = sum(block_grant_adjustment("comparable_model", share * federation.tax_revenue(t),
                                          federation.population, base_year=3, comparator=mask)
                   for t, share in devolution.items())
    np.testing.assert_allclose(federation.indicators["grant"] - state.block_grant, expected)
    # up to the base year, no region gains or loses
    np.testing.assert_allclose(state.resources[:4], federation.indicators["grant"][:4])


def test_resets_every_n_years(federation):
    system = System(devolution={"income_tax": 1.0}, block_grant="grant")
    result = run_over_time(federation, system,
                           bga=BGAIndexation(method="indexed_deduction", reset_every=5))
    gain = result.state.resources - result.baseline.resources
    np.testing.assert_allclose(gain[[0, 5, 10]], 0.0, atol=1e-3)
    assert np.abs(gain[[3, 8]]).min() > 0


def test_phase_in_blends_baseline_and_reform(federation):
    system = System(devolution={"income_tax": 1.0}, block_grant="grant", steps=[GapFill()])
    full = run_over_time(federation, system)
    phased = run_over_time(federation, system, transition_years=4,
                           transition_start=federation.years[2])
    weights = np.array([0, 0, 0.25, 0.5, 0.75] + [1.0] * 7)[:, None]
    expected = (1 - weights) * full.baseline.resources + weights * full.state.resources
    np.testing.assert_allclose(phased.state.resources, expected)
    assert phased.state.transfers[-1][0] == "Transition"
    np.testing.assert_allclose(phased.state.paid_by_centre[-1][1],
                               phased.state.transfers[-1][1].sum(-1))


def test_behavioural_response_is_borne_by_the_region(federation):
    """Region S raises its income tax rate 10%: with a base elasticity it keeps less, and the
    indexed deduction (measured at common rates) does not move."""
    devolution = {"income_tax": TaxDevolution(share=1.0, own_rate=True, rate_change={"S": 0.1})}
    system = System(devolution=devolution, block_grant="grant")
    bga = BGAIndexation(method="indexed_per_capita")
    static = run_over_time(federation, system, bga=bga)
    responsive = run_over_time(federation, with_behavioural_response(system, 0.5), bga=bga)
    np.testing.assert_allclose(responsive.state.block_grant, static.state.block_grant)
    revenue = federation.tax_revenue("income_tax")[:, 0]
    np.testing.assert_allclose(static.state.own_revenue[:, 0], revenue * 1.1)
    np.testing.assert_allclose(responsive.state.own_revenue[:, 0], revenue * 1.1 ** 0.5)
    assert with_behavioural_response(system, 0.5).devolution["income_tax"].base_elasticity == 0.5
    with pytest.raises(ConfigurationError):
        with_behavioural_response(system, 9.0)
    with pytest.raises(ConfigurationError, match="vat"):
        with_behavioural_response(system, 0.5, taxes=["vat"])


def test_draws_pass_through_the_indexed_deduction(federation):
    rng = np.random.default_rng(7)
    shocks = np.exp(rng.normal(0, 0.05, (3,) + federation.revenue.shape))
    inputs = EngineInputs(codes=federation.codes, taxes=federation.taxes,
                          population=federation.population, revenue=federation.revenue * shocks,
                          indicators=dict(federation.indicators))
    system = System(devolution={"income_tax": 1.0}, block_grant="grant", steps=[GapFill(rate=0.5)])
    bga = BGAIndexation(method="indexed_per_capita", reset_every=4, reset_share=0.5)
    together = simulate_over_time(inputs, system, federation.years, bga)
    for d in range(3):
        single = EngineInputs(codes=inputs.codes, taxes=inputs.taxes, population=inputs.population,
                              revenue=inputs.revenue[d], indicators=inputs.indicators)
        alone = simulate_over_time(single, system, federation.years, bga)
        np.testing.assert_allclose(together.resources[d], alone.resources)


def test_projection_then_indexed_run(federation):
    projected = project_federation(federation, n_years=15, history=1)
    system = System(devolution={"income_tax": 1.0}, block_grant="grant", steps=[GapFill(rate=0.75)])
    result = run_over_time(projected, system, bga=BGAIndexation(base_year=projected.years[0]))
    table = result.by_region()
    assert len(table) == 16 * federation.n_regions


@pytest.mark.parametrize("bga, match", [
    (BGAIndexation(base_year="1990-91"), "base_year"),
    (BGAIndexation(comparator=("ZZ",)), "unknown region"),
])
def test_bad_indexation(bga, match, federation):
    with pytest.raises(ConfigurationError, match=match):
        run_over_time(federation, System(devolution={"vat": 1.0}, block_grant="grant"), bga=bga)


def test_unknown_grant_indicator(federation):
    with pytest.raises(ConfigurationError, match="not in the dataset"):
        run_over_time(federation, System(devolution={"vat": 1.0}, block_grant="nope"),
                      bga=BGAIndexation())


def test_a_grant_with_gaps_names_the_regions_as_the_engine_does(federation):
    grant = federation.indicators["grant"].copy()
    grant[-1, 0] = np.nan
    gappy = replace(federation, indicators={**federation.indicators, "grant": grant})
    with pytest.raises(ConfigurationError, match=f"not published for every region and year; "
                       f"missing for {federation.codes[0]}"):
        run_over_time(gappy, System(devolution={"vat": 1.0}, block_grant="grant"),
                      bga=BGAIndexation())
