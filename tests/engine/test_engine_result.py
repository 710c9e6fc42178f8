"""Result.summary, marginal equalisation rates, run() and the metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import ConfigurationError, Federation, System, metrics, run
from simulator.steps import GapFill, HorizontalFunding, NoWorseOff, Symmetric

POPULATION = np.array([1000.0, 2000.0, 1000.0])
CAPACITY = np.array([100.0, 200.0, 400.0])  # per head; national average 225
SHARE = POPULATION / POPULATION.sum()


def federation(years=("2023-24", "2024-25"), with_base=False) -> Federation:
    n = len(years)
    population = np.tile(POPULATION, (n, 1))
    revenue = np.stack([population * CAPACITY, population * 50.0], axis=1)  # taxes: tax, other
    bases = {"tax": population * CAPACITY * 4} if with_base else {}
    return Federation(name="toy", codes=["A", "B", "C"], names=["Ayr", "Bute", "Coll"],
                      nations=["X"] * 3, years=years, population=population,
                      taxes=["tax", "other"], revenue=revenue, tax_base=bases,
                      indicators={"grant": population * 1000.0})


def system(*steps, adjustment="per_capita", devolution=None) -> System:
    return System(devolution={"tax": 1.0} if devolution is None else devolution,
                  block_grant="grant", block_grant_adjustment=adjustment, steps=list(steps))


# ---------------------------------------------------------------- summary
def test_summary_of_a_centre_funded_gap_fill():
    summary = run(federation(), system(GapFill())).summary()
    assert list(summary["year"]) == ["2023-24", "2024-25"]
    row = summary.iloc[0]
    assert row["cost_to_centre_gbp_m"] == pytest.approx(0.175)
    assert row["paid_by_centre_gbp_m"] == pytest.approx(0.175)
    assert row["horizontal_flows_gbp_m"] == pytest.approx(0.0)
    # baseline: 1000 per head everywhere; after: 1000 - 225 + c + T = 1000, 1000, 1175
    assert row["gini_before"] == pytest.approx(0.0, abs=1e-12)
    assert row["max_min_ratio_before"] == pytest.approx(1.0)
    assert row["gini_after"] == pytest.approx(1050 / (2 * 16 * 1043.75))
    assert row["max_min_ratio_after"] == pytest.approx(1.175)
    assert row["capacity_gap_before_gbp_m"] == pytest.approx(0.175)
    assert row["capacity_gap_after_gbp_m"] == pytest.approx(0.0)
    assert row["capacity_gap_closed"] == pytest.approx(1.0)


def test_summary_of_a_horizontally_funded_gap_fill():
    row = run(federation(), system(GapFill(rate=0.5), HorizontalFunding())).summary().iloc[0]
    assert row["cost_to_centre_gbp_m"] == pytest.approx(0.0, abs=1e-12)
    assert row["horizontal_flows_gbp_m"] == pytest.approx(0.0875)
    assert row["capacity_gap_closed"] == pytest.approx(0.5)


def test_cost_to_centre_counts_revenue_forgone_without_adjustment():
    row = run(federation(), system(adjustment="none")).summary().iloc[0]
    assert row["cost_to_centre_gbp_m"] == pytest.approx(0.9)  # 900 000 of devolved revenue
    assert row["paid_by_centre_gbp_m"] == 0.0


def test_summary_with_nothing_devolved_has_no_gap_to_close():
    summary = run(federation(), system(devolution={})).summary()
    assert summary["capacity_gap_closed"].isna().all()
    assert (summary["cost_to_centre_gbp_m"] == 0).all()


# ---------------------------------------------------------------- run
def test_run_hands_the_baseline_resources_to_the_system():
    baseline = system(GapFill())
    result = run(federation(), system(NoWorseOff()), baseline=baseline)
    np.testing.assert_allclose(result.state.baseline_resources, result.baseline.resources)
    # no worse off than under the baseline gap-fill
    assert (result.state.resources >= result.baseline.resources - 1e-6).all()
    frame = result.by_region()
    assert (frame["change_per_head_gbp"] >= -1e-9).all()


# ---------------------------------------------------------------- marginal rates
def rates(result, **kwargs) -> pd.DataFrame:
    return result.marginal_equalisation_rates(**kwargs)


def test_marginal_rates_of_a_symmetric_step():
    frame = rates(run(federation(), system(Symmetric(rate=0.63))))
    assert len(frame) == 6 and list(frame["code"][:3]) == ["A", "B", "C"]
    expected = 1 - (1 - 0.63) * (1 - SHARE)  # per-capita BGA takes s_i, the step 0.63 (1 - s_i)
    np.testing.assert_allclose(frame["marginal_equalisation_rate"], np.tile(expected, 2),
                               atol=1e-6)
    np.testing.assert_allclose(frame["lost_via_block_grant"], np.tile(SHARE, 2), atol=1e-6)
    lost = frame.filter(like="lost_via").sum(axis=1)
    np.testing.assert_allclose(lost, frame["marginal_equalisation_rate"], atol=1e-9)


def test_marginal_rates_of_a_gap_fill():
    # A and B are below the standard: every extra pound is equalised away;
    # C, above it, loses only its population share through the per-capita BGA
    frame = rates(run(federation(), system(GapFill())))
    np.testing.assert_allclose(frame["marginal_equalisation_rate"][:3], [1.0, 1.0, SHARE[2]],
                               atol=1e-6)


def test_marginal_rates_with_a_known_base_and_a_named_tax():
    fed = federation(with_base=True)
    both = system(Symmetric(rate=0.5), devolution={"tax": 1.0, "other": 0.5})
    for tax in (None, "tax", "other"):
        frame = rates(run(fed, both), tax=tax)
        np.testing.assert_allclose(frame["marginal_equalisation_rate"][:3],
                                   1 - 0.5 * (1 - SHARE), atol=1e-6)
    with pytest.raises(ConfigurationError, match="tax 'other' is not devolved"):
        rates(run(fed, system(Symmetric())), tax="other")


def test_marginal_rates_need_a_devolved_tax():
    with pytest.raises(ConfigurationError, match="devolves nothing"):
        rates(run(federation(), system(devolution={})))
    with pytest.raises(ConfigurationError, match="devolves nothing"):
        rates(run(federation(), system(devolution={"tax": 0.0})))


def test_a_rate_change_for_an_unknown_region_names_the_tax_and_the_region():
    devolution = {"tax": {"own_rate": True, "rate_change": {"A": 0.1, "Z": 0.1}}}
    with pytest.raises(ConfigurationError,
                       match=r"devolution\.tax\.rate_change names unknown region 'Z'; known: A, B, C"):
        run(federation(), system(devolution=devolution))


# ---------------------------------------------------------------- metrics
def brute_gini(x, w):
    diff = np.abs(x[:, None] - x[None, :])
    return (w[:, None] * w[None, :] * diff).sum() / (2 * w.sum() ** 2 * np.average(x, weights=w))


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 60),
       st.lists(st.integers(1, 3), max_size=2))
def test_metrics_match_their_definitions_over_leading_axes(seed, n, leading):
    rng = np.random.default_rng(seed)
    x = rng.lognormal(7, 0.6, tuple(leading) + (n,))
    w = rng.uniform(1, 100, tuple(leading) + (n,))
    flat_x, flat_w = x.reshape(-1, n), w.reshape(-1, n)
    gini = metrics.gini(x, w).reshape(-1)
    theil = metrics.theil(x, w).reshape(-1)
    cv = metrics.coefficient_of_variation(x, w).reshape(-1)
    for i in range(flat_x.shape[0]):  # loop over test slices, not in the code under test
        xi, wi = flat_x[i], flat_w[i]
        mean = np.average(xi, weights=wi)
        assert gini[i] == pytest.approx(brute_gini(xi, wi), abs=1e-12)
        assert theil[i] == pytest.approx(np.average(xi / mean * np.log(xi / mean), weights=wi),
                                         abs=1e-12)
        assert cv[i] == pytest.approx(np.sqrt(np.average((xi - mean) ** 2, weights=wi)) / mean)
    assert metrics.gini(x, w).shape == tuple(leading)
    # splitting a region into two halves of its weight changes nothing
    split_x = np.concatenate([x, x[..., :1]], axis=-1)
    split_w = np.concatenate([w[..., :1] / 2, w[..., 1:], w[..., :1] / 2], axis=-1)
    for function in (metrics.gini, metrics.theil, metrics.coefficient_of_variation,
                     metrics.max_min_ratio):
        np.testing.assert_allclose(function(split_x, split_w), function(x, w), atol=1e-12)


def test_metrics_edge_cases():
    assert metrics.gini([5.0, 5.0], [1.0, 3.0]) == pytest.approx(0.0, abs=1e-15)
    assert metrics.gini([0.0, 1.0]) == pytest.approx(0.5)
    assert np.isnan(metrics.gini([0.0, 0.0]))
    assert np.isnan(metrics.theil([-1.0, 2.0]))
    assert np.isnan(metrics.max_min_ratio([0.0, 2.0]))
    assert metrics.max_min_ratio([[1.0, 2.0], [2.0, 8.0]]).tolist() == [2.0, 4.0]
    assert metrics.gap_below([100.0, 300.0], [2.0, 1.0], 200.0) == pytest.approx(200.0)
    assert metrics.share_of_gap_closed([100.0, 300.0], [150.0, 250.0]) == pytest.approx(0.5)
    assert np.isnan(metrics.share_of_gap_closed([3.0, 3.0], [3.0, 3.0]))
