"""Need index page: composite, rank intervals, missions, quadrants and top-20% shares
equal simulator.need_index's for the method chosen."""

import pytest

import simulator
from simulator.need_index import (compute_need_index, need_spend_quadrants, quadrant_counts,
                                  rank_intervals, top_need_share_by_group)

from app_helpers import assert_ok, frame_with, open_page


def index_for(normalisation="zscore", weighting="given", aggregation="arithmetic",
              missions=None):
    fed = simulator.load_federation("england_la")
    return fed, compute_need_index(
        {k: v[-1] for k, v in fed.indicators.items()}, missions, codes=fed.codes, names=fed.names,
        groups=fed.nations, population=fed.population[-1], normalisation=normalisation,
        weighting=weighting, aggregation=aggregation)


def assert_shows(at, method=("zscore", "given", "arithmetic"), draws=500, seed=0, share=0.2):
    fed, index = index_for(*method)
    truth = index.to_frame().set_index("code")
    table = frame_with(at, "Composite need score").set_index("Code")
    assert len(table) == 296
    intervals = rank_intervals(index, draws=draws, seed=seed).frame.set_index("code")
    for code in truth.index:
        assert table.loc[code, "Composite need score"] == pytest.approx(truth.loc[code,
                                                                              "composite"])
        assert table.loc[code, "Rank"] == truth.loc[code, "rank"]
        assert table.loc[code, "Rank, 5th percentile"] == intervals.loc[code, "rank_low"]
        assert table.loc[code, "Rank, 95th percentile"] == intervals.loc[code, "rank_high"]
        for mission, title in zip(index.missions, index.mission_titles):
            assert table.loc[code, f"{title} (score)"] == pytest.approx(
                truth.loc[code, f"{mission}_index"])
    pct = f"{share:.0%}"
    tops = frame_with(at, f"In the top {pct}").set_index("Region")
    expected = top_need_share_by_group(index, share).set_index("group")
    for region, row in expected.iterrows():
        assert tops.loc[region, f"In the top {pct}"] == row["in_top"]
        assert tops.loc[region, f"Share of its authorities in the top {pct} (%)"] == \
            pytest.approx(100 * row["share_in_top"])
    counts = frame_with(at, "high need, low spend").set_index("Region")
    quadrants = quadrant_counts(need_spend_quadrants(
        index, fed.indicators["council_tax_per_head_gbp"][-1]))
    for region, row in quadrants.iterrows():
        assert counts.loc[region, "high need, low spend"] == row["high need, low spend"]
    return index


def test_default_page(library):
    at = open_page("need_index")
    assert_ok(at)
    index = assert_shows(at)
    assert len(at.get("plotly_chart")) == 5  # map, ranks, missions, quadrant, top share
    # the clean energy mission has no data and says so
    assert "clean_energy" in index.unavailable_missions
    assert any("clean energy" in w.value.lower() and "unavailable" in w.value for w in at.warning)
    assert at.selectbox(key="n_area").value == index.names[list(index.rank).index(1)]
    assert all("2025-26" in s.value or "1 = most need" in s.value for s in at.subheader)


def test_method_and_draws(library):
    at = open_page("need_index")
    at.selectbox(key="n_norm").set_value("minmax").run()
    at.selectbox(key="n_weight").set_value("equal").run()
    at.selectbox(key="n_agg").set_value("geometric").run()
    at.select_slider(key="n_draws").set_value(200).run()
    at.number_input(key="n_seed").set_value(3).run()
    at.select_slider(key="n_share").set_value(0.1).run()
    assert_ok(at)
    assert_shows(at, ("minmax", "equal", "geometric"), draws=200, seed=3, share=0.1)
    assert at.query_params["normalisation"] == "minmax"


def test_map_choices_and_an_authority(library):
    at = open_page("need_index")
    at.radio(key="n_map").set_value("Boundaries").run()
    at.selectbox(key="n_measure").set_value("health_index").run()
    at.selectbox(key="n_area").set_value("Hartlepool").run()
    assert_ok(at)
    assert any("Hartlepool" in s.value for s in at.subheader)
    assert any("Hartlepool" in c.value and "5th-95th" in c.value for c in at.caption)


def test_from_the_url_and_bad_values(library):
    at = open_page("need_index", normalisation="rank", draws="lots", area="Nowhere")
    assert_ok(at)
    assert at.selectbox(key="n_norm").value == "rank"
    assert len(at.warning) == 3  # clean energy, and two link values ignored
    assert_shows(at, ("rank", "given", "arithmetic"))


def test_weight_sliders_change_the_index_as_the_api_does(library):
    from simulator.presentation.need_controls import missions_with_weights, weight_key

    at = open_page("need_index")
    missions = [s for s in at.slider if s.key.startswith("n_w_")]
    indicators = [s for s in at.slider if s.key.startswith("n_wi_")]
    assert len(missions) == 4 and len(indicators) >= 10  # clean energy has no data
    assert not any(s.disabled for s in missions + indicators)
    at.slider(key="n_w_growth").set_value(3.0).run()
    at.slider(key="n_wi_imd_income_score").set_value(2.5).run()
    assert_ok(at)
    chosen = ({s.key[4:]: s.value for s in at.slider if s.key.startswith("n_w_")},
              {s.key[5:]: s.value for s in at.slider if s.key.startswith("n_wi_")})
    assert chosen[0]["growth"] == 3.0 and chosen[1]["imd_income_score"] == 2.5
    _, truth = index_for(missions=missions_with_weights(weight_key(*chosen)))
    _, default = index_for()
    table = frame_with(at, "Composite need score").set_index("Code")
    shown = table["Composite need score"]
    expected = truth.to_frame().set_index("code")["composite"]
    assert shown.to_dict() == pytest.approx(expected.to_dict())
    assert not shown.to_dict() == pytest.approx(
        default.to_frame().set_index("code")["composite"].to_dict())
    # other weightings set their own weights: the sliders are disabled, with the reason
    at.selectbox(key="n_weight").set_value("equal").run()
    assert all(s.disabled for s in at.slider if s.key.startswith(("n_w_", "n_wi_")))
    assert "given" in at.slider(key="n_w_growth").help


def test_region_filter_shows_only_that_regions_authorities(library):
    at = open_page("need_index")
    at.multiselect(key="n_regions").set_value(["North East"]).run()
    assert_ok(at)
    _, index = index_for()
    truth = index.to_frame().set_index("code")
    north_east = truth[truth["group"] == "North East"]
    table = frame_with(at, "Composite need score").set_index("Code")
    assert set(table.index) == set(north_east.index) and 0 < len(table) < 296
    for code in table.index:  # still England's index and ranks, only fewer rows
        assert table.loc[code, "Composite need score"] == pytest.approx(
            north_east.loc[code, "composite"])
        assert table.loc[code, "Rank"] == north_east.loc[code, "rank"]
    assert at.selectbox(key="n_area").value in set(north_east["name"])
    assert at.query_params["regions"] == "North East"
