"""A fixed pool shared by relativities (Australia's GST distribution)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from ..state import FiscalState
from .base import Measure, Step, measure_param, param, region_values


class NeedsPool(Step):
    """Share a fixed pool among regions in proportion to relativity x population.

        G_i = pool x r_i x P_i / sum_j (r_j x P_j)

    P is the equalisation population, ``pool`` is ``amount`` or
    ``pool_per_head`` x total population.  The relativities r_i are either
    given (``relativities``, e.g. the Treasurer's determination) or derived by
    horizontal fiscal equalisation (HFE): each region gets what it needs to
    provide the average standard of services given its needs, if it raises
    revenue at average effort:

        g_avg = pool / sum P,   c_avg = sum c / sum P,   c_i = measure per head
        E     = c_avg + g_avg                  (average spending per head)
        r_i   = max(0, (n_i x E - c_i) / g_avg)

    i.e. the region's assessed spending n_i x E less its own capacity c_i,
    relative to the average grant per head (the Commonwealth Grants
    Commission's "GST requirement").  Both n and (n_i c_avg - c_i) average to
    1 and 0 over the population, so r averages 1 before the clip at 0 (a
    region cannot be paid a negative share).  The need index n comes from the
    step's ``need_index`` (region code -> n) or, if not given, from
    ``state.need_index`` (``System.need_index``), or with
    ``need_source: expenditure_model`` from the representative expenditure
    model (:mod:`simulator.needs`); each is rescaled to a population-weighted
    mean of 1.

    ``relativity_floor`` raises every r_i to at least that value before the
    sharing formula, which re-shares the pool so it still sums to ``pool``
    (Australia: r >= 0.75 from 2024-25, 0.70 in 2022-24).  The centre pays
    the pool (``funding: centre``), or, with ``funding: equal_per_head``, the
    pool replaces an equal per-head share of it that the regions had before,

        G_i = pool x (r_i P_i / sum_j r_j P_j - P_i / sum_j P_j),

    so the step sums to zero and shows only what the relativities move (a
    pool that was already spent centrally, e.g. UK VAT, handed to the regions
    by relativity instead of per head).

    Real system: Australia's GST distribution (Federal Financial Relations Act
    2009 s.8 and s.8A; CGC Act 1973 s.16AB for the relativities).
    """

    reference: ClassVar[str] = "Federal Financial Relations Act 2009 (Cth) s.8, s.8A"
    real_system: ClassVar[str] = "Australia: GST distribution by relativities"
    title: ClassVar[str] = "Needs pool"

    type: Literal["needs_pool"] = "needs_pool"
    amount: float | None = param(None, description="Pool shared among the regions, in "
                                 "currency units (give this or pool_per_head).",
                                 unit="currency", ge=0.0)
    pool_per_head: float | None = param(None, description="Pool per head of the whole "
                                        "population (give this or amount).",
                                        unit="currency per head", ge=0.0)
    relativities: dict[str, Annotated[float, Field(ge=0)]] | None = param(
        None, description="Region code -> relativity r (every region); if not given, "
        "derived from the need index and capacity (HFE).", unit="relativity (average 1)")
    relativity_floor: float | None = param(
        None, description="Lowest relativity any region gets (Australia: 0.75).",
        unit="relativity", ge=0.0, le=10.0)
    need_index: dict[str, Annotated[float, Field(gt=0)]] | None = param(
        None, description="Region code -> per-head need index (every region) for derived "
        "relativities; default: the system's need index.", unit="index (mean 1)")
    need_source: Literal["system", "expenditure_model"] = param(
        "system", description="Where derived relativities take need from when need_index is not "
        "given: 'system' (the system's need index) or 'expenditure_model' (the representative "
        "expenditure model, simulator.needs).", unit="choice")
    funding: Literal["centre", "equal_per_head"] = param(
        "centre", description="Who pays the pool: 'centre' (new money), or "
        "'equal_per_head' (it replaces an equal per-head share of the same pool, so the step "
        "sums to zero).", unit="choice")
    measure: Measure = measure_param()

    @model_validator(mode="after")
    def _one_pool(self) -> "NeedsPool":
        if (self.amount is None) == (self.pool_per_head is None):
            raise ValueError("give exactly one of 'amount' and 'pool_per_head'")
        if self.relativities is not None and self.need_index is not None:
            raise ValueError("'need_index' is only used to derive relativities; "
                             "drop it or drop 'relativities'")
        if self.relativities is not None and not any(r > 0 for r in self.relativities.values()):
            raise ValueError("at least one relativity must be > 0")
        return self

    def pool(self, state: FiscalState) -> np.ndarray:
        """The pool, ``(..., 1)``."""
        if self.amount is not None:
            return np.full(state.population.shape[:-1] + (1,), float(self.amount))
        return self.pool_per_head * state.population.sum(axis=-1, keepdims=True)

    def relativity(self, state: FiscalState, pool: np.ndarray) -> np.ndarray:
        """r_i before the floor, ``(..., R)``."""
        population = state.equalisation_population
        if self.relativities is not None:
            given = region_values(state, self.relativities, name="relativities")
            return np.broadcast_to(given, population.shape)
        if self.need_index is not None:
            need = region_values(state, self.need_index, name="need_index") + np.zeros(population.shape)
        elif self.need_source == "expenditure_model":
            from .expenditure_need import model_need

            need = model_need(state, None, None, "needs_pool")
        else:
            need = state.need_index + np.zeros(population.shape)
        need = need * population.sum(-1, keepdims=True) / (need * population).sum(-1, keepdims=True)
        measure = state.measure(self.measure)
        grant_per_head = pool / population.sum(-1, keepdims=True)
        spending_per_head = state.national_per_head(measure) + grant_per_head
        requirement = need * spending_per_head - measure / population
        with np.errstate(divide="ignore", invalid="ignore"):
            relativity = np.where(grant_per_head > 0,
                                  requirement / np.where(grant_per_head > 0, grant_per_head, 1.0),
                                  need)
        return np.maximum(0.0, relativity)

    def apply(self, state: FiscalState) -> FiscalState:
        pool = self.pool(state)
        relativity = self.relativity(state, pool)
        if self.relativity_floor is not None:
            relativity = np.maximum(relativity, self.relativity_floor)
        weight = relativity * state.equalisation_population
        total = weight.sum(axis=-1, keepdims=True)
        transfer = pool * weight / np.where(total > 0, total, 1.0)
        if self.funding == "equal_per_head":
            population = state.equalisation_population
            transfer = transfer - pool * population / population.sum(axis=-1, keepdims=True)
            return state.with_transfer(state.unique_label(self.display_label), transfer,
                                       paid_by_centre=np.zeros(transfer.shape[:-1]))
        return state.with_transfer(state.unique_label(self.display_label), transfer)
