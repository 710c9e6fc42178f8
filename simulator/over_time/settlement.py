"""Running a settlement over many years: indexed block grant adjustments in the
engine, phase-in, and the behavioural response of devolved tax bases.

The engine's own block grant adjustment (``System.block_grant_adjustment``)
is static: each year it deducts that year's devolved revenue (per capita or
the region's own).  Over time the deduction is *indexed* instead (see
:mod:`.block_grant_adjustment`), which is what transfers risk and reward to
the region.  :func:`simulate_over_time` computes, for each devolved tax, the
revenue the centre gives up at common rates ``L_t,i`` and deducts
``BGA_t = sum_t method(L_t)`` from today's grant::

    block grant_i,t = G_i,t - sum_tax BGA_tax,i,t

then runs the system's steps as :func:`simulator.simulate` does.  Leading axes
(Monte-Carlo draws) pass through: the deduction is indexed draw by draw.

Behavioural response: when a region sets its own rate (``TaxDevolution
.rate_change``), its base responds with ``base_elasticity`` (see
:mod:`simulator.engine.devolution`).  The deduction is indexed to revenue at
common rates, so the region bears the cost of the base it erodes and keeps
the yield of its rate rise: the "taxpayer fairness" principle of the Smith
Commission.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np
from pydantic import ConfigDict, Field, model_validator

from ..quantities import StrictModel

from ..engine import EngineInputs, Result, System, TaxDevolution, simulate
from ..engine.devolution import devolve
from ..engine.system import indicator_values, initial_state
from ..errors import ConfigurationError
from ..federation import Federation
from ..state import FiscalState
from .block_grant_adjustment import BGAMethod, block_grant_adjustment
from .transition import reset_schedule, with_transition

__all__ = ["BGAIndexation", "simulate_over_time", "run_over_time", "with_behavioural_response",
           "GRANT_AFTER_BGA"]

#: Name of the indicator holding the grant after the indexed deduction.
GRANT_AFTER_BGA = "_grant_after_indexed_bga"


class BGAIndexation(StrictModel):
    """How block grant adjustments are indexed over the years of a run."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    method: BGAMethod = Field("indexed_per_capita", description="Indexation method.")
    base_year: str | None = Field(
        None, description="Year of the initial deduction (the year before devolution); "
        "default the first year of the run.")
    comparator: tuple[str, ...] | None = Field(
        None, description="Region codes whose revenue indexes the deduction (default all "
        "others, i.e. the rest of the country).")
    reset_every: int | None = Field(
        None, ge=1, description="Re-set the deduction to the region's revenue every N years.",
        json_schema_extra={"unit": "years"})
    reset_share: float = Field(
        1.0, ge=0.0, le=1.0, description="Share of the accumulated gain or loss removed at a "
        "reset (1 = full reset).", json_schema_extra={"unit": "share (0-1)"})

    @model_validator(mode="after")
    def _comparator_not_empty(self) -> "BGAIndexation":
        if self.comparator is not None and len(self.comparator) == 0:
            raise ValueError("comparator must name at least one region")
        return self

    def deduction(self, inputs: EngineInputs, system: System,
                  years: Sequence[str]) -> np.ndarray:
        """The total deduction ``(..., Y, R)`` for the system's devolved taxes."""
        years = [str(y) for y in years]
        population = np.asarray(inputs.population, dtype=float)
        if population.ndim < 2 or population.shape[-2] != len(years):
            raise ConfigurationError(
                f"indexed block grant adjustments need (years, regions) data for the "
                f"{len(years)} years given")
        if self.base_year is None:
            base = 0
        elif self.base_year in years:
            base = years.index(self.base_year)
        else:
            raise ConfigurationError(
                f"BGA base_year {self.base_year!r} is not a year of the run ({years[0]} to {years[-1]})")
        comparator = None
        if self.comparator is not None:
            unknown = sorted(set(self.comparator) - set(inputs.codes))
            if unknown:
                raise ConfigurationError(f"BGA comparator names unknown region {unknown[0]!r}; "
                                         f"known: {', '.join(inputs.codes)}")
            comparator = np.isin(np.array(inputs.codes), list(self.comparator))
        resets = None
        if self.reset_every is not None and base + self.reset_every < len(years):
            resets = reset_schedule(len(years), self.reset_every, first=base + self.reset_every)
        total = 0.0
        for tax, assignment in system.devolution.items():  # loop over taxes, never regions
            if assignment.share == 0:
                continue
            # the centre's loss alone (devolved_revenue would also copy own revenue)
            lost = devolve(inputs.codes, inputs.taxes, inputs.revenue, inputs.tax_base,
                           {tax: assignment})[2]
            total = total + block_grant_adjustment(
                self.method, lost, population, base_year=base, comparator=comparator,
                resets=resets, reset_share=self.reset_share)
        return np.asarray(total, dtype=float)


def simulate_over_time(inputs: EngineInputs, system: System, years: Sequence[str],
                       bga: BGAIndexation | None = None) -> FiscalState:
    """Like :func:`simulator.simulate`, with the deduction indexed by ``bga``.

    ``bga=None`` runs the system unchanged (its static adjustment).  With an
    indexation the system's own ``block_grant_adjustment`` is replaced.  The
    state's ``baseline_resources`` stay today's grant.
    """
    if bga is None:
        return simulate(inputs, system)
    deduction = bga.deduction(inputs, system, years)
    grant = indicator_values(inputs, system.block_grant, default=0.0)
    adjusted_inputs = replace(inputs, indicators={**inputs.indicators,
                                                  GRANT_AFTER_BGA: grant - deduction})
    adjusted_system = system.model_copy(update={"block_grant": GRANT_AFTER_BGA,
                                                "block_grant_adjustment": "none"})
    state = initial_state(adjusted_inputs, adjusted_system)
    shape = state.block_grant.shape
    indicators = {k: v for k, v in state.indicators.items() if k != GRANT_AFTER_BGA}
    state = state.replace(baseline_resources=np.broadcast_to(np.zeros(shape) + grant, shape),
                          indicators=indicators)
    for step in system.steps:  # loop over steps, never regions
        state = step.apply(state)
    return state


def run_over_time(federation: Federation, system: System, *, bga: BGAIndexation | None = None,
                  baseline: System | None = None, transition_years: int | None = None,
                  transition_start: str | None = None) -> Result:
    """Run ``system`` over every year of ``federation`` (e.g. a projection).

    Args:
        bga: indexation of the block grant adjustment (None: the system's
            static adjustment).
        baseline: the comparison (default the status quo: nothing devolved,
            the same grant).
        transition_years: phase the reform in over N years, blending the
            baseline's resources into the reform's (see
            :func:`~.transition.with_transition`).
        transition_start: first year of the transition (default the first year).
    """
    inputs = EngineInputs.from_federation(federation)
    if baseline is None:
        baseline = System(block_grant=system.block_grant, need_index=system.need_index)
    state = simulate_over_time(inputs, system, federation.years, bga)
    baseline_state = simulate(inputs, baseline)
    if transition_years is not None:
        if transition_start is None:
            start = 0
        elif transition_start in federation.years:
            start = federation.years.index(transition_start)
        else:
            raise ConfigurationError(f"transition_start {transition_start!r} is not a year of "
                                     f"the run ({federation.years[0]} to {federation.years[-1]})")
        state = with_transition(state, baseline_state, transition_years, start)
    return Result(federation=federation, system=system, state=state, baseline=baseline_state)


def with_behavioural_response(system: System, elasticity: float,
                              taxes: Sequence[str] | None = None) -> System:
    """A copy of ``system`` whose own-rate devolved taxes respond with ``elasticity``.

    ``base' = base x (1 + rate change) ** -elasticity`` (the engine's
    ``TaxDevolution.base_elasticity``); ``taxes`` defaults to every devolved
    tax with ``own_rate``.
    """
    if not 0.0 <= elasticity <= 5.0:
        raise ConfigurationError(f"base elasticity must be between 0 and 5 (got {elasticity})")
    chosen = [t for t, a in system.devolution.items() if a.own_rate] if taxes is None else list(taxes)
    unknown = [t for t in chosen if t not in system.devolution]
    if unknown:
        raise ConfigurationError(f"{unknown[0]!r} is not devolved in this system")
    devolution: dict[str, TaxDevolution] = {
        tax: (assignment.model_copy(update={"base_elasticity": float(elasticity)})
              if tax in chosen else assignment)
        for tax, assignment in system.devolution.items()}
    return system.model_copy(update={"devolution": devolution})
