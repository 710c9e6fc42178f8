"""Picking neighbourhoods by need and sharing a pot among them, in one or two tiers.

Pure numpy on 1-D arrays (one entry per neighbourhood, N = 33,755 for England);
nothing loops over neighbourhoods or authorities in Python, and nothing is
quadratic: selection is one sort, shares are ``np.bincount`` group sums, and
floors and caps are solved exactly with one sort of their breakpoints.

Selection rules (each gives a weight s_i in [0, 1]; 1 = selected):

* ``top_n``: the N neighbourhoods of highest need n_i (ties by code).  With a
  taper of width K the next K ranks get s = 1 - (rank - N) / (K + 1), falling
  linearly instead of a cliff at rank N.
* ``both_top_decile``: most needy national decile on both the need measure and
  the deprivation measure (Local Trust's "left behind": CNI and IMD), deciles by
  count of areas as the IoD defines them.
* ``composite``: the mean of the areas' percentile ranks on several measures
  (weights given), top N of that (a rank average: no measure's scale dominates).
* ``threshold``: n_i >= threshold; with a taper band b, s rises linearly from
  0 at threshold - b to 1 at threshold.

Sharing within a set (``share``): T_i = A s_i u_i / sum_j s_j u_j with
u = 1 (``equal``), P_i (``per_head``) or P_i n_i (``per_need``).

Two tiers: the national pot F goes to authorities first,

    A_a = clip(lambda b_a, lo_a, hi_a),  sum_a A_a = F

with basis b_a = sum over the authority's neighbourhoods of s_i u_i (the fund
follows the selected need: ``authority_basis: selected``), P_a (``population``)
or sum_i P_i n_i (``need``); lo_a = m F P_a / P is the minimum grant per head
(Australia's Financial Assistance Grants give each council at least 30% of
its equal per-capita share: m = 0.3), hi_a = c F P_a / P a cap at c times the
equal per-head share.  lambda is found exactly (the sum is piecewise linear
and non-decreasing in lambda).  Each authority then shares A_a among its
selected neighbourhoods by the same rule; an authority with none shares it
among all of its neighbourhoods (per head or per need).

Exit guarantee (France's dotations, e.g. the DSR and DNP "garantie de
sortie": a commune that loses eligibility keeps a share of last year's
amount, 50% the first year): :func:`exit_guarantee`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np

from ..errors import ConfigurationError
from ..inequality import deciles, group_sum

__all__ = ["Selection", "Share", "AuthorityBasis", "rank_desc", "select_top_n",
           "select_both_top_decile", "select_composite", "select_threshold", "share_within",
           "clip_scale", "two_tier", "exit_guarantee", "Allocation", "percentile_rank"]

Selection = Literal["top_n", "both_top_decile", "composite", "threshold"]
Share = Literal["equal", "per_head", "per_need"]
AuthorityBasis = Literal["selected", "population", "need"]


def rank_desc(values: np.ndarray, tiebreak: np.ndarray | None = None) -> np.ndarray:
    """Rank 1 = highest value, along the last axis; ties by ``tiebreak`` (ascending,
    e.g. the rank of the area code) else by position.  One lexsort."""
    values = np.asarray(values, dtype=float)
    if tiebreak is None:
        tiebreak = np.arange(values.shape[-1])
    tiebreak = np.broadcast_to(tiebreak, values.shape)
    order = np.lexsort((tiebreak, -values), axis=-1)
    rank = np.empty(values.shape, dtype=np.int64)
    np.put_along_axis(rank, order, np.arange(1, values.shape[-1] + 1), axis=-1)
    return rank


def _taper(rank: np.ndarray, places: int, width: int) -> np.ndarray:
    """1 for rank <= places, then 1 - (rank - places) / (width + 1) down to 0."""
    if width <= 0:
        return (rank <= places).astype(float)
    return np.clip(1.0 - (rank - places) / (width + 1.0), 0.0, 1.0)


def select_top_n(need: np.ndarray, places: int, *, taper: int = 0,
                 tiebreak: np.ndarray | None = None) -> np.ndarray:
    """Weights of the ``places`` neighbourhoods of highest need (and a taper of ``taper``
    ranks after them), ``(..., N)``."""
    n = np.shape(need)[-1]
    if not 1 <= places <= n:
        raise ConfigurationError(f"places must be between 1 and {n}; got {places}")
    reach = places + max(taper, 0)
    need = np.asarray(need, dtype=float)
    if need.ndim == 1 and reach < n:
        # only the areas at or above the reach-th highest need can get a weight: find them
        # with one partition (linear), rank just those (ties with the last one included)
        kth = np.partition(need, n - reach)[n - reach]
        candidates = np.flatnonzero(need >= kth)
        order = tiebreak[candidates] if tiebreak is not None else candidates
        rank = np.full(n, n, dtype=np.int64)
        rank[candidates] = rank_desc(need[candidates], order)
        return _taper(rank, places, taper)
    return _taper(rank_desc(need, tiebreak), places, taper)


def select_both_top_decile(need: np.ndarray, deprivation: np.ndarray,
                           tiebreak: np.ndarray | None = None) -> np.ndarray:
    """1 where the area is in the most needy national decile of both measures (higher =
    more need for both; deciles by count of areas, ties by ``tiebreak``, else position)."""
    return ((deciles(need, tiebreak=tiebreak) == 1)
            & (deciles(deprivation, tiebreak=tiebreak) == 1)).astype(float)


def percentile_rank(values: np.ndarray, tiebreak: np.ndarray | None = None) -> np.ndarray:
    """1 for the highest value, 1/N for the lowest, along the last axis."""
    n = np.shape(values)[-1]
    return (n + 1 - rank_desc(values, tiebreak)) / n


def select_composite(measures: Sequence[np.ndarray], weights: Sequence[float], places: int, *,
                     taper: int = 0, tiebreak: np.ndarray | None = None) -> np.ndarray:
    """Top ``places`` by the weighted mean of the measures' percentile ranks."""
    score = composite_score(measures, weights, tiebreak)
    return select_top_n(score, places, taper=taper, tiebreak=tiebreak)


def composite_score(measures: Sequence[np.ndarray], weights: Sequence[float],
                    tiebreak: np.ndarray | None = None) -> np.ndarray:
    """Weighted mean of percentile ranks (weights rescaled to sum 1)."""
    weights = np.asarray(weights, dtype=float)
    if len(measures) != len(weights) or len(measures) == 0:
        raise ConfigurationError("composite: give one weight per measure (at least one)")
    if not (np.isfinite(weights).all() and (weights >= 0).all() and weights.sum() > 0):
        raise ConfigurationError(f"composite: weights must be >= 0 with a positive sum; "
                                 f"got {weights.tolist()}")
    weights = weights / weights.sum()
    return sum(w * percentile_rank(m, tiebreak) for w, m in zip(weights, measures))


def select_threshold(need: np.ndarray, threshold: float, *, band: float = 0.0) -> np.ndarray:
    """1 where need >= threshold; with a band, rising linearly from threshold - band."""
    need = np.asarray(need, dtype=float)
    if band <= 0:
        return (need >= threshold).astype(float)
    with np.errstate(over="ignore"):  # a band of ~1e-308 is a cliff: +-inf clip to 1 and 0
        return np.clip((need - (threshold - band)) / band, 0.0, 1.0)


def _units(share: Share, population: np.ndarray, need: np.ndarray | None) -> np.ndarray:
    if share == "equal":
        return np.ones_like(population, dtype=float)
    if share == "per_head":
        return np.asarray(population, dtype=float)
    if need is None:
        raise ConfigurationError("share 'per_need' needs a need measure")
    need = np.asarray(need, dtype=float)
    if not (need > 0).all():
        raise ConfigurationError(
            f"share 'per_need' needs need > 0 everywhere; smallest {float(need.min())!r} "
            "(use a positive measure such as cni_score or imd_score, or share per head)")
    return population * need


def share_within(amount: float, weight: np.ndarray, population: np.ndarray,
                 share: Share = "per_head", need: np.ndarray | None = None) -> np.ndarray:
    """One tier: ``amount`` shared in proportion to s_i u_i (see the module docstring)."""
    units = np.asarray(weight, dtype=float) * _units(share, population, need)
    total = units.sum(axis=-1, keepdims=True)
    if not (total > 0).all():
        raise ConfigurationError("no neighbourhood is selected, so the fund cannot be paid")
    return amount * units / total


def clip_scale(basis: np.ndarray, total: float, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """x = clip(lambda basis, lo, hi) with sum x = total, exactly (1-D).

    The sum g(lambda) is piecewise linear and non-decreasing; its kinks are at
    lo_a / b_a and hi_a / b_a.  Sorting the kinks and taking cumulative sums
    gives g at every kink in O(n log n); lambda is then interpolated on the
    segment where g crosses ``total``.  Entries with b_a = 0 get lo_a.
    """
    b = np.asarray(basis, dtype=float)
    lo = np.broadcast_to(np.asarray(lo, dtype=float), b.shape)
    hi = np.broadcast_to(np.asarray(hi, dtype=float), b.shape)
    if (lo > hi + 1e-9 * np.abs(hi)).any():
        raise ConfigurationError("a floor exceeds its cap")
    if lo.sum() > total * (1 + 1e-12) or hi.sum() < total * (1 - 1e-12):
        raise ConfigurationError(
            f"floors and caps cannot all hold: floors sum to {lo.sum():,.0f}, caps to "
            f"{hi.sum():,.0f}, the pot is {total:,.0f}")
    live = b > 0
    fixed = lo[~live].sum()
    most = fixed + hi[live].sum()
    if most < total * (1 - 1e-12):
        raise ConfigurationError(
            f"the caps cannot take the whole pot: the entries with a basis can take at most "
            f"{most:,.0f} of {total:,.0f} (raise the cap or widen the selection)")
    bl, lol, hil = b[live], lo[live], hi[live]
    # g(lam) = sum_{lam <= lo/b} lo + sum_{lo/b < lam < hi/b} lam b + sum_{lam >= hi/b} hi
    t_lo, t_hi = lol / bl, hil / bl
    o_lo, o_hi = np.argsort(t_lo), np.argsort(t_hi)
    s_lo, s_hi = t_lo[o_lo], t_hi[o_hi]
    cum_lo_b = np.concatenate(([0.0], np.cumsum(bl[o_lo])))
    cum_hi_b = np.concatenate(([0.0], np.cumsum(bl[o_hi])))
    cum_lo = np.concatenate(([0.0], np.cumsum(lol[o_lo])))
    cum_hi = np.concatenate(([0.0], np.cumsum(hil[o_hi])))
    total_lo = cum_lo[-1]

    def g(lam):
        # at or past its floor's kink (lo/b <= lam): lam b, or hi once hi/b <= lam
        past_lo = np.searchsorted(s_lo, lam, side="right")
        at_hi = np.searchsorted(s_hi, lam, side="right")
        slope_b = cum_lo_b[past_lo] - cum_hi_b[at_hi]
        return fixed + (total_lo - cum_lo[past_lo]) + cum_hi[at_hi] + lam * slope_b

    kinks = np.unique(np.concatenate(([0.0], s_lo, s_hi)))
    kinks = kinks[np.isfinite(kinks)]
    values = g(kinks)
    k = int(np.searchsorted(values, total, side="left"))
    if k == 0:
        lam = kinks[0]
    elif k >= len(kinks):  # beyond the last kink: g is linear with the last slope
        last = kinks[-1]
        slope = g(last + 1.0) - values[-1]
        lam = last + (total - values[-1]) / slope if slope > 0 else last
    else:
        a, c = kinks[k - 1], kinks[k]
        ga, gc = values[k - 1], values[k]
        lam = c if gc == ga else a + (total - ga) * (c - a) / (gc - ga)
    out = lo.copy()
    out[live] = np.clip(lam * bl, lol, hil)
    return out


@dataclass(frozen=True)
class Allocation:
    """The result of :func:`two_tier`: per neighbourhood and per authority (GBP)."""

    neighbourhood: np.ndarray   # (N,)
    authority: np.ndarray       # (n_authorities,)
    weight: np.ndarray          # selection weight s_i (N,)

    @property
    def selected(self) -> np.ndarray:
        return self.weight > 0


def two_tier(pot: float, weight: np.ndarray, population: np.ndarray, authority: np.ndarray,
             n_authorities: int, *, share: Share = "per_head", need: np.ndarray | None = None,
             authority_basis: AuthorityBasis = "selected", minimum_share: float = 0.0,
             cap_multiple: float | None = None) -> Allocation:
    """National pot -> authorities (basis, floors, caps) -> selected neighbourhoods.

    Args:
        pot: the national fund F (GBP).
        weight: selection weight s_i in [0, 1] ``(N,)``.
        population: P_i ``(N,)``; authority: its authority's index ``(N,)``.
        share: how each tier shares (equal per place, per head, per need).
        authority_basis: b_a (``selected``, ``population`` or ``need``).
        minimum_share: m, each authority's floor as a share of its equal
            per-head share of F (Australia's FAGs: 0.3); 0 = no floor.
        cap_multiple: c, each authority's cap as a multiple of its equal
            per-head share of F; None = no cap.

    Conservation: sum of the neighbourhood amounts = F (to rounding).
    """
    weight = np.asarray(weight, dtype=float)
    population = np.asarray(population, dtype=float)
    units = _units(share, population, need)
    selected_units = weight * units
    if not selected_units.sum() > 0 and authority_basis == "selected":
        raise ConfigurationError("no neighbourhood is selected, so the fund cannot be paid")
    pop_a = group_sum(population, authority, n_authorities)
    if authority_basis == "selected":
        basis = group_sum(selected_units, authority, n_authorities)
    elif authority_basis == "population":
        basis = pop_a
    else:
        basis = group_sum(population * (need if need is not None else 1.0), authority,
                          n_authorities)
    per_capita = pot * pop_a / pop_a.sum()
    lo = minimum_share * per_capita
    hi = np.full(n_authorities, np.inf) if cap_multiple is None else cap_multiple * per_capita
    if minimum_share == 0 and cap_multiple is None:
        amount_a = pot * basis / basis.sum()
    else:
        amount_a = clip_scale(basis, pot, lo, hi)
    # tier 2: within each authority, by the selected units; none selected -> all its units
    selected_sum = group_sum(selected_units, authority, n_authorities)
    all_sum = group_sum(units, authority, n_authorities)
    has = selected_sum > 0
    use = np.where(has[authority], selected_units, units)
    denominator = np.where(has, selected_sum, all_sum)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_unit = np.where(denominator > 0, amount_a / denominator, 0.0)
    return Allocation(neighbourhood=use * per_unit[authority], authority=amount_a, weight=weight)


def exit_guarantee(current: np.ndarray, previous: np.ndarray, rate: float = 0.5,
                   pot: float | None = None) -> np.ndarray:
    """France's exit guarantee: an area that had an amount last time and has none now
    keeps ``rate`` x its previous amount.  With ``pot`` the guarantee is paid off
    the top: the areas still eligible are scaled down so the total stays ``pot``."""
    current = np.asarray(current, dtype=float)
    previous = np.asarray(previous, dtype=float)
    if not 0 <= rate <= 1:
        raise ConfigurationError(f"exit guarantee rate must be in [0, 1]; got {rate}")
    leaving = (previous > 0) & (current <= 0)
    guarantee = np.where(leaving, rate * previous, 0.0)
    if pot is None:
        return current + guarantee
    rest = pot - guarantee.sum()
    if rest < 0:
        raise ConfigurationError("the exit guarantees exceed the pot")
    scale = rest / current.sum() if current.sum() > 0 else 0.0
    return current * scale + guarantee
