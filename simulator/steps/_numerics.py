"""Vectorised solvers shared by steps (no loop over regions)."""

from __future__ import annotations

import numpy as np

__all__ = ["solve_hinge_sum"]


def solve_hinge_sum(breakpoints: np.ndarray, weights: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Solve ``sum_i w_i * max(0, x - b_i) = y`` for ``x`` along the last axis.

    The left side is continuous, piecewise linear and non-decreasing in ``x``,
    so after sorting the breakpoints ``b`` the solution lies on the segment
    ``[b_k, b_k+1]`` where ``f(b_k) <= y``, and there ``x = (y + sum_{j<=k} w_j b_j)
    / sum_{j<=k} w_j``.  Exact (no iteration), vectorised over leading axes.

    Args:
        breakpoints: ``(..., R)``; entries with zero weight are ignored.
        weights: ``(..., R)``, non-negative.
        target: ``(...,)``, non-negative.

    Returns:
        ``x`` of shape ``(...,)``; where every weight is zero, the smallest
        breakpoint (any ``x`` then gives 0).  For ``y = 0`` the largest ``x``
        with ``f(x) = 0``, i.e. the smallest breakpoint of positive weight.
    """
    b, w = np.broadcast_arrays(np.asarray(breakpoints, float), np.asarray(weights, float))
    b = np.where(w > 0, b, 0.0)
    y = np.asarray(target, float)[..., None]
    order = np.argsort(b, axis=-1, kind="stable")
    b_sorted = np.take_along_axis(b, order, axis=-1)
    w_sorted = np.take_along_axis(w, order, axis=-1)
    cum_w = np.cumsum(w_sorted, axis=-1)
    cum_wb = np.cumsum(w_sorted * b_sorted, axis=-1)
    at_breakpoints = cum_w * b_sorted - cum_wb
    k = np.clip((at_breakpoints <= y).sum(axis=-1, keepdims=True) - 1, 0, b.shape[-1] - 1)
    w_k = np.take_along_axis(cum_w, k, axis=-1)
    wb_k = np.take_along_axis(cum_wb, k, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(w_k > 0, (y + wb_k) / np.where(w_k > 0, w_k, 1.0), b_sorted[..., :1])
    return x[..., 0]


def solve_standard_after_gap_fill(per_head: np.ndarray, weights: np.ndarray,
                                  total: np.ndarray, fraction: float, rate: float) -> np.ndarray:
    """Standard S that holds *after* a gap-fill towards it is paid.

    Solves, along the last axis,

        S x sum(w) / fraction = total + rate x sum_i w_i x max(0, S - c_i)

    where c = ``per_head``, w = ``weights`` (population, zero outside the
    averaged regions) and ``total`` = sum of the measure over those regions.
    The right side grows with slope at most rate x sum(w) < sum(w) / fraction
    when fraction x rate < 1, so the difference is strictly decreasing and the
    root unique: it is found exactly on its linear segment between sorted
    breakpoints.  Returns ``(..., 1)``.
    """
    c, w = np.broadcast_arrays(np.asarray(per_head, float), np.asarray(weights, float))
    slope_left = w.sum(axis=-1, keepdims=True) / fraction
    hinge_weight = rate * w
    order = np.argsort(c, axis=-1, kind="stable")
    c_sorted = np.take_along_axis(c, order, axis=-1)
    w_sorted = np.take_along_axis(hinge_weight, order, axis=-1)
    cum_w = np.cumsum(w_sorted, axis=-1)
    cum_wc = np.cumsum(w_sorted * c_sorted, axis=-1)
    total = np.asarray(total, float)
    # h(S) = hinge(S) - S x slope_left + total, decreasing; h at each breakpoint
    h_at = cum_w * c_sorted - cum_wc - c_sorted * slope_left + total
    below = (h_at > 0).sum(axis=-1, keepdims=True)  # breakpoints left of the root
    zero = np.zeros_like(cum_w[..., :1])
    cum_w = np.concatenate([zero, cum_w], axis=-1)
    cum_wc = np.concatenate([zero, cum_wc], axis=-1)
    w_k = np.take_along_axis(cum_w, below, axis=-1)
    wc_k = np.take_along_axis(cum_wc, below, axis=-1)
    return (total - wc_k) / (slope_left - w_k)
