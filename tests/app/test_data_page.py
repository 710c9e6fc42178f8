"""Data page: revenue per head by region and tax, as in Federation.to_frame()."""

import pytest

import simulator
from app_helpers import assert_ok, frame_with, open_page


def expected(year: str, north_sea: str = "geographic"):
    frame = simulator.load_federation("uk_itl1", north_sea=north_sea).to_frame()
    return frame[frame["year"] == year].set_index(["code", "tax"])["revenue_per_head_gbp"]


def test_default_year_matches_the_dataset():
    at = open_page("data")
    assert_ok(at)
    year = at.select_slider(key="data_year").value
    assert year == simulator.load_federation("uk_itl1").years[-1]
    table = frame_with(at, "Income tax").set_index("code")
    truth = expected(year)
    for code in table.index:
        assert table.loc[code, "Income tax"] == pytest.approx(truth[(code, "income_tax")])
        assert table.loc[code, "VAT"] == pytest.approx(truth[(code, "vat")])
        assert table.loc[code, "Total"] == pytest.approx(truth[code].sum())
    assert any(f"GBP per head, {year}" in s.value for s in at.subheader)
    assert any("Units: GBP per head" in c.value and year in c.value for c in at.caption)
    assert at.expander, "provenance is shown"


def test_year_and_north_sea_widgets():
    at = open_page("data")
    at.select_slider(key="data_year").set_value("2010-11").run()
    at.radio(key="data_north_sea").set_value("excluded").run()
    assert_ok(at)
    table = frame_with(at, "Income tax").set_index("code")
    truth = expected("2010-11", "excluded")
    assert table.loc["TLM", "Income tax"] == pytest.approx(truth[("TLM", "income_tax")])
    assert table.loc["TLM", "Total"] == pytest.approx(truth["TLM"].sum())
    assert at.query_params["year"] == "2010-11"
    assert at.query_params["north_sea"] == "excluded"


def test_year_from_the_url_and_a_bad_one():
    at = open_page("data", year="2015-16")
    assert_ok(at)
    assert at.select_slider(key="data_year").value == "2015-16"
    at = open_page("data", year="1800-01")
    assert_ok(at)
    assert at.warning and "year" in at.warning[0].value
    assert at.select_slider(key="data_year").value == simulator.load_federation("uk_itl1").years[-1]


def test_teaching_dataset():
    at = open_page("data", dataset="teaching")
    assert_ok(at)
    table = frame_with(at, "Income tax").set_index("region")
    assert table.loc["Northmoor", "Income tax"] == pytest.approx(1500)


def test_local_authorities_chart_shows_the_extremes():
    import json

    at = open_page("data", dataset="england_la")
    assert_ok(at)
    table = frame_with(at, "Council tax")
    assert len(table) == 296
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["y"]
    assert len(bars) == 40
    top = table.sort_values("Total", ascending=False)["region"].iloc[0]
    assert top in bars
