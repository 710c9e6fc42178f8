"""Projections: trends recovered, continued, overridden, and run through the engine."""

from __future__ import annotations

import numpy as np
import pytest

import simulator
from simulator import Federation
from simulator.errors import ConfigurationError, DataValidationError
from simulator.over_time.projection import (
    estimate_trends, log_linear_slope, next_year, project_federation, year_range,
)
from simulator.steps import GapFill


def exponential_federation(n_years=12):
    """Exact log-linear history: populations and per-head revenue grow at fixed rates."""
    t = np.arange(n_years)[:, None]
    pop_rates = np.array([0.01, -0.005, 0.002])
    per_head_rates = np.array([[0.03, 0.05, 0.02], [0.04, 0.04, 0.04]])
    population = np.array([1e6, 2e6, 3e6]) * np.exp(pop_rates * t)
    per_head = np.array([[100.0, 80.0, 120.0], [50.0, 50.0, 60.0]])[None] * np.exp(
        per_head_rates[None] * t[:, :, None])
    years = [f"{2013 + i}-{(14 + i) % 100:02d}" for i in range(n_years)]
    return Federation(
        name="exact", codes=("A", "B", "C"), names=("A", "B", "C"), nations=("X", "X", "Y"),
        years=years, population=population, taxes=("income_tax", "vat"),
        revenue=per_head * population[:, None, :],
        tax_base={"vat": 5 * per_head[:, 1, :] * population},
        indicators={"grant": 1000.0 * population * np.exp(0.02 * t), "index": np.ones((n_years, 3))},
        units={"grant": "GBP", "index": "index"}), pop_rates, per_head_rates


def test_year_labels():
    assert next_year("2024-25") == "2025-26"
    assert next_year("1999-00") == "2000-01"
    assert next_year("2024") == "2025"
    assert year_range("2024-25", 15)[-1] == "2039-40"
    with pytest.raises(DataValidationError):
        next_year("FY24")


def test_log_linear_slope_exact_and_invalid():
    x = 5.0 * np.exp(0.03 * np.arange(8))[:, None] * np.ones((1, 2))
    np.testing.assert_allclose(log_linear_slope(x), [0.03, 0.03])
    x[3, 1] = -1.0
    assert np.isnan(log_linear_slope(x)[1])


def test_trends_recover_the_generating_rates():
    fed, pop_rates, per_head_rates = exponential_federation()
    trends = estimate_trends(fed, window=6)
    np.testing.assert_allclose(trends.population, pop_rates, atol=1e-12)
    # revenue per head of region i grows at g_t + d_t,i = the generating rate
    np.testing.assert_allclose(trends.revenue_per_head_growth(), per_head_rates, atol=1e-3)
    assert trends.window == (fed.years[-6], fed.years[-1])
    assert set(trends.to_frame().columns) >= {"tax", "code", "population_growth"}


def test_projection_continues_exact_log_linear_series():
    full, *_ = exponential_federation(n_years=20)
    history = full.select_years(list(full.years[:12]))
    projected = project_federation(history, until=full.years[-1], window=12)
    assert projected.years == full.years[12:]
    np.testing.assert_allclose(projected.population, full.population[12:], rtol=1e-9)
    # relative trends of a log-linear series are only approximately log-linear: within 1%
    np.testing.assert_allclose(projected.revenue, full.revenue[12:], rtol=0.01)
    np.testing.assert_allclose(projected.indicators["grant"], full.indicators["grant"][12:], rtol=1e-9)
    np.testing.assert_allclose(projected.indicators["index"], 1.0)
    # tax base keeps the effective rate of the jump-off year
    rate = projected.tax_revenue("vat") / projected.tax_base["vat"]
    np.testing.assert_allclose(rate, np.broadcast_to(
        history.tax_revenue("vat")[-1] / history.tax_base["vat"][-1], rate.shape))


def test_overrides_and_frozen_relative_positions():
    fed, *_ = exponential_federation()
    projected = project_federation(fed, n_years=5, revenue_growth={"B": 0.10},
                                   population_growth={"A": 0.0}, history=1)
    assert projected.years[0] == fed.years[-1] and len(projected.years) == 6
    per_head = projected.revenue_per_head()
    np.testing.assert_allclose(per_head[1:, :, 1] / per_head[:-1, :, 1], 1.10)
    np.testing.assert_allclose(projected.population[:, 0], fed.population[-1, 0])
    frozen = project_federation(fed, n_years=5, relative_trend=False)
    # every region's revenue per head grows at the UK trend rate of its tax
    uk_growth = estimate_trends(fed).uk_per_head
    np.testing.assert_allclose(frozen.revenue_per_head()[-1] / frozen.revenue_per_head()[0],
                               np.exp(4 * uk_growth)[:, None] * np.ones((1, 3)))
    assert "projected" in frozen.source


def test_projected_federation_runs_all_years_at_once(make_federation):
    fed = make_federation(n_years=12)
    projected = project_federation(fed, until="2036-37")  # 2022-23 + 15 years
    assert len(projected.years) == 15
    system = simulator.System(devolution={"income_tax": 1.0}, block_grant="grant",
                              steps=[GapFill(rate=0.75)])
    result = simulator.run(projected, system)
    table = result.by_region()
    assert set(table.year) == set(projected.years)
    assert np.isfinite(table.filter(like="resources").to_numpy()).all()


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(), ConfigurationError, "until"),
    (dict(until="2010-11"), ConfigurationError, "not a year after"),
    (dict(n_years=3, window=1), ConfigurationError, "window"),
    (dict(n_years=3, window=40), ConfigurationError, "longer"),
    (dict(n_years=3, window=("2000-01", "2020-21")), DataValidationError, "window"),
    (dict(n_years=3, revenue_growth={"Q": 0.1}), ConfigurationError, "unknown region 'Q'"),
    (dict(n_years=3, population_growth=-2.0), ConfigurationError, "> -1"),
])
def test_bad_projection_options(kwargs, error, match, federation):
    with pytest.raises(error, match=match):
        project_federation(federation, **kwargs)


def test_indicator_published_until_earlier_is_extrapolated_from_its_last_value():
    fed, *_ = exponential_federation()
    series = np.array(fed.indicators["grant"])
    series[-2:] = np.nan  # like GDHI, two years behind
    from dataclasses import replace
    lagging_fed = replace(fed, indicators={"grant": series})
    projected = project_federation(lagging_fed, n_years=3)
    full = project_federation(fed, n_years=3)
    np.testing.assert_allclose(projected.indicators["grant"], full.indicators["grant"], rtol=1e-9)
    x = np.exp(0.05 * np.arange(6.0))
    x[2] = np.nan
    assert log_linear_slope(x, skip_missing=True) == pytest.approx(0.05)
    assert np.isnan(log_linear_slope(x))
