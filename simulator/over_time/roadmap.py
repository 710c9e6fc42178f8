"""Roadmaps: a settlement that changes by year, pieced together from whole runs.

A roadmap is a list of systems, each in force from a year on (stage ``k`` from
year index ``y_k``; stage 0 from the first year). Each system runs over every
year (vectorised, as any run), and the result of year ``t`` is taken from the
system in force in ``t``::

    X_t = X^(stage(t))_t        for every per-region array X (..., Y, R)

(:func:`stitch_states`; leading axes such as Monte-Carlo draws pass through, so
drawing the same shocks for every stage and stitching gives the roadmap's own
distribution). Then, against no change (the baseline):

- cumulative gain ``C_i,t = sum_{u<=t} (R_i,u - B_i,u)`` (currency, summed);
- first year below a guarantee ``g``: the first ``t`` with
  ``R_i,t / P_i,t < g x B_i,t / P_i,t`` (None if never).

:func:`fastest_phase_in` finds the fastest phase-in of a reform (a share ``s_t``
of it, non-decreasing, on a grid) that keeps every region within ``X`` of no
detriment in every year: ``R_i,t(s_t) >= (1 - X) B_i,t``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ..errors import ConfigurationError
from ..state import FiscalState

__all__ = ["stitch_states", "stage_of_year", "cumulative_gain_by_year", "first_year_below",
           "PhaseIn", "fastest_phase_in"]


def stage_of_year(n_years: int, starts: Sequence[int]) -> np.ndarray:
    """Index of the stage in force in each year ``(Y,)``: stage 0 from year 0, stage k
    from year index ``starts[k-1]`` (strictly increasing, 1 <= start < n_years)."""
    starts = list(starts)
    if any(b <= a for a, b in zip(starts, starts[1:])):
        raise ConfigurationError(f"roadmap stages must be in increasing years (got {starts})")
    if starts and (starts[0] < 1 or starts[-1] >= n_years):
        raise ConfigurationError(f"a roadmap stage starts in year {starts[-1]} but the run has "
                                 f"years 0 to {n_years - 1}")
    return np.searchsorted(np.asarray(starts), np.arange(n_years), side="right")


def _pick(arrays: Sequence[np.ndarray], stage: np.ndarray, year_axis: int) -> np.ndarray:
    shape = np.broadcast_shapes(*(np.shape(a) for a in arrays))
    out = np.array(np.broadcast_to(arrays[0], shape), dtype=float)
    n_years = shape[year_axis]
    for k in range(1, len(arrays)):  # a few stages, not years or regions
        mask = (stage == k).reshape((n_years,) + (1,) * (-year_axis - 1))
        out = np.where(mask, np.broadcast_to(arrays[k], shape), out)
    return out


def stitch_states(states: Sequence[FiscalState], stage: np.ndarray) -> FiscalState:
    """One state taking year ``t`` from ``states[stage[t]]`` (years on axis -2)."""
    if len(states) == 1:
        return states[0]
    labels: list[str] = []
    for state in states:
        labels += [label for label, _ in state.transfers if label not in labels]
    taxes: list[str] = []
    for state in states:
        taxes += [tax for tax in state.capacity_by_tax if tax not in taxes]

    def transfer(state, label, paid=False):
        table = dict(state.paid_by_centre if paid else state.transfers)
        if label in table:
            return table[label]
        return np.zeros(state.shape[:-1] if paid else state.shape)

    fields = {}
    for name in ("population", "equalisation_population", "fiscal_capacity", "own_revenue",
                 "block_grant", "baseline_resources", "need_index", "revenue_forgone_by_centre"):
        fields[name] = _pick([getattr(s, name) for s in states], stage, -2)
    fields["capacity_by_tax"] = {
        tax: _pick([s.capacity_by_tax.get(tax, np.zeros(s.shape)) for s in states], stage, -2)
        for tax in taxes}
    fields["transfers"] = tuple((label, _pick([transfer(s, label) for s in states], stage, -2))
                                for label in labels)
    fields["paid_by_centre"] = tuple(
        (label, _pick([transfer(s, label, True) for s in states], stage, -1)) for label in labels)
    return states[-1].replace(**fields)


def cumulative_gain_by_year(resources: np.ndarray, baseline: np.ndarray) -> np.ndarray:
    """``C_t = sum_{u<=t} (R_u - B_u)`` along the year axis (-2), same unit as the input."""
    return np.cumsum(np.asarray(resources, float) - np.asarray(baseline, float), axis=-2)


def first_year_below(resources: np.ndarray, baseline: np.ndarray, guarantee: float
                     ) -> np.ndarray:
    """Index of the first year in which ``R < guarantee x B`` for each region ``(..., R)``;
    -1 if never (population cancels: the same people in both)."""
    below = np.asarray(resources, float) < guarantee * np.asarray(baseline, float)
    first = np.argmax(below, axis=-2)
    return np.where(below.any(axis=-2), first, -1)


@dataclass(frozen=True)
class PhaseIn:
    """The fastest phase-in found: ``shares`` ``(Y,)`` of the reform in force each year,
    ``grid`` the shares tried and ``feasible`` ``(G, Y)`` whether each keeps every region
    within the tolerance that year; ``tolerance`` is X."""

    shares: np.ndarray
    grid: np.ndarray
    feasible: np.ndarray
    tolerance: float

    @property
    def full_from(self) -> int | None:
        """First year index with the whole reform in force (None: never)."""
        full = np.flatnonzero(self.shares >= 1.0)
        return int(full[0]) if full.size else None


def fastest_phase_in(run_at: Callable[[float], tuple[np.ndarray, np.ndarray]],
                     tolerance: float, steps: int = 20, start: int = 0) -> PhaseIn:
    """The fastest non-decreasing phase-in on a grid of ``steps + 1`` shares.

    ``run_at(s)`` returns ``(resources, no_change)`` ``(Y, R)`` with share ``s`` of the
    reform in force every year. A share is feasible in year t when every region keeps
    ``R_i,t >= (1 - tolerance) x B_i,t``; ``s_max[t]`` is the largest grid share such
    that it and every smaller one are feasible in t (share 0 must be);
    the fastest path that never steps back is ``s_t = min_{u >= t} s_max[u]``.
    Years before ``start`` (e.g. 1: the jump-off year, today) keep share 0.
    """
    if not 0.0 <= tolerance < 1.0:
        raise ConfigurationError(f"tolerance must be between 0 and 1 (got {tolerance})")
    if int(steps) != steps or not 1 <= steps <= 1000:
        raise ConfigurationError(f"steps must be a whole number from 1 to 1000 (got {steps})")
    grid = np.linspace(0.0, 1.0, int(steps) + 1)
    rows = []
    for share in grid:  # one whole run (every year, every region) per grid point
        resources, no_change = run_at(float(share))
        resources, no_change = np.asarray(resources, float), np.asarray(no_change, float)
        rows.append(np.all(resources >= (1.0 - tolerance) * no_change, axis=-1))
    feasible = np.array(rows)
    if not 0 <= start < feasible.shape[1]:
        raise ConfigurationError(f"start must be a year index of the run (got {start})")
    if not feasible[0, start:].all():
        years = (start + np.flatnonzero(~feasible[0, start:])).tolist()
        raise ConfigurationError(f"no phase-in keeps every region within {tolerance:.2%} of no "
                                 f"detriment: even share 0 misses it in year index {years[0]}")
    prefix = np.logical_and.accumulate(feasible, axis=0)
    s_max = grid[prefix.sum(axis=0) - 1]
    s_max[:start] = 0.0
    shares = np.minimum.accumulate(s_max[::-1])[::-1]
    return PhaseIn(shares=shares, grid=grid, feasible=feasible, tolerance=tolerance)
