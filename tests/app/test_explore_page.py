"""Explore page: the figures shown are the engine's for the options chosen."""

import numpy as np
import pytest

import simulator
from simulator.scenario import load_scenario, run_scenario
from simulator.steps import STEP_TYPES

from app_helpers import assert_ok, frame_with, metric, number, open_page

YEAR = "2024-25"


def engine(library, name="income_tax_gap_fill_75", year=YEAR, **changes):
    """The expected result, from the public scenario API."""
    scenario = load_scenario(library[name])
    if changes:
        scenario = scenario.model_copy(update=changes)
    return run_scenario(scenario, year=year)


def assert_shows(at, result, year=YEAR):
    """Metrics and the region table equal the engine's result."""
    summary = result.summary().set_index("year").loc[year]
    assert number(metric(at, "Gini").value) == pytest.approx(summary["gini_after"], abs=5e-4)
    assert number(metric(at, "Gini").delta) == pytest.approx(
        summary["gini_after"] - summary["gini_before"], abs=5e-4)
    assert number(metric(at, "Theil").value) == pytest.approx(summary["theil_after"], abs=5e-5)
    assert number(metric(at, "Cost to the centre").value) == pytest.approx(
        summary["cost_to_centre_gbp_m"], abs=0.5)
    closed = metric(at, "Capacity gap closed").value
    if np.isfinite(summary["capacity_gap_closed"]):
        assert number(closed) == pytest.approx(100 * summary["capacity_gap_closed"], abs=0.05)
    else:
        assert closed.startswith("n/a")
    table = frame_with(at, f"After (GBP per head, {year})").set_index("Region")
    truth = result.by_region().set_index("region")
    for region in truth.index:
        assert table.loc[region, f"After (GBP per head, {year})"] == pytest.approx(
            truth.loc[region, "resources_per_head_gbp"])
        assert table.loc[region, f"Change (GBP per head, {year})"] == pytest.approx(
            truth.loc[region, "change_per_head_gbp"])


def test_default_scenario(library):
    at = open_page("explore")
    assert_ok(at)
    assert at.selectbox(key="x_scenario").value == "income_tax_gap_fill_75"
    assert_shows(at, engine(library))
    assert len(at.get("plotly_chart")) == 3  # resources, map, marginal rates
    assert at.query_params["scenario"] == "income_tax_gap_fill_75"
    assert at.query_params["rate"] == "0.75"


def test_rate_slider(library):
    at = open_page("explore")
    at.slider(key="x_opt_rate").set_value(0.5).run()
    assert_ok(at)
    base = load_scenario(library["income_tax_gap_fill_75"])
    steps = [base.steps[0].model_copy(update={"rate": 0.5})]
    assert_shows(at, engine(library, steps=steps))
    assert at.query_params["rate"] == "0.5"


def test_standard_slider(library):
    at = open_page("explore")
    at.slider(key="x_opt_fraction").set_value(0.9).run()
    assert_ok(at)
    base = load_scenario(library["income_tax_gap_fill_75"])
    standard = base.steps[0].standard.model_copy(update={"fraction": 0.9})
    assert_shows(at, engine(library, steps=[base.steps[0].model_copy(
        update={"standard": standard})]))


def test_devolving_another_tax_with_a_share(library):
    at = open_page("explore")
    at.multiselect(key="x_opt_taxes").select("vat").run()
    at.slider(key="x_opt_share_vat").set_value(0.5).run()
    assert_ok(at)
    base = load_scenario(library["income_tax_gap_fill_75"])
    devolution = {**base.devolution, "vat": simulator.TaxDevolution(share=0.5)}
    assert_shows(at, engine(library, devolution=devolution))
    assert "vat:0.5" in at.query_params["taxes"]


def test_minimum_guarantee_and_its_floor(library):
    at = open_page("explore")
    at.toggle(key="x_opt_guarantee").set_value(True).run()
    at.slider(key="x_opt_floor").set_value(80.0).run()
    assert_ok(at)
    base = load_scenario(library["income_tax_gap_fill_75"])
    guarantee = STEP_TYPES["minimum_guarantee"](floor_index=80.0)
    assert_shows(at, engine(library, steps=[*base.steps, guarantee]))


def test_nothing_devolved_explains_the_missing_marginal_rates(library):
    at = open_page("explore")
    at.multiselect(key="x_opt_taxes").set_value([]).run()
    at.slider(key="x_opt_rate").set_value(0.0).run()
    assert_ok(at)
    assert any("marginal rates" in i.value.lower() for i in at.info)
    base = load_scenario(library["income_tax_gap_fill_75"])
    assert_shows(at, engine(library, devolution={}, steps=[
        base.steps[0].model_copy(update={"rate": 0.0})]))


def test_another_scenario_and_year(library):
    at = open_page("explore")
    at.selectbox(key="x_scenario").set_value("german_symmetric").run()
    at.select_slider(key="x_year").set_value("2019-20").run()
    assert_ok(at)
    assert_shows(at, engine(library, "german_symmetric", year="2019-20"), year="2019-20")


def test_state_comes_from_the_url(library):
    at = open_page("explore", scenario="income_tax_gap_fill_75", year="2019-20", rate="0.3",
                   fraction="0.95")
    assert_ok(at)
    assert at.slider(key="x_opt_rate").value == pytest.approx(0.3)
    base = load_scenario(library["income_tax_gap_fill_75"])
    step = base.steps[0]
    step = step.model_copy(update={"rate": 0.3, "standard": step.standard.model_copy(
        update={"fraction": 0.95})})
    assert_shows(at, engine(library, year="2019-20", steps=[step]), year="2019-20")


def test_bad_url_values_are_ignored_with_a_warning(library):
    at = open_page("explore", rate="lots", scenario="no_such_file", taxes="petrol:2")
    assert_ok(at)
    assert len(at.warning) == 3
    assert_shows(at, engine(library))


def test_teaching_dataset_has_no_map(library):
    at = open_page("explore")
    at.selectbox(key="x_dataset").set_value("teaching").run()
    assert_ok(at)
    assert any("No map" in i.value for i in at.info)
    from simulator import presentation

    scenario = load_scenario(library["income_tax_gap_fill_75"])
    result = simulator.run(presentation.teaching_federation(), scenario.to_system())
    assert_shows(at, result)


GOOD_UPLOAD = b"""\
name: my_upload
dataset: uk_itl1
year: 2024-25
devolution: {income_tax: 0.5}
block_grant: identifiable_expenditure
steps:
  - {type: symmetric, rate: 0.5}
"""


def test_uploaded_scenario(library):
    at = open_page("explore")
    at.selectbox(key="x_scenario").set_value("Upload a YAML file").run()
    assert_ok(at)
    assert at.info  # asks for a file
    at.file_uploader(key="x_upload").upload("mine.yaml", GOOD_UPLOAD, "application/x-yaml")
    at.run()
    assert_ok(at)
    from simulator.scenario import parse_scenario

    assert_shows(at, run_scenario(parse_scenario(GOOD_UPLOAD.decode(), "mine.yaml")))


@pytest.mark.parametrize("content, words", [
    (b"name: x\nsteps:\n  - {type: gap_fill, rate: 2}\n", ["Line 3", "steps[0].rate"]),
    (b"name: [unclosed\n", ["Line", "YAML"]),
    (b"\xff\xfe\x00binary", ["not a UTF-8 text file"]),
    (b"name: x\x00\n", ["character"]),
    (b"steps:\n  - type: no_such_step\n", ["steps[0]"]),
    (b"name: x\nextends: status_qou.yaml\n", ["Line 2", "extends", "status_quo.yaml"]),
])
def test_bad_upload_gives_a_clear_message(content, words):
    at = open_page("explore")
    at.selectbox(key="x_scenario").set_value("Upload a YAML file").run()
    at.file_uploader(key="x_upload").upload("bad.yaml", content, "application/x-yaml")
    at.run()
    assert not at.exception
    assert at.error, "an error message is shown"
    message = at.error[0].value
    for word in words:
        assert word in message


def test_an_upload_extends_a_library_scenario_by_file_name(library):
    from simulator.scenario import parse_scenario

    text = b"name: mine\nextends: status_quo.yaml\ndevolution: {income_tax: 0.5}\n"
    at = open_page("explore")
    at.selectbox(key="x_scenario").set_value("Upload a YAML file").run()
    at.file_uploader(key="x_upload").upload("mine.yaml", text, "application/x-yaml")
    at.run()
    assert_ok(at)
    assert_shows(at, run_scenario(parse_scenario(text.decode(), "mine.yaml")))


# ------------------------------------------------------------------ local authorities and presets
def test_local_authority_scenario_with_hex_map_and_boundaries(library):
    at = open_page("explore", scenario="england_la_targeted_fund")
    assert_ok(at)
    assert at.selectbox(key="x_dataset").value == "england_la"
    result = run_scenario(load_scenario(library["england_la_targeted_fund"]))
    table = frame_with(at, "After (GBP per head, 2025-26)").set_index("Region")
    assert len(table) == 296
    truth = result.by_region().set_index("region")
    for region in truth.index[::15]:
        assert table.loc[region, "Change (GBP per head, 2025-26)"] == pytest.approx(
            truth.loc[region, "change_per_head_gbp"])
    summary = result.summary().iloc[0]
    assert number(metric(at, "Cost to the centre").value) == pytest.approx(
        summary["cost_to_centre_gbp_m"], abs=0.5)
    assert at.radio(key="x_map_kind").value == "Hex map"
    charts = at.get("plotly_chart")
    assert len(charts) == 3
    # the bar chart shows the 20 largest gains and the 20 largest losses, not all 296
    import json

    bars = json.loads(charts[0].proto.spec)["data"][0]["y"]
    assert len(bars[0]) == 2 * 40
    assert any("20 largest and the 20 smallest" in c.value for c in at.caption)
    at.radio(key="x_map_kind").set_value("Boundaries").run()
    assert_ok(at)
    assert len(at.get("plotly_chart")) == 3


@pytest.mark.parametrize("name, dataset", [
    ("canada_equalization_2025_26", "canada_2025_26"),
    ("australia_gst_2025_26", "australia_2025_26"),
    ("germany_finanzkraftausgleich_2024", "germany_2024"),
    ("switzerland_nfa_teaching", "switzerland_teaching"),
])
def test_a_preset_switches_the_dataset(library, name, dataset):
    at = open_page("explore")
    picker = at.selectbox(key="x_scenario")
    from app_pages._shared import PRESETS

    assert f"{PRESETS[name]} (real system)" in picker.options  # labelled by country
    picker.set_value(name).run()
    assert_ok(at)
    assert at.selectbox(key="x_dataset").value == dataset
    result = run_scenario(load_scenario(library[name]))
    year = result.federation.years[-1]
    cur = result.currency
    table = frame_with(at, f"After ({cur} per head, {year})").set_index("Region")
    truth = result.by_region().set_index("region")
    for region in truth.index:
        assert table.loc[region, f"After ({cur} per head, {year})"] == pytest.approx(
            truth.loc[region, f"resources_per_head_{cur.lower()}"])


# ------------------------------------------------------------------ own mechanism, links, carrying
@pytest.mark.parametrize("name", ["canada_equalization_2025_26", "australia_gst_2025_26",
                                  "germany_finanzkraftausgleich_2024"])
def test_a_preset_keeps_its_own_mechanism_not_a_rate_of_zero(library, name):
    """The rate slider would show 0.00 and moving it would add a second gap-fill: it is
    not offered; the page names the preset's own steps and shows its own result."""
    at = open_page("explore", scenario=name)
    assert_ok(at)
    keys = {s.key for s in at.slider}
    assert "x_opt_rate" not in keys and "x_opt_fraction" not in keys
    assert any("equalises by its own steps" in c.value for c in at.caption)
    assert "rate" not in at.query_params
    result = run_scenario(load_scenario(library[name]))
    summary = result.summary().iloc[-1]
    cur = result.currency
    assert number(metric(at, "Cost to the centre").value) == pytest.approx(
        summary[f"cost_to_centre_{cur.lower()}_m"], abs=0.5)


def test_an_uploaded_scenario_link_reopens_the_same_scenario(library):
    """The link of an upload carries the whole scenario: opening it in a new session
    shows the same figures (not the default scenario with the upload's options)."""
    from simulator.scenario import parse_scenario

    at = open_page("explore")
    at.selectbox(key="x_scenario").set_value("Upload a YAML file").run()
    at.file_uploader(key="x_upload").upload("mine.yaml", GOOD_UPLOAD, "application/x-yaml")
    at.run()
    assert_ok(at)
    assert "scenario" not in at.query_params
    token = at.query_params["s"]
    fresh = open_page("explore", s=token)
    assert_ok(fresh)
    assert fresh.selectbox(key="x_scenario").value.startswith("mine:")
    assert_shows(fresh, run_scenario(parse_scenario(GOOD_UPLOAD.decode(), "mine.yaml")))
    assert fresh.query_params["s"] == token  # the reopened page links to itself


def test_a_bad_link_says_why(library):
    at = open_page("explore", s="v1.not-a-scenario")
    assert not at.exception
    assert any("link" in e.value for e in at.error)


def test_an_edited_scenario_is_saved_and_offered_everywhere(library):
    at = open_page("explore")
    at.slider(key="x_opt_rate").set_value(0.5).run()
    at.text_input(key="x_save_name").input("half gap").run()
    at.button(key="x_save").click().run()
    assert_ok(at)
    assert "half gap" in at.session_state["my_scenarios"]
    at.run()
    assert "★ half gap (yours)" in at.selectbox(key="x_scenario").options
    # the stored text is the scenario shown: rate 0.5
    from simulator.scenario import parse_scenario

    saved = parse_scenario(at.session_state["my_scenarios"]["half gap"], "s.yaml")
    assert saved.steps[0].rate == 0.5


def test_undefined_measures_are_said_so_not_shown_as_nan(library):
    """33,755 neighbourhoods, most funded nothing: the Theil index and the highest/lowest
    ratio have no value (a region at 0); the cards say "undefined" with the reason."""
    at = open_page("explore", scenario="local_trust_neighbourhood_fund")
    assert_ok(at)
    values = {m.label.split(",")[0]: m.value for m in at.metric}
    assert values["Theil index"] == "undefined" and values["Highest / lowest"] == "undefined"
    assert not any("nan" in str(m.value).lower() for m in at.metric)
    theil = next(m for m in at.metric if m.label.startswith("Theil"))
    assert "above 0" in theil.help
