"""Scale earlier steps to a fixed total (Canada's Equalization envelope)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import model_validator

from ..state import FiscalState
from ._numerics import solve_hinge_sum
from .base import Measure, Scope, Step, measure_param, param, scope_indices, scope_param


class FixedPool(Step):
    """Adjust the transfers of earlier steps so that they total a fixed pool.

    With T_i the sum of the transfers of the steps in ``scope``, P_i the
    equalisation population and the pool A (``amount``, or ``amount_per_head``
    x total population), this step adds an adjustment a_i with
    sum_i (T_i + a_i) = A, paid by the centre (sum a = A - sum T):

    - ``proportional``: receipts are scaled by one factor,
      a_i = (A - sum T) x max(0, T_i) / sum_j max(0, T_j)
      (shared per head over all regions if no region receives).
    - ``equal_per_head`` (Canada, FPFAA s.3.4(6)-(9)):

      * pool below the formula total: an equal per-head reduction D, capped
        at each region's own receipt per head,
        a_i = -P_i x min(max(0, t_i), D), with sum_i P_i min(t_i+, D) = sum T - A;
      * pool above the formula total: receiving regions get D per head;
        the others max(0, C + D - E_i) per head, where E_i is the region's
        measure per head after the steps in scope and C the greatest E among
        receivers (the lowest E overall if none receives),
        a_i = P_i x D (receivers), P_i x max(0, C + D - E_i) (others).

      D is solved exactly: each total is a piecewise-linear monotone function
      of D (sorted breakpoints, vectorised over leading axes).

    Regions that pay into the scope steps (T_i <= 0) are never changed by the
    reduction.  The adjustment appears as its own transfer.

    Real system: Canada's Equalization, whose total grows with nominal GDP
    (FPFAA s.3.4(5)); the formula is scaled to it by equal per-capita
    adjustments (s.3.4(6)-(9); 2025-26: D = 36 CAD per head).
    """

    reference: ClassVar[str] = "FPFAA (R.S.C. 1985 c. F-8) s.3.4(5)-(9)"
    real_system: ClassVar[str] = "Canada: Equalization fixed envelope"
    title: ClassVar[str] = "Fixed pool adjustment"

    type: Literal["fixed_pool"] = "fixed_pool"
    amount: float | None = param(None, description="Total of the steps in scope after "
                                 "adjustment (give this or amount_per_head).",
                                 unit="currency", ge=0.0)
    amount_per_head: float | None = param(None, description="The pool per head of the whole "
                                          "population (give this or amount).",
                                          unit="currency per head", ge=0.0)
    method: Literal["proportional", "equal_per_head"] = param(
        "equal_per_head", description="How the difference is shared: 'proportional' to "
        "receipts or Canada's 'equal_per_head' adjustment.", unit="choice")
    scope: Scope = scope_param("are scaled to the pool")
    measure: Measure = measure_param()

    @model_validator(mode="after")
    def _one_amount(self) -> "FixedPool":
        if (self.amount is None) == (self.amount_per_head is None):
            raise ValueError("give exactly one of 'amount' and 'amount_per_head'")
        return self

    def pool(self, state: FiscalState) -> np.ndarray:
        """The pool A, ``(...,)``."""
        if self.amount is not None:
            return np.full(state.population.shape[:-1], float(self.amount))
        # as (..., 1) and back: the parameter may be a sweep's array (K, 1, 1)
        return (self.amount_per_head * state.population.sum(axis=-1, keepdims=True))[..., 0]

    def apply(self, state: FiscalState) -> FiscalState:
        scoped = scope_indices(state, self.scope, step="fixed_pool")
        formula = sum(state.transfers[k][1] for k in scoped)
        population = state.equalisation_population
        difference = (self.pool(state) - formula.sum(axis=-1))[..., None]
        # a receiver gets more than rounding noise (regions exactly at a
        # gap-fill standard can show 1e-12 per head)
        noise = 1e-12 * np.abs(state.measure(self.measure)).sum(axis=-1, keepdims=True)
        receipts = np.where(formula > noise, formula, 0.0)
        if self.method == "proportional":
            total = receipts.sum(axis=-1, keepdims=True)
            key = np.where(total > 0, receipts / np.where(total > 0, total, 1.0),
                           population / population.sum(axis=-1, keepdims=True))
            adjustment = difference * key
        else:
            adjustment = np.where(difference < 0,
                                  self._reduction(receipts, population, -difference),
                                  self._increase(state, receipts, population, difference))
        return state.with_transfer(state.unique_label(self.display_label), adjustment)

    @staticmethod
    def _reduction(receipts, population, reduction):
        """-P_i min(t_i, D) with sum_i P_i min(t_i, D) = reduction (t = receipts per head)."""
        per_head = receipts / population
        weight = np.where(receipts > 0, population, 0.0)
        # sum P min(t, D) = reduction  <=>  sum P max(0, t - D) = sum receipts - reduction
        remaining = np.maximum(0.0, receipts.sum(axis=-1) - reduction[..., 0])
        cut = -solve_hinge_sum(-per_head, weight, remaining)
        return -population * np.minimum(per_head, np.maximum(cut, 0.0)[..., None]) * (receipts > 0)

    def _increase(self, state, receipts, population, increase):
        """P_i D for receivers, P_i max(0, C + D - E_i) for others; totals ``increase``."""
        receiver = receipts > 0
        equalised = state.measure(self.measure) / population
        best_receiver = np.where(receiver, equalised, -np.inf).max(axis=-1, keepdims=True)
        anchor = np.where(receiver.any(axis=-1, keepdims=True), best_receiver,
                          equalised.min(axis=-1, keepdims=True))
        breakpoint = np.where(receiver, 0.0, equalised - anchor)
        top_up = solve_hinge_sum(breakpoint, population, increase[..., 0])[..., None]
        return population * np.maximum(0.0, top_up - breakpoint)
