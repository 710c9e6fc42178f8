"""A scenario's benchmarks: each bad entry is a located problem."""

from __future__ import annotations

import pytest

from simulator.scenario import ScenarioError, load_scenario


def test_benchmark_errors_are_located(tiny_dataset, write):
    path = write("b.yaml", """
        dataset: tiny
        benchmarks:
          - {name: a, measure: ginni, target: 0.1}
          - {name: b, measure: outcome_min, target: 1}
          - {name: c, measure: gini, target: 0.1, tolerance: -1}
          - {name: d, measure: outcome_worst_index, indicator: median_weekly_pay, target: 90,
             year: 2023}
    """)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    found = [(p.line, p.path, p.message) for p in info.value.problems]
    assert found[0][:2] == (3, "benchmarks[0].measure") and "unknown measure 'ginni'" in found[0][2]
    assert found[1][:2] == (4, "benchmarks[1]") and "needs an indicator" in found[1][2]
    assert found[2][:2] == (5, "benchmarks[2].tolerance") and "-1 is out of range" in found[2][2]
    assert found[3][:2] == (6, "benchmarks[3]") and "not a vintage" in found[3][2]


def test_a_fiscal_benchmark_year_must_be_run(tiny_dataset, write):
    path = write("y.yaml", """
        dataset: tiny
        year: 2024-25
        benchmarks:
          - {name: a, measure: gini, target: 0.1, year: 2024-25}
          - {name: b, measure: gini, target: 0.1, year: 2030-31}
    """)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problems = info.value.problems
    assert [(p.line, p.path) for p in problems] == [(5, "benchmarks[1].year")]
    assert "'2030-31' is not a year the scenario runs (2024-25 to 2024-25)" in problems[0].message
