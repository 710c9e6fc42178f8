"""Lags and moving averages along the year axis.

Equalisation formulas often use data from earlier years, averaged to smooth
payments:

- Canada (FPFAA s.3.5): each measure for payment year t is the weighted
  average of years t-2, t-3 and t-4 with weights 50/25/25 (a two-year lag);
  per-head values divide the averaged total by the averaged population,
  ``X_bar(t) = (X(t-2)/2 + X(t-3)/4 + X(t-4)/4) / Pop_bar(t)``.
- Switzerland (FiLaV 1-2): the resource potential is the plain average of
  years t-6 to t-4 (weights 1/3 each, four-year lag).

The generic form, with weights ``w_0..w_{n-1}`` and lag ``L``::

    X_bar(t) = sum_j w_j x X(t - L - j)

Years before the first observed one are taken as the first year (``early =
"edge"``, so a run has a value every year) or left missing (``"nan"``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal, Sequence

import numpy as np

from ..errors import ConfigurationError

__all__ = ["lag_average", "lag_federation", "CANADA_WEIGHTS", "CANADA_LAG",
           "SWITZERLAND_WEIGHTS", "SWITZERLAND_LAG"]

#: Canada's Equalization: 50% of year t-2, 25% of t-3, 25% of t-4.
CANADA_WEIGHTS: tuple[float, ...] = (0.5, 0.25, 0.25)
CANADA_LAG = 2
#: Switzerland's resource potential: average of years t-6, t-5, t-4 (listed from t-4).
SWITZERLAND_WEIGHTS: tuple[float, ...] = (1 / 3, 1 / 3, 1 / 3)
SWITZERLAND_LAG = 4


def _check(weights: Sequence[float], lag: int) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 1 or weights.size == 0:
        raise ConfigurationError("lag weights must be a non-empty list of numbers")
    if np.any(weights < 0) or not np.isclose(weights.sum(), 1.0):
        raise ConfigurationError(f"lag weights must be >= 0 and sum to 1 (got {weights.tolist()})")
    if int(lag) != lag or lag < 0:
        raise ConfigurationError(f"lag must be a whole number of years >= 0 (got {lag})")
    return weights


def lag_average(values, weights: Sequence[float] = CANADA_WEIGHTS, lag: int = CANADA_LAG,
                axis: int = -2, early: Literal["edge", "nan"] = "edge") -> np.ndarray:
    """``X_bar(t) = sum_j w_j X(t - lag - j)`` along ``axis`` (the year axis, default -2).

    Args:
        values: any array with a year axis.
        weights: ``w_0, w_1, ...``: weight of the most recent lagged year first.
        lag: years between the payment year and the most recent year used.
        early: years before the first are the first year (``"edge"``) or NaN.

    Returns:
        An array of the same shape.
    """
    weights = _check(weights, lag)
    if early not in ("edge", "nan"):
        raise ConfigurationError(f"early must be 'edge' or 'nan' (got {early!r})")
    values = np.asarray(values, dtype=float)
    if values.ndim == 0:
        raise ConfigurationError("lag_average needs an array with a year axis")
    values = np.moveaxis(values, axis, 0)
    n_years = values.shape[0]
    depth = int(lag) + weights.size - 1
    if early == "edge":
        padded = np.concatenate([np.repeat(values[:1], depth, axis=0), values], axis=0)
    else:
        padded = np.concatenate([np.full((depth,) + values.shape[1:], np.nan), values], axis=0)
    total = np.zeros_like(values)
    for j, weight in enumerate(weights):  # loop over the few weights, not over years
        start = depth - int(lag) - j
        total = total + weight * padded[start:start + n_years]
    return np.moveaxis(total, 0, axis)


def lag_federation(federation, weights: Sequence[float] = CANADA_WEIGHTS, lag: int = CANADA_LAG,
                   trim: bool = False):
    """The federation seen through the lag: revenue, tax bases, population and
    indicators replaced by their lagged weighted averages.

    Per-head values are then averaged totals over averaged population, as in
    FPFAA s.3.5.  ``trim=True`` drops the first years, which lack a full
    history (``lag + len(weights) - 1`` of them); otherwise they use the
    first year for the missing ones.
    """
    weights = _check(weights, lag)
    depth = int(lag) + weights.size - 1
    lagged = replace(
        federation,
        population=lag_average(federation.population, weights, lag, axis=0),
        revenue=lag_average(federation.revenue, weights, lag, axis=0),
        tax_base={k: lag_average(v, weights, lag, axis=0) for k, v in federation.tax_base.items()},
        indicators={k: lag_average(v, weights, lag, axis=0) for k, v in federation.indicators.items()},
    )
    if trim:
        if depth >= len(federation.years):
            raise ConfigurationError(
                f"a lag of {lag} with {weights.size} weights needs more than {depth} years; "
                f"the federation has {len(federation.years)}")
        lagged = lagged.select_years(list(federation.years[depth:]))
    return lagged
