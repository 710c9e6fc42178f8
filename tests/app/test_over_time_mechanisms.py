"""Over time page, mechanisms section: the figures equal the library scenarios run with
the chosen settings through the public API."""

import numpy as np
import pytest

from simulator.scenario import load_scenario
from simulator.scenario.running import run_on, scenario_federation

from app_helpers import assert_ok, open_page


def _table(at):
    for element in at.dataframe:
        if "change_per_head_gbp" in element.value.columns and "baseline_per_head_gbp" in \
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
    np.testing.assert_allclose(table["resources_per_head_gbp"].to_numpy(),
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
    assert table["resources_per_head_gbp"].to_numpy() == pytest.approx(
        truth["resources_per_head_gbp"].to_numpy(), rel=1e-12)
