"""Barnett and business rates retention as scenario steps: located errors, and the same
numbers as the over-time functions they wrap."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine import System, run
from simulator.over_time import barnett_path, business_rates_retention
from simulator.over_time.transition import reset_schedule
from simulator.scenario import ScenarioError, load_scenario, run_scenario
from simulator.steps import Barnett, BusinessRatesRetention
from tiny_data import tiny_federation


def only(path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problems = info.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_barnett_bad_factor_is_located(tiny_dataset, write):
    path = write("b.yaml", """
        dataset: tiny
        block_grant: identifiable_expenditure
        steps:
          - type: barnett
            nations:
              C: {comparability: 1, needs_factor: 0}
    """)
    problem = only(path)
    assert (problem.file, problem.line, problem.path) == (str(path), 6,
                                                          "steps[0].nations.C.needs_factor")
    assert "0 is out of range" in problem.message and "factor" in problem.message


def test_barnett_comparability_bool_and_typo_are_located(tiny_dataset, write):
    problem = only(write("b2.yaml", """
        dataset: tiny
        steps:
          - type: barnett
            nations: {C: {comparabilty: 1}}
    """))
    assert problem.path == "steps[0].nations.C.comparabilty"
    assert "did you mean 'comparability'?" in problem.message


def test_barnett_unknown_nation_is_located(tiny_dataset, write):
    problem = only(write("b3.yaml", """
        dataset: tiny
        block_grant: identifiable_expenditure
        steps:
          - type: barnett
            nations: {Z: {comparability: 1}}
    """))
    assert problem.line == 5 and problem.path == "steps[0].nations.Z"
    assert "unknown region code 'Z'" in problem.message


def test_business_rates_out_of_range_and_undevolved_tax(tiny_dataset, write):
    problem = only(write("r.yaml", """
        dataset: tiny
        devolution: {council_tax: 0.5}
        steps:
          - {type: business_rates_retention, tax: council_tax, safety_net: 1.2}
    """))
    assert (problem.line, problem.path) == (4, "steps[0].safety_net")
    assert "1.2 is out of range; allowed: 0 to 1" in problem.message
    problem = only(write("r2.yaml", """
        dataset: tiny
        steps:
          - {type: business_rates_retention, tax: council_tax}
    """))
    assert problem.path == "steps[0]" and "is not devolved" in problem.message


def _grown(years: int, growth: np.ndarray):
    """The tiny federation's last year repeated, each region's revenue, grant and
    population growing at its own rate."""
    from dataclasses import replace

    fed = tiny_federation().select_years(["2024-25"])
    factor = (1.0 + growth) ** np.arange(years)[:, None]                 # (Y, R)
    labels = tuple(str(2024 + t) for t in range(years))
    return replace(fed, years=labels, population=fed.population * (1 + 0.3 * (factor - 1)),
                   revenue=fed.revenue * factor[:, None, :],
                   indicators={k: v * factor for k, v in fed.indicators.items()})


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-0.05, 0.08), min_size=3, max_size=3),
       st.floats(0.3, 1.0), st.floats(1.0, 1.2), st.sampled_from([None, 1.1, 1.3]))
def test_barnett_step_equals_barnett_path(growth, comparability, factor, floor):
    fed = _grown(6, np.array(growth))
    step = Barnett(nations={"C": {"comparability": comparability, "needs_factor": factor,
                                  "floor": floor}})
    result = run(fed, System(block_grant="identifiable_expenditure", steps=[step]))
    grant = fed.indicators["identifiable_expenditure"]
    england = grant[:, :2].sum(-1, keepdims=True)
    expected = barnett_path(grant[0, 2:], england, comparability, fed.population[:, 2:],
                            fed.population[:, :2].sum(-1, keepdims=True), factor,
                            floor).grant
    np.testing.assert_allclose(result.state.resources[:, 2:], expected, rtol=1e-12)
    np.testing.assert_array_equal(result.state.resources[:, :2], grant[:, :2])
    # invariants: the first year fixes the grant; each year's consequential is the change in
    # English spending per English head x comparability x the nation's population x factor,
    # the factor being the floor exactly when last year's relative funding was below it
    transfer = dict(result.state.transfers)["Barnett"]
    assert (transfer[0] == 0).all()
    barnett_grant = result.state.resources[:, 2]
    change = np.diff(barnett_grant)
    marginal = (np.diff(england[:, 0]) * comparability * fed.population[1:, 2]
                / fed.population[1:, :2].sum(-1))
    relative = (barnett_grant[:-1] / fed.population[:-1, 2]) / (
        comparability * england[:-1, 0] / fed.population[:-1, :2].sum(-1))
    applied = np.where(relative < floor, floor, factor) if floor is not None else factor
    np.testing.assert_allclose(change, marginal * applied, rtol=1e-9, atol=1e-3)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-0.05, 0.08), min_size=3, max_size=3), st.floats(0.0, 0.5),
       st.floats(0.8, 1.0), st.sampled_from([None, 2, 3]), st.floats(0.0, 0.05))
def test_business_rates_step_equals_the_scheme(growth, cap, net, every, uprating):
    fed = _grown(7, np.array(growth))
    step = BusinessRatesRetention(tax="council_tax", levy_cap=cap, safety_net=net,
                                  reset_every=every, uprating=uprating)
    result = run(fed, System(devolution={"council_tax": 0.5}, block_grant_adjustment="none",
                             steps=[step]))
    kept = 0.5 * fed.revenue[:, 2, :]
    bfl = kept[0].sum() * fed.population[0] / fed.population[0].sum()
    scheme = business_rates_retention(
        kept, bfl, business_rates_baseline=kept[0], local_share=1.0,
        uprating=(1 + uprating) ** np.arange(7),
        resets=None if every is None else reset_schedule(7, every),
        levy_cap=cap, safety_net=net)
    transfer = dict(result.state.transfers)["Business rates retention"]
    np.testing.assert_allclose(transfer, scheme.income - kept, rtol=1e-12, atol=1e-3)
    # year one: income equals the baseline funding level (no growth yet), and tariffs
    # and top-ups net to zero, so the centre pays nothing
    np.testing.assert_allclose(scheme.income[0], bfl, rtol=1e-12)
    assert abs(dict(result.state.paid_by_centre)["Business rates retention"][0]) < 1e-3
    # invariants every year: income never below the safety net, levy at most cap x growth
    income = kept + transfer
    assert np.all(income >= net * scheme.baseline_funding_level - 1e-3)
    assert np.all(scheme.levy <= cap * np.maximum(0.0, scheme.growth) + 1e-6)


def test_library_scenarios_run_the_mechanisms():
    from simulator.scenario.library import library_scenarios

    library = library_scenarios()
    barnett = run_scenario(load_scenario(library["barnett_with_needs_floor"]))
    assert len(barnett.federation.years) == 10
    rates = run_scenario(load_scenario(library["business_rates_75_retention"]))
    per_head = rates.resources_per_head
    # the per-capita adjustment and per-capita baseline funding make year one neutral
    np.testing.assert_allclose(per_head[0], rates.baseline.resources[0] / rates.state.population[0],
                               rtol=1e-9)
