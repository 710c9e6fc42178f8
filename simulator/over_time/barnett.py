"""The Barnett formula, with Wales's needs-based factor and floor.

Each year the UK government's change in spending on an English (or English
and Welsh) programme passes to each devolved nation as a *Barnett
consequential* (HM Treasury, *Statement of Funding Policy*)::

    consequential_i = dDEL x comparability_i x population_proportion_i x factor_i

- ``comparability_i``: the share of the programme devolved to nation i
  (e.g. 100% for education; the Statement of Funding Policy lists one per
  department and nation);
- ``population_proportion_i``: nation i's population relative to England's
  (or England and Wales's);
- ``factor_i``: 1, except Wales's *needs-based factor* of 1.05 since
  2018-19 (Welsh fiscal framework, 2016), with a floor: if Welsh relative
  funding per head falls below 115% of the equivalent English spending, the
  factor becomes 1.15 (Senedd Research).

Because each nation receives the same *cash change per head* (times the
factor), a nation funded above England per head sees its relative funding
fall towards ``comparability x factor`` as spending grows (the "Barnett
squeeze")::

    G_t = G_t-1 + (E_t - E_t-1) x c_i x P_i,t / P_E,t x f_i,t
    relative_funding_t = (G_t / P_i,t) / (c_i x E_t / P_E,t)

With a floor, ``f_i,t = floor`` when ``relative_funding_t-1 < floor``,
otherwise the needs-based factor: a recursion over years.

Arrays: years on axis -2, nations last, leading axes broadcast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ConfigurationError

__all__ = ["barnett_consequential", "wales_needs_factor", "BarnettPath", "barnett_path",
           "WALES_NEEDS_FACTOR", "WALES_FLOOR"]

#: Wales's needs-based factor on Barnett consequentials, from 2018-19.
WALES_NEEDS_FACTOR = 1.05
#: Relative funding (Wales per head / England per head) below which the factor becomes 1.15.
WALES_FLOOR = 1.15


def barnett_consequential(change_in_spending, comparability, population_proportion,
                          needs_factor=1.0) -> np.ndarray:
    """``dDEL x comparability x population proportion x needs factor`` (broadcast).

    >>> round(float(barnett_consequential(100e6, 0.9, 0.0583)) / 1e6, 2)
    5.25
    """
    comparability = np.asarray(comparability, dtype=float)
    population_proportion = np.asarray(population_proportion, dtype=float)
    needs_factor = np.asarray(needs_factor, dtype=float)
    if np.any((comparability < 0) | (comparability > 1)):
        raise ConfigurationError("comparability must be between 0 and 1 (a share of the programme)")
    if np.any(population_proportion < 0):
        raise ConfigurationError("population_proportion must be >= 0")
    if np.any(needs_factor <= 0):
        raise ConfigurationError("needs_factor must be > 0")
    return np.asarray(change_in_spending, float) * comparability * population_proportion * needs_factor


def wales_needs_factor(relative_funding, factor: float = WALES_NEEDS_FACTOR,
                       floor: float = WALES_FLOOR) -> np.ndarray:
    """Wales's factor: ``floor`` (1.15) when relative funding < ``floor``, else ``factor`` (1.05)."""
    return np.where(np.asarray(relative_funding, float) < floor, floor, factor)


@dataclass(frozen=True)
class BarnettPath:
    """A multi-year Barnett run; every array ``(..., Y, R)``."""

    grant: np.ndarray
    consequentials: np.ndarray
    relative_funding: np.ndarray
    factor: np.ndarray


def barnett_path(initial_grant, england_spending, comparability, population,
                 england_population, needs_factor=1.0, floor=None) -> BarnettPath:
    """Roll a block grant forward with the Barnett formula.

    Args:
        initial_grant: grant in year 0 ``(..., R)``.
        england_spending: comparable spending in England ``E_t``, ``(..., Y, 1)``
            (or ``(..., Y, R)`` if it differs by nation, e.g. England and Wales
            programmes for Northern Ireland).
        comparability: ``c_i`` ``(R,)`` or ``(..., Y, R)``.
        population: nation populations ``(..., Y, R)``.
        england_population: ``(..., Y, 1)``.
        needs_factor: ``f_i`` ``(R,)`` (1.05 for Wales, 1 elsewhere).
        floor: relative funding floor ``(R,)`` or scalar; NaN or None = no
            floor.  Below it the factor is the floor itself (Wales: 1.15).

    Returns:
        :class:`BarnettPath` with the grant, the consequentials (0 in year 0),
        relative funding and the factor applied each year.
    """
    population = np.asarray(population, dtype=float)
    if population.ndim < 2:
        raise ConfigurationError("barnett_path needs population as (years, nations)")
    england_spending = np.asarray(england_spending, dtype=float)
    england_population = np.asarray(england_population, dtype=float)
    if england_spending.ndim < 2 or england_population.ndim < 2:
        raise ConfigurationError("england_spending and england_population need a year axis "
                                 "(shape (years, 1))")
    if np.any(population <= 0) or np.any(england_population <= 0):
        raise ConfigurationError("populations must be positive")
    shape = np.broadcast_shapes(population.shape, england_spending.shape, england_population.shape,
                                np.shape(comparability), np.shape(needs_factor))
    n_years = shape[-2]
    proportion = np.broadcast_to(population / england_population, shape)
    equivalent_per_head = np.broadcast_to(
        np.asarray(comparability, float) * england_spending / england_population, shape)
    change = np.diff(england_spending, axis=-2, prepend=england_spending[..., :1, :])
    base_factor = np.broadcast_to(np.asarray(needs_factor, float), shape)
    marginal = np.broadcast_to(barnett_consequential(change, comparability, proportion), shape)
    grant0 = np.broadcast_to(np.asarray(initial_grant, float), shape[:-2] + shape[-1:])
    population = np.broadcast_to(population, shape)

    if floor is None or np.all(np.isnan(np.asarray(floor, float))):
        factor = np.array(base_factor)
        consequentials = marginal * factor
        grant = grant0[..., None, :] + np.cumsum(consequentials, axis=-2)
    else:
        floor = np.broadcast_to(np.asarray(floor, float), shape[-1:])
        factor = np.empty(shape)
        grant = np.empty(shape)
        factor[..., 0, :] = base_factor[..., 0, :]
        grant[..., 0, :] = grant0
        for t in range(1, n_years):  # recursion: this year's factor depends on last year's funding
            relative = grant[..., t - 1, :] / population[..., t - 1, :] / equivalent_per_head[..., t - 1, :]
            factor[..., t, :] = np.where(relative < floor, floor, base_factor[..., t, :])
            grant[..., t, :] = grant[..., t - 1, :] + marginal[..., t, :] * factor[..., t, :]
        consequentials = marginal * factor
        consequentials[..., 0, :] = 0.0
    relative_funding = grant / population / equivalent_per_head
    return BarnettPath(grant=grant, consequentials=consequentials,
                       relative_funding=relative_funding, factor=factor)
