"""The composite: hand-computed case, invariants (hypothesis), coverage and errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import ConfigurationError, DataValidationError
from simulator.need_index import compute_need_index, missions_from_dict, rank_intervals


def config_for(polarities: list[str], n_missions: int = 2, weights=None):
    """Indicator x{k} in mission m{k % n_missions}."""
    missions: dict = {}
    for k, polarity in enumerate(polarities):
        spec = {"id": f"x{k}", "higher_means": polarity}
        if weights is not None:
            spec["weight"] = weights[k]
        missions.setdefault(f"m{k % n_missions}", {"title": f"M{k % n_missions}",
                                                   "indicators": []})["indicators"].append(spec)
    return missions_from_dict({"title": "test", "missions": missions})


def run(values, polarities, groups, population, **options):
    values = np.asarray(values, dtype=float)
    indicators = {f"x{k}": values[..., k, :] for k in range(values.shape[-2])}
    codes = [f"A{i}" for i in range(values.shape[-1])]
    return compute_need_index(indicators, config_for(polarities), codes=codes, groups=groups,
                              population=population, **options)


def test_composite_by_hand():
    # m0 = {x0 more need, x2 less need}, m1 = {x1 more need}; min-max, equal weights.
    values = [[0.0, 5.0, 10.0],      # x0 -> 0, .5, 1
              [2.0, 2.0, 4.0],       # x1 -> 0, 0, 1
              [30.0, 10.0, 20.0]]    # x2 (less need) -> 0, 1, .5
    index = run(values, ["more_need", "more_need", "less_need"], ["g"] * 3, np.ones(3),
                normalisation="minmax", weighting="equal")
    np.testing.assert_allclose(index.sub_indexes, [[0.0, 0.75, 0.75], [0.0, 0.0, 1.0]])
    np.testing.assert_allclose(index.composite, [0.0, 0.375, 0.875])
    np.testing.assert_array_equal(index.rank, [3, 2, 1])
    assert index.missions == ("m0", "m1")
    # geometric on 1 + minmax: m0 = sqrt(p0 p2), composite = sqrt(m0 m1)
    geo = run(values, ["more_need", "more_need", "less_need"], ["g"] * 3, np.ones(3),
              normalisation="minmax", weighting="equal", aggregation="geometric")
    m0 = np.sqrt(np.array([1.0, 1.5, 2.0]) * np.array([1.0, 2.0, 1.5]))
    m1 = np.array([1.0, 1.0, 2.0])
    np.testing.assert_allclose(geo.sub_indexes, [m0, m1])
    np.testing.assert_allclose(geo.composite, np.sqrt(m0 * m1))


def test_given_weights_are_used():
    values = [[0.0, 1.0], [1.0, 0.0], [0.0, 0.0]]
    polarities = ["more_need"] * 3
    indicators = {f"x{k}": np.array(values[k]) for k in range(3)}
    config = config_for(polarities, n_missions=1, weights=[3.0, 1.0, 1.0])
    index = compute_need_index(indicators, config, codes=["a", "b"], groups=["g", "g"],
                               population=np.ones(2), normalisation="minmax")
    # x2 is constant: min-max 0.5 everywhere; a = .2 x 1 + .2 x .5, b = .6 x 1 + .2 x .5
    np.testing.assert_allclose(index.composite, [0.3, 0.7])
    np.testing.assert_allclose(index.indicator_weights, [[0.6, 0.2, 0.2]])


# ------------------------------------------------------------------ hypothesis invariants
@st.composite
def panels(draw, positive_only: bool = True):
    n_areas = draw(st.integers(3, 12))
    k = draw(st.integers(1, 4))
    value = st.floats(0.5, 100.0, allow_nan=False) if positive_only else st.floats(-50, 50)
    values = np.array(draw(st.lists(st.lists(value, min_size=n_areas, max_size=n_areas),
                                    min_size=k, max_size=k)))
    polarities = draw(st.lists(st.sampled_from(["more_need", "less_need"]), min_size=k, max_size=k))
    groups = draw(st.lists(st.sampled_from(["N", "S", "E"]), min_size=n_areas, max_size=n_areas))
    population = np.array(draw(st.lists(st.floats(1.0, 1e6), min_size=n_areas, max_size=n_areas)))
    return values, polarities, groups, population


methods = st.sampled_from(["zscore", "minmax", "rank", "distance"])
aggregations = st.sampled_from(["arithmetic", "geometric"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panel=panels(), method=methods, aggregation=aggregations,
       weighting=st.sampled_from(["equal", "given", "pca"]), seed=st.integers(0, 2**16),
       holes=st.lists(st.booleans(), min_size=48, max_size=48))
def test_composite_is_invariant_to_the_order_of_areas(panel, method, aggregation, weighting,
                                                      seed, holes):
    values, polarities, groups, population = panel
    values = values.copy()
    mask = np.array(holes[: values.size]).reshape(values.shape) & (np.arange(values.shape[1]) > 0)
    values[mask] = np.nan                      # area 0 always observed: no empty indicator
    order = np.random.default_rng(seed).permutation(values.shape[1])
    options = dict(normalisation=method, aggregation=aggregation, weighting=weighting,
                   min_coverage=0.0)
    base = run(values, polarities, groups, population, **options)
    shuffled = run(values[:, order], polarities, [groups[i] for i in order], population[order],
                   **options)
    np.testing.assert_allclose(shuffled.composite, base.composite[order], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(shuffled.sub_indexes, base.sub_indexes[:, order], rtol=1e-9,
                               atol=1e-12)
    np.testing.assert_array_equal(shuffled.rank, base.rank[order])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panel=panels(), method=methods, aggregation=aggregations,
       weighting=st.sampled_from(["equal", "given"]), pick=st.integers(0, 10**6),
       step=st.floats(0.01, 3.0))
def test_composite_rises_with_need_in_each_indicator(panel, method, aggregation, weighting,
                                                     pick, step):
    values, polarities, groups, population = panel
    k, a = pick % values.shape[0], (pick // values.shape[0]) % values.shape[1]
    moved = values.copy()
    # more need: a higher value where higher means more need, a lower one otherwise
    moved[k, a] = values[k, a] * (1 + step) if polarities[k] == "more_need" else values[k, a] / (1 + step)
    options = dict(normalisation=method, aggregation=aggregation, weighting=weighting)
    before = run(values, polarities, groups, population, **options).composite[a]
    after = run(moved, polarities, groups, population, **options).composite[a]
    assert after >= before - 1e-9 * (1 + abs(before))


# ------------------------------------------------------------------ coverage, shapes, errors
def test_low_coverage_indicator_dropped_and_mission_reported_unavailable():
    values = np.array([[1.0, 2.0, 3.0, 4.0], [np.nan, np.nan, np.nan, 5.0]])
    index = run(values, ["more_need", "more_need"], ["g"] * 4, np.ones(4))
    assert index.indicators == ("x0",)
    assert index.missions == ("m0",)
    report = index.report.set_index("indicator", drop=False)
    assert report.loc["x1", "status"] == "dropped: coverage 25% < 60%"
    assert "m1" in index.unavailable_missions


def test_imputed_cells_flagged():
    values = np.array([[1.0, np.nan, 3.0, 7.0]])
    index = run(values, ["more_need"], ["N", "N", "N", "S"], np.ones(4))
    np.testing.assert_allclose(index.values[0], [1, 2, 3, 7])
    assert index.report.loc[0, "n_imputed_regional"] == 1
    assert index.to_frame()["n_imputed"].tolist() == [0, 1, 0, 0]


def test_leading_axis_equals_each_year_alone():
    rng = np.random.default_rng(0)
    values = rng.uniform(1, 10, size=(3, 2, 7))          # (years, K, A)
    population = rng.uniform(1, 5, size=(3, 7))
    for options in ({}, {"weighting": "pca", "aggregation": "geometric"},
                    {"normalisation": "distance"}):
        both = run(values, ["more_need", "less_need"], list("NNNSSSE"), population, **options)
        for year in range(3):
            alone = run(values[year], ["more_need", "less_need"], list("NNNSSSE"),
                        population[year], **options)
            np.testing.assert_allclose(both.composite[year], alone.composite)
        assert both.to_frame(at=(1,))["rank"].tolist() == both.rank[1].tolist()
    with pytest.raises(ConfigurationError, match="at="):
        both.to_frame()


def test_errors_name_the_problem():
    values = np.ones((1, 3))
    with pytest.raises(ConfigurationError, match="unknown normalisation 'log'"):
        run(values, ["more_need"], ["g"] * 3, np.ones(3), normalisation="log")
    with pytest.raises(ConfigurationError, match="unknown weighting"):
        run(values, ["more_need"], ["g"] * 3, np.ones(3), weighting="expert")
    with pytest.raises(ConfigurationError, match="min_coverage"):
        run(values, ["more_need"], ["g"] * 3, np.ones(3), min_coverage=2)
    with pytest.raises(ConfigurationError, match=r"indicator 'x0' .*did you mean x_0"):
        compute_need_index({"x_0": np.ones(3)}, config_for(["more_need"]), codes="abc",
                           groups="ggg", population=np.ones(3))
    with pytest.raises(DataValidationError, match="population"):
        run(values, ["more_need"], ["g"] * 3, np.array([1.0, 0.0, 1.0]))
    with pytest.raises(ConfigurationError, match="distance.*x0"):
        run(np.array([[-1.0, 1.0, 2.0]]), ["more_need"], ["g"] * 3, np.ones(3),
            normalisation="distance")


# ------------------------------------------------------------------ rank intervals
def test_rank_intervals_seeded_vectorised_and_bracketing():
    rng = np.random.default_rng(1)
    values = rng.uniform(1, 10, size=(4, 30))
    index = run(values, ["more_need", "less_need", "more_need", "more_need"], ["N", "S"] * 15,
                rng.uniform(1, 9, 30))
    first = rank_intervals(index, draws=400, seed=7)
    again = rank_intervals(index, draws=400, seed=7)
    np.testing.assert_array_equal(first.ranks, again.ranks)
    assert first.ranks.shape == (400, 30)
    assert set(first.normalisation) == set(first.methods) == {"zscore", "minmax", "rank", "distance"}
    frame = first.frame
    assert (frame["rank_low"] <= frame["rank_median"]).all()
    assert (frame["rank_median"] <= frame["rank_high"]).all()
    # every draw ranks 1..30 once (no ties in continuous data)
    np.testing.assert_array_equal(np.sort(first.ranks, axis=1), np.tile(np.arange(1, 31), (400, 1)))
    other = rank_intervals(index, draws=400, seed=8)
    assert not np.array_equal(first.ranks, other.ranks)


def test_rank_intervals_collapse_without_uncertainty():
    rng = np.random.default_rng(2)
    index = run(rng.uniform(1, 10, size=(3, 12)), ["more_need"] * 3, ["g"] * 12, np.ones(12))
    fixed = rank_intervals(index, draws=50, normalisations=None, vary_weights=False)
    np.testing.assert_array_equal(fixed.frame["rank_low"], index.rank)
    np.testing.assert_array_equal(fixed.frame["rank_high"], index.rank)


def test_rank_intervals_skip_distance_for_non_ratio_data_and_errors():
    index = run(np.array([[-1.0, 0.5, 2.0, 3.0]]), ["more_need"], ["g"] * 4, np.ones(4))
    assert "distance" not in rank_intervals(index, draws=20).methods
    with pytest.raises(ConfigurationError, match="distance"):
        rank_intervals(index, draws=20, normalisations=["distance"])
    with pytest.raises(ConfigurationError, match="draws"):
        rank_intervals(index, draws=0)
    years = run(np.ones((2, 1, 4)) * np.arange(1, 5), ["more_need"], ["g"] * 4, np.ones(4))
    with pytest.raises(ConfigurationError, match="single-period"):
        rank_intervals(years, draws=10)
