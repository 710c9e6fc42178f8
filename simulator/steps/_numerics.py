"""Vectorised solvers shared by steps (no loop over regions)."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["solve_hinge_sum", "into", "blockwise", "BLOCK_ELEMENTS"]

#: Elements per block of :func:`blockwise` (256 KiB of float64: the arrays of
#: one block stay in the CPU's cache between operations).
BLOCK_ELEMENTS = 32_768


def blockwise(kernel, out: np.ndarray, *operands) -> np.ndarray:
    """Run ``kernel(out_block, *operand_blocks)`` block by block along the first
    axis of ``out``, and return ``out``.

    ``kernel`` writes its block of ``out`` with ``out=`` operations that are
    elementwise, or work along the last (region) axis only, so running it
    block by block gives the same numbers, bit for bit, as running it once on
    the whole arrays.  What it gains: a chain of operations passes over a
    block while it is in the CPU's cache, instead of over the whole array
    (tens of MB for Monte-Carlo draws) once per operation.  ``operands``
    broadcast to ``out``'s shape; those with ``out``'s first axis are cut into
    blocks, the others (that axis 1 or absent, scalars, None) passed whole.  An
    operand may be ``out`` itself (in place), or another array the kernel
    writes.  Each block of an array is a new view: the kernel must not tell
    arrays apart by identity (two operands that are one array arrive as two
    views of the same block).  Small arrays run in one call.
    """
    shape = out.shape
    if out.size <= BLOCK_ELEMENTS or len(shape) < 2:
        kernel(out, *operands)
        return out
    per_row = out.size // shape[0]
    step = max(1, BLOCK_ELEMENTS // per_row) if per_row else 0
    if not 0 < step < shape[0]:
        kernel(out, *operands)
        return out
    cut = [getattr(op, "ndim", 0) == len(shape) and op.shape[0] == shape[0] for op in operands]
    for start in range(0, shape[0], step):  # blocks of the leading axis, never regions
        rows = slice(start, start + step)
        kernel(out[rows], *[op[rows] if c else op for op, c in zip(operands, cut)])
    return out


def into(ufunc: np.ufunc, a, b, scratch: np.ndarray) -> np.ndarray:
    """``ufunc(a, b)`` written into ``scratch`` (a temporary the caller made and
    owns) when the result has its shape, else a new array: the same numbers,
    without a new large array per operation (Monte-Carlo draws, sweeps).  A
    result larger than ``scratch`` (a parameter with leading axes of its own)
    or a read-only ``scratch`` falls back to a new array."""
    try:
        return ufunc(a, b, out=scratch)
    except ValueError:  # the result does not fit scratch (or scratch is read-only)
        return ufunc(a, b)


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
    y = np.asarray(target, float)[..., None]
    b, w = np.broadcast_arrays(np.asarray(breakpoints, float), np.asarray(weights, float))
    if y.shape[:-1] != b.shape[:-1]:  # a target with leading axes of its own (a sweep)
        shape = np.broadcast_shapes(b.shape, y.shape)
        b, w = np.broadcast_to(b, shape), np.broadcast_to(w, shape)
    b = np.where(w > 0, b, 0.0)
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
    breakpoints.  ``fraction`` and ``rate`` may be arrays ``(..., 1)`` with
    leading axes of their own (a sweep).  Returns ``(..., 1)``.
    """
    c = np.asarray(per_head, float)
    w = np.asarray(weights, float)
    total = np.asarray(total, float)
    shape = c.shape if c.shape == w.shape else np.broadcast_shapes(c.shape, w.shape)
    if (total.shape[:-1] != shape[:-1] or getattr(fraction, "ndim", 0)
            or getattr(rate, "ndim", 0)):  # a parameter or total with leading axes
        shape = np.broadcast_shapes(shape, total.shape, np.shape(fraction), np.shape(rate))
    c = c if c.shape == shape else np.broadcast_to(c, shape)
    w = w if w.shape == shape else np.broadcast_to(w, shape)
    slope_left = np.add.reduce(w, axis=-1, keepdims=True) / fraction
    hinge_weight = rate * w
    # one sort; the sorted arrays gathered with flat indices (take_along_axis
    # costs more than the arithmetic at a few regions)
    rows = _row_starts(shape)
    flat = np.argsort(c, axis=-1, kind="stable")
    flat += rows
    c_sorted = c.ravel()[flat]
    w_sorted = hinge_weight.ravel()[flat]
    cum_w = w_sorted.cumsum(axis=-1)
    w_sorted *= c_sorted
    cum_wc = w_sorted.cumsum(axis=-1)
    # h(S) = hinge(S) - S x slope_left + total, decreasing; h at each breakpoint
    h_at = cum_w * c_sorted
    h_at -= cum_wc
    h_at -= c_sorted * slope_left
    h_at += total
    below = np.add.reduce(h_at > 0, axis=-1, keepdims=True)  # breakpoints left of the root
    # the cumulative sums up to the root's segment: 0 when no breakpoint is left of it
    some = below > 0
    below -= 1
    np.maximum(below, 0, out=below)
    below += rows
    w_k = np.where(some, cum_w.ravel()[below], 0.0)
    wc_k = np.where(some, cum_wc.ravel()[below], 0.0)
    return (total - wc_k) / (slope_left - w_k)


def _row_starts(shape: tuple[int, ...]) -> np.ndarray | int:
    """Flat index of the first element of each row ``(..., 1)`` of a C-ordered
    array of ``shape`` (regions last); 0 for a single row."""
    n, rows = shape[-1], math.prod(shape[:-1])
    if rows == 1:
        return 0
    return np.arange(0, n * rows, n).reshape(shape[:-1] + (1,))
