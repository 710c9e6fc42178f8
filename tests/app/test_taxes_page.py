"""Taxes page: the suitability table and the regional impact shown are the API's numbers."""

import numpy as np
import pytest

import simulator
from app_helpers import assert_ok, frame_with, open_page
from simulator.analysis.impact import spending_change, tax_change
from simulator.analysis.tax_suitability import CRITERIA, suitability
from simulator.presentation.taxes import criterion_column, label


def api_table(years=None, **weights):
    fed = simulator.load_federation("uk_itl1")
    if years is not None:
        fed = fed.select_years(years)
    return suitability(fed, weights=weights).table()


def assert_same(shown, truth):
    assert list(shown["Rank"]) == list(truth["rank"])
    assert shown["Score (0-1)"].to_numpy() == pytest.approx(truth["score"].to_numpy())
    for c in CRITERIA:
        scale = 100 if c.key in ("yield_share", "volatility_sd", "worst_year",
                                 "equalisation_cost") else 1
        np.testing.assert_allclose(shown[criterion_column(c)].to_numpy(float),
                                   scale * truth[c.key].to_numpy(float), rtol=1e-12,
                                   equal_nan=True)


def test_default_table_is_the_api_table():
    at = open_page("taxes")
    assert_ok(at)
    assert_same(frame_with(at, "Score (0-1)"), api_table())
    assert any("Deflator: UK whole-economy GVA implied deflator" in c.value for c in at.caption)
    labels = [e.label for e in at.expander]
    assert any("How each criterion is measured" in x for x in labels)
    assert any("legal references" in x for x in labels)


def test_weights_and_years_change_the_ranking_as_the_api_does():
    at = open_page("taxes")
    at.slider(key="taxes_w_mobility").set_value(3.0).run()
    at.slider(key="taxes_w_yield_share").set_value(0.0).run()
    at.select_slider(key="taxes_years").set_range("2010-11", "2024-25").run()
    assert_ok(at)
    years = list(simulator.load_federation("uk_itl1").years)
    truth = api_table(years[years.index("2010-11"):], mobility=3.0, yield_share=0.0)
    assert_same(frame_with(at, "Score (0-1)"), truth)


def test_too_few_years_is_explained():
    at = open_page("taxes")
    at.select_slider(key="taxes_years").set_range("2023-24", "2024-25").run()
    assert not at.exception
    assert at.error and "at least 3 years" in at.error[0].value


def test_impact_section_shows_the_api_numbers():
    at = open_page("taxes")
    at.selectbox(key="taxes_impact_tax").set_value("vat").run()
    at.number_input(key="taxes_impact_change").set_value(5.0).run()
    assert_ok(at)
    fed = simulator.load_federation("uk_itl1")
    truth = tax_change(fed, "vat", 0.05).frame
    shown = frame_with(at, "Index (UK = 100)")
    year = fed.years[-1]
    assert shown[f"Effect (GBP m, {year})"].to_numpy() == pytest.approx(
        truth["effect_gbp_m"].to_numpy())
    assert shown["% of GDHI per head"].to_numpy() == pytest.approx(
        truth["effect_pct_of_gdhi"].to_numpy())
    at.radio(key="taxes_kind").set_value("Spending change").run()
    at.number_input(key="taxes_impact_amount").set_value(2000.0).run()
    assert_ok(at)
    truth = spending_change(fed, "7. Health", 2000.0).frame
    shown = frame_with(at, "Index (UK = 100)")
    assert shown[f"Per head (GBP, {year})"].to_numpy() == pytest.approx(
        truth["effect_per_head_gbp"].to_numpy())


def test_mobility_judgement_changes_the_table_as_the_api_does():
    at = open_page("taxes")
    at.number_input(key="taxes_m_council_tax").set_value(1.5).run()
    assert_ok(at)
    truth = suitability(simulator.load_federation("uk_itl1"),
                        mobility={"council_tax": 1.5}).table()
    shown = frame_with(at, "Score (0-1)")
    assert_same(shown, truth)
    assert shown.set_index("Tax").loc[label("council_tax"), criterion_column(CRITERIA[8])] == 1.5
