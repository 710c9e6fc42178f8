"""Barnett formula: published example, hand computations, the squeeze, Wales's floor."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.errors import ConfigurationError
from simulator.over_time.barnett import (
    WALES_FLOOR, WALES_NEEDS_FACTOR, barnett_consequential, barnett_path, wales_needs_factor,
)


def test_published_example():
    """100m x 90% x 5.83% = 5.25m (uk_figures.csv, wales_population_proportion_example)."""
    consequential = barnett_consequential(100e6, 0.90, 0.0583)
    assert round(float(consequential) / 1e6, 2) == 5.25
    assert float(consequential) == pytest.approx(5.247e6)


def test_wales_needs_based_factor_by_hand():
    # 100m x 90% x 5.83% x 1.05 = 5.50935m
    assert float(barnett_consequential(100e6, 0.90, 0.0583, WALES_NEEDS_FACTOR)) == pytest.approx(5.50935e6)


def test_wales_floor_rule():
    np.testing.assert_allclose(wales_needs_factor([1.20, 1.15, 1.149, 1.0]), [1.05, 1.05, 1.15, 1.15])
    assert WALES_FLOOR == 1.15


def test_vectorised_over_nations():
    # Scotland, Wales, NI: population proportions of England, comparability 100%
    proportion = np.array([0.0966, 0.0553, 0.0338])
    factor = np.array([1.0, WALES_NEEDS_FACTOR, 1.0])
    result = barnett_consequential(1000.0, 1.0, proportion, factor)
    np.testing.assert_allclose(result, [96.6, 58.065, 33.8])


def test_path_by_hand():
    england = np.array([[1000.0], [1100.0], [1300.0]])
    england_pop = np.full((3, 1), 100.0)
    population = np.full((3, 1), 10.0)
    path = barnett_path(np.array([120.0]), england, 1.0, population, england_pop)
    np.testing.assert_allclose(path.consequentials[:, 0], [0.0, 10.0, 20.0])
    np.testing.assert_allclose(path.grant[:, 0], [120.0, 130.0, 150.0])
    np.testing.assert_allclose(path.relative_funding[:, 0], [1.2, 130 / 110, 150 / 130])


@given(st.floats(1.01, 2.0), st.lists(st.floats(0.0, 0.15), min_size=2, max_size=15))
@settings(max_examples=60, deadline=None)
def test_barnett_squeeze(start, growth):
    """With growing English spending and equal population growth, a nation funded above
    England per head converges towards parity, never overshooting it."""
    england = 1000.0 * np.cumprod([1.0] + [1.0 + g for g in growth])[:, None]
    population = np.full_like(england, 5.0)
    england_pop = np.full_like(england, 50.0)
    path = barnett_path(start * 100.0, england, 1.0, population, england_pop)
    relative = path.relative_funding[:, 0]
    assert relative[0] == pytest.approx(start)
    assert (np.diff(relative) <= 1e-12).all()
    assert (relative >= 1.0 - 1e-12).all()


def test_wales_floor_stops_the_squeeze_at_115_percent():
    years = 40
    england = 1000.0 * 1.06 ** np.arange(years)[:, None]
    population = np.full((years, 1), 5.5)
    england_pop = np.full((years, 1), 100.0)
    start_grant = 1.25 * 55.0  # 125% of equivalent English spending per head
    plain = barnett_path(start_grant, england, 1.0, population, england_pop,
                         needs_factor=WALES_NEEDS_FACTOR)
    floored = barnett_path(start_grant, england, 1.0, population, england_pop,
                           needs_factor=WALES_NEEDS_FACTOR, floor=WALES_FLOOR)
    assert plain.relative_funding[-1, 0] < 1.12          # drifts towards 1.05
    crossed = np.argmax(floored.relative_funding[:, 0] < WALES_FLOOR)
    assert crossed > 0
    assert floored.factor[crossed + 1, 0] == WALES_FLOOR
    after = floored.relative_funding[crossed:, 0]
    assert (np.diff(after) >= -1e-12).all()           # climbs back towards 115%
    assert after[-1] == pytest.approx(WALES_FLOOR, abs=0.005)
    np.testing.assert_allclose(floored.grant[: crossed + 1], plain.grant[: crossed + 1])


def test_floor_with_draws_axis_matches_single_runs():
    rng = np.random.default_rng(3)
    england = 1000.0 * np.exp(np.cumsum(rng.normal(0.05, 0.02, (4, 20, 1)), axis=-2))
    population = np.full((20, 2), [5.5, 9.0])
    kwargs = dict(comparability=1.0, population=population, england_population=np.full((20, 1), 100.0),
                  needs_factor=np.array([1.05, 1.0]), floor=np.array([1.15, np.nan]))
    together = barnett_path(np.array([72.0, 110.0]), england, **kwargs)
    for d in range(4):
        alone = barnett_path(np.array([72.0, 110.0]), england[d], **kwargs)
        np.testing.assert_allclose(together.grant[d], alone.grant)
    assert (together.factor[..., 1] == 1.0).all()  # no floor for the second nation


def test_bad_inputs_raise():
    with pytest.raises(ConfigurationError, match="comparability"):
        barnett_consequential(1.0, 1.5, 0.05)
    with pytest.raises(ConfigurationError, match="year axis"):
        barnett_path(1.0, np.array([1.0, 2.0]), 1.0, np.ones((2, 1)), np.ones((2, 1)))
