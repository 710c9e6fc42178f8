"""Loading, merging, dumping and running scenarios (on the tiny dataset)."""

from __future__ import annotations

import numpy as np
import pytest

import simulator
from simulator.scenario import (Scenario, ScenarioError, SystemSpec, dump_scenario,
                                load_scenario, parse_scenario, run_scenario)

BASE = """
    name: base
    description: Today's grants, nothing devolved.
    dataset: {name: tiny, options: {north_sea: geographic}}
    year: 2024-25
    block_grant: identifiable_expenditure
"""

REFORM = """
    extends: base.yaml
    devolution:
      income_tax: 1
      vat: {share: 0.5, own_rate: true, rate_change: {A: 0.1}, base_elasticity: 0.5}
    steps:
      - type: gap_fill
        rate: 0.75
"""


def test_loads_a_full_scenario(tiny_dataset, write):
    write("base.yaml", BASE)
    scenario = load_scenario(write("reform.yaml", REFORM))
    assert scenario.name == "reform"  # not inherited: the reform's file name
    assert scenario.description == ""
    assert scenario.dataset.name == "tiny" and scenario.dataset.options == {"north_sea": "geographic"}
    assert scenario.year == "2024-25"
    assert scenario.block_grant == "identifiable_expenditure"  # inherited
    assert scenario.devolution["income_tax"].share == 1.0
    assert scenario.devolution["vat"].rate_change == {"A": 0.1}
    assert [step.type for step in scenario.steps] == ["gap_fill"]
    assert scenario.steps[0].rate == 0.75


def test_to_system_and_run_match_the_engine(tiny_dataset, write):
    write("base.yaml", BASE)
    scenario = load_scenario(write("reform.yaml", REFORM))
    system = scenario.to_system()
    assert isinstance(system, simulator.System)
    assert system.steps[0] == scenario.steps[0]
    result = run_scenario(scenario)
    expected = simulator.run(simulator.load_federation("tiny", year="2024-25"), system)
    np.testing.assert_allclose(result.resources_per_head, expected.resources_per_head)
    assert result.federation.years == ("2024-25",)


def test_run_year_override(tiny_dataset, write):
    scenario = load_scenario(write("base.yaml", BASE))
    assert run_scenario(scenario, year="2023-24").federation.years == ("2023-24",)


def test_extends_merges_mappings_and_replaces_lists(tiny_dataset, write):
    write("a.yaml", """
        dataset: tiny
        devolution: {income_tax: 1, vat: 0.5}
        steps:
          - {type: gap_fill, rate: 0.5}
          - {type: gap_fill, rate: 0.25}
        block_grant: identifiable_expenditure
    """)
    scenario = load_scenario(write("b.yaml", """
        extends: a.yaml
        devolution: {vat: 1}
        steps:
          - {type: gap_fill, rate: 1}
        block_grant: null
    """))
    assert {t: d.share for t, d in scenario.devolution.items()} == {"income_tax": 1.0, "vat": 1.0}
    assert [s.rate for s in scenario.steps] == [1.0]  # the list was replaced whole
    assert scenario.block_grant is None  # null removes the key: back to the default


def test_extends_chain_is_relative_to_each_file(tiny_dataset, write, tmp_path):
    (tmp_path / "lib").mkdir()
    write("lib/root.yaml", "dataset: tiny\ndevolution: {income_tax: 1}\n")
    write("lib/middle.yaml", "extends: root.yaml\nblock_grant: identifiable_expenditure\n")
    scenario = load_scenario(write("leaf.yaml", "extends: lib/middle.yaml\nsteps: [{type: gap_fill}]\n"))
    assert "income_tax" in scenario.devolution and scenario.block_grant and scenario.steps


def test_baseline_file_is_resolved_to_its_system(tiny_dataset, write):
    write("base.yaml", BASE)
    scenario = load_scenario(write("reform.yaml", REFORM + "    baseline: base.yaml\n"))
    assert scenario.baseline == SystemSpec(block_grant="identifiable_expenditure")
    result = run_scenario(scenario)
    baseline = simulator.run(simulator.load_federation("tiny", year="2024-25"),
                             SystemSpec(block_grant="identifiable_expenditure").to_system())
    np.testing.assert_allclose(result.baseline_resources_per_head, baseline.resources_per_head)


def test_inline_need_index_reaches_the_engine(tiny_dataset, write):
    scenario = load_scenario(write("need.yaml", """
        dataset: tiny
        year: 2024-25
        need_index: {A: 0.8, B: 1.0, C: 1.4}
    """))
    federation = scenario.load_federation()
    index = federation.indicators["need_index (scenario)"]
    np.testing.assert_allclose(index, [[0.8, 1.0, 1.4]])
    assert scenario.to_system().need_index == "need_index (scenario)"
    run_scenario(scenario)


def test_projection_is_run_not_ignored(tiny_dataset, write):
    scenario = load_scenario(write("p.yaml", """
        dataset: tiny
        block_grant: identifiable_expenditure
        projection: {start_year: 2025-26, end_year: 2029-30, growth: fixed, rate: 0.02,
                     window: 2}
    """))
    assert scenario.projection.rate == 0.02
    result = run_scenario(scenario)
    assert list(result.federation.years) == ["2024-25", "2025-26", "2026-27", "2027-28",
                                             "2028-29", "2029-30"]
    grant = result.state.block_grant / result.state.population
    np.testing.assert_allclose(grant[1:] / grant[:-1], 1.02)
    with pytest.raises(ScenarioError, match="required key 'end_year' is missing") as info:
        load_scenario(write("q.yaml", "dataset: tiny\nprojection: {window: 2}\n"))
    assert info.value.problems[0].path == "projection.end_year"
    assert info.value.problems[0].line == 2


def test_dump_reloads_to_an_equal_scenario(tiny_dataset, write):
    write("base.yaml", BASE)
    scenario = load_scenario(write("reform.yaml", REFORM + """
    need_index: {A: 1, B: 1.1, C: 0.9}
    baseline: {block_grant: identifiable_expenditure, steps: [{type: gap_fill, rate: 0.1}]}
    outputs: [summary]
    projection: {end_year: 2026-27, growth: trend, window: 2, overrides: {A: 0.01}}
    """))
    text = dump_scenario(scenario)
    assert parse_scenario(text) == scenario
    again = write("again.yaml", text)
    assert load_scenario(again) == scenario
    assert "rate: 0.75" in text and text.index("type: gap_fill") < text.index("rate: 0.75")


def test_shorthands_equal_their_long_forms(tiny_dataset):
    short = parse_scenario("dataset: tiny\nyear: 2024-25\ndevolution: {vat: 0.5}\n"
                           "steps: [{type: gap_fill, standard: national_average}]\n", check_data=False)
    long = parse_scenario("name: scenario\ndataset: {name: tiny}\nyear: '2024-25'\n"
                          "devolution: {vat: {share: 0.5}}\n"
                          "steps: [{type: gap_fill, standard: {kind: national_average}}]\n",
                          check_data=False)
    assert short.model_dump() == long.model_dump()


def test_yaml_anchors_and_merge_keys_work_within_limits(tiny_dataset):
    text = """
dataset: tiny
steps:
  - &half {type: gap_fill, rate: 0.5}
  - *half
  - <<: *half
    rate: 0.25
"""
    scenario = parse_scenario(text, check_data=False)
    assert [s.rate for s in scenario.steps] == [0.5, 0.5, 0.25]


def test_scenario_built_in_python_runs(tiny_dataset):
    scenario = Scenario(dataset="tiny", year="2024-25", devolution={"income_tax": 1},
                        block_grant="identifiable_expenditure",
                        steps=[{"type": "gap_fill", "rate": 0.75}])
    assert run_scenario(scenario).resources_per_head.shape == (1, 3)


@pytest.fixture
def lagged_step_type():
    """The lag-and-average wrapper registered for one test (it nests another step)."""
    from simulator.scenario import refresh_step_types
    from simulator.steps import STEP_TYPES

    was_registered = "lagged" in STEP_TYPES
    lagged = pytest.importorskip("simulator.steps.lagged")
    STEP_TYPES["lagged"] = lagged.Lagged
    refresh_step_types()
    yield
    if not was_registered:
        STEP_TYPES.pop("lagged", None)
    refresh_step_types()

def test_a_nested_step_dumps_with_its_type(tiny_dataset, lagged_step_type):
    scenario = parse_scenario("dataset: tiny\nyear: [2023-24, 2024-25]\n"
                              "steps: [{type: lagged, lag: 1, weights: [1], "
                              "step: {type: gap_fill, rate: 0.5}}]\n")
    text = dump_scenario(scenario)
    assert "step:\n    type: gap_fill\n    rate: 0.5" in text
    assert parse_scenario(text) == scenario


# ---------------------------------------------------------------- extends in text (uploads)
def test_text_extends_a_library_scenario_by_its_file_name():
    from simulator.scenario.library import library_scenarios

    path = library_scenarios()["income_tax_gap_fill_75"]
    assert path.read_text().count("extends: status_quo.yaml") == 1
    parsed = parse_scenario(path.read_text(), "upload.yaml")
    assert parsed == load_scenario(path)
    # without the suffix too; the reform's own keys win and name is not inherited
    short = parse_scenario("extends: income_tax_gap_fill_75\nsteps:\n"
                           "  - {type: gap_fill, rate: 0.5}\n", "mine.yaml")
    assert short.name == "scenario" and short.steps[0].rate == 0.5
    assert short.devolution == parsed.devolution and short.dataset == parsed.dataset


@pytest.mark.parametrize("value, expected", [
    ("status_qou.yaml", "did you mean 'status_quo.yaml'?"),
    ("../scenarios/status_quo.yaml", "is not a file of the scenario library"),
    ("zzzz.yaml", "status_quo.yaml"),  # lists the library's files
    ("''", "expected the file name of a library scenario"),
])
def test_text_extends_of_something_not_in_the_library_is_a_problem_with_its_line(value,
                                                                                 expected):
    text = f"name: mine\n# a comment\nextends: {value}\nsteps: []\n"
    with pytest.raises(ScenarioError) as error:
        parse_scenario(text, "upload.yaml")
    [problem] = error.value.problems
    assert (problem.file, problem.line, problem.path) == ("upload.yaml", 3, "extends")
    assert expected in problem.message
