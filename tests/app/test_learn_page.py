"""Learn page: every mechanism on the teaching federation, numbers from the engine."""

import numpy as np
import pytest

import simulator
from simulator import presentation
from simulator.steps import STEP_TYPES

from app_helpers import assert_ok, frame_with, open_page

MECHANISMS = ["gap_fill", "symmetric", "minimum_guarantee", "needs_pool", "no_worse_off",
              "change_limits", "horizontal_funding", "fixed_pool", "weight_population"]
#: the page's default parameters of each mechanism, and what runs before it
DEFAULTS = {
    "gap_fill": {"rate": 0.75, "standard": {"fraction": 1.0}},
    "symmetric": {"rate": 0.63},
    "minimum_guarantee": {"floor_index": 70.0, "target_index": 86.5,
                          "marginal_rate_at_floor": 0.9},
    "needs_pool": {"pool_per_head": 1000.0},
    "no_worse_off": {},
    "change_limits": {"floor_change": -0.02, "cap_change": 0.05, "self_financing": False},
    "horizontal_funding": {"share": 1.0},
    "fixed_pool": {"amount_per_head": 500.0, "method": "equal_per_head"},
    "weight_population": {"weights": {"N": 1.35}},
}


def engine(kind, tax="income_tax", share=1.0):
    fed = presentation.teaching_federation()
    earlier = ([STEP_TYPES["gap_fill"](rate=1.0)] if kind in ("horizontal_funding", "fixed_pool")
               else [])
    system = simulator.System(devolution={tax: share}, block_grant="identifiable_expenditure",
                              need_index="need_index",
                              steps=earlier + [STEP_TYPES[kind].model_validate(DEFAULTS[kind])])
    return simulator.run(fed, system)


@pytest.mark.parametrize("kind", [k for k in MECHANISMS if k in STEP_TYPES])
def test_each_mechanism_matches_the_engine(kind):
    at = open_page("learn", mechanism=kind)
    assert_ok(at)
    assert at.selectbox(key="l_step").value == kind
    result = engine(kind)
    table = frame_with(at, "Resources after the mechanism (GBP/head)").set_index("Region")
    truth = result.by_region().set_index("region")
    for region in truth.index:
        assert table.loc[region, "Resources after the mechanism (GBP/head)"] == pytest.approx(
            truth.loc[region, "resources_per_head_gbp"])
    assert at.latex, "formulas are shown"
    assert at.get("plotly_chart")


def test_gap_fill_formula_has_the_engines_numbers():
    at = open_page("learn", mechanism="gap_fill", region="Eastvale")
    assert_ok(at)
    result = engine("gap_fill")
    i = result.federation.codes.index("E")
    transfer = float(np.asarray(result.state.transfers[-1][1]).reshape(-1)[i])
    latex = " ".join(l.value for l in at.latex)
    assert presentation.tex_money(transfer) in latex
    assert presentation.tex_money(2000) in latex  # Eastvale's income tax per head (c_i)


def test_devolution_widgets():
    at = open_page("learn")
    at.selectbox(key="l_tax").set_value("vat").run()
    at.slider(key="l_share").set_value(0.5).run()
    assert_ok(at)
    fed = presentation.teaching_federation()
    start = simulator.run(fed, simulator.System(
        devolution={"vat": 0.5}, block_grant="identifiable_expenditure")).state
    capacity = float(np.asarray(start.fiscal_capacity).reshape(-1)[0])  # Northmoor
    assert presentation.tex_money(capacity) in at.latex[0].value
    assert at.query_params["tax"] == "vat"
    assert at.query_params["share"] == "0.5"


def test_inconsistent_parameters_give_a_message():
    at = open_page("learn", mechanism="minimum_guarantee")
    at.slider(key="l_mg_floor").set_value(90.0).run()
    at.slider(key="l_mg_target").set_value(80.0).run()
    assert not at.exception
    assert at.error and "floor_index" in at.error[0].value


PRESETS = ["canada_equalization_2025_26", "australia_gst_2025_26",
           "germany_finanzkraftausgleich_2024", "switzerland_nfa_teaching"]


@pytest.mark.parametrize("name", PRESETS)
def test_real_system_formulas_results_and_validation(library, name):
    from simulator.scenario import load_scenario, run_scenario

    at = open_page("learn", system=name)
    assert_ok(at)
    assert at.selectbox(key="l_real").value == name
    scenario = load_scenario(library[name])
    result = run_scenario(scenario)
    year, cur = result.federation.years[-1], result.currency
    table = frame_with(at, f"After ({cur} per head, {year})").set_index("Region")
    truth = result.by_region().set_index("region")
    for region in truth.index:
        assert table.loc[region, f"After ({cur} per head, {year})"] == pytest.approx(
            truth.loc[region, f"resources_per_head_{cur.lower()}"])
    latex = " ".join(l.value for l in at.latex)
    for step in scenario.steps:  # every step shows its formula (with its parameters)
        for _, formula in presentation.step_formulas(step, cur):
            assert formula in latex
    assert any("Published" in m.value and "Simulated" in m.value for m in at.markdown), \
        "the published-vs-simulated table of docs/validation.md"
    assert at.query_params["system"] == name


def test_canada_formulas_carry_the_envelope(library):
    at = open_page("learn", system="canada_equalization_2025_26")
    latex = " ".join(l.value for l in at.latex)
    assert presentation.tex_money(26_170_000_000, "CAD") in latex


def test_before_the_mechanism_and_today_are_named_apart():
    """The table's stage before the mechanism (devolved, grant adjusted) is not the chart's
    first bar (today's grant), and each says which it is."""
    at = open_page("learn", mechanism="gap_fill")
    assert_ok(at)
    column = "Resources after devolution, before the mechanism (GBP/head)"
    table = frame_with(at, column).set_index("Region")
    result = engine("gap_fill")
    devolved = simulator.run(result.federation, simulator.System(
        devolution={"income_tax": 1.0}, block_grant="identifiable_expenditure",
        need_index="need_index"))
    for i, region in enumerate(result.federation.names):
        assert table.loc[region, column] == pytest.approx(
            devolved.resources_per_head.reshape(-1)[i])
    assert not any(c.startswith("Resources before") for c in table.columns)
    figure = at.get("plotly_chart")[0].proto.spec
    assert "Today (status quo)" in figure and "After the mechanism" in figure
    assert '"Before"' not in figure


@pytest.mark.parametrize("name", PRESETS)
def test_real_system_rules_on_the_uk_with_the_mapping(library, name):
    from simulator.presentation import glossary
    from simulator.scenario import load_scenario, run_scenario
    from simulator.scenario.templates import TEMPLATES

    template = next(t for t in TEMPLATES.values() if t.preset == name)
    at = open_page("learn", system=name)
    at.radio(key="l_where").set_value("Its rules applied to the UK").run()
    assert_ok(at)
    scenario = load_scenario(library[template.scenario_name])
    result = run_scenario(scenario)
    year = "2024-25"
    table = frame_with(at, f"After (GBP per head, {year})").set_index("Region")
    truth = result.by_region().set_index("region")
    assert len(table) == 12
    for region in truth.index:
        assert table.loc[region, f"After (GBP per head, {year})"] == pytest.approx(
            truth.loc[region, "resources_per_head_gbp"])
    latex = " ".join(l.value for l in at.latex)
    for step in scenario.steps:
        for _, formula in presentation.step_formulas(step, "GBP") + \
                glossary.extra_formulas(step, "GBP"):
            assert formula in latex
    mapping = at.table[0].value
    assert list(mapping["UK taxes standing for it"]) == [
        ", ".join(presentation.tax_label(t) for t in taxes)
        for taxes in template.uk_mapping.values()]
    assert glossary.result_summary(result, year) in [c.value for c in at.caption]


def test_glossary_defines_the_teachers_terms():
    at = open_page("learn")
    assert_ok(at)
    text = " ".join(m.value for m in at.markdown)
    for term in ("Equalisation", "Fiscal capacity", "Representative tax system (RTS)",
                 "Gap-fill", "Standard", "Block grant adjustment (BGA)", "Barnett formula",
                 "Relativity", "Levy", "Safety net", "FPFAA"):
        assert f"**{term}**" in text, term
    at.text_input(key="l_find").input("barnett").run()
    shown = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert len(shown) == 1 and "**Barnett formula**" in shown[0]
    assert "**Gini coefficient**" not in shown[0]
