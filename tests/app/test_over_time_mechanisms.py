"""Over time page, mechanisms section: the figures equal the library scenarios run with
the chosen settings through the public API."""

import numpy as np
import pytest

from simulator.scenario import load_scenario
from simulator.scenario.running import run_on, scenario_federation

from app_helpers import assert_ok, open_page


def _table(at):
    for element in at.dataframe:
        if "Change (GBP per head)" in element.value.columns and "Data (GBP per head)" in \
                element.value.columns:
            return element.value
    raise AssertionError("no mechanism table")


def test_barnett_controls_change_the_figures(library):
    at = open_page("over_time")
    assert_ok(at)
    at.number_input(key="ot_mech_factor").set_value(1.2).run()
    assert_ok(at)
    table = _table(at)
    scenario = load_scenario(library["barnett_with_needs_floor"])
    step = scenario.steps[0]
    nations = dict(step.nations)
    nations["TLL"] = nations["TLL"].model_copy(update={"needs_factor": 1.2})
    varied = scenario.model_copy(update={"steps": [step.model_copy(update={"nations": nations})]})
    truth = run_on(varied, scenario_federation(varied)).by_region()
    truth = truth[truth["code"].isin(["TLL", "TLM", "TLN"])].reset_index(drop=True)
    np.testing.assert_allclose(table["Resources (GBP per head)"].to_numpy(),
                               truth["resources_per_head_gbp"].to_numpy(), rtol=1e-12)


def test_business_rates_controls(library):
    at = open_page("over_time")
    at.radio(key="ot_mech").set_value("business_rates_75_retention").run()
    at.slider(key="ot_mech_levy").set_value(0.0).run()
    assert_ok(at)
    table = _table(at)
    scenario = load_scenario(library["business_rates_75_retention"])
    step = scenario.steps[0].model_copy(update={"levy_cap": 0.0})
    varied = scenario.model_copy(update={"steps": [step]})
    truth = run_on(varied, scenario_federation(varied)).by_region()
    assert table["Resources (GBP per head)"].to_numpy() == pytest.approx(
        truth["resources_per_head_gbp"].to_numpy(), rel=1e-12)


def test_a_roadmap_scenario_shows_its_roadmap(library):
    from simulator.scenario.roadmap import run_roadmap

    at = open_page("over_time", scenario="roadmap_income_tax_2030")
    assert_ok(at)
    assert any("has a roadmap" in i.value for i in at.info)
    table = None
    for element in at.dataframe:
        if "Cumulative vs no change (GBP m, 2024-25 to 2030-31)" in element.value.columns:
            table = element.value
    assert table is not None
    scenario = load_scenario(library["roadmap_income_tax_2030"])
    road = run_roadmap(scenario.model_copy(update={"roadmap": scenario.roadmap.model_copy(
        update={"draws": 0})}))
    truth = road.cumulative()
    truth = truth[truth["year"] == "2030-31"]
    np.testing.assert_allclose(table["Cumulative vs no change (GBP m, 2024-25 to 2030-31)"],
                               truth["cumulative_gain_gbp_m"], rtol=1e-12)
    assert list(table["First year below 97% of no change"]) == [
        year or "never" for year in road.below_guarantee()["first_year_below"]]
