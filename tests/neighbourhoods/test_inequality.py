"""Nested Theil decompositions: exact, order-free, zero where there is nothing to find."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.errors import DataValidationError
from simulator.inequality import (deciles, group_theil, share_in, theil_decomposition)
from simulator.metrics import theil


@st.composite
def nested_data(draw, max_areas: int = 40):
    """Areas in authorities in regions, positive values and weights."""
    n = draw(st.integers(2, max_areas))
    n_regions = draw(st.integers(1, 4))
    n_authorities = draw(st.integers(n_regions, n_regions + 6))
    authority_region = np.array([i % n_regions for i in range(n_authorities)])
    authority = np.array(draw(st.lists(st.integers(0, n_authorities - 1), min_size=n,
                                       max_size=n)))
    values = np.array(draw(st.lists(st.floats(0.01, 1000), min_size=n, max_size=n)))
    weights = np.array(draw(st.lists(st.floats(1, 1e5), min_size=n, max_size=n)))
    return values, weights, authority, authority_region[authority], n_authorities, n_regions


def mld(values, weights):
    mean = np.average(values, weights=weights)
    return np.average(np.log(mean / values), weights=weights)


@settings(max_examples=150, deadline=None)
@given(nested_data(), st.sampled_from(["T", "L"]))
def test_parts_add_up_to_the_undecomposed_index(data, index):
    values, weights, authority, region, n_a, n_r = data
    parts = theil_decomposition(values, weights, authority, region, n_a, n_r, index=index)
    direct = theil(values, weights) if index == "T" else mld(values, weights)
    assert parts.total == pytest.approx(direct, rel=1e-9, abs=1e-12)
    for name in ("between_regions", "between_authorities", "within_authorities"):
        assert getattr(parts, name) >= -1e-12   # each part is itself an index, >= 0


@settings(max_examples=100, deadline=None)
@given(nested_data(), st.randoms(use_true_random=False), st.sampled_from(["T", "L"]))
def test_permuting_areas_changes_nothing(data, rnd, index):
    values, weights, authority, region, n_a, n_r = data
    order = np.arange(len(values))
    rnd.shuffle(order)
    a = theil_decomposition(values, weights, authority, region, n_a, n_r, index=index)
    b = theil_decomposition(values[order], weights[order], authority[order], region[order],
                            n_a, n_r, index=index)
    for name, value in a.as_dict().items():
        assert getattr(b, name) == pytest.approx(value, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(nested_data(), st.sampled_from(["T", "L"]))
def test_equal_values_within_authorities_give_no_within_part(data, index):
    values, weights, authority, region, n_a, n_r = data
    # every area takes its authority's value: nothing within authorities
    per_authority = np.linspace(1, 9, n_a)[authority]
    parts = theil_decomposition(per_authority, weights, authority, region, n_a, n_r, index=index)
    assert parts.within_authorities == pytest.approx(0.0, abs=1e-12)
    # and equal authorities within regions: only the between-region part remains
    per_region = np.linspace(1, 9, n_r)[region]
    parts = theil_decomposition(per_region, weights, authority, region, n_a, n_r, index=index)
    assert parts.within_authorities == pytest.approx(0.0, abs=1e-12)
    assert parts.between_authorities == pytest.approx(0.0, abs=1e-12)
    assert parts.total == pytest.approx(parts.between_regions, rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(nested_data())
def test_leading_axes_equal_each_row_alone(data):
    values, weights, authority, region, n_a, n_r = data
    stacked = np.stack([values, values[::-1], np.sqrt(values)])
    parts = theil_decomposition(stacked, weights, authority, region, n_a, n_r)
    for k in range(3):
        alone = theil_decomposition(stacked[k], weights, authority, region, n_a, n_r)
        for name, value in alone.as_dict().items():
            assert getattr(parts, name)[k] == pytest.approx(value, rel=1e-12, abs=1e-15)


def test_matches_a_pandas_groupby_reference():
    rng = np.random.default_rng(7)
    n = 500
    region = rng.integers(0, 3, 20)
    authority = rng.integers(0, 20, n)
    values, weights = rng.lognormal(size=n), rng.integers(500, 3000, n).astype(float)
    frame = pd.DataFrame({"x": values, "w": weights, "a": authority, "r": region[authority]})
    frame["y"] = frame.x * frame.w
    mu = frame.y.sum() / frame.w.sum()
    la = frame.groupby("a").agg(Y=("y", "sum"), W=("w", "sum"), r=("r", "first"))
    rg = frame.groupby("r").agg(Y=("y", "sum"), W=("w", "sum"))
    la["mu"], rg["mu"] = la.Y / la.W, rg.Y / rg.W
    between_r = (rg.Y * np.log(rg.mu / mu)).sum() / frame.y.sum()
    between_a = (la.Y * np.log(la.mu / rg.mu.reindex(la.r).to_numpy())).sum() / frame.y.sum()
    within = (frame.y * np.log(frame.x / la.mu.reindex(frame.a).to_numpy())).sum() / frame.y.sum()
    parts = theil_decomposition(values, weights, authority, region[authority], 20, 3)
    assert parts.between_regions == pytest.approx(between_r, rel=1e-10)
    assert parts.between_authorities == pytest.approx(between_a, rel=1e-10)
    assert parts.within_authorities == pytest.approx(within, rel=1e-10)
    per_region = group_theil(values, weights, region[authority], 3)
    for r in range(3):
        mask = region[authority] == r
        assert per_region[r] == pytest.approx(theil(values[mask], weights[mask]), rel=1e-10)


def test_refuses_what_has_no_logarithm_and_groups_that_do_not_nest():
    authority, region = np.array([0, 0, 1]), np.array([0, 0, 1])
    with pytest.raises(DataValidationError, match="values > 0; got 0.0"):
        theil_decomposition(np.array([1.0, 0.0, 2.0]), np.ones(3), authority, region)
    with pytest.raises(DataValidationError, match="not finite"):
        theil_decomposition(np.array([1.0, np.inf, 2.0]), np.ones(3), authority, region)
    with pytest.raises(DataValidationError, match="not nested"):
        theil_decomposition(np.ones(3), np.ones(3), np.array([0, 0, 1]), np.array([0, 1, 1]))


def test_share_in_and_deciles():
    values = np.array([5.0, 1.0, 9.0, 3.0, 7.0, 2.0, 8.0, 4.0, 6.0, 10.0])
    d = deciles(values)
    assert list(d) == [6, 10, 2, 8, 4, 9, 3, 7, 5, 1]
    population = np.arange(1.0, 11.0)
    group = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    share = share_in(d <= 2, population, group, 2)
    assert share == pytest.approx([3 / 15, 10 / 40])
