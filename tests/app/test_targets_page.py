"""Targets page: the solvers' answers, achieved values and reasons equal
simulator.analysis's; the annual report is the one build_report writes."""

import re

import pytest

from simulator import analysis, presentation
from simulator.scenario import load_scenario

from app_helpers import assert_ok, frame_with, metric, number, open_page
from simulator.presentation import glossary

RATE = "Answer: rate (share of the gap closed) of step 1"


def reachable_default(base, parameter="steps[0].rate"):
    """The share the page opens on: 90%, or the best whole percent the lever reaches."""
    probe = analysis.solve_min_share(base, 0.9, parameter)
    return 90 if probe.feasible else max(50, int(100 * probe.achieved))


def scenario(library, name="income_tax_gap_fill_75", year=None):
    loaded = load_scenario(library[name])
    return loaded if year is None else loaded.model_copy(update={"year": year})


def test_default_scenario(library):
    at = open_page("targets")
    assert_ok(at)
    base = scenario(library)
    # (a) 90% of average is out of reach for this scenario, so the page opens on the best
    # whole percent the rate reaches, and shows the rate that meets it
    assert not analysis.solve_min_share(base, 0.9, "steps[0].rate").feasible
    default = reachable_default(base)
    assert at.slider(key="t_share").value == default < 90
    share = analysis.solve_min_share(base, default / 100, "steps[0].rate")
    assert share.feasible and 0 < share.value <= 1
    assert number(metric(at, RATE).value) == pytest.approx(share.value, rel=1e-3)
    assert number(metric(at, "Lowest region").value) == pytest.approx(100 * share.achieved,
                                                                      abs=0.05)
    plain = glossary.plain_reason(share.reason, "steps[0].rate", base.steps)
    assert "steps[0]" not in plain and any(plain in s.value for s in at.success)
    # no identifiers on screen
    shown = [m.label for m in at.metric] + [s.value for s in at.success] + \
        [c.value for c in at.caption] + list(at.selectbox(key="t_param").options)
    assert not any("steps[" in text or "brentq" in text for text in shown), shown
    # (b) self-financing with a contribution step added after the gap-fill
    with_step, added = presentation.with_contribution_step(base)
    assert added
    financing = analysis.solve_self_financing(with_step)
    assert number(metric(at, "Answer: share paid by strong regions of step 2").value) == \
        pytest.approx(financing.value, rel=1e-3)
    assert number(metric(at, "Centre's net cost").value) == pytest.approx(financing.achieved,
                                                                          abs=0.5)
    assert any(glossary.plain_reason(financing.reason, financing.parameter, with_step.steps)
               in s.value for s in at.success)
    # (c) best option for GBP 1,000m
    best = analysis.best_for_budget(base, 1000.0)
    assert number(metric(at, "Answer: " + glossary.parameter_label(best.parameter)).value) == \
        pytest.approx(best.value, rel=1e-3)
    assert number(metric(at, "Gini").value) == pytest.approx(best.achieved, abs=5e-5)
    table = frame_with(at, "Best value").set_index("Option")
    for _, row in best.table.iterrows():
        row["option"] = glossary.option_label(row["option"], row["parameter"])
        assert table.loc[row["option"], "Best value"] == pytest.approx(row["value"])
        assert table.loc[row["option"], "Cost to the centre (GBP m a year, 2024-25)"] == \
            pytest.approx(row["cost_m"])
    assert at.get("download_button"), "the report can be downloaded"


def test_widgets(library):
    at = open_page("targets")
    at.slider(key="t_share").set_value(80).run()
    at.radio(key="t_cost").set_value("reform").run()
    at.number_input(key="t_target").set_value(500.0).run()
    at.number_input(key="t_budget").set_value(3000.0).run()
    at.selectbox(key="t_metric").set_value("theil").run()
    assert_ok(at)
    base = scenario(library)
    share = analysis.solve_min_share(base, 0.8, "steps[0].rate")
    assert share.feasible
    assert number(metric(at, RATE).value) == pytest.approx(share.value, rel=1e-3)
    assert any(glossary.plain_reason(share.reason, "steps[0].rate", base.steps) in s.value
               for s in at.success)
    financing = analysis.solve_self_financing(presentation.with_contribution_step(base)[0],
                                              cost="reform", target=500.0)
    assert number(metric(at, "Centre's net cost").value) == pytest.approx(financing.achieved,
                                                                          abs=0.5)
    best = analysis.best_for_budget(base, 3000.0, metric="theil")
    assert number(metric(at, "Theil index").value) == pytest.approx(best.achieved, abs=5e-5)
    assert at.query_params["budget"] == "3000"


def test_a_preset_with_its_own_contribution_step(library):
    at = open_page("targets", scenario="switzerland_nfa_teaching")
    assert_ok(at)
    base = scenario(library, "switzerland_nfa_teaching")
    assert not any("is added" in c.value for c in at.caption)
    financing = analysis.solve_self_financing(base)
    assert number(metric(at, "Answer: share paid by strong regions of step 2").value) == \
        pytest.approx(financing.value, rel=1e-3)
    assert any("CHF" in m.label for m in at.metric)
    parameter = at.selectbox(key="t_param").value
    share = analysis.solve_min_share(base, reachable_default(base, parameter) / 100, parameter)
    assert number(metric(at, "Answer: " + glossary.parameter_label(parameter, base.steps)).value) \
        == pytest.approx(share.value, rel=1e-3)


def test_a_scenario_without_levers(library):
    at = open_page("targets", scenario="status_quo")
    assert_ok(at)
    assert any("no step with a numeric parameter" in i.value for i in at.info)
    assert any("no transfers for regions to finance" in i.value for i in at.info)


def test_another_year_and_the_report(library):
    at = open_page("targets", year="2019-20")
    assert_ok(at)
    base = scenario(library, year="2019-20")
    share = analysis.solve_min_share(base, reachable_default(base) / 100, "steps[0].rate")
    assert number(metric(at, "Lowest region").value) == pytest.approx(100 * share.achieved,
                                                                      abs=0.05)
    from app_pages import _shared

    def without_ids(text):  # plotly gives each chart a random element id
        return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "id", text)

    html = _shared.report_html(_shared.library_key("income_tax_gap_fill_75"), "2019-20")
    assert without_ids(html) == without_ids(analysis.build_report(base))
    assert "2019-20" in html and html.lstrip().lower().startswith("<!doctype html")
