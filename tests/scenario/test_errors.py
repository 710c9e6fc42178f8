"""Each class of bad input gives one readable problem naming file, line, column and field."""

from __future__ import annotations

import pytest

from simulator.errors import SimulatorError
from simulator.scenario import Problem, ScenarioError, load_scenario, parse_scenario
from simulator.scenario.yaml_source import MAX_FILE_BYTES


def problems_of(path) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert isinstance(info.value, SimulatorError)
    return info.value.problems


def only(path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_typo_key_suggests_the_nearest(tiny_dataset, write):
    path = write("typo.yaml", """
        dataset: tiny
        steps:
          - type: gap_fill
            rat: 0.5
    """)
    problem = only(path)
    assert (problem.file, problem.line, problem.column) == (str(path), 4, 5)
    assert problem.path == "steps[0].rat"
    assert "unknown key 'rat'" in problem.message and "did you mean 'rate'?" in problem.message
    assert str(problem).startswith(f"{path}:4:5: steps[0].rat: ")


def test_typo_top_level_key(tiny_dataset, write):
    problem = only(write("top.yaml", "dataset: tiny\ndevolutoin: {income_tax: 1}\n"))
    assert (problem.line, problem.path) == (2, "devolutoin")
    assert "did you mean 'devolution'?" in problem.message


def test_out_of_range_value_names_range_and_unit(tiny_dataset, write):
    path = write("range.yaml", """
        dataset: tiny
        devolution:
          income_tax: {share: 1.5}
    """)
    problem = only(path)
    assert (problem.line, problem.column, problem.path) == (3, 23, "devolution.income_tax.share")
    assert "1.5 is out of range; allowed: 0 to 1" in problem.message
    assert "share (0-1)" in problem.message


def test_out_of_range_step_parameter(tiny_dataset, write):
    problem = only(write("step_range.yaml", "dataset: tiny\nsteps:\n  - {type: gap_fill, rate: -0.5}\n"))
    assert (problem.line, problem.path) == (3, "steps[0].rate")
    assert "-0.5 is out of range; allowed: 0 to 1" in problem.message


def test_wrong_type(tiny_dataset, write):
    problem = only(write("type.yaml", "dataset: tiny\nsteps:\n  - type: gap_fill\n    rate: lots\n"))
    assert (problem.line, problem.column, problem.path) == (4, 11, "steps[0].rate")
    assert problem.message == "expected a number, got 'lots' (text); allowed: 0 to 1 (share (0-1))"


def test_wrong_type_in_a_union_is_one_problem(tiny_dataset, write):
    problem = only(write("union.yaml", """
        dataset: tiny
        devolution:
          vat: {own_rate: true, rate_change: [0.1]}
    """))
    assert problem.path == "devolution.vat.rate_change"
    assert "expected a number or a mapping" in problem.message


def test_bad_choice_lists_allowed_values(tiny_dataset, write):
    problem = only(write("choice.yaml", "dataset: tiny\nblock_grant_adjustment: per_capta\n"))
    assert (problem.line, problem.path) == (2, "block_grant_adjustment")
    assert "'per_capita', 'own_revenue', 'none'" in problem.message
    assert "did you mean 'per_capita'?" in problem.message


def test_unknown_step_type(tiny_dataset, write):
    path = write("step.yaml", "dataset: tiny\nsteps:\n  - type: gapfill\n    rate: 0.5\n")
    problem = only(path)
    assert (problem.line, problem.column, problem.path) == (3, 11, "steps[0].type")
    assert "unknown step type 'gapfill'; did you mean 'gap_fill'?" in problem.message
    assert "gap_fill" in problem.message.split("nown step types:")[1]


def test_several_problems_are_all_reported_in_line_order(tiny_dataset, write):
    problems = problems_of(write("many.yaml", """
        dataset: tiny
        steps:
          - {type: gap_fill, rate: 2}
        devolution: {income_tax: {share: x}}
        nonsense: 1
    """))
    assert [(p.line, p.path) for p in problems] == [
        (3, "steps[0].rate"), (4, "devolution.income_tax.share"), (5, "nonsense")]


def test_bad_yaml_syntax(tiny_dataset, write):
    path = write("syntax.yaml", "dataset: tiny\nsteps:\n  - type: gap_fill\n   rate: [0.5\n")
    problem = only(path)
    assert problem.file == str(path) and problem.line in (4, 5)
    assert problem.message.startswith("YAML syntax error")


def test_tab_indentation_is_a_syntax_error_with_line(tiny_dataset, write):
    problem = only(write("tab.yaml", "dataset: tiny\nsteps:\n\t- type: gap_fill\n"))
    assert problem.line == 3 and "YAML syntax error" in problem.message


def test_duplicate_key(tiny_dataset, write):
    problem = only(write("dup.yaml", "dataset: tiny\nyear: 2024-25\nyear: 2023-24\n"))
    assert (problem.line, problem.path) == (3, "year")
    assert "duplicate key 'year' (first given on line 2)" in problem.message


def test_oversized_file_is_refused_before_parsing(tiny_dataset, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("dataset: tiny\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    problem = only(path)
    assert problem.file == str(path) and "limited to 256 KiB" in problem.message


def test_alias_bomb_is_refused(tiny_dataset, write):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        levels.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    problem = only(write("bomb.yaml", "\n".join(levels) + "\n"))
    assert "alias" in problem.message and problem.line is not None


def test_expansion_bomb_with_few_aliases_is_refused(tiny_dataset, write):
    levels = ["a0: &a0 [" + ", ".join(["x"] * 40) + "]"]
    for i in range(1, 6):  # 30 aliases (within the limit) expanding to 311,040 values
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 6) + "]")
    problem = only(write("bomb2.yaml", "\n".join(levels) + "\n"))
    assert "alias bomb" in problem.message


def test_python_tags_are_refused(tiny_dataset, write):
    problem = only(write("tag.yaml", "dataset: !!python/object/apply:os.system ['true']\n"))
    assert (problem.line, problem.column, problem.path) == (1, 10, "dataset")
    assert "YAML tag '!!python/object/apply:os.system' is not allowed" in problem.message


def test_extends_cycle_is_named(tiny_dataset, write):
    write("a.yaml", "extends: b.yaml\ndataset: tiny\n")
    write("b.yaml", "extends: a.yaml\n")
    problem = only(write("c.yaml", "extends: a.yaml\n"))
    assert problem.message.endswith("extends cycle: a.yaml -> b.yaml -> a.yaml")
    assert problem.path == "extends" and problem.line == 1 and problem.file.endswith("b.yaml")


def test_self_extension_is_a_cycle(tiny_dataset, write):
    problem = only(write("self.yaml", "dataset: tiny\nextends: self.yaml\n"))
    assert "extends cycle: self.yaml -> self.yaml" in problem.message and problem.line == 2


def test_missing_extends_file(tiny_dataset, write):
    write("status_quo.yaml", "dataset: tiny\n")
    path = write("reform.yaml", "name: r\nextends: status_qou.yaml\n")
    problem = only(path)
    assert (problem.file, problem.line, problem.column, problem.path) == (str(path), 2, 10, "extends")
    assert "'status_qou.yaml' not found" in problem.message
    assert "did you mean 'status_quo.yaml'?" in problem.message


def test_problem_in_the_base_file_points_at_the_base(tiny_dataset, write):
    base = write("base.yaml", "dataset: tiny\nsteps:\n  - {type: gap_fill, rate: 9}\n")
    problem = only(write("reform.yaml", "extends: base.yaml\ndevolution: {vat: 1}\n"))
    assert (problem.file, problem.line, problem.path) == (str(base), 3, "steps[0].rate")


def test_missing_baseline_file(tiny_dataset, write):
    problem = only(write("r.yaml", "dataset: tiny\nbaseline: nowhere.yaml\n"))
    assert (problem.line, problem.path) == (2, "baseline") and "not found" in problem.message


def test_names_checked_against_the_dataset(tiny_dataset, write):
    problems = problems_of(write("names.yaml", """
        dataset: {name: tiny, options: {north_see: geographic}}
    """))
    assert problems[0].path == "dataset.options.north_see"
    assert "did you mean 'north_sea'?" in problems[0].message
    problems = problems_of(write("names2.yaml", """
        dataset: tiny
        year: 2031-32
    """))
    assert problems[0].path == "year" and problems[0].line == 2 and "2031-32" in problems[0].message
    problems = problems_of(write("names3.yaml", """
        dataset: tiny
        devolution: {income_taxes: 1}
        block_grant: identifiable_spending
        need_index: {A: 1, B: 1, D: 1}
    """))
    assert [(p.line, p.path) for p in problems] == [
        (2, "devolution.income_taxes"), (3, "block_grant"), (4, "need_index"),
        (4, "need_index.D")]
    assert "did you mean 'income_tax'?" in problems[0].message
    assert "did you mean 'identifiable_expenditure'?" in problems[1].message
    assert "missing: C" in problems[2].message


def test_unknown_dataset(tiny_dataset, write):
    problem = only(write("ds.yaml", "dataset: tinny\n"))
    assert (problem.line, problem.path) == (1, "dataset.name")
    assert "did you mean 'tiny'?" in problem.message


def test_bad_dataset_option_value(tiny_dataset, write):
    problem = only(write("opt.yaml", "dataset: {name: tiny, options: {north_sea: offshore}}\n"))
    assert problem.path.startswith("dataset") and "offshore" in problem.message


def test_not_a_mapping_and_empty_file(tiny_dataset, write):
    assert "must be a mapping" in only(write("list.yaml", "- a\n- b\n")).message
    assert "empty" in only(write("empty.yaml", "# nothing\n")).message


def test_missing_file(tiny_dataset, tmp_path):
    problem = only(tmp_path / "absent.yaml")
    assert problem.message == "file not found"


def test_parse_scenario_text(tiny_dataset):
    with pytest.raises(ScenarioError) as info:
        parse_scenario("dataset: tiny\nsteps: [{type: gap_fill, rate: 3}]\n", name="inline")
    assert str(info.value).startswith("inline:2:")


def test_unknown_region_in_a_step_parameter(tiny_dataset, write):
    problem = only(write("weights.yaml", """
        dataset: tiny
        steps:
          - type: weight_population
            weights: {A: 1.2, Q: 1.35}
    """))
    assert (problem.line, problem.column, problem.path) == (4, 23, "steps[0].weights.Q")
    assert "unknown region code 'Q'" in problem.message


def test_a_step_that_cannot_run_is_named(tiny_dataset, write):
    problem = only(write("scope.yaml", """
        dataset: tiny
        steps:
          - type: gap_fill
          - type: horizontal_funding
            scope: [no such step]
    """))
    assert (problem.line, problem.path) == (4, "steps[1]")
    assert problem.message.startswith("this step cannot run:")


def test_infinite_or_undefined_numbers_are_refused(tiny_dataset, write):
    problems = problems_of(write("inf.yaml", """
        dataset: tiny
        steps:
          - {type: weight_population, weights: {A: .inf}}
          - {type: gap_fill, rate: .nan}
    """))
    assert [(p.line, p.path, p.message) for p in problems] == [
        (3, "steps[0].weights.A", ".inf is not a finite number; allowed: 0 to 1000000 (weight)"),
        (4, "steps[1].rate", ".nan is not a number (undefined); allowed: 0 to 1 (share (0-1))")]


def test_a_union_reports_the_branch_the_author_meant(tiny_dataset, write):
    problem = only(write("need.yaml", "dataset: tiny\nneed_index: {A: 1, B: -2, C: 1}\n"))
    assert problem.path == "need_index.B" and "-2 is out of range; allowed: > 0 and <= 10" in problem.message
    problem = only(write("need2.yaml", "dataset: tiny\nneed_index: [1, 2]\n"))
    assert problem.message == "expected text or a mapping (key: value), got a list"


def test_a_character_yaml_cannot_hold_is_a_problem_with_its_line():
    with pytest.raises(ScenarioError) as info:
        parse_scenario("name: a\nyear: 20\x0024-25\n", name="pasted.yaml")
    problem = info.value.problems[0]
    assert (problem.file, problem.line, problem.column) == ("pasted.yaml", 2, 9)
    assert "U+0000" in str(info.value)
