"""Neighbourhoods page: ranked table, fund and probabilities, decomposition and Local Trust
counts equal the public API's for the choices made."""

import numpy as np
import pytest

from simulator.data.england_lsoa import load_neighbourhoods
from simulator.inequality import theil_decomposition
from simulator.neighbourhoods import left_behind_by_place, selection_probability
from simulator.steps import NeighbourhoodFund

from app_helpers import assert_ok, frame_with, metric, number, open_page


def test_default_page_shows_the_north_east_and_the_left_behind_fund():
    hoods = load_neighbourhoods()
    at = open_page("neighbourhoods")
    assert_ok(at)
    region = int(np.flatnonzero(hoods.regions["name"] == "North East")[0])
    mask = hoods.region == region
    assert number(metric(at, "Neighbourhoods").value) == mask.sum()
    assert number(metric(at, "Residents").value) == hoods.population[mask].sum()

    table = frame_with(at, "Rank in place").set_index("LSOA")
    assert len(table) == mask.sum()
    scores = table["IMD 2025 score"].to_numpy()
    assert (np.diff(scores) <= 0).all()                     # ranked, most deprived first
    # the fund: GBP 100m to the 1,262 left-behind LSOAs per head (the step's own numbers)
    step = NeighbourhoodFund(amount=100e6, selection="both_top_decile")
    paid, weight = step.allocate(hoods.codes, hoods.population, hoods.indicators())
    index = {c: i for i, c in enumerate(hoods.codes)}
    rows = np.array([index[c] for c in table.index])
    np.testing.assert_allclose(table["Fund (GBP a year)"].to_numpy(), paid[rows])
    assert (table["Left behind (2023)"] == (table["Fund (GBP a year)"] > 0)).all()
    # the whole fund reaches the left-behind LSOAs, all in the most deprived IMD decile
    reach = [c.value for c in at.caption if c.value.startswith("Where the whole fund goes")][0]
    assert "left-behind LSOAs (2023) 100.0%" in reach
    assert "most deprived IMD 2025 decile 100.0%" in reach
    chance = selection_probability([hoods["cni_score"], hoods["imd_score"]],
                                   rule="both_top_decile", draws=200, noise=0.1).probability
    np.testing.assert_allclose(table["Probability selected"].to_numpy(), chance[rows])

    parts = theil_decomposition(hoods["imd_score"], hoods.population, hoods.la, hoods.region)
    shown = frame_with(at, "Theil T").set_index("Part")
    assert shown.loc["Between regions", "Theil T"] == pytest.approx(parts.between_regions)
    assert shown.loc["Within authorities (between neighbourhoods)", "Theil T"] == \
        pytest.approx(parts.within_authorities)
    assert shown.loc["Total", "Theil T"] == pytest.approx(parts.total)

    counts = frame_with(at, "Left-behind wards (of 225, CNI 2019)")
    expected = left_behind_by_place("authority")
    expected = expected[expected["region_name"] == "North East"]
    assert counts["Left-behind wards (of 225, CNI 2019)"].sum() == \
        expected["wards_left_behind"].sum() == 56
    assert counts["Left-behind LSOAs (of 1,262, 2023)"].sum() == 178
    np.testing.assert_allclose(counts["% of residents in left-behind LSOAs"],
                               100 * expected["share_left_behind"])
    assert len(at.get("plotly_chart")) == 2                   # distribution and hex map
    assert any(b.label.startswith("Download") for b in at.get("download_button"))


def test_an_authority_with_a_two_tier_top_n_fund():
    hoods = load_neighbourhoods()
    at = open_page("neighbourhoods")
    at.radio(key="nb_level").set_value("Authority").run()
    at.selectbox(key="nb_rule").set_value("top_n").run()
    at.slider(key="nb_places").set_value(2000)
    at.toggle(key="nb_tiers").set_value(True).run()
    at.slider(key="nb_minimum").set_value(0.3)
    at.selectbox(key="nb_measure").set_value("cni_score").run()
    assert_ok(at)
    la = int(np.flatnonzero(hoods.authorities["code"] == "E06000002")[0])   # Middlesbrough
    mask = hoods.la == la
    table = frame_with(at, "Rank in place").set_index("LSOA")
    assert len(table) == mask.sum()
    assert (np.diff(table["Community Needs Index 2023 score"].to_numpy()) <= 0).all()
    step = NeighbourhoodFund(amount=100e6, places=2000, authority_indicator="authority_index",
                             minimum_share=0.3)
    paid, _ = step.allocate(hoods.codes, hoods.population, hoods.indicators())
    assert table["Fund (GBP a year)"].sum() == pytest.approx(paid[mask].sum())
    authorities = frame_with(at, "Neighbourhoods funded").set_index("Code")
    assert authorities["Fund (GBP a year)"].sum() == pytest.approx(100e6)
    # the FAG-style floor: every authority gets at least 30% of its per-head share
    pop_a = np.bincount(hoods.la, hoods.population)
    floor = 0.3 * 100e6 * pop_a / pop_a.sum()
    funded = np.bincount(hoods.la, paid, len(pop_a))
    assert (funded >= floor * (1 - 1e-9)).all()
