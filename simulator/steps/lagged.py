"""Lag-and-average wrapper: run any step on lagged, averaged data (Canada's 50/25/25)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import SerializeAsAny, field_validator, model_validator

from ..errors import ConfigurationError
from ..over_time.lagging import CANADA_LAG, CANADA_WEIGHTS, lag_average
from ..state import FiscalState
from .base import Step, param, step_from_dict

__all__ = ["Lagged"]


class Lagged(Step):
    """Apply the wrapped ``step`` to measures averaged over earlier years.

    Every per-region measure the wrapped step can see (fiscal capacity, own
    revenue, block grant, baseline resources, population, equalisation
    population and the transfers of earlier steps) is replaced, year by year,
    by its lagged weighted average along the year axis (axis -2)::

        X_bar(t) = sum_j w_j x X(t - lag - j)

    and the wrapped step runs on that.  With ``population = "current"`` its
    transfer per (lagged) equalisation head is paid on this year's
    population, ``T_i,t = (T_bar_i,t / P_bar_i,t) x P_i,t``, and the centre
    absorbs any difference this makes to the net total; with ``"lagged"``
    the transfer is kept as computed.  Years before the first are taken as
    the first year, so the step needs a multi-year run (years on axis -2).

    Real system: Canada's Equalization (FPFAA s.3.5: 50% of year t-2, 25% of
    t-3 and 25% of t-4 for both revenue bases and population); Switzerland's
    resource potential (FiLaV 1-2: average of t-6..t-4).
    """

    reference: ClassVar[str] = "FPFAA s.3.5 (three-year weighted moving average, two-year lag)"
    real_system: ClassVar[str] = "Canada: Equalization; Switzerland: resource equalisation"
    title: ClassVar[str] = "Lagged"

    type: Literal["lagged"] = "lagged"
    step: SerializeAsAny[Step] = param(..., description="The step run on lagged data.",
                                       unit="step")
    weights: tuple[float, ...] = param(
        CANADA_WEIGHTS, description="Weights of years t-lag, t-lag-1, ... (sum 1).",
        unit="share (0-1)")
    lag: int = param(CANADA_LAG, description="Years between the payment year and the most "
                     "recent data year used.", unit="years", ge=0, le=10)
    population: Literal["current", "lagged"] = param(
        "current", description="Pay the per-head transfer on this year's population "
        "('current') or keep the transfer computed on lagged data ('lagged').", unit="choice")

    @field_validator("step", mode="before")
    @classmethod
    def _build_step(cls, step: Any) -> Any:
        return step_from_dict(step)

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> "Lagged":
        if not self.weights or any(w < 0 for w in self.weights) or not np.isclose(sum(self.weights), 1.0):
            raise ValueError("weights must be >= 0 and sum to 1")
        return self

    @property
    def display_label(self) -> str:
        return self.label or self.step.display_label

    def _lag(self, array: np.ndarray) -> np.ndarray:
        return lag_average(array, self.weights, self.lag, axis=-2)

    def apply(self, state: FiscalState) -> FiscalState:
        shape = state.shape
        if len(shape) < 2:
            raise ConfigurationError(
                "a lagged step needs a multi-year run (years on axis -2); this state has no year axis")

        def full(array: np.ndarray) -> np.ndarray:
            return np.broadcast_to(array, shape)

        lagged_state = state.replace(
            population=self._lag(full(state.population)),
            equalisation_population=self._lag(full(state.equalisation_population)),
            fiscal_capacity=self._lag(full(state.fiscal_capacity)),
            capacity_by_tax={tax: self._lag(full(capacity))
                             for tax, capacity in state.capacity_by_tax.items()},
            own_revenue=self._lag(full(state.own_revenue)),
            block_grant=self._lag(full(state.block_grant)),
            baseline_resources=self._lag(full(state.baseline_resources)),
            transfers=tuple((label, self._lag(full(amount))) for label, amount in state.transfers),
        )
        inner = self.step if self.label is None else self.step.model_copy(update={"label": self.label})
        result = inner.apply(lagged_state)
        n_before = len(state.transfers)
        added = result.transfers[n_before:]
        paid = result.paid_by_centre[n_before:]
        if not added:
            raise ConfigurationError(
                f"the wrapped step {self.step.display_label!r} added no transfer; Lagged wraps "
                "steps that add one")
        for (label, amount), (_, centre) in zip(added, paid):
            if self.population == "current":
                rescaled = amount / lagged_state.equalisation_population * state.equalisation_population
                centre = centre + (rescaled.sum(axis=-1) - amount.sum(axis=-1))
                amount = rescaled
            state = state.with_transfer(label, amount, paid_by_centre=centre)
        return state
