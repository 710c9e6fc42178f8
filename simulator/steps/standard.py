"""Equalisation standards: the per-head level a step equalises towards."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import ConfigDict, Field, model_validator

from ..quantities import StrictModel
from ..state import FiscalState

__all__ = ["Standard", "StandardKind"]

StandardKind = Literal["national_average", "regions_average", "percentile", "per_head"]


class Standard(StrictModel):
    """How the standard S (per head) is set.

    - ``national_average``: population-weighted national average of the
      measure, S = sum(c_i) / sum(P_i) (Canada's ten-province standard,
      Germany's Ausgleichsmesszahl).
    - ``regions_average``: the same average over the named ``regions`` only
      (Canada's five-province standard of 2004, Australia's "stronger of NSW
      and Victoria").
    - ``percentile``: the population-weighted ``percentile`` of per-head
      measure across regions (the per-head value below which that share of
      the population lives; no interpolation between regions).
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
            return self.amount + np.zeros(measure.shape[:-1] + (1,))  # amount may be an array
        return _weighted_percentile(measure / population, population, self.percentile)


def _weighted_percentile(values: np.ndarray, weights: np.ndarray, percentile: float) -> np.ndarray:
    """Population-weighted percentile along the last axis, ``(..., 1)``.

    The inverse of the population's distribution function of per-head values:
    the smallest per-head value v such that at least ``percentile`` % of the
    population lives in regions with values <= v.  It depends only on that
    distribution, so splitting a region into two identical halves, or
    reordering regions, never moves the standard (interpolating between
    regions' population mid-points would).
    """
    values, weights = np.broadcast_arrays(values, weights)
    if np.ndim(percentile) > 0:  # a sweep's array (K, 1, 1): one standard per value
        shape = np.broadcast_shapes(values.shape, np.shape(percentile))
        values, weights = np.broadcast_to(values, shape), np.broadcast_to(weights, shape)
    order = np.argsort(values, axis=-1, kind="stable")
    sorted_values = np.take_along_axis(values, order, axis=-1)
    sorted_weights = np.take_along_axis(weights, order, axis=-1)
    cumulative = np.cumsum(sorted_weights, axis=-1)
    share_at_or_below = cumulative / cumulative[..., -1:]
    target = percentile / 100.0
    # first region whose cumulative population share reaches the target; the
    # tolerance absorbs rounding in the cumulative sum
    index = np.clip((share_at_or_below < target - 1e-12).sum(axis=-1, keepdims=True),
                    0, values.shape[-1] - 1)
    return np.take_along_axis(sorted_values, index, axis=-1)
