"""Solving for targets: answers meet the target, a slightly smaller value does not;
infeasible targets say why."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.analysis import Option, best_for_budget, solve_min_share, solve_self_financing
from simulator.cli import main
from simulator.errors import ConfigurationError
from simulator.scenario import Scenario, run_scenario
from simulator.steps import GapFill

from conftest import standalone, variant


def lowest_share(result) -> float:
    return float(result.by_region()["resources_index"].min()) / 100.0


@pytest.mark.parametrize("name, share, parameter", [
    ("income_tax_gap_fill_75", 0.84, None),
    ("statutory_guarantee_90", 0.85, None),
    ("statutory_guarantee_90", 0.85, "steps[0].standard.fraction"),
    ("german_symmetric", 0.891, None),   # not monotone near rate 1: the first crossing
])
def test_min_share_answer_meets_target_and_a_smaller_value_does_not(library, name, share, parameter):
    scenario = library[name]
    result = solve_min_share(scenario, share, parameter)
    path = result.parameter
    assert result.feasible and result.value is not None
    assert path == (parameter or "steps[0].rate")
    assert lowest_share(standalone(scenario, path, result.value)) >= share
    assert lowest_share(standalone(scenario, path, result.value - 1e-6)) < share
    assert result.achieved == pytest.approx(share, abs=1e-6)
    assert result.details["tolerance"] <= 1e-8


def test_min_share_already_met_at_the_lower_bound(library):
    result = solve_min_share(library["german_symmetric"], 0.7)
    assert result.feasible and result.value == 0.0
    assert "already met" in result.reason


def test_infeasible_min_share_says_which_region_falls_short(library):
    result = solve_min_share(library["income_tax_gap_fill_75"], 0.9)
    assert not result.feasible and result.value is None
    at_one = lowest_share(standalone(library["income_tax_gap_fill_75"], "steps[0].rate", 1.0))
    assert result.reason.startswith("cannot be met: even at rate (steps[0].rate) 1 East Midlands "
                                    f"reaches only {at_one:.1%} of average")
    assert result.details["region"] == "East Midlands"


def test_infeasible_when_the_best_is_inside_the_range(library):
    # german_symmetric peaks at 89.59% near rate 0.95 (East Midlands), then South East is lowest
    result = solve_min_share(library["german_symmetric"], 0.897)
    assert not result.feasible
    assert "South East reaches only" in result.reason and "highest minimum in the range" in result.reason


def test_min_share_needs_a_parameter(library):
    with pytest.raises(ConfigurationError, match="no step with a rate"):
        solve_min_share(library["status_quo"], 0.9)


def horizontal(library, fraction: float) -> Scenario:
    data = library["statutory_guarantee_90"].model_dump(exclude_unset=True)
    data["steps"] = data["steps"] + [{"type": "horizontal_funding", "share": 0.5,
                                      "measure": "resources", "standard": {"fraction": fraction}}]
    return Scenario.model_validate(data)


def steps_cost(result) -> float:
    return float(result.summary()["paid_by_centre_gbp_m"].max())


def test_self_financing_share(library):
    scenario = library["swiss_minimum_guarantee"]
    result = solve_self_financing(scenario)
    assert result.feasible and result.parameter == "steps[1].share"
    assert steps_cost(standalone(scenario, "steps[1].share", result.value)) <= 1e-6
    assert steps_cost(standalone(scenario, "steps[1].share", result.value - 1e-6)) > 0
    assert "contributing regions pay in GBP 30,734 m" in result.reason


def test_self_financing_to_a_cost_target(library):
    scenario = horizontal(library, 1.0)
    result = solve_self_financing(scenario, target=10_000)   # the centre keeps GBP 10 bn
    cost = steps_cost(standalone(scenario, "steps[1].share", result.value))
    assert cost <= 10_000 + 1e-6 and cost == pytest.approx(10_000, abs=1e-3)
    assert steps_cost(standalone(scenario, "steps[1].share", result.value - 1e-6)) > 10_000


def test_self_financing_infeasible_explains_the_shortfall(library):
    result = solve_self_financing(horizontal(library, 1.3))
    assert not result.feasible
    assert result.reason.startswith("cannot be met: even at share (steps[1].share) 1 the centre "
                                    "still pays GBP 10,593 m")
    ratio = solve_self_financing(library["swiss_minimum_guarantee"], "steps[1].ratio_to_centre")
    assert not ratio.feasible and "solve for the share instead" in ratio.reason


def test_best_for_budget_stays_within_budget_and_beats_every_option(library):
    scenario = library["income_tax_gap_fill_75"]
    result = best_for_budget(scenario, 20_000)
    assert result.feasible
    table = result.table
    assert (table["cost_m"] <= 20_000 + 1e-9).all()
    assert result.achieved == pytest.approx(table["gini"].min())
    # the answer reproduced by a standalone run of the chosen option
    chosen = result.details["steps"]
    data = scenario.model_dump(exclude_unset=True)
    if chosen is not None:
        data["steps"] = [s.model_dump(exclude_unset=True) | {"type": s.type} for s in chosen]
    reference = run_scenario(variant(Scenario.model_validate(data), result.parameter, result.value))
    summary = reference.summary()
    assert summary["gini_after"].iloc[0] == pytest.approx(result.achieved, rel=1e-12)
    assert summary["cost_to_centre_gbp_m"].iloc[0] <= 20_000 + 1e-6
    assert summary["cost_to_centre_gbp_m"].iloc[0] == pytest.approx(20_000, rel=1e-6)


def test_best_for_budget_with_given_options_and_an_impossible_budget(library):
    scenario = library["income_tax_gap_fill_75"]
    options = [Option("rate", "steps[0].rate"),
               Option("gap-fill on resources", "steps[0].rate",
                      (GapFill(rate=1.0, measure="resources", standard={"fraction": 0.9}),))]
    result = best_for_budget(scenario, 5_000, options)
    assert result.feasible and list(result.table["option"]) == ["rate", "gap-fill on resources"]
    impossible = best_for_budget(library["statutory_guarantee_90"], -1_000, ["steps[0].rate"])
    assert not impossible.feasible and impossible.value is None
    assert "no option stays within GBP -1,000 m" in impossible.reason


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_solve(capsys):
    code, out, err = run_cli(capsys, "solve", "income_tax_gap_fill_75", "--target", "min-share=0.84")
    assert code == 0 and "answer: steps[0].rate = 0.74193" in out
    code, out, _ = run_cli(capsys, "solve", "income_tax_gap_fill_75", "--target", "min-share=0.9")
    assert code == 1 and "East Midlands reaches only 85.0%" in out
    code, out, _ = run_cli(capsys, "solve", "swiss_minimum_guarantee", "--target", "self-financing")
    assert code == 0 and "answer: steps[1].share = 1" in out
    code, out, _ = run_cli(capsys, "solve", "income_tax_gap_fill_75", "--target", "budget=20000",
                           "--parameter", "steps[0].rate", "--parameter", "steps[0].standard.fraction")
    assert code == 0 and "Within budget" in out


@pytest.mark.parametrize("argv, message", [
    (["--target", "min-share"], "needs a value"),
    (["--target", "cheapest"], "use min-share=SHARE"),
    (["--target", "min-share=0.9", "--parameter", "steps[0].rat"], "has no field 'rat'"),
    (["--target", "min-share=0.9", "--range", "0,3"], "--range 0,3"),
    (["--target", "budget=1", "--range", "0,1"], "--range applies"),
])
def test_cli_solve_usage_errors(capsys, argv, message):
    code, _, err = run_cli(capsys, "solve", "income_tax_gap_fill_75", *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_solutions_are_finite(library):
    result = solve_min_share(library["statutory_guarantee_90"], 0.85)
    assert np.isfinite(result.value) and 0 < result.value < 1


def test_min_share_on_a_static_projection_holds_in_every_projected_year(library):
    """Solve runs a projection (static indexation) on its projected years, as run_scenario."""
    base = library["income_tax_gap_fill_75"]
    data = base.model_dump(exclude_unset=True)
    data["projection"] = {"end_year": "2028-29", "growth": "fixed", "rate": 0.01, "window": 5,
                          "overrides": {"TLI": 0.04}}
    scenario = Scenario.model_validate(data)
    result = solve_min_share(scenario, 0.84)
    assert result.feasible and result.value is not None
    at = run_scenario(variant(scenario, "steps[0].rate", result.value))
    below = run_scenario(variant(scenario, "steps[0].rate", result.value - 1e-6))
    assert len(at.federation.years) == 5  # the jump-off year and four projected
    assert lowest_share(at) >= 0.84 > lowest_share(below)
