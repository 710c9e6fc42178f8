"""Selection probabilities under indicator noise and weight choices."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.errors import ConfigurationError
from simulator.neighbourhoods.allocation import select_top_n
from simulator.neighbourhoods.robust import chunk_size, selection_probability


@settings(max_examples=40, deadline=None)
@given(st.integers(5, 200), st.integers(0, 10_000), st.data())
def test_without_noise_or_weight_choice_the_probability_is_the_selection(n, seed, data):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=n), rng.normal(size=n)
    places = data.draw(st.integers(1, n))
    result = selection_probability([a, b], [0.7, 0.3], places=places, draws=7, noise=0.0,
                                   concentration=float("inf"))
    z = lambda v: (v - v.mean()) / v.std()  # noqa: E731  zscore, the default normalisation
    expected = select_top_n(0.7 * z(a) + 0.3 * z(b), places) > 0
    np.testing.assert_array_equal(result.base_selected, expected)
    # float32 draws may flip an area tied with the cut-off at float32 precision: compare the
    # clear cases (margin 1e-5 in z units)
    composite = 0.7 * z(a) + 0.3 * z(b)
    cut = np.sort(composite)[::-1][places - 1]
    clear = np.abs(composite - cut) > 1e-5
    np.testing.assert_array_equal(result.probability[clear], expected[clear].astype(float))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_probabilities_are_shares_of_draws_and_sum_to_the_places(seed):
    rng = np.random.default_rng(seed)
    n, places, draws = 300, 40, 50
    result = selection_probability([rng.normal(size=n), rng.normal(size=n)], places=places,
                                   draws=draws, noise=0.3, seed=seed,
                                   normalisations=("zscore", "minmax", "rank"))
    p = result.probability
    assert ((p >= 0) & (p <= 1)).all()
    assert np.allclose(p * draws, np.round(p * draws))
    assert p.sum() == pytest.approx(places, abs=0.1)   # ties at the cut-off: probability ~0


def test_clear_cases_are_safe_and_close_ones_are_knife_edge():
    n = 1000
    need = np.linspace(0, 10, n)           # evenly spaced; top 100 = need above ~9
    result = selection_probability([need, need], places=100, draws=400, noise=0.05, seed=1)
    p = result.probability
    assert (p[-50:] == 1).all() and (p[:800] == 0).all()
    near = np.abs(np.arange(n) - (n - 100)) <= 3
    assert ((p[near] > 0.05) & (p[near] < 0.95)).any()
    assert result.knife_edge().sum() > 0


def test_chunks_respect_the_memory_budget_and_cover_every_draw():
    rng = np.random.default_rng(0)
    measures = [rng.normal(size=5000), rng.normal(size=5000)]
    small = selection_probability(measures, places=100, draws=101, memory_mb=1.0)
    assert small.chunk == chunk_size(5000, 2, 1.0) < 101
    assert small.peak_bytes <= 1.0e6
    assert small.probability.sum() == pytest.approx(100, abs=0.1)


def test_both_top_decile_on_england_lsoa_reproduces_the_left_behind_flag_without_noise():
    from simulator.data.england_lsoa import load_neighbourhoods

    hoods = load_neighbourhoods()
    result = selection_probability([hoods["cni_score"], hoods["imd_score"]],
                                   rule="both_top_decile", draws=3, noise=0.0)
    np.testing.assert_array_equal(result.base_selected, hoods["left_behind"] == 1)


def test_bad_settings_are_refused():
    x = [np.arange(10.0), np.arange(10.0)]
    with pytest.raises(ConfigurationError, match="places"):
        selection_probability(x)
    with pytest.raises(ConfigurationError, match="exactly two"):
        selection_probability(x[:1], rule="both_top_decile")
    with pytest.raises(ConfigurationError, match="noise"):
        selection_probability(x, places=2, noise=-1)
    with pytest.raises(ConfigurationError, match="finite"):
        selection_probability([np.array([1.0, np.nan]), np.ones(2)], places=1)
