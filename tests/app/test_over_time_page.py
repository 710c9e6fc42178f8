"""Over time page: projections, BGA methods, fan charts and risk figures equal the
simulator.over_time API's for the options chosen."""

import numpy as np
import pytest

import simulator
from simulator import presentation
import simulator.presentation.glossary  # noqa: F401  (presentation.glossary)
from simulator.over_time import (BGAIndexation, ShockModel, absorbed_share,
                                 compare_methods_frame, monte_carlo, project_federation,
                                 run_over_time, volatility)
from simulator.scenario import load_scenario
from simulator.scenario.running import scenario_federation

from app_helpers import assert_ok, frame_with, open_page

END = "2039-40"


class Expected:
    """The page's figures rebuilt from the public API."""

    def __init__(self, library, name="income_tax_gap_fill_75", until=END, window=10,
                 method="indexed_per_capita", draws=200, seed=42, by="tax", **growth):
        scenario = load_scenario(library[name])
        every = simulator.load_federation(scenario.dataset.name,
                                          **scenario.dataset.options).years
        self.observed = scenario_federation(scenario, list(every))
        self.fed = project_federation(self.observed, until=until, window=window, history=1,
                                      **growth)
        self.system = scenario.to_system()
        self.bga = BGAIndexation(method=method, base_year=self.fed.years[0])
        self.result = run_over_time(self.fed, self.system, bga=self.bga)
        self.draws = monte_carlo(self.fed, self.system, ShockModel.from_history(
            self.observed, by=by), n_draws=draws, seed=seed, start=1, bga=self.bga)
        self.end = until


def assert_projection(at, expected):
    end = expected.end
    table = frame_with(at, f"After (GBP per head, {end})").set_index("Region")
    truth = expected.result.by_region()
    truth = truth[truth["year"] == end].set_index("region")
    for region in truth.index:
        assert table.loc[region, f"After (GBP per head, {end})"] == pytest.approx(
            truth.loc[region, "resources_per_head_gbp"])
        assert table.loc[region, f"Change (GBP per head, {end})"] == pytest.approx(
            truth.loc[region, "change_per_head_gbp"])


def assert_methods(at, expected):
    end, first = expected.end, expected.fed.years[0]
    frame = compare_methods_frame(expected.fed, {"income_tax": 1.0})
    frame = frame[frame["year"] == end]
    span = f"to {end}"
    table = frame_with(at, f"Levels deduction (GBP m {span})").set_index("code")
    for method, label in (("levels_deduction", "Levels deduction"),
                          ("comparable_model", "Comparable model"),
                          ("indexed_per_capita", "Indexed per capita"),
                          ("indexed_deduction", "Indexed deduction")):
        truth = frame[frame["method"] == method].set_index("code")["cumulative_gain_gbp_m"]
        for code, value in truth.items():
            assert table.loc[code, f"{label} (GBP m {span})"] == pytest.approx(value)


def assert_bands(at, expected, measure="change_per_head"):
    end = expected.end
    bands = expected.draws.bands(measure)
    bands = bands[bands["year"] == end]
    table = frame_with(at, f"5th percentile (GBP per head, {end})").set_index("Code")
    for percentile in (5, 50, 95):
        truth = bands[bands["percentile"] == percentile].set_index("code")[f"{measure}_gbp"]
        for code, value in truth.items():
            assert table.loc[code, f"{percentile}th percentile (GBP per head, {end})"] == \
                pytest.approx(value)


def assert_risk(at, expected):
    end = expected.end
    shares = absorbed_share(expected.fed, expected.system, bga=expected.bga)
    y = expected.fed.years.index(end)
    vol = volatility(expected.draws)
    vol = vol[vol["year"] == end].set_index("code")
    table = frame_with(at, f"Share of own shock absorbed ({end}, %)").set_index("Code")
    for i, code in enumerate(expected.fed.codes):
        assert table.loc[code, f"Share of own shock absorbed ({end}, %)"] == pytest.approx(
            100 * shares[y, i], abs=1e-9)
        assert table.loc[code, f"SD before equalisation (GBP per head, {end})"] == \
            pytest.approx(vol.loc[code, "sd_before_gbp"])
        assert table.loc[code, f"SD after equalisation (GBP per head, {end})"] == \
            pytest.approx(vol.loc[code, "sd_after_gbp"])


def test_default_page_equals_the_api(library):
    at = open_page("over_time")
    assert_ok(at)
    assert at.selectbox(key="ot_scenario").value == "income_tax_gap_fill_75"
    assert at.select_slider(key="ot_until").value == END
    expected = Expected(library)
    assert_projection(at, expected)
    assert_methods(at, expected)
    assert_bands(at, expected)
    assert_risk(at, expected)
    assert len(at.get("plotly_chart")) == 5  # projection, methods, fan chart, risk, mechanisms
    assert all(any(word in s.value for word in ("2039-40", "Monte-Carlo")) for s in at.subheader
               if not s.value.startswith("Settlement mechanisms"))  # published years
    assert at.query_params["until"] == END


def test_method_window_horizon_and_draws(library):
    at = open_page("over_time")
    at.selectbox(key="ot_method").set_value("levels_deduction").run()
    at.slider(key="ot_window").set_value(5).run()
    at.select_slider(key="ot_until").set_value("2030-31").run()
    at.select_slider(key="ot_draws").set_value(100).run()
    at.number_input(key="ot_seed").set_value(7).run()
    at.radio(key="ot_by").set_value("total").run()
    assert_ok(at)
    expected = Expected(library, until="2030-31", window=5, method="levels_deduction",
                        draws=100, seed=7, by="total")
    assert_projection(at, expected)
    assert_methods(at, expected)
    assert_bands(at, expected)
    assert_risk(at, expected)
    assert at.query_params["method"] == "levels_deduction"


def test_fan_opens_on_the_change_so_the_bands_show(library):
    at = open_page("over_time")
    assert_ok(at)
    assert at.radio(key="ot_measure").value == "change_per_head"
    expected = Expected(library)
    bands = expected.draws.bands("change_per_head")
    # visible: every region's 5th-95th band at the end is a sizeable part of the axis
    end = bands[bands["year"] == END].pivot_table(index="code", columns="percentile",
                                                  values="change_per_head_gbp")
    span = bands.groupby("code")["change_per_head_gbp"].agg(lambda s: s.max() - s.min())
    assert ((end[95] - end[5]) / span > 0.2).all()
    summary = [c.value for c in at.caption if c.value.startswith("Fan chart of")]
    assert summary == [presentation.glossary.fan_summary(
        bands, "change_per_head_gbp", what="change in resources per head vs baseline",
        unit="GBP per head", year=END)]


def test_resources_per_head_fan(library):
    at = open_page("over_time")
    at.radio(key="ot_measure").set_value("resources_per_head").run()
    assert_ok(at)
    expected = Expected(library)
    assert_bands(at, expected, "resources_per_head")


def test_growth_overrides_for_one_region(library):
    at = open_page("over_time")
    at.checkbox(key="ot_rev_on").check().run()
    at.number_input(key="ot_rev").set_value(3.0).run()
    at.multiselect(key="ot_regions").set_value(["London"]).run()
    at.checkbox(key="ot_pop_on").check().run()
    assert_ok(at)
    expected = Expected(library, revenue_growth={"TLI": 0.03}, population_growth={"TLI": 0.005})
    assert_projection(at, expected)


def test_scenario_without_a_deduction(library):
    at = open_page("over_time", scenario="status_quo")
    assert_ok(at)
    assert at.selectbox(key="ot_method").disabled
    assert any("no deduction to index" in i.value for i in at.info)
    scenario = load_scenario(library["status_quo"])
    fed = project_federation(scenario_federation(scenario, list(
        simulator.load_federation("uk_itl1").years)), until=END, history=1)
    truth = run_over_time(fed, scenario.to_system()).by_region()
    truth = truth[truth["year"] == END].set_index("region")["resources_per_head_gbp"]
    table = frame_with(at, f"After (GBP per head, {END})").set_index("Region")
    for region, value in truth.items():
        assert table.loc[region, f"After (GBP per head, {END})"] == pytest.approx(value)


def test_only_scenarios_with_history_are_offered(library):
    at = open_page("over_time", scenario="canada_equalization_2025_26", until="1800-01")
    assert_ok(at)
    assert len(at.warning) == 2  # both link values ignored, with a message each
    assert "canada_equalization_2025_26" not in at.selectbox(key="ot_scenario").options
    assert np.isfinite(frame_with(at, f"After (GBP per head, {END})").iloc[:, 1]).all()


def _own_projection_table(at, end):
    return frame_with(at, f"After (GBP per head, {end})").set_index("Region")


def test_a_scenario_with_its_own_projection_runs_it_as_run_scenario_does(library):
    """income_tax_ipc_projection: section 1 shows run_scenario's numbers, and the page says
    which settings come from the file."""
    from simulator.scenario import run_scenario

    at = open_page("over_time", scenario="income_tax_ipc_projection")
    assert_ok(at)
    scenario = load_scenario(library["income_tax_ipc_projection"])
    truth = run_scenario(scenario).by_region()
    end = scenario.projection.end_year
    assert at.select_slider(key="ot_until").value == end
    assert at.selectbox(key="ot_method").value == "indexed_per_capita"
    truth = truth[truth["year"] == end].set_index("region")
    table = _own_projection_table(at, end)
    for region in truth.index:
        assert table.loc[region, f"After (GBP per head, {end})"] == pytest.approx(
            truth.loc[region, "resources_per_head_gbp"])
        assert table.loc[region, f"Change (GBP per head, {end})"] == pytest.approx(
            truth.loc[region, "change_per_head_gbp"])
    note = [i.value for i in at.info if "its own projection section" in i.value]
    assert note and "overridden by this page's widgets: none" in note[0]


def test_a_widget_overrides_the_files_projection_setting(library):
    from simulator.scenario import Scenario, run_scenario

    at = open_page("over_time", scenario="income_tax_ipc_projection")
    at.selectbox(key="ot_method").set_value("indexed_deduction").run()
    at.select_slider(key="ot_until").set_value("2027-28").run()
    assert_ok(at)
    data = load_scenario(library["income_tax_ipc_projection"]).model_dump(exclude_unset=True)
    data["projection"].update(end_year="2027-28", block_grant_indexation="indexed_deduction")
    truth = run_scenario(Scenario.model_validate(data)).by_region()
    truth = truth[truth["year"] == "2027-28"].set_index("region")
    table = _own_projection_table(at, "2027-28")
    for region in truth.index:
        assert table.loc[region, "After (GBP per head, 2027-28)"] == pytest.approx(
            truth.loc[region, "resources_per_head_gbp"])
    note = [i.value for i in at.info if "its own projection section" in i.value][0]
    assert "block_grant_indexation, end_year" in note


def test_a_reform_built_on_explore_is_projected_over_time(library):
    from app_helpers import assert_ok as ok, open_page as open_

    at = open_("explore")
    at.slider(key="x_opt_rate").set_value(0.5).run()
    at.text_input(key="x_save_name").input("half gap").run()
    at.button(key="x_to_over_time").click().run()
    ok(at)
    assert at.selectbox(key="ot_scenario").value == "mine:half gap"
    assert any("★ half gap (yours)" in c.value for c in at.caption)


def test_a_typed_scenario_is_solved_for_targets(library):
    from app_helpers import assert_ok as ok, open_page as open_

    at = open_("editor")
    text = at.text_area(key="e_text").value.replace("rate: 0.75", "rate: 0.6")
    at.text_area(key="e_text").set_value(text).run()
    at.text_input(key="e_save_name").input("sixty").run()
    at.button(key="e_to_targets").click().run()
    ok(at)
    assert at.selectbox(key="t_scenario").value == "mine:sixty"
    assert at.metric  # the solver's figures for the typed scenario
