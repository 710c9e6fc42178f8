"""A scenario's impact_assessments: each bad entry is a located problem."""

from __future__ import annotations

import pytest

from simulator.scenario import ScenarioError, dump_scenario, load_scenario, parse_scenario


def _problems(path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return [(p.line, p.path, p.message, p.file) for p in info.value.problems]


def test_schema_errors_are_located(tiny_dataset, write):
    path = write("i.yaml", """
        dataset: tiny
        impact_assessments:
          - {tax: vat, yield_change: true}
          - {tax: vat, yield_change: .inf}
          - {function: "7. Health", amount: yes}
          - {tax: vat, function: "7. Health", amount: 1}
          - {function: Health, amount: 10}
          - {tax: vat}
          - {tax: vat, yield_change: 0.05, elasticity: 9}
          - {tax: vat, yield_change: 0.05, colour: red}
    """)
    found = _problems(path)
    assert all(f[3] == str(path) for f in found)
    assert [f[:2] for f in found] == [
        (3, "impact_assessments[0].yield_change"), (4, "impact_assessments[1].yield_change"),
        (5, "impact_assessments[2].amount"), (6, "impact_assessments[3]"),
        (7, "impact_assessments[4].function"), (8, "impact_assessments[5]"),
        (9, "impact_assessments[6].elasticity"), (10, "impact_assessments[7].colour")]
    messages = [f[2] for f in found]
    assert "true (true/false) is not a number" in messages[0]
    assert "-0.999999 to 10" in messages[0]
    assert ".inf is not a finite number" in messages[1]
    assert "is not a number" in messages[2] and "-10000000 to 10000000" in messages[2]
    assert "either tax" in messages[3]
    assert "unknown function 'Health'; did you mean '7. Health'?" in messages[4]
    assert "needs yield_change" in messages[5]
    assert "9 is out of range; allowed: 0 to 5" in messages[6]
    assert "unknown key 'colour'" in messages[7]


def test_dataset_errors_are_located(tiny_dataset, write):
    path = write("d.yaml", """
        dataset: tiny
        impact_assessments:
          - {tax: vatt, yield_change: 0.05}
          - {tax: vat, yield_change: 0.05, year: 2031-32}
          - {function: "7. Health", amount: 10}
          - {tax: vat, yield_change: 0.05}
    """)
    found = _problems(path)
    assert [f[:2] for f in found] == [(3, "impact_assessments[0].tax"),
                                      (4, "impact_assessments[1].year"),
                                      (5, "impact_assessments[2]")]
    assert "unknown tax family 'vatt'; did you mean 'vat'?" in found[0][2]
    assert "'2031-32' is not a published year of dataset 'tiny' (2023-24 to 2024-25)" \
        in found[1][2]
    # the tiny regions have no published spending by function: nothing to spread by
    assert "cannot be made" in found[2][2] and "7. Health" in found[2][2]


def test_assessments_round_trip(tiny_dataset, write):
    path = write("ok.yaml", """
        dataset: tiny
        impact_assessments:
          - {tax: vat, yield_change: 0.05, elasticity: 0.2, year: 2023-24}
          - {tax: income_tax, yield_change: -0.01}
    """)
    scenario = load_scenario(path)
    assert [(a.tax, a.yield_change, a.elasticity, a.year)
            for a in scenario.impact_assessments] == [("vat", 0.05, 0.2, "2023-24"),
                                                      ("income_tax", -0.01, 0.0, None)]
    assert parse_scenario(dump_scenario(scenario), name="again") == scenario
