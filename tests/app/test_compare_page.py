"""Compare page: system figures and winners/losers equal each scenario's engine result."""

import pytest

from simulator.presentation import gains
from simulator.scenario import load_scenario, run_scenario
from simulator.scenario.library import DEFAULT_COMPARISON, comparison_presets, scenario_title

from app_helpers import assert_ok, frame_with, open_page

YEAR = "2024-25"


def check(at, library, names, year=YEAR):
    system = frame_with(at, "Measure")
    changes = frame_with(at, "region").set_index("code")
    for name in names:
        title = scenario_title(name)  # columns are named in words, by country for presets
        result = run_scenario(load_scenario(library[name]), year=year)
        summary = result.summary().set_index("year").loc[year]
        for key, value in summary.items():
            shown = system.loc[key, title]
            assert shown == pytest.approx(value, nan_ok=True), (name, key)
        truth = result.by_region().set_index("code")["change_per_head_gbp"]
        for code, value in truth.items():
            assert changes.loc[code, title] == pytest.approx(value), (name, code)
    assert {scenario_title(n) for n in names} <= set(changes.columns)


def gains_caption(at):
    found = [c.value for c in at.caption if c.value.startswith("Under ")]
    assert len(found) == 1, [c.value for c in at.caption]
    return found[0]


def test_default_comparison_is_the_status_quo_and_two_reforms(library):
    at = open_page("compare")
    assert_ok(at)
    names = at.multiselect(key="c_scenarios").value
    assert names == comparison_presets()[DEFAULT_COMPARISON]
    assert names[0] == "status_quo" and len(names) == 3
    assert at.selectbox(key="c_preset").value == DEFAULT_COMPARISON
    check(at, library, names)
    charts = at.get("plotly_chart")
    # the gains-and-losses bars, a map each and the Lorenz curves
    assert len(charts) == 1 + len(names) + 1
    assert any(f"GBP per head, {YEAR}" in s.value for s in at.subheader)
    # the chart's text summary states the API's numbers (the status quo has no bars)
    changes = frame_with(at, "region")
    reforms = [scenario_title(n) for n in names[1:]]
    assert gains_caption(at) == gains.gains_losses_summary(
        changes, reforms, currency="GBP", year=YEAR) + " Status quo: no region gains or loses, so no bars."
    for name in names[1:]:
        truth = run_scenario(load_scenario(library[name]), year=YEAR).by_region()
        best = truth.loc[truth["change_per_head_gbp"].idxmax()]
        assert f"the largest gain is {best['region']} (+GBP {best['change_per_head_gbp']:,.0f})" \
            in gains_caption(at)


def test_real_systems_preset_puts_four_countries_side_by_side(library):
    at = open_page("compare")
    preset = next(p for p in comparison_presets() if "Canada" in p)
    at.selectbox(key="c_preset").set_value(preset).run()
    assert_ok(at)
    names = at.multiselect(key="c_scenarios").value
    assert names == ["canada_rules_on_uk", "germany_rules_on_uk", "australia_rules_on_uk",
                     "switzerland_rules_on_uk"]
    check(at, library, names)
    changes = frame_with(at, "region")
    assert ["Canada's rules on the UK", "Germany's rules on the UK", "Australia's rules on the UK",
            "Switzerland's rules on the UK"] == [c for c in changes.columns
                                                if c not in ("code", "region")]
    assert "Under Canada's rules on the UK" in gains_caption(at)
    assert at.query_params["scenarios"] == ",".join(names)


def test_two_scenarios_another_year(library):
    at = open_page("compare")
    names = ["income_tax_gap_fill_75", "german_symmetric"]
    at.multiselect(key="c_scenarios").set_value(names).run()
    at.select_slider(key="c_year").set_value("2015-16").run()
    assert_ok(at)
    check(at, library, names, "2015-16")
    assert at.query_params["scenarios"] == ",".join(names)


def test_from_the_url(library):
    names = ["status_quo", "swiss_minimum_guarantee"]
    at = open_page("compare", scenarios=",".join(names), year="2020-21")
    assert_ok(at)
    assert at.multiselect(key="c_scenarios").value == names
    check(at, library, names, "2020-21")


def test_one_scenario_asks_for_another(library):
    at = open_page("compare")
    at.multiselect(key="c_scenarios").set_value(["status_quo"]).run()
    assert_ok(at)
    assert any("at least two" in i.value for i in at.info)


def test_bad_url_list_is_ignored(library):
    at = open_page("compare", scenarios="status_quo,nope")
    assert_ok(at)
    assert at.warning


def test_a_reform_built_on_explore_is_compared_with_the_status_quo(library):
    """Build on Explore -> "Add to comparison" -> Compare shows it beside the status quo,
    with the engine's figures for the scenario built."""
    from app_helpers import open_page as open_explore

    at = open_explore("explore")
    at.slider(key="x_opt_rate").set_value(0.5).run()
    at.text_input(key="x_save_name").input("half gap").run()
    at.button(key="x_to_compare").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.multiselect(key="c_scenarios").value == ["status_quo", "mine:half gap"]
    system = frame_with(at, "★ half gap (yours)")
    from simulator.scenario import parse_scenario, run_scenario

    saved = parse_scenario(at.session_state["my_scenarios"]["half gap"], "s.yaml")
    assert saved.steps[0].rate == 0.5
    truth = run_scenario(saved).summary().iloc[-1]
    assert system.loc["cost_to_centre_gbp_m", "★ half gap (yours)"] == pytest.approx(
        truth["cost_to_centre_gbp_m"])
    assert any(b.label == "Report (HTML)" for b in at.get("download_button"))


def test_an_undefined_measure_is_said_so_with_its_reason(library):
    """The status quo closes no capacity gap (there is none): the grid cannot print
    'undefined' in a number column, so a line under it says which measure, for whom
    and why."""
    at = open_page("compare", scenarios="status_quo,income_tax_gap_fill_75")
    assert_ok(at)
    notes = [c.value for c in at.caption if "undefined for" in c.value]
    assert any(n.startswith("Share of capacity gap closed") and "Status quo" in n
               and "no gap" in n for n in notes), notes
    assert not any("Income tax gap fill 75" in n for n in notes)
