"""Reference test: Scotland's 2022-23 income tax reconciliation (Fiscal Framework Outturn
Report 2024, Table 2), reproduced to GBP 0.1m."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.errors import ConfigurationError
from simulator.over_time.reconciliation import (
    apply_reconciliations, reconcile, scotland_income_tax_2022_23,
)

TOLERANCE_GBP_M = 0.1 + 1e-9  # published figures are rounded to 0.1m


@pytest.fixture
def published():
    return scotland_income_tax_2022_23()


def test_published_inputs_are_the_ones_in_the_report(published):
    assert published.loc["revenue", "forecast_gbp_m"] == 13670.7
    assert published.loc["block_grant_adjustment", "forecast_gbp_m"] == -13860.8
    assert published.loc["revenue", "outturn_gbp_m"] == 15169.0
    assert published.loc["block_grant_adjustment", "outturn_gbp_m"] == -14910.5
    assert published.loc["reconciliation_applied_2025_26", "outturn_gbp_m"] == 448.7


def test_reconciliation_from_revenue_and_bga(published):
    result = reconcile(
        forecast_revenue=published.loc["revenue", "forecast_gbp_m"],
        forecast_deduction=-published.loc["block_grant_adjustment", "forecast_gbp_m"],
        outturn_revenue=published.loc["revenue", "outturn_gbp_m"],
        outturn_deduction=-published.loc["block_grant_adjustment", "outturn_gbp_m"])
    assert abs(result.forecast_net - (-190.2)) <= TOLERANCE_GBP_M
    assert abs(result.outturn_net - 258.5) <= TOLERANCE_GBP_M
    assert abs(result.reconciliation - 448.7) <= TOLERANCE_GBP_M
    # revenue came in 1,498.3m above forecast, the BGA 1,049.7m above: the region keeps the gap
    assert result.revenue_error == pytest.approx(1498.3)
    assert result.deduction_error == pytest.approx(1049.7)


def test_reconciliation_from_published_nets_is_exact(published):
    forecast_net = published.loc["net", "forecast_gbp_m"]
    outturn_net = published.loc["net", "outturn_gbp_m"]
    result = reconcile(forecast_net, 0.0, outturn_net, 0.0)
    assert result.reconciliation == pytest.approx(448.7, abs=0.05)


def test_reconciliation_lands_three_years_later():
    # 2022-23 .. 2025-26, one region; the 2022-23 reconciliation applies in 2025-26
    recon = np.array([[448.7], [10.0], [-5.0], [1.0]])
    applied = apply_reconciliations(recon, lag=3)
    np.testing.assert_allclose(applied[:, 0], [0.0, 0.0, 0.0, 448.7])
    np.testing.assert_allclose(apply_reconciliations(recon, lag=0), recon)
    np.testing.assert_allclose(apply_reconciliations(recon, lag=9), 0.0)
    with pytest.raises(ConfigurationError, match="lag"):
        apply_reconciliations(recon, lag=-1)


def test_a_uk_wide_surprise_cancels():
    """Revenue and BGA both 10% above forecast with equal forecasts: no reconciliation."""
    result = reconcile(np.array([100.0, 80.0]), np.array([100.0, 80.0]),
                       np.array([110.0, 88.0]), np.array([110.0, 88.0]))
    np.testing.assert_allclose(result.reconciliation, 0.0)
