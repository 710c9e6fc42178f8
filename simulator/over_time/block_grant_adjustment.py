"""Block grant adjustments (BGAs) when a tax is devolved, year after year.

When a tax is devolved the centre stops collecting it in the region and
deducts a *block grant adjustment* from the region's grant.  In the base year
(the year before devolution) the deduction equals the region's own revenue
from the tax, so neither side gains or loses on the day of devolution
(``BGA_0 = R_i,0``).  What matters afterwards is how the deduction is indexed.
The four methods debated for Scotland's fiscal framework (Smith Commission
2014; HM Treasury and Scottish Government, *Agreement on the Scottish
Government's fiscal framework*, 2016; Bell, Eiser and Phillips, IFS 2016 and
the 2023 independent report) index it to revenue in the *comparator*, the rest
of the country (rUK):

- **levels deduction** (LD): the deduction changes by the region's population
  share of the cash change in comparator revenue,
  ``BGA_t = BGA_t-1 + (R_c,t - R_c,t-1) x P_i,t / P_c,t``.
- **comparable model** (CM, HM Treasury's proposal, run in parallel
  2016-2023): the levels deduction scaled by a comparability factor, the
  region's revenue per head relative to the comparator in the base year,
  ``BGA_t = BGA_t-1 + (R_c,t - R_c,t-1) x (P_i,t / P_c,t) x (r_i,0 / r_c,0)``
  with ``r = R / P`` (gov.scot fiscal framework factsheet).
- **indexed per capita** (IPC, the Scottish Government's method, permanent
  since the 2023 review): the deduction grows with comparator revenue per
  head and the region's own population,
  ``BGA_t = BGA_0 x (r_c,t / r_c,0) x (P_i,t / P_i,0)``.
- **indexed deduction** (ID): the deduction grows with comparator revenue in
  total, ``BGA_t = BGA_0 x R_c,t / R_c,0`` (no population adjustment, so the
  region bears the risk of slower population growth).

The region keeps ``R_i,t - BGA_t``: it gains when its own revenue grows
faster than the deduction.  Under IPC it gains exactly when its revenue per
head grows faster than the comparator's; under LD a region with revenue per
head below the comparator's loses even with equal growth (the cash change is
deducted at the comparator's level), which the CM comparability factor
corrects.

Arrays: years on axis -2, regions last; any leading axes (Monte-Carlo draws)
broadcast.  The comparator of region i is every region in ``comparator``
other than i itself (default: all others, i.e. rUK for Scotland).

Resets: in a reset year the deduction is moved towards the region's revenue
in that year by ``reset_share`` (1 = full reset: the region's accumulated gain
or loss is wiped out; 0.5 = half of it) and indexing restarts from there; the
comparable model's comparability factor moves by the same share towards its
value re-measured in the reset year.
"""

from __future__ import annotations

from typing import Iterable, Literal, Mapping, get_args

import numpy as np
import pandas as pd

from ..errors import ConfigurationError
from .transition import restart_index

__all__ = [
    "BGAMethod", "BGA_METHODS", "block_grant_adjustment", "levels_deduction",
    "comparable_model", "indexed_per_capita", "indexed_deduction", "comparator_totals",
    "gain_against_centre", "cumulative_gain", "compare_methods", "compare_methods_frame",
]

BGAMethod = Literal["levels_deduction", "comparable_model", "indexed_per_capita",
                    "indexed_deduction"]
#: Every BGA indexation method, in the order they are usually presented.
BGA_METHODS: tuple[str, ...] = get_args(BGAMethod)

_ADDITIVE = {"levels_deduction", "comparable_model"}


def comparator_totals(values: np.ndarray, comparator: np.ndarray | None = None) -> np.ndarray:
    """Sum of ``values`` over each region's comparator, ``(..., R)``.

    ``X_c,i = sum_{j in C, j != i} X_j``: the comparator set ``C`` (a boolean
    mask over regions, default all) less the region itself.
    """
    values = np.asarray(values, dtype=float)
    n_regions = values.shape[-1]
    if comparator is None:
        mask = np.ones(n_regions, dtype=bool)
    else:
        mask = np.asarray(comparator, dtype=bool)
        if mask.shape != (n_regions,):
            raise ConfigurationError(
                f"comparator must be a mask with one entry per region ({n_regions}), "
                f"got shape {mask.shape}")
    total = (values * mask).sum(axis=-1, keepdims=True)
    return total - mask * values


def block_grant_adjustment(
    method: BGAMethod,
    revenue: np.ndarray,
    population: np.ndarray,
    *,
    base_year: int = 0,
    comparator: np.ndarray | None = None,
    initial: np.ndarray | None = None,
    resets: np.ndarray | None = None,
    reset_share: float = 1.0,
) -> np.ndarray:
    """The deduction from each region's grant in each year, ``(..., Y, R)``.

    Args:
        method: one of :data:`BGA_METHODS` (formulas in the module docstring).
        revenue: devolved revenue at the common (UK) rates ``(..., Y, R)``,
            i.e. what the centre gives up: the region's own entry is the
            base-year deduction, the others index it.
        population: persons ``(..., Y, R)`` (broadcast against ``revenue``).
        base_year: index of the year the initial deduction is made
            (``BGA = R_i`` in that year and every earlier year).
        comparator: boolean mask ``(R,)`` of the regions indexing the
            deduction (default all; each region excludes itself).
        initial: the initial deduction ``(..., R)`` if it differs from the
            base-year revenue (e.g. a negotiated figure).
        resets: boolean ``(Y,)`` years in which the deduction is re-set
            towards the region's revenue (see :func:`~.transition.reset_schedule`).
        reset_share: share of the gap closed at a reset (1 = full reset).

    Returns:
        The deduction (positive = taken from the region) ``(..., Y, R)``.
    """
    if method not in BGA_METHODS:
        raise ConfigurationError(
            f"unknown block grant adjustment method {method!r}; known: {', '.join(BGA_METHODS)}")
    revenue = np.asarray(revenue, dtype=float)
    population = np.asarray(population, dtype=float)
    if revenue.ndim < 2:
        raise ConfigurationError("revenue needs a year axis: shape (..., years, regions)")
    shape = np.broadcast_shapes(revenue.shape, population.shape)
    revenue, population = np.broadcast_to(revenue, shape), np.broadcast_to(population, shape)
    n_years, n_regions = shape[-2:]
    if not 0 <= base_year < n_years:
        raise ConfigurationError(f"base_year {base_year} is outside the {n_years} years given")
    if not 0.0 <= reset_share <= 1.0:
        raise ConfigurationError(f"reset_share must be between 0 and 1 (got {reset_share})")
    if n_regions < 2:
        raise ConfigurationError("a block grant adjustment needs at least two regions "
                                 "(the region and its comparator)")
    if np.any(population <= 0):
        raise ConfigurationError("population must be positive for a block grant adjustment")

    comparator_revenue = comparator_totals(revenue, comparator)
    comparator_population = comparator_totals(population, comparator)
    if np.any(comparator_population <= 0):
        raise ConfigurationError("every region needs at least one other region in its comparator")

    # anchors: years where the path restarts (the base year and all before it, and resets)
    last = restart_index(np.arange(n_years) <= base_year, resets)

    if method in _ADDITIVE:
        # S_t = sum_{u<=t} (R_c,u - R_c,u-1) x P_i,u / P_c,u  ;  path_k(t) = B_k + f_k (S_t - S_k)
        change = np.diff(comparator_revenue, axis=-2, prepend=comparator_revenue[..., :1, :])
        level = np.cumsum(change * population / comparator_population, axis=-2)
        if method == "comparable_model":
            factor = (revenue / population) / (comparator_revenue / comparator_population)
        else:
            factor = np.ones(shape)

        factor = factor.copy()  # re-measured (blended by reset_share) at each reset below

        def path(anchor, base, t):
            return base + factor[..., anchor, :] * (level[..., t, :] - level[..., anchor, :])
    else:
        # path_k(t) = B_k x I_t / I_k
        if method == "indexed_per_capita":
            index = comparator_revenue / comparator_population * population
        else:
            index = comparator_revenue
        if np.any(index <= 0):
            raise ConfigurationError(
                f"{method} needs positive comparator revenue in every year")

        def path(anchor, base, t):
            return base * index[..., t, :] / index[..., anchor, :]

    base = revenue.copy()  # B at each anchor (only anchor rows are used)
    if initial is not None:
        base[..., base_year, :] = np.broadcast_to(np.asarray(initial, float), shape[:-2] + (n_regions,))
    later_resets = np.flatnonzero((last == np.arange(n_years)) & (np.arange(n_years) > base_year))
    for k in later_resets:  # recursion over reset years only (each reset starts from the last)
        previous = last[k - 1]
        carried = path(previous, base[..., previous, :], k)
        base[..., k, :] = (1.0 - reset_share) * carried + reset_share * revenue[..., k, :]
        if method in _ADDITIVE:
            factor[..., k, :] = ((1.0 - reset_share) * factor[..., previous, :]
                                 + reset_share * factor[..., k, :])
    years = np.arange(n_years)
    return path(last, base[..., last, :], years)


def levels_deduction(revenue, population, **options) -> np.ndarray:
    """``BGA_t = BGA_t-1 + (R_c,t - R_c,t-1) x P_i,t / P_c,t`` (population share of
    the cash change in comparator revenue). See :func:`block_grant_adjustment`."""
    return block_grant_adjustment("levels_deduction", revenue, population, **options)


def comparable_model(revenue, population, **options) -> np.ndarray:
    """``BGA_t = BGA_t-1 + (R_c,t - R_c,t-1) x (P_i,t / P_c,t) x (r_i,0 / r_c,0)``:
    the levels deduction times the base-year comparability (relative revenue
    per head). Scotland's fiscal framework 2016-2023 (HM Treasury's method)."""
    return block_grant_adjustment("comparable_model", revenue, population, **options)


def indexed_per_capita(revenue, population, **options) -> np.ndarray:
    """``BGA_t = BGA_0 x (r_c,t / r_c,0) x (P_i,t / P_i,0)``: comparator revenue
    per head times own population. Scotland's fiscal framework (permanent from
    the 2023 review); Wales's fiscal framework (2016) for income tax."""
    return block_grant_adjustment("indexed_per_capita", revenue, population, **options)


def indexed_deduction(revenue, population, **options) -> np.ndarray:
    """``BGA_t = BGA_0 x R_c,t / R_c,0``: comparator revenue growth, no
    population adjustment (one of the options in the 2016 negotiations)."""
    return block_grant_adjustment("indexed_deduction", revenue, population, **options)


def gain_against_centre(own_revenue: np.ndarray, bga: np.ndarray) -> np.ndarray:
    """What the region gains each year from devolution, ``R_i,t - BGA_t``.

    ``own_revenue`` is what the region actually raises (at its own rates);
    positive = better off than if the tax had stayed central.
    """
    return np.asarray(own_revenue, float) - np.asarray(bga, float)


def cumulative_gain(own_revenue: np.ndarray, bga: np.ndarray) -> np.ndarray:
    """Cumulative gain against the centre ``sum_{u<=t} (R_i,u - BGA_u)``, ``(..., Y, R)``."""
    return np.cumsum(gain_against_centre(own_revenue, bga), axis=-2)


def compare_methods(
    revenue: np.ndarray,
    population: np.ndarray,
    methods: Iterable[str] = BGA_METHODS,
    *,
    own_revenue: np.ndarray | None = None,
    **options,
) -> dict[str, np.ndarray]:
    """Cumulative gain of every region under each method, ``method -> (..., Y, R)``.

    ``own_revenue`` defaults to ``revenue`` (no own policy change); options
    are passed to :func:`block_grant_adjustment`.
    """
    own = revenue if own_revenue is None else own_revenue
    return {m: cumulative_gain(own, block_grant_adjustment(m, revenue, population, **options))
            for m in methods}


def compare_methods_frame(
    federation,
    taxes: Iterable[str] | Mapping[str, float],
    methods: Iterable[str] = BGA_METHODS,
    **options,
) -> pd.DataFrame:
    """Tidy comparison of the methods for a federation's devolved taxes.

    Each tax is adjusted separately (as in Scotland's fiscal framework) and
    the deductions summed.  ``taxes`` is a list of tax families (fully
    devolved) or a mapping tax -> devolved share.

    Returns one row per method, year and region with the devolved revenue,
    the deduction, the yearly gain and the cumulative gain, in currency
    millions (``*_<cur>_m`` columns).
    """
    shares = dict(taxes) if isinstance(taxes, Mapping) else {t: 1.0 for t in taxes}
    if not shares:
        raise ConfigurationError("compare_methods_frame needs at least one devolved tax")
    for tax, share in shares.items():
        federation.tax_revenue(tax)  # names an unknown tax
        if not 0.0 <= share <= 1.0:
            raise ConfigurationError(f"devolved share of {tax!r} must be between 0 and 1")
    cur = federation.currency.lower()
    revenue = sum(share * federation.tax_revenue(tax) for tax, share in shares.items())
    frames = []
    for method in methods:
        bga = sum(block_grant_adjustment(method, share * federation.tax_revenue(tax),
                                         federation.population, **options)
                  for tax, share in shares.items())
        n_years, n_regions = revenue.shape
        frames.append(pd.DataFrame({
            "method": method,
            "year": np.repeat(np.array(federation.years), n_regions),
            "code": np.tile(np.array(federation.codes), n_years),
            "region": np.tile(np.array(federation.names), n_years),
            f"devolved_revenue_{cur}_m": revenue.ravel() / 1e6,
            f"bga_{cur}_m": bga.ravel() / 1e6,
            f"gain_{cur}_m": gain_against_centre(revenue, bga).ravel() / 1e6,
            f"cumulative_gain_{cur}_m": cumulative_gain(revenue, bga).ravel() / 1e6,
        }))
    return pd.concat(frames, ignore_index=True)
