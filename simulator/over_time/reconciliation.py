"""Forecast error and reconciliation of devolved tax revenue (Scotland's fiscal framework).

A devolved budget is set on *forecasts*: the region's revenue from the
devolved tax (Scottish Fiscal Commission) and the block grant adjustment
(BGA; OBR forecasts of rUK revenue).  When outturn data arrive the budget is
corrected by the change in the net position::

    net            = revenue - deduction           (deduction = BGA, positive)
    reconciliation = net_outturn - net_forecast
                   = (R_out - R_fc) - (BGA_out - BGA_fc)

For income tax the reconciliation is applied three years after the tax year
(HMRC outturn is known ~18 months after the year ends): the 2022-23
reconciliation of +GBP 448.7m was applied to the 2025-26 Scottish budget
(Scottish Government, Fiscal Framework Outturn Report 2024, Table 2).

Only the *relative* forecast error is borne by the region: a UK-wide surprise
moves both the revenue and the BGA and largely cancels.

Arrays broadcast; years on axis -2 where a lag is applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

from ..errors import ConfigurationError

__all__ = ["Reconciliation", "reconcile", "apply_reconciliations",
           "scotland_income_tax_2022_23"]


@dataclass(frozen=True)
class Reconciliation:
    """Forecast and outturn net positions and the reconciliation (same units as inputs)."""

    forecast_net: np.ndarray
    outturn_net: np.ndarray
    reconciliation: np.ndarray
    revenue_error: np.ndarray
    deduction_error: np.ndarray


def reconcile(forecast_revenue, forecast_deduction, outturn_revenue,
              outturn_deduction) -> Reconciliation:
    """The reconciliation ``(R_out - BGA_out) - (R_fc - BGA_fc)``.

    Deductions are positive amounts taken from the grant (a BGA published as
    ``-13,860.8`` is a deduction of ``13,860.8``).  Vectorised over any shape.
    """
    forecast_revenue, forecast_deduction, outturn_revenue, outturn_deduction = (
        np.asarray(x, dtype=float) for x in (forecast_revenue, forecast_deduction,
                                             outturn_revenue, outturn_deduction))
    forecast_net = forecast_revenue - forecast_deduction
    outturn_net = outturn_revenue - outturn_deduction
    return Reconciliation(
        forecast_net=forecast_net, outturn_net=outturn_net,
        reconciliation=outturn_net - forecast_net,
        revenue_error=outturn_revenue - forecast_revenue,
        deduction_error=outturn_deduction - forecast_deduction)


def apply_reconciliations(reconciliation: np.ndarray, lag: int = 3) -> np.ndarray:
    """Budget correction by year: the reconciliation of year ``t - lag`` lands in year ``t``.

        adjustment_t = reconciliation_{t - lag}   (0 in the first ``lag`` years)

    ``reconciliation`` has years on axis -2 ``(..., Y, R)``; Scottish income
    tax uses ``lag = 3``.
    """
    reconciliation = np.asarray(reconciliation, dtype=float)
    if reconciliation.ndim < 2:
        raise ConfigurationError("apply_reconciliations needs (years, regions) arrays")
    if lag < 0:
        raise ConfigurationError(f"reconciliation lag must be >= 0 years (got {lag})")
    shifted = np.zeros_like(reconciliation)
    n_years = reconciliation.shape[-2]
    if lag < n_years:
        shifted[..., lag:, :] = reconciliation[..., : n_years - lag, :]
    return shifted


def scotland_income_tax_2022_23() -> pd.DataFrame:
    """The published 2022-23 Scottish income tax figures (GBP m), indexed by item.

    Columns ``forecast_gbp_m`` and ``outturn_gbp_m``; rows ``revenue``,
    ``block_grant_adjustment`` (negative, as published), ``net`` and
    ``reconciliation_applied_2025_26``.  Source in the CSV header.
    """
    path = resources.files(__package__) / "reference" / "scotland_income_tax_reconciliation_2022_23.csv"
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, comment="#").set_index("item")
