"""Meaningless numbers (issue 13, class 3): refused with a reason, or undefined with a
reason, never shown as a number."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import simulator
from simulator import metrics
from simulator.cli import main
from simulator.engine import System
from simulator.errors import ConfigurationError
from simulator.scenario import ScenarioError, parse_scenario
from simulator.steps.minimum_guarantee import MinimumGuarantee

from trust_helpers import CODES, registered, tiny


# ------------------------------------------------------------------ inequality of ~0
@settings(max_examples=60)
@given(values=st.lists(st.floats(-1e-7, 1e-7, allow_nan=False), min_size=2, max_size=12),
       data=st.data())
def test_ratio_measures_of_values_averaging_about_zero_are_undefined(values, data):
    weights = data.draw(st.lists(st.floats(1.0, 1e7), min_size=len(values),
                                 max_size=len(values)))
    for measure in (metrics.gini, metrics.theil, metrics.coefficient_of_variation):
        assert np.isnan(measure(np.array(values), np.array(weights))), measure.__name__


@settings(max_examples=60)
@given(values=st.lists(st.floats(100.0, 1e5), min_size=2, max_size=12))
def test_a_positive_level_still_has_its_measures(values):
    x = np.array(values)
    assert 0 <= metrics.gini(x) < 1 and metrics.coefficient_of_variation(x) >= 0
    assert np.isfinite(metrics.theil(x))


def test_rounding_noise_beside_large_values_is_not_a_level():
    noise = np.array([3e-7, -2e-7, 1e-7]) + np.array([1e4, -1e4, 0.0])  # sums to ~0
    assert np.isnan(metrics.gini(noise)) and np.isnan(metrics.coefficient_of_variation(noise))


def test_the_command_line_says_undefined_and_why(tmp_path, capsys):
    path = tmp_path / "zero.yaml"
    # everything devolved and recovered per head, no grant: resources average ~0
    path.write_text(f"dataset: trust_tiny\nyear: 2024-25\n"
                    "devolution: {income_tax: 1}\nblock_grant_adjustment: own_revenue\n")
    with registered():
        code = main(["run", str(path)])
    out = capsys.readouterr().out
    assert code == 0
    gini_line = next(line for line in out.splitlines() if line.startswith("Gini of resources per head "))
    assert gini_line.split()[-1] == "undefined"
    assert "undefined: Gini of resources per head: needs a positive average" in out
    region_line = next(line for line in out.splitlines() if line.startswith("A     Alpha"))
    assert "undefined" in region_line and "nan" not in out
    assert "undefined: Index (avg=100): needs a positive average" in out


# ------------------------------------------------------------------ minimum guarantee
def _state_with(measure_per_head: np.ndarray):
    fed = tiny("2024-25")
    from simulator.engine.system import EngineInputs, initial_state

    state = initial_state(EngineInputs.from_federation(fed), System())
    return state.replace(fiscal_capacity=measure_per_head * state.population)


@pytest.mark.parametrize("per_head", [[-1.0, -2.0, -3.0], [0.0, 0.0, 0.0],
                                      [1000.0, -500.0, -1000.0]])
def test_minimum_guarantee_refuses_an_average_at_or_below_zero(per_head):
    state = _state_with(np.array([per_head]))
    with pytest.raises(ConfigurationError, match="needs a positive national average"):
        MinimumGuarantee().apply(state)


@settings(max_examples=30)
@given(permutation=st.permutations([0, 1, 2]), noise=st.sampled_from([-1e-9, 0.0, 1e-9]))
def test_minimum_guarantee_near_zero_is_refused_in_every_region_order(permutation, noise):
    """An average that is rounding noise is refused whatever the region order (before, it
    paid GBP 7,859m or nothing depending on the order of the sum)."""
    population = tiny("2024-25").population[0]
    per_head = np.array([[7859e6 / population[0], noise, -7859e6 / population[2]]])
    state = _state_with(per_head)
    order = list(permutation)
    state = state.replace(fiscal_capacity=state.fiscal_capacity[..., order],
                          population=state.population[..., order],
                          equalisation_population=state.equalisation_population[..., order])
    with pytest.raises(ConfigurationError, match="rounding noise|at most 0"):
        MinimumGuarantee().apply(state)


def test_minimum_guarantee_in_a_scenario_is_refused_at_its_step(capsys):
    text = ("dataset: trust_tiny\nyear: 2024-25\ndevolution: {income_tax: 1}\n"
            "block_grant_adjustment: own_revenue\nsteps:\n"
            "  - {type: minimum_guarantee, measure: resources}\n")
    with registered(), pytest.raises(ScenarioError) as error:
        parse_scenario(text, "mg.yaml")
    [problem] = error.value.problems
    assert (problem.line, problem.path) == (6, "steps[0]")
    assert "needs a positive national average of the resources per head" in problem.message


# ------------------------------------------------------------------ units
def test_a_per_head_indicator_is_refused_as_a_block_grant():
    with registered(), pytest.raises(ScenarioError) as error:
        parse_scenario("dataset: trust_tiny\nyear: 2024-25\nblock_grant: gdhi_per_head\n",
                       "units.yaml")
    [problem] = error.value.problems
    assert (problem.line, problem.path) == (3, "block_grant")
    assert "'gdhi_per_head' is in GBP per head; a block grant is a total" in problem.message
    # and in the Python API
    with pytest.raises(ConfigurationError, match="not an amount per head"):
        simulator.run(tiny("2024-25"), System(block_grant="gdhi_per_head"))


def test_the_packaged_uk_data_says_which_indicators_are_per_head():
    from simulator.quantities import is_per_head_unit

    fed = simulator.load_federation("uk_itl1", year="2024-25")
    assert is_per_head_unit(fed.units["gdhi_per_head"])
    assert not is_per_head_unit(fed.units["identifiable_expenditure"])


# ------------------------------------------------------------------ need index
@pytest.mark.parametrize("indicator, reason", [("signed", "negative values"),
                                               ("zeros", "a year of zeros")])
def test_a_need_index_indicator_negative_or_all_zero_is_refused(indicator, reason):
    with registered(), pytest.raises(ScenarioError) as error:
        parse_scenario(f"dataset: trust_tiny\nyear: 2024-25\nneed_index: {indicator}\n", "n.yaml")
    [problem] = error.value.problems
    assert (problem.line, problem.path) == (3, "need_index") and reason in problem.message
    with pytest.raises(ConfigurationError, match="need index"):
        simulator.run(tiny("2024-25"), System(need_index=indicator))


# ------------------------------------------------------------------ projections
@pytest.mark.parametrize("growth", ["-0.5", "0.2", "{A: -0.06}"])
def test_absurd_population_growth_is_refused_with_the_limit(growth):
    with pytest.raises(ScenarioError) as error:
        parse_scenario(f"dataset: uk_itl1\nprojection: {{end_year: 2030-31, population_growth: "
                       f"{growth}}}\n", "p.yaml", check_data=False)
    problem = next(p for p in error.value.problems if p.path.startswith("projection.population_growth"))
    assert problem.line == 2 and "-0.05 to 0.05" in problem.message


def test_plausible_population_growth_is_accepted():
    scenario = parse_scenario("dataset: uk_itl1\nprojection: {end_year: 2030-31, "
                              "population_growth: -0.02}\n", check_data=False)
    assert scenario.projection.population_growth == -0.02
    assert CODES  # the helper dataset is importable alongside


def test_the_budget_solver_says_which_options_have_no_meaning_here():
    """status_quo devolves nothing: a minimum guarantee of capacity has no index to guarantee;
    it is listed as not applicable (with the reason), not silently 'free'."""
    from simulator import analysis
    from simulator.scenario import load_scenario
    from simulator.scenario.library import library_scenarios

    result = analysis.best_for_budget(load_scenario(library_scenarios()["status_quo"]), 1000.0,
                                      grid=11)
    row = result.table.set_index("option").loc["Minimum guarantee (Swiss): target index"]
    assert not row["feasible"] and np.isnan(row["cost_m"])
    assert "needs a positive national average" in row["not_applicable"]
