"""Equalisation standards: the per-head level a step equalises towards."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..state import FiscalState

__all__ = ["Standard", "StandardKind"]

StandardKind = Literal["national_average", "regions_average", "percentile", "per_head"]


class Standard(BaseModel):
    """How the standard S (per head) is set.

    - ``national_average``: population-weighted national average of the
      measure, S = sum(c_i) / sum(P_i) (Canada's ten-province standard,
      Germany's Ausgleichsmesszahl).
    - ``regions_average``: the same average over the named ``regions`` only
      (Canada's five-province standard of 2004, Australia's "stronger of NSW
      and Victoria").
    - ``percentile``: the population-weighted ``percentile`` of per-head
      measure across regions.
    - ``per_head``: a fixed ``amount`` per head, in currency units.

    The result is multiplied by ``fraction`` (0.9 = 90% of the average, as in a
    statutory guarantee of 90% of average resources; Germany's 99.75%).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: StandardKind = Field("national_average", description="How the standard is set.")
    regions: tuple[str, ...] | None = Field(
        None, description="Region codes averaged, for kind 'regions_average'.")
    percentile: float | None = Field(
        None, ge=0, le=100, description="Percentile (0-100), for kind 'percentile'.",
        json_schema_extra={"unit": "percent"})
    fraction: float = Field(
        1.0, gt=0, le=2, description="Multiplier on the standard (0.9 = 90% of it).",
        json_schema_extra={"unit": "share"})
    amount: float | None = Field(
        None, ge=0, description="Standard per head, for kind 'per_head'.",
        json_schema_extra={"unit": "currency per head"})

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data):
        return {"kind": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _needs_its_parameter(self) -> "Standard":
        required = {"regions_average": "regions", "percentile": "percentile", "per_head": "amount"}
        needed = required.get(self.kind)
        if needed and getattr(self, needed) is None:
            raise ValueError(f"standard kind {self.kind!r} needs {needed!r}")
        return self

    def per_head(self, state: FiscalState, measure: np.ndarray) -> np.ndarray:
        """The standard per equalisation head, shape ``(..., 1)``."""
        return self.fraction * self._level(state, measure)

    def _level(self, state: FiscalState, measure: np.ndarray) -> np.ndarray:
        population = state.equalisation_population
        if self.kind == "national_average":
            return state.national_per_head(measure)
        if self.kind == "regions_average":
            mask = state.region_mask(self.regions)
            return ((measure * mask).sum(axis=-1, keepdims=True)
                    / (population * mask).sum(axis=-1, keepdims=True))
        if self.kind == "per_head":
            return np.full(measure.shape[:-1] + (1,), float(self.amount))
        return _weighted_percentile(measure / population, population, self.percentile)


def _weighted_percentile(values: np.ndarray, weights: np.ndarray, percentile: float) -> np.ndarray:
    """Population-weighted percentile along the last axis (linear interpolation
    between the mid-points of each region's population mass), ``(..., 1)``."""
    values, weights = np.broadcast_arrays(values, weights)
    order = np.argsort(values, axis=-1)
    sorted_values = np.take_along_axis(values, order, axis=-1)
    sorted_weights = np.take_along_axis(weights, order, axis=-1)
    cumulative = np.cumsum(sorted_weights, axis=-1)
    midpoints = (cumulative - 0.5 * sorted_weights) / cumulative[..., -1:]
    target = percentile / 100.0
    # index of the first midpoint >= target, vectorised over leading axes
    upper = np.clip((midpoints < target).sum(axis=-1, keepdims=True), 1, values.shape[-1] - 1)
    lower = upper - 1
    x0 = np.take_along_axis(midpoints, lower, axis=-1)
    x1 = np.take_along_axis(midpoints, upper, axis=-1)
    y0 = np.take_along_axis(sorted_values, lower, axis=-1)
    y1 = np.take_along_axis(sorted_values, upper, axis=-1)
    fraction = np.clip((target - x0) / np.where(x1 > x0, x1 - x0, 1.0), 0.0, 1.0)
    if values.shape[-1] == 1:
        return sorted_values[..., :1]
    return y0 + fraction * (y1 - y0)
