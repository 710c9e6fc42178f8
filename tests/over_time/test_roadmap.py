"""Roadmaps: stages stitched by year, cumulative gains, the year below a guarantee, and the
fastest phase-in that keeps every region within X of no detriment (property test)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine import System, TaxDevolution, run
from simulator.federation import Federation
from simulator.over_time.roadmap import (cumulative_gain_by_year, fastest_phase_in,
                                         first_year_below, stage_of_year, stitch_states)
from simulator.scenario import ScenarioError, load_scenario, parse_scenario, run_scenario
from simulator.scenario.roadmap import run_roadmap, solve_roadmap, stage_scenarios
from simulator.steps import GapFill

ROOT = Path(__file__).resolve().parents[2]


def test_stage_of_year_and_hand_computed_measures():
    assert stage_of_year(6, [1, 3, 5]).tolist() == [0, 1, 1, 2, 2, 3]
    resources = np.array([[10.0, 10.0], [9.0, 12.0], [8.0, 13.0]])
    baseline = np.array([[10.0, 10.0], [10.0, 10.0], [10.0, 10.0]])
    np.testing.assert_allclose(cumulative_gain_by_year(resources, baseline),
                               [[0, 0], [-1, 2], [-3, 5]])
    assert first_year_below(resources, baseline, 0.95).tolist() == [1, -1]
    assert first_year_below(resources, baseline, 0.85).tolist() == [2, -1]


def _federation(growth, years=6) -> Federation:
    """Three regions; each region's revenue grows at its own rate, grants and population held."""
    factor = (1.0 + np.asarray(growth)) ** np.arange(years)[:, None]          # (Y, R)
    revenue = np.array([[6.0e9, 6.0e9, 1.0e9], [3.0e9, 5.0e9, 1.5e9], [1.0e9, 1.8e9, 0.8e9]])
    return Federation(
        name="three", codes=("A", "B", "C"), names=("Alpha", "Beta", "Gamma"),
        nations=("X", "X", "Y"), years=tuple(str(2024 + t) for t in range(years)),
        population=np.tile([1.0e6, 2.0e6, 1.0e6], (years, 1)),
        taxes=("income_tax", "vat", "council_tax"), revenue=revenue[None] * factor[:, None, :],
        indicators={"identifiable_expenditure": np.tile([9.0e9, 20.0e9, 12.0e9], (years, 1))},
        units={"identifiable_expenditure": "GBP"}, source="test data")


def test_stitched_years_equal_each_stage_run():
    fed = _federation([0.03, 0.0, -0.02])
    systems = [System(block_grant="identifiable_expenditure"),
               System(block_grant="identifiable_expenditure",
                      devolution={"income_tax": TaxDevolution(share=0.5)}),
               System(block_grant="identifiable_expenditure",
                      devolution={"income_tax": TaxDevolution(share=1.0)},
                      steps=[GapFill(rate=0.5)])]
    results = [run(fed, s) for s in systems]
    stage = stage_of_year(6, [2, 4])
    state = stitch_states([r.state for r in results], stage)
    for t in range(6):
        np.testing.assert_array_equal(state.resources[t], results[stage[t]].state.resources[t])
        np.testing.assert_array_equal(state.own_revenue[t], results[stage[t]].state.own_revenue[t])
    gap_fill = dict(state.transfers)["Gap-fill"]
    assert (gap_fill[:4] == 0).all() and (gap_fill[4:] == results[2].state.transfers[0][1][4:]).all()


def _runner(fed, target):
    baseline = System(block_grant=target.block_grant)

    def run_at(share):
        system = target.model_copy(update={"devolution": {
            tax: a.model_copy(update={"share": a.share * share})
            for tax, a in target.devolution.items()}}) if hasattr(target, "model_copy") else \
            replace(target, devolution={tax: a.model_copy(update={"share": a.share * share})
                                        for tax, a in target.devolution.items()})
        result = run(fed, system, baseline)
        return result.state.resources, result.baseline.resources, result
    return run_at


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-0.06, 0.08), min_size=3, max_size=3), st.floats(0.0, 0.15),
       st.sampled_from(["per_capita", "none"]), st.integers(2, 10), st.integers(0, 2))
def test_solver_roadmap_meets_its_constraint_every_year(growth, tolerance, bga, steps, start):
    fed = _federation(growth)
    target = System(block_grant="identifiable_expenditure", block_grant_adjustment=bga,
                    devolution={"income_tax": TaxDevolution(share=1.0),
                                "vat": TaxDevolution(share=0.5)})
    run_at = _runner(fed, target)
    phase = fastest_phase_in(lambda s: run_at(s)[:2], tolerance, steps, start=start)
    shares = phase.shares
    assert (np.diff(shares) >= 0).all() and shares.min() >= 0 and shares.max() <= 1
    assert (shares[:start] == 0).all()
    # run the roadmap the solver found: each year with its own share, stitched
    distinct = sorted(set(shares.tolist()))
    runs = {s: run_at(s)[2] for s in distinct}
    stage = np.array([distinct.index(s) for s in shares])
    state = stitch_states([runs[s].state for s in distinct], stage)
    baseline = runs[distinct[0]].baseline.resources
    assert np.all(state.resources >= (1 - tolerance) * baseline - 1e-6 * np.abs(baseline))
    # and it is the fastest: one grid step more in year t (all smaller shares being
    # feasible) breaks the constraint in year t or a later one
    for t, share in enumerate(shares):
        if share < 1.0 and t >= start:
            faster, no_change = run_at(min(1.0, share + 1.0 / steps))[:2]
            assert not np.all(faster[t:] >= (1 - tolerance) * no_change[t:])


def test_library_roadmap_equals_its_stages():
    scenario = load_scenario(ROOT / "scenarios" / "roadmap_income_tax_2030.yaml")
    roadmap = run_roadmap(scenario.model_copy(update={"roadmap": scenario.roadmap.model_copy(
        update={"draws": 0})}))
    stages = stage_scenarios(scenario)
    assert len(stages) == 4
    assert roadmap.stage.tolist() == [0, 1, 1, 2, 2, 3, 3]
    for k in (1, 3, 5):
        stage_result = run_scenario(stages[roadmap.stage[k]])
        np.testing.assert_allclose(roadmap.result.resources_per_head[k],
                                   stage_result.resources_per_head[k], rtol=1e-12)
    below = roadmap.below_guarantee()
    cumulative = roadmap.cumulative()
    last = cumulative[cumulative["year"] == "2030-31"]["cumulative_gain_gbp_m"].to_numpy()
    result = roadmap.result
    np.testing.assert_allclose(last, (result.state.resources - result.baseline.resources)
                               .sum(axis=0) / 1e6)
    ratio = (result.state.resources / result.baseline.resources).min(axis=0)
    np.testing.assert_allclose(below["lowest_share_of_no_change"], ratio)


def test_roadmap_bands_bracket_the_central_path():
    scenario = load_scenario(ROOT / "scenarios" / "roadmap_income_tax_2030.yaml")
    scenario = scenario.model_copy(update={"roadmap": scenario.roadmap.model_copy(
        update={"draws": 50})})
    roadmap = run_roadmap(scenario)
    bands = roadmap.bands
    first = bands[bands["year"] == "2024-25"].pivot_table(
        index="code", columns="percentile", values="resources_per_head_gbp")
    np.testing.assert_allclose(first.min(axis=1), first.max(axis=1))   # year 0 not shocked
    last = bands[bands["year"] == "2030-31"].pivot_table(
        index="code", columns="percentile", values="resources_per_head_gbp")
    assert (last[95.0] > last[5.0]).all()


def test_roadmap_errors_are_located(tmp_path):
    import shutil

    for name in ("status_quo.yaml", "roadmap_income_tax_2030.yaml"):
        shutil.copy(ROOT / "scenarios" / name, tmp_path / name)
    path = tmp_path / "r.yaml"
    path.write_text("extends: roadmap_income_tax_2030.yaml\nroadmap:\n  stages:\n"
                    "    - {year: 3}\n    - {year: 2}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problem = info.value.problems[0]
    assert problem.path == "roadmap.stages" and "must increase" in problem.message
    path.write_text("extends: roadmap_income_tax_2030.yaml\nroadmap:\n  stages:\n"
                    "    - {year: 2}\n    - {year: 12}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problem = info.value.problems[0]
    assert (problem.line, problem.path) == (5, "roadmap.stages[1].year")
    assert "beyond the run" in problem.message


def test_solve_roadmap_on_a_scenario():
    scenario = parse_scenario("""
extends: income_tax_gap_fill_75
block_grant_adjustment: per_capita
steps: []
projection: {end_year: 2029-30, growth: trend, window: 10}
""", name="solve.yaml")
    solution = solve_roadmap(scenario, tolerance=0.01, steps=10)
    shares = solution.phase.shares
    assert (np.diff(shares) >= 0).all()
    roadmap = solution.roadmap_scenario()
    result = run_scenario(roadmap)
    assert np.all(result.state.resources >= 0.99 * result.baseline.resources - 1e-3)


def test_cli_roadmap_shows_and_solves(tmp_path, capsys):
    import shutil

    from simulator.cli import main

    assert main(["roadmap", "roadmap_income_tax_2030"]) == 0
    out = capsys.readouterr().out
    assert "2027-28      2  income_tax 50% with rate powers" in out and "First year below 97%" in out
    shutil.copy(ROOT / "scenarios" / "status_quo.yaml", tmp_path / "status_quo.yaml")
    (tmp_path / "s.yaml").write_text(
        "extends: status_quo.yaml\nname: s\ndevolution: {income_tax: {share: 1, own_rate: true}}\n"
        "block_grant_adjustment: per_capita\nprojection: {end_year: 2028-29}\n", encoding="utf-8")
    target = tmp_path / "solved.yaml"
    assert main(["roadmap", str(tmp_path / "s.yaml"), "--within", "0.03", "--out",
                 str(target)]) == 0
    solved = load_scenario(target)
    result = run_scenario(solved)
    assert np.all(result.state.resources >= 0.97 * result.baseline.resources - 1e-3)
    assert main(["roadmap", str(tmp_path / "s.yaml"), "--within", "2"]) == 2
    assert main(["roadmap", str(tmp_path / "s.yaml")]) == 2
    assert "has no roadmap" in capsys.readouterr().err


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 7), min_size=0, max_size=4, unique=True),
       st.lists(st.floats(0.5, 1.5), min_size=8 * 3, max_size=8 * 3), st.floats(0.6, 1.2))
def test_stage_schedule_and_first_year_below_match_a_plain_loop(starts, ratios, guarantee):
    starts = sorted(starts)
    stage = stage_of_year(8, starts)
    for t in range(8):   # the stage in force: the number of stage starts at or before t
        assert stage[t] == sum(1 for s in starts if s <= t)
    baseline = np.full((8, 3), 100.0)
    resources = baseline * np.array(ratios).reshape(8, 3)
    first = first_year_below(resources, baseline, guarantee)
    for r in range(3):
        below = [t for t in range(8) if resources[t, r] < guarantee * baseline[t, r]]
        assert first[r] == (below[0] if below else -1)


def test_bands_follow_an_indexed_adjustment():
    """With an indexed block grant adjustment the draws index it too, so the median band
    stays on the central path (a static adjustment in the draws drifts 2.7% off by the
    last year; indexed, the median stays within 1%)."""
    scenario = parse_scenario("""
extends: income_tax_ipc_projection
roadmap:
  draws: 100
  stages:
    - {year: 2, devolution: {vat: 0.5}}
""", name="ipc_roadmap.yaml")
    roadmap = run_roadmap(scenario)
    bands = roadmap.bands
    median = bands[bands["percentile"] == 50.0].pivot_table(
        index="year", columns="code", values="resources_per_head_gbp", sort=False)
    central = roadmap.result.resources_per_head
    # year 0 is never shocked: the bands start on the central path (indexed BGA included)
    np.testing.assert_allclose(median.iloc[0].to_numpy(), central[0], rtol=1e-9)
    # the bands are ordered and the median follows the central (indexed) path
    low = bands[bands["percentile"] == 5.0].pivot_table(index="year", columns="code",
                                                      values="resources_per_head_gbp", sort=False)
    high = bands[bands["percentile"] == 95.0].pivot_table(index="year", columns="code",
                                                        values="resources_per_head_gbp", sort=False)
    assert np.all(low.to_numpy() <= high.to_numpy())
    assert np.all(np.abs(median.to_numpy() / central - 1) < 0.01)
