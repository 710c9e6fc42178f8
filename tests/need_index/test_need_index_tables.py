"""Commission tables, the engine's need index and the ITL1 aggregation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.data import england_la, load_federation
from simulator.errors import ConfigurationError, DataValidationError
from simulator.federation import Federation
from simulator.need_index import (
    QUADRANTS, aggregate_by_group, compute_need_index, itl1_need_index, missions_from_dict,
    need_index_for, need_index_from_federation, need_spend_quadrants, quadrant_counts,
    rank_intervals, standardised_need_index, top_need_share_by_group, with_need_index)

ONE = missions_from_dict({"title": "t", "missions": {"m": {"title": "M", "indicators": [
    {"id": "x", "higher_means": "more_need"}]}}})


def small_index(x, groups, population=None):
    x = np.asarray(x, dtype=float)
    population = np.ones_like(x) if population is None else np.asarray(population, float)
    return compute_need_index({"x": x}, ONE, codes=[f"A{i}" for i in range(len(x))],
                              groups=groups, population=population, normalisation="minmax")


def test_top_share_by_hand():
    # 10 areas, top 20% = the 2 highest (x = 9, 8): both in group N
    index = small_index(np.arange(10.0), list("SSSSSNNNNN"), population=np.arange(1.0, 11.0))
    table = top_need_share_by_group(index).set_index("group")
    assert table.attrs["cutoff_rank"] == 2
    assert table.loc["N", "in_top"] == 2 and table.loc["S", "in_top"] == 0
    assert table.loc["N", "share_in_top"] == pytest.approx(0.4)
    assert table.loc["N", "population_share_in_top"] == pytest.approx((9 + 10) / (6 + 7 + 8 + 9 + 10))
    with pytest.raises(ConfigurationError):
        top_need_share_by_group(index, share=0)


def test_quadrants_by_hand():
    index = small_index([1.0, 2.0, 3.0, 4.0], list("NNSS"))
    spend = np.array([10.0, 40.0, 20.0, 30.0])      # medians: need 2.5, spend 25
    frame = need_spend_quadrants(index, spend)
    assert frame["quadrant"].tolist() == ["low need, low spend", "low need, high spend",
                                          "high need, low spend", "high need, high spend"]
    counts = quadrant_counts(frame)
    assert list(counts.columns) == list(QUADRANTS)
    assert counts.loc["S", "high need, low spend"] == 1
    with pytest.raises(DataValidationError):
        need_spend_quadrants(index, spend[:3])
    with pytest.raises(DataValidationError):
        need_spend_quadrants(index, np.array([1.0, np.nan, 2.0, 3.0]))


@settings(max_examples=100, deadline=None)
@given(composite=st.lists(st.floats(-5, 5), min_size=2, max_size=30),
       seed=st.integers(0, 1000), spread=st.floats(0.01, 0.2))
def test_standardised_need_index_has_weighted_mean_one(composite, seed, spread):
    composite = np.array(composite)
    population = np.random.default_rng(seed).uniform(1, 100, composite.size)
    try:
        need = standardised_need_index(composite, population, spread)
    except ConfigurationError:
        # refused only when some area lies more than 1 / spread (weighted) sds below the mean
        w = population / population.sum()
        mean = np.sum(w * composite)
        sd = np.sqrt(np.sum(w * (composite - mean) ** 2))
        assert (composite - mean).min() / sd <= -1 / spread + 1e-9
        return
    assert np.sum(need * population) / population.sum() == pytest.approx(1.0)
    if np.ptp(composite) > 1e-6:
        sd = np.sqrt(np.sum(population * (need - 1) ** 2) / population.sum())
        assert sd == pytest.approx(spread, rel=1e-6)
        # the order of need follows the composite
        assert np.all(np.diff(need[np.argsort(composite)]) >= -1e-12)


def test_standardised_need_index_guards_spread():
    with pytest.raises(ConfigurationError, match="spread"):
        standardised_need_index(np.array([10.0, 10.0, 10.0, 0.0]), np.ones(4), 1.0)
    with pytest.raises(ConfigurationError):
        standardised_need_index(np.array([1.0, 2.0]), np.ones(2), 0.0)


def test_aggregate_by_group_by_hand():
    labels, values = aggregate_by_group(np.array([[1.0, 3.0, 5.0]]), np.array([[1.0, 3.0, 2.0]]),
                                        ["A", "A", "B"])
    assert labels == ("A", "B")
    np.testing.assert_allclose(values, [[(1 + 9) / 4, 5.0]])


# ------------------------------------------------------------------ england_la
@pytest.fixture(scope="module")
def federation() -> Federation:
    return england_la.load()


def test_need_index_for_england_la(federation):
    need = need_index_for(federation)
    assert need.shape == (1, 296)
    assert (need > 0).all()
    assert np.sum(need * federation.population) / federation.population.sum() == pytest.approx(1.0)
    extended = with_need_index(federation)
    np.testing.assert_array_equal(extended.indicators["need_index"], need)
    assert "mean 1" in extended.units["need_index"]
    assert extended.codes == federation.codes


def test_itl1_need_index_keeps_england_mean(federation):
    table = itl1_need_index(federation)
    assert table["itl1_code"].tolist() == ["TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK"]
    assert table["population"].sum() == pytest.approx(federation.population.sum())
    mean = (table["need_index"] * table["population"]).sum() / table["population"].sum()
    assert mean == pytest.approx(1.0)
    itl1 = load_federation("uk_itl1")
    assert set(table["itl1_code"]) <= set(itl1.codes)


def test_commission_tables_on_england_la(federation):
    index = need_index_from_federation(federation.select_years("2025-26"))
    assert index.missions == ("growth", "crime", "opportunity", "health")
    assert "clean_energy" in index.unavailable_missions
    single = compute_need_index({k: v[0] for k, v in federation.indicators.items()},
                                codes=federation.codes, names=federation.names,
                                groups=federation.nations, population=federation.population[0])
    top = top_need_share_by_group(single)
    assert top["in_top"].sum() == 59 and top["authorities"].sum() == 296
    quadrants = need_spend_quadrants(single, federation.indicators["council_tax_per_head_gbp"][0])
    assert quadrant_counts(quadrants).to_numpy().sum() == 296
    intervals = rank_intervals(single, draws=200, seed=0)
    assert intervals.methods == ("zscore", "minmax", "rank")   # IoD scores are not ratio scale
    assert ((intervals.frame["rank_low"] <= intervals.frame["rank"])
            | (intervals.frame["rank"] <= intervals.frame["rank_high"])).all()
