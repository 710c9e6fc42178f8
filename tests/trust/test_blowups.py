"""Blow-ups (issue 13, class 5): deep nesting, huge sweeps, odd files, year labels and
usage errors end in a located message and the right exit code, never a traceback."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.analysis.sweep import MAX_SWEEP_POINTS, sweep, sweep_memory_bytes
from simulator.cli import main
from simulator.errors import ConfigurationError
from simulator.federation import Federation
from simulator.scenario import ScenarioError, load_scenario, parse_scenario
from simulator.scenario.library import library_scenarios
from simulator.scenario.yaml_source import MAX_DEPTH

LIBRARY = library_scenarios()


# ------------------------------------------------------------------ nesting
def _nested(kinds: list[str]) -> str:
    opening = "".join("[" if k == "list" else "{a: " for k in kinds)
    closing = "".join("]" if k == "list" else "}" for k in reversed(kinds))
    return opening + "1" + closing


@settings(max_examples=25)
@given(kinds=st.lists(st.sampled_from(["list", "map"]), min_size=MAX_DEPTH + 1, max_size=5000),
       key=st.sampled_from(["steps", "devolution", "name", "projection"]))
def test_deep_nesting_is_a_located_error_not_a_recursion_error(kinds, key):
    text = f"name: deep\n{key}: {_nested(kinds)}\n"
    with pytest.raises(ScenarioError) as error:
        parse_scenario(text, "deep.yaml")
    [problem] = error.value.problems
    assert problem.file == "deep.yaml" and problem.line == 2
    assert f"nested more than {MAX_DEPTH} deep" in problem.message
    # the column points into the nest, past the allowed levels (the document is level 1)
    line = text.splitlines()[1]
    assert line[:problem.column - 1].count("[") + line[:problem.column - 1].count("{") \
        >= MAX_DEPTH - 1


def test_deep_nesting_in_a_file_and_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "deep.yaml"
    path.write_text("steps: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ScenarioError, match="nested more than"):
        load_scenario(path)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:1:" in out and "nested more than" in out and "Recursion" not in out


def test_nesting_within_the_limit_still_parses():
    text = "name: ok\ndescription: x\nsteps: []\ndataset: {name: uk_itl1, options: {}}\n"
    assert parse_scenario(text, check_data=False).name == "ok"
    shallow = "projection: " + _nested(["map"] * (MAX_DEPTH - 2)) + "\n"
    with pytest.raises(ScenarioError) as error:  # a schema problem, not a depth one
        parse_scenario(shallow, check_data=False)
    assert "nested" not in str(error.value)


# ------------------------------------------------------------------ sweeps
def test_a_sweep_of_1e8_points_is_refused_with_its_size(capsys):
    code = main(["sweep", "income_tax_gap_fill_75", "--param", "steps[0].rate=0:1:10000",
                 "--param", "devolution.income_tax.share=0:1:10000"])
    err = capsys.readouterr().err
    assert code == 2
    assert "a sweep of 100,000,000 points is too large" in err
    size = sweep_memory_bytes(10 ** 8, 1, 12, 2) / 1e9
    assert f"{size:,.1f} GB" in err and f"{MAX_SWEEP_POINTS:,} points" in err
    code = main(["sweep", "income_tax_gap_fill_75", "--param", "steps[0].rate=0:1:100000000"])
    assert code == 2 and "too large" in capsys.readouterr().err


def test_the_sweep_api_refuses_before_allocating():
    scenario = load_scenario(LIBRARY["income_tax_gap_fill_75"])
    with pytest.raises(ConfigurationError, match=r"10,000,000,000 points is too large"):
        sweep(scenario, {"steps[0].rate": "0:1:100000", "devolution.income_tax.share": "0:1:100000"})
    with pytest.raises(ConfigurationError, match="too large"):
        sweep(scenario, {"steps[0].rate": "0:1:10000000000"})


# ------------------------------------------------------------------ odd files and options
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /dev/null")
def test_run_dev_null_says_something_true(capsys):
    assert main(["run", "/dev/null"]) == 2
    err = capsys.readouterr().err
    assert "/dev/null: is not a regular file" in err and "directory" not in err


def test_run_a_directory_says_so(tmp_path, capsys):
    assert main(["run", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["sweep", "income_tax_gap_fill_75", "--param", "steps[0].rate=0:1:3", "--chunk-size", "-5"],
    ["sweep", "income_tax_gap_fill_75", "--param", "steps[0].rate=0:1:3", "--chunk-size", "0"],
    ["run", "status_quo", "--year", "2099-00"],
    ["compare", "status_quo", "income_tax_gap_fill_75", "--year", "2099-00"],
    ["sweep", "income_tax_gap_fill_75", "--param", "steps[0].rate=0:1:3", "--year", "1850-51"],
    ["solve", "income_tax_gap_fill_75", "--target", "min-share=0.9", "--year", "2024"],
])
def test_bad_options_are_usage_errors(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("fiscalsim: error: --") and "Traceback" not in err


# ------------------------------------------------------------------ year labels
@pytest.mark.parametrize("written", ["2024.0", "2024", "'2024'", "2024.00"])
def test_a_year_written_as_a_number_is_its_label(written):
    scenario = parse_scenario(f"dataset: uk_itl1\nyear: {written}\n", check_data=False)
    assert scenario.year == "2024"


def test_2024_0_and_2024_are_one_year_in_a_federation():
    regions = pd.DataFrame({"code": ["A", "B"], "name": ["a", "b"], "nation": ["x", "x"]})
    years = [2024.0, "2024", 2025, "2025.0"]
    population = pd.DataFrame({"year": years,
                               "code": ["A", "B", "A", "B"], "population": [1.0, 2.0, 1.0, 2.0]})
    revenue = pd.DataFrame({"year": years, "code": ["A", "B", "A", "B"],
                            "tax": "vat", "value": [1.0, 2.0, 3.0, 4.0]})
    fed = Federation.from_frames("t", regions, revenue, population)
    assert fed.years == ("2024", "2025")
    np.testing.assert_array_equal(fed.revenue[:, 0, :], [[1.0, 2.0], [3.0, 4.0]])


def test_the_editor_shows_deep_nesting_as_a_problem_not_an_exception_box():
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))
    from app_helpers import frame_with, open_page

    at = open_page("editor")
    at.text_area(key="e_text").set_value("name: x\nsteps: " + "[" * 5000 + "]" * 5000 + "\n").run()
    assert not at.exception
    problems = frame_with(at, "Field")
    assert problems["Line"].iloc[0] == 2
    assert "nested more than 64 deep" in problems["Message"].iloc[0]
