"""Inequality within places as well as between them: exact nested Theil decompositions.

For areas i (e.g. 33,755 LSOAs) nested in authorities a, nested in regions r,
with population w_i and a per-head measure x_i > 0 (need, resources,
deprivation score), write y_i = w_i x_i, W and Y for totals, mu = Y / W, and
mu_a, mu_r for the population-weighted means of an authority and a region.

Theil T (income-share weighted; GE(1)):

    T = sum_i (y_i/Y) ln(x_i/mu)
      = sum_r (Y_r/Y) ln(mu_r/mu)                 between regions
      + sum_a (Y_a/Y) ln(mu_a/mu_r(a))            between authorities within regions
      + sum_i (y_i/Y) ln(x_i/mu_a(i))             within authorities

Theil L (mean log deviation; population weighted; GE(0)):

    L = sum_i (w_i/W) ln(mu/x_i)
      = sum_r (W_r/W) ln(mu/mu_r) + sum_a (W_a/W) ln(mu_r(a)/mu_a)
      + sum_i (w_i/W) ln(mu_a(i)/x_i)

Both identities are exact (the logs telescope: ln(x_i/mu) = ln(x_i/mu_a) +
ln(mu_a/mu_r) + ln(mu_r/mu)), so the three parts add up to the total to
rounding.  A reform that narrows the gap between regions while leaving the
gaps inside them shows as a smaller first part and unchanged others.
(Shorrocks 1980, "The class of additively decomposable inequality measures",
Econometrica 48(3); Bourguignon 1979.)

Vectorised: areas on the last axis, any leading axes (years, draws) in front;
group sums are ``np.bincount`` (one call for all leading rows), no pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .errors import DataValidationError

__all__ = ["Decomposition", "theil_decomposition", "group_sum", "group_mean", "group_theil",
           "share_in", "deciles", "nested"]

Index = Literal["T", "L"]


def group_sum(values, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum of ``values`` over the last axis by integer ``group``: ``(..., n_groups)``.

    One ``np.bincount``: leading axes are folded into the group number
    (row k's groups are k n_groups .. k n_groups + n_groups - 1).
    """
    values = np.asarray(values, dtype=float)
    group = np.asarray(group)
    if values.ndim == 1:
        return np.bincount(group, weights=values, minlength=n_groups)
    lead = values.shape[:-1]
    rows = int(np.prod(lead))
    index = (np.arange(rows)[:, None] * n_groups + group[None, :]).ravel()
    sums = np.bincount(index, weights=values.reshape(rows, -1).ravel(),
                       minlength=rows * n_groups)
    return sums.reshape(*lead, n_groups)


def group_mean(values, weights, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Weighted mean of ``values`` per group: ``sum w x / sum w``, ``(..., n_groups)``
    (NaN for a group with no weight)."""
    values, weights = np.broadcast_arrays(np.asarray(values, float), np.asarray(weights, float))
    with np.errstate(invalid="ignore", divide="ignore"):
        return group_sum(values * weights, group, n_groups) / group_sum(weights, group, n_groups)


def nested(inner: np.ndarray, outer: np.ndarray, n_inner: int) -> np.ndarray:
    """The outer group of each inner group, checking that every inner group
    (authority) lies in exactly one outer group (region); ``(n_inner,)``
    (-1 for an inner group with no area)."""
    inner, outer = np.asarray(inner), np.asarray(outer)
    parent = np.full(n_inner, -1, dtype=np.intp)
    parent[inner] = outer  # any one area's region
    if not np.array_equal(parent[inner], outer):
        bad = int(np.argmax(parent[inner] != outer))
        raise DataValidationError(
            f"groups are not nested: area {bad} is in inner group {int(inner[bad])}, which "
            f"lies in outer groups {int(parent[inner[bad]])} and {int(outer[bad])}")
    return parent


@dataclass(frozen=True)
class Decomposition:
    """A nested Theil decomposition; every field has the leading shape of the input.

    ``total = between_regions + between_authorities + within_authorities``.
    """

    index: str
    total: np.ndarray
    between_regions: np.ndarray
    between_authorities: np.ndarray
    within_authorities: np.ndarray

    def shares(self) -> dict[str, np.ndarray]:
        """Each part as a share of the total (NaN where the total is 0)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return {name: getattr(self, name) / self.total
                    for name in ("between_regions", "between_authorities", "within_authorities")}

    def as_dict(self) -> dict[str, np.ndarray]:
        return {"total": self.total, "between_regions": self.between_regions,
                "between_authorities": self.between_authorities,
                "within_authorities": self.within_authorities}


def _check(values: np.ndarray, weights: np.ndarray) -> None:
    if not np.isfinite(values).all():
        bad = np.unravel_index(np.argmax(~np.isfinite(values)), values.shape)
        where = tuple(int(b) for b in bad)
        raise DataValidationError(
            f"inequality: value {float(values[bad])!r} at {where} is not finite")
    if not (values > 0).all():
        bad = np.unravel_index(np.argmax(~(values > 0)), values.shape)
        raise DataValidationError(
            f"inequality: Theil indices need per-head values > 0; got {float(values[bad])!r} at "
            f"{tuple(int(b) for b in bad)} (shift or use another measure)")
    if not (np.isfinite(weights).all() and (weights > 0).all()):
        raise DataValidationError("inequality: population weights must be finite and > 0")


def theil_decomposition(values, weights, authority: np.ndarray, region: np.ndarray,
                        n_authorities: int | None = None, n_regions: int | None = None,
                        index: Index = "T") -> Decomposition:
    """Theil T or L of ``values`` (per head, > 0) split exactly into between-region,
    between-authority-within-region and within-authority parts.

    Args:
        values: per-head measure, areas on the last axis, ``(..., N)``.
        weights: population ``(N,)`` or broadcastable to ``values``.
        authority, region: integer group of each area, ``(N,)``; authorities
            must nest in regions (checked).
        index: ``"T"`` (Theil T) or ``"L"`` (Theil L, mean log deviation).

    Raises:
        DataValidationError: a value <= 0 or not finite (the logs are
            undefined), a weight <= 0, or groups that do not nest.
    """
    if index not in ("T", "L"):
        raise ValueError(f"index must be 'T' or 'L', got {index!r}")
    x = np.asarray(values, dtype=float)
    w = np.broadcast_to(np.asarray(weights, dtype=float), x.shape)
    _check(x, w)
    authority, region = np.asarray(authority), np.asarray(region)
    n_a = int(authority.max()) + 1 if n_authorities is None else n_authorities
    n_r = int(region.max()) + 1 if n_regions is None else n_regions
    parent = nested(authority, region, n_a)

    y = w * x
    W_a = group_sum(w, authority, n_a)
    Y_a = group_sum(y, authority, n_a)
    W_r = group_sum(W_a, np.maximum(parent, 0), n_r)
    Y_r = group_sum(Y_a, np.maximum(parent, 0), n_r)
    W = W_r.sum(axis=-1, keepdims=True)
    Y = Y_r.sum(axis=-1, keepdims=True)
    mu = Y / W
    with np.errstate(invalid="ignore", divide="ignore"):
        mu_a = Y_a / W_a          # NaN for an authority with no area (weight 0: no effect)
        mu_r = Y_r / W_r
    mu_a_of = np.take(mu_a, authority, axis=-1)       # (..., N)
    mu_r_of_a = np.take(mu_r, np.maximum(parent, 0), axis=-1)  # (..., n_a)
    used_a = W_a > 0
    used_r = W_r > 0
    if index == "T":
        within = (y * np.log(x / mu_a_of)).sum(axis=-1) / Y[..., 0]
        between_a = np.where(used_a, Y_a * np.log(np.where(used_a, mu_a / mu_r_of_a, 1.0)),
                             0.0).sum(axis=-1) / Y[..., 0]
        between_r = np.where(used_r, Y_r * np.log(np.where(used_r, mu_r / mu, 1.0)),
                             0.0).sum(axis=-1) / Y[..., 0]
    else:
        within = (w * np.log(mu_a_of / x)).sum(axis=-1) / W[..., 0]
        between_a = np.where(used_a, W_a * np.log(np.where(used_a, mu_r_of_a / mu_a, 1.0)),
                             0.0).sum(axis=-1) / W[..., 0]
        between_r = np.where(used_r, W_r * np.log(np.where(used_r, mu / mu_r, 1.0)),
                             0.0).sum(axis=-1) / W[..., 0]
    total = between_r + between_a + within
    return Decomposition(index=index, total=total, between_regions=between_r,
                         between_authorities=between_a, within_authorities=within)


def group_theil(values, weights, group: np.ndarray, n_groups: int,
                index: Index = "T") -> np.ndarray:
    """Theil T (or L) inside each group, ``(..., n_groups)``: the inequality a
    region (or authority) has among its own areas (NaN for an empty group)."""
    x = np.asarray(values, dtype=float)
    w = np.broadcast_to(np.asarray(weights, dtype=float), x.shape)
    _check(x, w)
    y = w * x
    W_g = group_sum(w, group, n_groups)
    Y_g = group_sum(y, group, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu_g = Y_g / W_g
        mu_of = np.take(mu_g, group, axis=-1)
        if index == "T":
            return group_sum(y * np.log(x / mu_of), group, n_groups) / Y_g
        return group_sum(w * np.log(mu_of / x), group, n_groups) / W_g


def share_in(mask, population, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Share of each group's population living in the areas where ``mask`` is true
    (e.g. the most deprived national decile), ``(..., n_groups)``."""
    mask = np.asarray(mask, dtype=bool)
    population = np.broadcast_to(np.asarray(population, dtype=float), mask.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (group_sum(np.where(mask, population, 0.0), group, n_groups)
                / group_sum(population, group, n_groups))


def deciles(values, higher_is_worse: bool = True, tiebreak=None) -> np.ndarray:
    """National deciles by count of areas, as the IoD defines them: rank 1 = worst
    (highest value if ``higher_is_worse``), decile = ceil(10 rank / N), 1 = worst 10%.
    Ties are ranked by ``tiebreak`` (ascending, e.g. each area's position in code
    order) or else by position, so deciles hold N/10 areas each."""
    values = np.asarray(values, dtype=float)
    n = values.shape[-1]
    key = -values if higher_is_worse else values
    if tiebreak is None:
        order = np.argsort(key, axis=-1, kind="stable")
    else:
        order = np.lexsort((np.broadcast_to(tiebreak, key.shape), key), axis=-1)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(1, n + 1), axis=-1)
    return np.ceil(rank * 10 / n).astype(int)
