"""Inequality and equalisation metrics, vectorised over leading axes.

Every function takes per-head ``values`` with regions on the last axis and
optional population ``weights`` of the same (broadcastable) shape, and
returns one number per leading index, shape ``(...,)``.  Regions are point
masses of their population: splitting a region into identical halves never
changes a result.
"""

from __future__ import annotations

import numpy as np

__all__ = ["weighted_mean", "gini", "theil", "coefficient_of_variation", "max_min_ratio",
           "gap_below", "share_of_gap_closed", "UNDEFINED_REASONS", "NOISE_FLOOR"]

#: A weighted mean at most this (in the values' unit: a millionth of a currency unit per
#: head), or at most 1e-9 of the largest absolute value, is rounding noise, not a level:
#: ratio measures of such values (Gini, Theil, CV) are undefined (NaN), not a number.
NOISE_FLOOR = 1e-6

#: Why a metric can be undefined (shown beside an undefined value).
UNDEFINED_REASONS = {
    "gini": "needs a positive average (resources averaging ~0 or less have no Gini)",
    "theil": "needs every region's value above 0 and a positive average",
    "cv": "needs a positive average",
    "max_min_ratio": "needs the lowest region above 0",
    "share_of_gap_closed": "there was no gap below the average to close",
}


def _meaningful_mean(mean: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Where ``mean`` is a positive level rather than zero or rounding noise."""
    scale = np.abs(values).max(axis=-1) if values.shape[-1] else np.zeros(mean.shape)
    return mean > np.maximum(NOISE_FLOOR, 1e-9 * scale)


def _arrays(values, weights) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(values, float)
    weights = np.ones_like(values) if weights is None else np.asarray(weights, float)
    return np.broadcast_arrays(values, weights)


def weighted_mean(values, weights=None) -> np.ndarray:
    """Population-weighted mean: sum(w x) / sum(w)."""
    values, weights = _arrays(values, weights)
    return (values * weights).sum(axis=-1) / weights.sum(axis=-1)


def gini(values, weights=None) -> np.ndarray:
    """Population-weighted Gini coefficient.

        G = sum_i sum_j w_i w_j |x_i - x_j| / (2 W^2 mean)
          = 1 - sum_i f_i (L_i-1 + L_i)

    with regions sorted by x, f_i = w_i / W their population share and L_i
    the cumulative share of the total (the Lorenz curve); exact for regions
    as point masses.  NaN where the mean is not positive or is rounding noise
    (:data:`NOISE_FLOOR`).
    """
    values, weights = _arrays(values, weights)
    order = np.argsort(values, axis=-1, kind="stable")
    x = np.take_along_axis(values, order, axis=-1)
    w = np.take_along_axis(weights, order, axis=-1)
    amounts = w * x
    total = amounts.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = amounts / total
        lorenz = np.cumsum(shares, axis=-1)
        population_share = w / w.sum(axis=-1, keepdims=True)
        result = 1.0 - (population_share * (2.0 * lorenz - shares)).sum(axis=-1)
    # equal values give 1 - (sum of shares) = -2e-16 in floating point: that is 0
    result = np.where((result < 0.0) & (result > -1e-12), 0.0, result)
    mean = total[..., 0] / weights.sum(axis=-1)
    return np.where(_meaningful_mean(mean, values) & np.isfinite(mean), result, np.nan)


def theil(values, weights=None) -> np.ndarray:
    """Population-weighted Theil T index: sum_i f_i (x_i/m) ln(x_i/m).

    0 for perfect equality; NaN where any value is not positive.
    """
    values, weights = _arrays(values, weights)
    mean = weighted_mean(values, weights)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = values / mean
        terms = np.where(ratio > 0, ratio * np.log(np.where(ratio > 0, ratio, 1.0)), 0.0)
        result = (weights * terms).sum(axis=-1) / weights.sum(axis=-1)
    return np.where((values > 0).all(axis=-1) & _meaningful_mean(mean[..., 0], values),
                    result, np.nan)


def coefficient_of_variation(values, weights=None) -> np.ndarray:
    """Population-weighted standard deviation over the mean (NaN if the mean is not
    positive or is rounding noise, :data:`NOISE_FLOOR`)."""
    values, weights = _arrays(values, weights)
    mean = weighted_mean(values, weights)
    variance = weighted_mean((values - mean[..., None]) ** 2, weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(_meaningful_mean(mean, values), np.sqrt(variance) / mean, np.nan)


def max_min_ratio(values, weights=None) -> np.ndarray:
    """Highest over lowest per-head value (NaN if the lowest is not positive).

    ``weights`` is accepted for a uniform signature; it does not matter.
    """
    values = np.asarray(values, float)
    low, high = values.min(axis=-1), values.max(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(low > 0, high / np.where(low > 0, low, 1.0), np.nan)


def gap_below(values, weights, reference) -> np.ndarray:
    """Total gap below a per-head reference: sum_i w_i max(0, reference - x_i).

    ``reference`` has shape ``(...,)`` (one level per leading index).
    """
    values, weights = _arrays(values, weights)
    reference = np.asarray(reference, float)[..., None]
    return (weights * np.maximum(0.0, reference - values)).sum(axis=-1)


def share_of_gap_closed(before, after, weights=None) -> np.ndarray:
    """Share of the gap below the average closed between ``before`` and ``after``.

        1 - gap_below(after, m) / gap_below(before, m),   m = weighted mean of before

    Both are measured against the *before* average, so filling every gap to
    that average gives 1 even if money from outside raises the new average.
    NaN where there was no gap.
    """
    before, weights = _arrays(before, weights)
    reference = weighted_mean(before, weights)
    gap_before = gap_below(before, weights, reference)
    gap_after = gap_below(after, weights, reference)
    scale = (weights * np.abs(before)).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(gap_before > 1e-12 * scale, 1.0 - gap_after / gap_before, np.nan)
