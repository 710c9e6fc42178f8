"""Monte-Carlo shocks and risk sharing: reproducible, deterministic at zero variance,
covariance as estimated, and the absorbed share in closed form."""

from __future__ import annotations

import numpy as np
import pytest

from simulator import EngineInputs, System
from simulator.errors import ConfigurationError, DataValidationError
from simulator.over_time import block_grant_adjustment, project_federation
from simulator.over_time.monte_carlo import ShockModel, monte_carlo, percentile_bands, shocked_inputs
from simulator.over_time.risk import absorbed_share, absorption_by_component, volatility
from simulator.over_time.settlement import BGAIndexation, simulate_over_time
from simulator.steps import GapFill

SYSTEM = System(devolution={"income_tax": 1.0, "vat": 0.5}, block_grant="grant",
                steps=[GapFill(rate=0.75)])


@pytest.fixture
def history(make_federation):
    return make_federation(n_years=20, seed=4)


@pytest.fixture
def projected(history):
    return project_federation(history, n_years=10, history=1)


def test_model_covariance_is_the_sample_covariance_of_log_growth(history):
    model = ShockModel.from_history(history)
    growth = np.diff(np.log(history.total_revenue()), axis=0)
    np.testing.assert_allclose(model.covariance, np.cov(growth, rowvar=False))
    by_tax = ShockModel.from_history(history, by="tax", window=(history.years[5], history.years[-1]))
    assert by_tax.covariance.shape == (8, 8) and by_tax.window == (history.years[5], history.years[-1])
    growth = np.diff(np.log(history.revenue[5:].reshape(15, -1)), axis=0)
    np.testing.assert_allclose(by_tax.covariance, np.cov(growth, rowvar=False))


def test_draws_have_the_model_covariance(history):
    model = ShockModel.from_history(history)
    levels = model.draw(20000, 3, rng=np.random.default_rng(11))
    yearly = np.diff(levels, axis=1, prepend=0.0)
    empirical = np.cov(yearly.reshape(-1, 4), rowvar=False)
    np.testing.assert_allclose(empirical, model.covariance, atol=0.05 * np.abs(model.covariance).max())
    # random walk: the variance of the level grows with the horizon
    assert (levels.var(axis=0)[2] > levels.var(axis=0)[0]).all()


def test_from_covariance_round_trip():
    cov = np.array([[0.04, 0.01], [0.01, 0.09]])
    model = ShockModel.from_covariance(cov, codes=("A", "B"), taxes=("t",))
    np.testing.assert_allclose(model.covariance, cov, atol=1e-12)
    with pytest.raises(ConfigurationError, match="semi-definite"):
        ShockModel.from_covariance(np.array([[1.0, 2.0], [2.0, 1.0]]), ("A", "B"), ("t",))
    with pytest.raises(ConfigurationError, match="symmetric"):
        ShockModel.from_covariance(np.eye(3), ("A", "B"), ("t",))


def test_fixed_seed_is_reproducible(history, projected):
    model = ShockModel.from_history(history, by="tax")
    a = monte_carlo(projected, SYSTEM, model, n_draws=50, seed=123, start=1)
    b = monte_carlo(projected, SYSTEM, model, n_draws=50, seed=123, start=1)
    c = monte_carlo(projected, SYSTEM, model, n_draws=50, seed=124, start=1)
    np.testing.assert_array_equal(a.state.resources, b.state.resources)
    assert not np.allclose(a.state.resources, c.state.resources)
    np.testing.assert_allclose(a.shocks[:, 0], 0.0)  # the observed base year is not shocked
    generator = monte_carlo(projected, SYSTEM, model, n_draws=50,
                            seed=np.random.default_rng(123), start=1)
    np.testing.assert_array_equal(generator.state.resources, a.state.resources)


@pytest.mark.parametrize("bga", [None, BGAIndexation(method="indexed_per_capita", reset_every=4)])
def test_zero_variance_equals_the_deterministic_run(history, projected, bga):
    model = ShockModel.from_history(history)
    result = monte_carlo(projected, SYSTEM, model, n_draws=5, seed=1, scale=0.0, bga=bga)
    deterministic = simulate_over_time(EngineInputs.from_federation(projected), SYSTEM,
                                       projected.years, bga)
    for d in range(5):
        np.testing.assert_allclose(result.state.resources[d], deterministic.resources)
    bands = result.bands()
    assert len(bands) == 5 * len(projected.years) * projected.n_regions
    spread = bands.groupby(["year", "code"])["resources_per_head_gbp"].agg(np.ptp)
    np.testing.assert_allclose(spread, 0.0, atol=1e-6)


def test_percentile_bands_are_ordered(history, projected):
    result = monte_carlo(projected, SYSTEM, ShockModel.from_history(history), n_draws=200, seed=5)
    bands = result.bands("change_per_head", percentiles=(5, 50, 95))
    wide = bands.pivot_table(index=["year", "code"], columns="percentile",
                             values="change_per_head_gbp")
    assert (wide[5.0] <= wide[50.0]).all() and (wide[50.0] <= wide[95.0]).all()
    assert (wide[95.0] - wide[5.0]).max() > 0
    with pytest.raises(ConfigurationError, match="percentiles"):
        percentile_bands(np.zeros((2, len(projected.years), 4)), projected, (5, 150))
    with pytest.raises(ConfigurationError, match="unknown measure"):
        result.bands("nonsense")


def test_absorbed_share_closed_form(federation):
    """Full or partial gap-fill against the national average, deduction indexed to the rest of
    the country: a recipient absorbs r x (1 - P_i / P) of its own shock; without equalisation
    it absorbs nothing; with the static own-revenue deduction everything."""
    bga = BGAIndexation(method="indexed_per_capita")
    devolution = {"income_tax": 1.0}
    none = absorbed_share(federation, System(devolution=devolution, block_grant="grant"), bga=bga)
    assert np.isnan(none[0]).all()  # the base year is not shocked
    np.testing.assert_allclose(none[1:], 0.0, atol=1e-6)
    base_year_too = absorbed_share(federation, System(devolution=devolution, block_grant="grant"),
                                   bga=bga, from_year=federation.years[0])
    # a shock that includes the base year scales the whole deduction: BGA_t / R_t of it is absorbed
    revenue = federation.tax_revenue("income_tax")
    deduction = block_grant_adjustment("indexed_per_capita", revenue, federation.population)
    np.testing.assert_allclose(base_year_too, deduction / revenue, rtol=1e-6)
    pooled = absorbed_share(federation, System(devolution=devolution, block_grant="grant",
                                               block_grant_adjustment="own_revenue"))
    np.testing.assert_allclose(pooled, 1.0, atol=1e-6)
    rate = 0.8
    system = System(devolution=devolution, block_grant="grant", steps=[GapFill(rate=rate)])
    share = absorbed_share(federation, system, bga=bga, shock=-1e-4)
    capacity = federation.tax_revenue("income_tax")
    per_head = capacity / federation.population
    average = capacity.sum(-1, keepdims=True) / federation.population.sum(-1, keepdims=True)
    recipient = per_head < 0.99 * average
    population_share = federation.population / federation.population.sum(-1, keepdims=True)
    expected = rate * (1 - population_share)
    recipient[0] = False  # base year: not shocked
    donor = ~recipient
    donor[0] = False
    np.testing.assert_allclose(share[recipient], expected[recipient], rtol=1e-4)
    np.testing.assert_allclose(share[donor], 0.0, atol=1e-4)  # donors keep their shock
    parts = absorption_by_component(federation, system, bga=bga, shock=-1e-4)
    total = parts.groupby(["year", "code"], sort=False)["share_absorbed"].sum(min_count=1).to_numpy()
    np.testing.assert_allclose(total, share.ravel(), atol=1e-9)
    assert set(parts.component) == {"block grant", "Gap-fill"}


def test_absorbed_share_is_nan_when_the_tax_is_not_devolved(federation):
    share = absorbed_share(federation, System(devolution={"vat": 1.0}, block_grant="grant"),
                           taxes=["income_tax"])
    assert np.isnan(share).all()
    with pytest.raises(ConfigurationError, match="shock"):
        absorbed_share(federation, System(devolution={"vat": 1.0}), shock=0.0)


def test_equalisation_reduces_volatility_for_recipients(history, projected):
    system = System(devolution={"income_tax": 1.0, "vat": 1.0}, block_grant="grant",
                    steps=[GapFill(rate=1.0)])
    result = monte_carlo(projected, system, ShockModel.from_history(history), n_draws=300, seed=2,
                         start=1, bga=BGAIndexation())
    table = volatility(result)
    later = table[table.year != projected.years[0]]
    assert (later["sd_after_gbp"] <= later["sd_before_gbp"] + 1e-9).all()
    assert later["reduction"].max() > 0.5
    first = table[table.year == projected.years[0]]
    assert first["reduction"].isna().all()  # nothing varies in the unshocked base year


def test_bad_shock_inputs(history, projected):
    with pytest.raises(ConfigurationError, match="shocks must be"):
        shocked_inputs(projected, np.zeros((2, 3, 4)))
    with pytest.raises(DataValidationError, match="window"):
        ShockModel.from_history(history, window=("1900-01", history.years[-1]))
    with pytest.raises(ConfigurationError, match="scale"):
        ShockModel.from_history(history).draw(2, 3, 0, scale=-1)
