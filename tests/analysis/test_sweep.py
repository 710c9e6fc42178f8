"""Sweeps: a point equals a standalone run, one engine call per chunk, tidy frames, errors."""

from __future__ import annotations

import importlib
import re

import numpy as np
import pytest

from simulator.analysis import grid_values, parse_parameter, sweep
from simulator.errors import ConfigurationError
from simulator.scenario import run_scenario

from conftest import standalone, variant

sweep_module = importlib.import_module("simulator.analysis.sweep")

CASES = [
    ("income_tax_gap_fill_75", "steps[0].rate", [0.0, 0.3, 0.75, 1.0]),
    ("income_tax_gap_fill_75", "devolution.income_tax.share", [0.2, 0.6, 1.0]),
    ("income_tax_gap_fill_75", "devolution.vat.share", [0.0, 0.5]),     # a tax not devolved yet
    ("statutory_guarantee_90", "steps[0].standard.fraction", [0.8, 0.9, 0.97]),
    ("swiss_minimum_guarantee", "steps[0].floor_index", [55.0, 70.0, 80.0]),
    ("swiss_minimum_guarantee", "steps[1].share", [0.0, 0.4, 1.0]),      # replaces the ratio
    ("german_symmetric", "steps[0].rate", [0.1, 0.63, 1.0]),
]


@pytest.mark.parametrize("name, path, grid", CASES)
def test_a_sweep_point_equals_a_standalone_run(library, name, path, grid):
    scenario = library[name]
    result = sweep(scenario, {path: grid})
    for k, value in enumerate(grid):
        reference = standalone(scenario, path, value)
        np.testing.assert_allclose(result.resources_per_head[k], reference.resources_per_head,
                                   rtol=1e-12, atol=0)
        summary = reference.summary()
        np.testing.assert_allclose(result.outputs["gini"][k], summary["gini_after"], rtol=1e-12)
        np.testing.assert_allclose(result.outputs["cost_to_centre"][k] / 1e6,
                                   summary["cost_to_centre_gbp_m"], rtol=1e-12, atol=1e-6)
        frame = reference.by_region()
        np.testing.assert_allclose(result.outputs["min_index"][k],
                                   frame["resources_index"].min(), rtol=1e-12)


def test_two_parameter_grid_point_equals_standalone(library):
    scenario = library["income_tax_gap_fill_75"]
    result = sweep(scenario, {"steps[0].rate": "0:1:5", "devolution.income_tax.share": [0.5, 1]})
    assert result.shape == (5, 2) and result.values.shape == (10, 2)
    k = 3 * 2 + 0  # rate 0.75, share 0.5 (the last parameter varies fastest)
    assert tuple(result.values[k]) == (0.75, 0.5)
    both = run_scenario(variant(variant(scenario, "steps[0].rate", 0.75),
                                "devolution.income_tax.share", 0.5))
    np.testing.assert_allclose(result.resources_per_head[k], both.resources_per_head, rtol=1e-12)
    assert result.metric("gini").shape == (5, 2)


def test_one_engine_call_per_chunk(library, monkeypatch):
    calls = []
    real = sweep_module.simulate

    def counting(inputs, system, **kwargs):
        state = real(inputs, system, **kwargs)
        calls.append((np.shape(inputs.population), state.shape))
        return state

    monkeypatch.setattr(sweep_module, "simulate", counting)
    sweep(library["income_tax_gap_fill_75"], {"steps[0].rate": "0:1:1000"})
    # the baseline once, then every point in one call with the points on a leading
    # axis, which only the swept rate carries in (the data are not copied per point)
    assert calls == [((1, 12), (1, 12)), ((1, 12), (1000, 1, 12))]
    calls.clear()
    sweep(library["income_tax_gap_fill_75"], {"steps[0].rate": "0:1:1000"}, chunk_size=300)
    assert [shape[0] for _, shape in calls[1:]] == [300, 300, 300, 100]


def test_chunking_does_not_change_results_and_reports_progress(library):
    scenario = library["swiss_minimum_guarantee"]
    grid = {"steps[0].target_index": "75:95:41", "steps[1].share": "0:1:7"}
    whole = sweep(scenario, grid)
    seen = []
    chunked = sweep(scenario, grid, chunk_size=10, progress=lambda done, total: seen.append((done, total)))
    for key in whole.outputs:
        assert np.array_equal(whole.outputs[key], chunked.outputs[key], equal_nan=True), key
    assert seen[-1] == (287, 287) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) == 29


def test_tidy_frames_and_figures(library):
    scenario = library["income_tax_gap_fill_75"]
    result = sweep(scenario, {"steps[0].rate": "0:1:11"})
    points = result.points()
    assert len(points) == 11 and {"steps[0].rate", "year", "gini", "min_index",
                                  "cost_to_centre_gbp_m", "min_index_code"} <= set(points.columns)
    regions = result.by_region()
    assert len(regions) == 11 * 12 and "North East" in set(regions["region"])
    row = regions[(regions["point"] == 4) & (regions["code"] == "TLC")].iloc[0]
    assert row["resources_per_head_gbp"] == result.resources_per_head[4, 0, 0]
    line = result.figure("gini")
    assert line.data[0].type == "scatter" and "2024-25" in line.layout.title.text
    grid = sweep(scenario, {"steps[0].rate": "0:1:4", "devolution.income_tax.share": "0:1:3"})
    heat = grid.figure("cost_to_centre")
    assert heat.data[0].type == "heatmap"
    assert np.asarray(heat.data[0].z).shape == (3, 4)  # y = second parameter
    assert "GBP m" in heat.data[0].colorbar.title.text
    np.testing.assert_allclose(np.asarray(heat.data[0].z).T, grid.metric("cost_to_centre"))


def test_parameter_paths_and_ranges(library):
    system = library["swiss_minimum_guarantee"].to_system()
    p = parse_parameter("steps[-1].standard.fraction", system)
    assert (p.step, p.fields, p.lower, p.upper, p.strict_lower) == (1, ("standard", "fraction"),
                                                                    0.0, 2.0, True)
    assert parse_parameter("steps[0].floor_index", system).current == 70.0
    assert parse_parameter("devolution.vat.share", system).current is None
    assert list(grid_values("0:1:3")) == [0.0, 0.5, 1.0]
    assert list(grid_values("0.5, 1")) == [0.5, 1.0]


@pytest.mark.parametrize("path, values, message", [
    ("steps[0].rat", [0.5], "has no field 'rat'"),
    ("steps[5].rate", [0.5], "has 1 step"),
    ("steps[0].measure", [0.5], "not a numeric"),
    ("devolution.income_tax.own_rate", [1], "only the share"),
    ("rate", [0.5], "not a parameter path"),
    ("steps[0].rate", [0.5, 1.5], "steps[0].rate = 1.5 is out of range"),
    ("devolution.income_tax.share", [-0.1], "out of range"),
])
def test_bad_parameters_are_named(library, path, values, message):
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        sweep(library["income_tax_gap_fill_75"], {path: values})


def test_model_checks_run_at_the_grid_extremes(library):
    with pytest.raises(ConfigurationError, match=r"steps\[0\].floor_index = 90.*floor_index < target_index"):
        sweep(library["swiss_minimum_guarantee"], {"steps[0].floor_index": "50:90:9"})


def test_a_parameter_the_step_cannot_broadcast_is_refused(library):
    with pytest.raises(ConfigurationError, match=r"steps\[0\].amount cannot be varied"):
        sweep(library["needs_based"], {"steps[0].amount": [6.0e11, 6.3e11]})


def test_grid_syntax_errors():
    for bad in ("0:1", "a,b", "0:1:0", ""):
        with pytest.raises(ConfigurationError):
            grid_values(bad)



def test_cli_sweep(capsys, tmp_path, library):
    from simulator.cli import main

    html = tmp_path / "heat.html"
    out = tmp_path / "regions.json"
    code = main(["sweep", "income_tax_gap_fill_75", "--param", "steps[0].rate=0:1:6",
                 "--param", "devolution.income_tax.share=0.5,1", "--html", str(html),
                 "--out", str(out), "--by-region", "--metric", "cost_to_centre"])
    stdout, err = capsys.readouterr()
    assert code == 0 and "12 points" in stdout and "lowest cost_to_centre" in stdout
    assert html.read_text(encoding="utf-8").count("heatmap") >= 1
    import pandas as pd

    regions = pd.read_json(out)
    assert len(regions) == 12 * 12
    result = sweep(library["income_tax_gap_fill_75"],
                   {"steps[0].rate": "0:1:6", "devolution.income_tax.share": [0.5, 1]})
    np.testing.assert_allclose(regions["resources_per_head_gbp"],
                               result.by_region()["resources_per_head_gbp"], rtol=1e-13)
    for argv, message in ((["--param", "steps[0].rate"], "use PATH=GRID"),
                          (["--param", "steps[0].rate=0:1.5:4"], "out of range"),
                          (["--param", "steps[0].rate=0:1:4", "--out", "x.txt"], "unknown format"),
                          (["--param", "steps[0].rate=0:1:4", "--metric", "nope"], "known metrics")):
        code = main(["sweep", "income_tax_gap_fill_75", *argv])
        _, err = capsys.readouterr()
        assert code == 2 and message in err and "Traceback" not in err
    code = main(["sweep", "income_tax_gap_fill_75", "--param", "steps[0].rate=0:1:5", "--progress"])
    _, err = capsys.readouterr()
    assert code == 0 and "100%" in err and "5/5 points" in err


def test_several_years_and_a_lagged_step(library):
    scenario = library["income_tax_gap_fill_75"]
    years = ["2022-23", "2023-24", "2024-25"]
    result = sweep(scenario, {"steps[0].rate": [0.25, 1.0]}, year=years)
    assert result.resources_per_head.shape == (2, 3, 12)
    reference = run_scenario(variant(scenario, "steps[0].rate", 0.25), year=years)
    np.testing.assert_allclose(result.resources_per_head[0], reference.resources_per_head,
                               rtol=1e-12)
    assert list(result.points()["year"][:3]) == years
    data = scenario.model_dump(exclude_unset=True)
    data["steps"] = [{"type": "lagged", "lag": 1, "weights": [0.5, 0.5], "step": data["steps"][0]}]
    lagged = type(scenario).model_validate(data)
    swept = sweep(lagged, {"steps[0].step.rate": [0.5]}, year=years)
    reference = run_scenario(variant(lagged, "steps[0].step.rate", 0.5), year=years)
    np.testing.assert_allclose(swept.resources_per_head[0], reference.resources_per_head, rtol=1e-12)


def test_a_sweep_point_on_a_static_projection_equals_run_scenario_of_that_variant(library):
    """Sweep axis leading, projected years next, regions last: each point is the
    projected run (fixed growth, transition) of the scenario with that value."""
    data = library["income_tax_gap_fill_75"].model_dump(exclude_unset=True)
    data["projection"] = {"end_year": "2027-28", "growth": "fixed", "rate": 0.02, "window": 5,
                          "overrides": {"TLM": 0.04}, "transition_years": 2}
    scenario = type(library["income_tax_gap_fill_75"]).model_validate(data)
    result = sweep(scenario, {"steps[0].rate": [0.25, 0.75]})
    for k, rate in enumerate([0.25, 0.75]):
        reference = run_scenario(variant(scenario, "steps[0].rate", rate))
        assert list(result.federation.years) == list(reference.federation.years)
        assert len(reference.federation.years) == 4  # jump-off year + 3 projected
        np.testing.assert_allclose(result.resources_per_head[k], reference.resources_per_head,
                                   rtol=1e-12)
        gini = [result.metric("gini", year)[k] for year in reference.federation.years]
        np.testing.assert_allclose(gini, reference.summary()["gini_after"], rtol=1e-12)


def test_a_published_year_sweeps_without_the_projection_as_run_scenario_does(library):
    data = library["income_tax_gap_fill_75"].model_dump(exclude_unset=True)
    data["projection"] = {"end_year": "2030-31"}
    scenario = type(library["income_tax_gap_fill_75"]).model_validate(data)
    year = library["income_tax_gap_fill_75"].years[0]
    swept = sweep(scenario, {"steps[0].rate": [0.5]}, year=year)
    reference = run_scenario(variant(scenario, "steps[0].rate", 0.5), year=year)
    np.testing.assert_allclose(swept.resources_per_head[0], reference.resources_per_head,
                               rtol=1e-12)


def test_a_projection_with_an_indexed_adjustment_is_refused_saying_what(library):
    from simulator.scenario import ScenarioError

    scenario = library["income_tax_ipc_projection"]
    with pytest.raises(ScenarioError, match="block_grant_indexation: static only; "
                       "'indexed_per_capita'") as error:
        sweep(scenario, {"devolution.income_tax.share": [0.5]})
    assert error.value.problems[0].path == "projection.block_grant_indexation"
