"""Full fiscal equalisation on capacity and need (Australia's principle)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np

from ..state import FiscalState
from .base import Measure, measure_param, param
from .expenditure_need import ModelNeedPool


class FiscalEqualisation(ModelNeedPool):
    """Give each region what lets it spend its assessed need after its own capacity.

        A_i = n_i x e x P_i                                (assessed spending)
        T_i = (A_i - c_i) + P_i x (pool - sum_j (A_j - c_j)) / sum_j P_j

    n is the need index of the representative expenditure model
    (:mod:`simulator.needs`, population-weighted mean 1) or the given
    ``need_index``; c_i the region's measure (equalised capacity by default);
    e the standard spending per head, ``spending_per_head`` or, if not given,
    (pool + sum c) / sum P, in which case the remainder is exactly 0 and
    every region ends with equalised capacity + transfer = n_i x e x P_i:
    per-head resources in proportion to need.  The remainder of the pool
    (positive or negative) is shared equally per head.  A region whose
    capacity exceeds its assessed spending gets a negative transfer (it pays
    in), unless ``relativity_floor`` is set: then the relativities
    r_i = T_i / (P_i x pool / sum P) are raised to at least the floor and the
    pool is re-shared as pool x r_i P_i / sum_j r_j P_j (Australia: 0.75 from
    2024-25), which keeps the total equal to the pool.  The centre pays the pool.

    Real system: Australia's horizontal fiscal equalisation (Commonwealth
    Grants Commission Act 1973 s.16AB; Federal Financial Relations Act 2009
    s.8, s.8A for the relativity floor).
    """

    reference: ClassVar[str] = "CGC Act 1973 (Cth) s.16AB; Federal Financial Relations Act 2009 s.8A"
    real_system: ClassVar[str] = "Australia: horizontal fiscal equalisation on capacity and need"
    title: ClassVar[str] = "Fiscal equalisation"

    type: Literal["fiscal_equalisation"] = "fiscal_equalisation"
    amount: float | None = param(None, description="Pool paid by the centre (give this or "
                                 "pool_per_head).", unit="currency", ge=0.0)
    pool_per_head: float | None = param(None, description="Pool per head of the whole "
                                        "population (give this or amount).",
                                        unit="currency per head", ge=0.0)
    spending_per_head: float | None = param(
        None, description="Standard spending per head e; default (pool + total capacity) / "
        "population, so the pool is exactly used up by need less capacity.",
        unit="currency per head", ge=0.0)
    relativity_floor: float | None = param(
        None, description="Lowest relativity (transfer per head / average pool per head) any "
        "region gets; the pool is re-shared (Australia: 0.75).", unit="relativity",
        ge=0.0, le=10.0)
    measure: Measure = measure_param()

    def transfer(self, state: FiscalState) -> np.ndarray:
        need = self.need(state)
        population = state.population
        total_population = population.sum(-1, keepdims=True)
        capacity = state.measure(self.measure) + np.zeros(population.shape)
        pool = self.pool(state)
        if self.spending_per_head is None:
            spending = (pool + capacity.sum(-1, keepdims=True)) / total_population
        else:
            spending = float(self.spending_per_head)
        requirement = need * spending * population - capacity
        remainder = pool - requirement.sum(-1, keepdims=True)
        transfer = requirement + population * remainder / total_population
        if self.relativity_floor is not None:
            average = pool / total_population
            relativity = np.maximum(transfer / (population * np.where(average > 0, average, 1.0)),
                                    self.relativity_floor)
            weight = relativity * population
            transfer = pool * weight / weight.sum(-1, keepdims=True)
        return transfer

    def apply(self, state: FiscalState) -> FiscalState:
        return state.with_transfer(state.unique_label(self.display_label), self.transfer(state))
