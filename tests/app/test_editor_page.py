"""Scenario editor: live validation with line, field and message; downloads."""

import io

import pandas as pd
import pytest

from simulator import presentation
from simulator.scenario import dump_scenario, load_scenario, parse_scenario, run_scenario

from app_helpers import assert_ok, frame_with, open_page


def test_library_scenario_is_valid_and_runs(library):
    at = open_page("editor")
    assert_ok(at)
    assert at.success and "Valid" in at.success[0].value
    scenario = load_scenario(library["income_tax_gap_fill_75"])
    result = run_scenario(scenario)
    year = result.federation.years[-1]
    table = frame_with(at, f"After (GBP per head, {year})").set_index("Region")
    truth = result.by_region().set_index("region")
    for region in truth.index:
        assert table.loc[region, f"After (GBP per head, {year})"] == pytest.approx(
            truth.loc[region, "resources_per_head_gbp"])
    figures = frame_with(at, "Measure")
    summary = result.summary().set_index("year").loc[year]
    assert figures.loc["gini_after", scenario.name] == pytest.approx(summary["gini_after"])
    # the text shown is self-contained and loads back to the same scenario
    text = at.text_area(key="e_text").value
    assert dump_scenario(parse_scenario(text, "x.yaml")) == dump_scenario(scenario)
    labels = [b.label for b in at.get("download_button")]
    for wanted in ("Scenario (YAML)", "Table (CSV)", "Tables (Excel)", "Report on this (HTML)"):
        assert wanted in labels


def test_edits_are_validated_with_line_and_field():
    at = open_page("editor")
    text = at.text_area(key="e_text").value
    assert "rate: 0.75" in text
    line = text[: text.index("rate: 0.75")].count("\n") + 1
    at.text_area(key="e_text").set_value(text.replace("rate: 0.75", "rate: 1.5")).run()
    assert not at.exception
    problems = frame_with(at, "Field")
    assert list(problems["Field"]) == ["steps[0].rate"]
    assert problems["Line"].iloc[0] == line
    assert "1.5" in problems["Message"].iloc[0]
    assert at.error


@pytest.mark.parametrize("text, field", [
    ("name: x\n  bad indent: [\n", "(file)"),
    ("", "(file)"),
    ("name: x\ndevolution: {income_taxx: 1}\n", "devolution.income_taxx"),
    ("name: x\nextends: no_such_file.yaml\n", "extends"),
])
def test_bad_text_lists_problems(text, field):
    at = open_page("editor")
    at.text_area(key="e_text").set_value(text).run()
    assert not at.exception
    problems = frame_with(at, "Field")
    assert field in list(problems["Field"])


def test_start_from_another_library_scenario(library):
    at = open_page("editor")
    at.selectbox(key="e_start").set_value("german_symmetric").run()
    assert_ok(at)
    assert "german_symmetric" in at.text_area(key="e_text").value
    assert at.query_params["start"] == "german_symmetric"


def test_download_contents(library):
    scenario = load_scenario(library["income_tax_gap_fill_75"])
    result = run_scenario(scenario)
    tables = presentation.result_tables(result)
    workbook = pd.read_excel(io.BytesIO(presentation.excel_bytes(tables, ["a note"])),
                             sheet_name=None)
    assert set(workbook) == {"regions", "summary", "marginal_rates", "notes"}
    pd.testing.assert_frame_equal(workbook["summary"], result.summary(), check_dtype=False)
    assert workbook["regions"]["resources_per_head_gbp"].tolist() == pytest.approx(
        result.by_region()["resources_per_head_gbp"].tolist())


def test_text_extends_a_library_scenario_by_file_name():
    at = open_page("editor")
    text = "name: mine\nextends: status_quo.yaml\ndevolution: {income_tax: 0.5}\n"
    at.text_area(key="e_text").set_value(text).run()
    assert_ok(at)
    assert at.success and "Valid" in at.success[0].value
    result = run_scenario(parse_scenario(text, "scenario.yaml"))
    year = result.federation.years[-1]
    table = frame_with(at, f"After (GBP per head, {year})").set_index("Region")
    truth = result.by_region().set_index("region")
    for region in truth.index:
        assert table.loc[region, f"After (GBP per head, {year})"] == pytest.approx(
            truth.loc[region, "resources_per_head_gbp"])


def test_an_invalid_edit_keeps_the_last_valid_result_greyed_under_the_problems(library):
    at = open_page("editor")
    valid = frame_with(at, "Measure").copy()
    text = at.text_area(key="e_text").value
    at.text_area(key="e_text").set_value(text.replace("rate: 0.75", "rate: 1.5")).run()
    assert not at.exception
    assert at.error and frame_with(at, "Field")["Field"].tolist() == ["steps[0].rate"]
    # the last valid figures, unchanged, inside the greyed container
    pd.testing.assert_frame_equal(frame_with(at, "Measure"), valid)
    assert any("greyed" in c.value for c in at.caption)
    # fixed again: the live result, no greyed copy
    at.text_area(key="e_text").set_value(text.replace("rate: 0.75", "rate: 0.5")).run()
    assert_ok(at)
    assert not any("greyed" in c.value for c in at.caption)


def test_a_projection_section_is_run_as_the_command_line_runs_it(library):
    scenario = load_scenario(library["income_tax_ipc_projection"])
    at = open_page("editor", start="income_tax_ipc_projection")
    assert_ok(at)
    assert "projection:" in at.text_area(key="e_text").value
    assert any("Projection run" in i.value for i in at.info)
    result = run_scenario(scenario)  # the CLI's run: jump-off and projected years
    last = result.federation.years[-1]
    assert last == "2029-30"
    figures = frame_with(at, "Measure")
    summary = result.summary().set_index("year").loc[last]
    assert figures.loc["gini_after", scenario.name] == pytest.approx(summary["gini_after"])


def test_the_link_carries_the_text_and_reopens_it(library):
    at = open_page("editor")
    text = at.text_area(key="e_text").value.replace("rate: 0.75", "rate: 0.6")
    at.text_area(key="e_text").set_value(text).run()
    token = at.query_params["s"]
    fresh = open_page("editor", s=token)
    assert_ok(fresh)
    assert fresh.text_area(key="e_text").value == text
    assert frame_with(fresh, "Measure").equals(frame_with(at, "Measure"))


def test_a_typed_scenario_is_saved_and_offered_to_start_from(library):
    at = open_page("editor")
    text = at.text_area(key="e_text").value.replace("rate: 0.75", "rate: 0.6")
    at.text_area(key="e_text").set_value(text).run()
    at.text_input(key="e_save_name").input("sixty").run()
    at.button(key="e_save").click().run()
    assert_ok(at)
    assert "sixty" in at.session_state["my_scenarios"]
    at.run()
    assert "★ sixty (yours)" in at.selectbox(key="e_start").options
