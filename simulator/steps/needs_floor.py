"""A needs-based funding floor for one region (Wales's 115%)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from ..state import FiscalState
from .base import Measure, Step, measure_param, param


class NeedsFloor(Step):
    """Top up one region so its funding per head is at least f x the reference's.

        T_t = max(0, f x M_ref / P_ref - M_t / P_t) x P_t      (the region t)
        T_i = 0                                                 (every other region)

    M is the measure (``resources`` by default: block grant, own revenue and
    earlier transfers), ``ref`` the population-weighted reference regions
    (default: every other region; for Wales, England's nine regions).  The
    factor f is ``factor`` or, if not given, the needs model's relative need
    n_t / n_ref (:mod:`simulator.needs`).  Topping up t does not change the
    reference, so the floor holds exactly once paid.  The centre pays.

    Real system: the Welsh Government's fiscal framework (HM Treasury and Welsh
    Government, *Agreement on the Welsh Government's fiscal framework*, December
    2016, para. 2.13-2.17): a needs-based factor in the Barnett formula so that
    relative funding per head does not fall below 115% of England's, the
    figure of the Holtham Commission's needs assessment (2010).
    """

    reference: ClassVar[str] = "Agreement on the Welsh Government's fiscal framework (2016) para. 2.13"
    real_system: ClassVar[str] = "Wales: 115% needs-based floor (Holtham)"
    title: ClassVar[str] = "Needs-based floor"

    type: Literal["needs_floor"] = "needs_floor"
    region: str = param(..., description="Region code that gets the floor (e.g. TLL, Wales).",
                        unit="region code", min_length=1)
    reference_regions: list[str] | None = param(
        None, description="Regions whose funding per head is the reference (default: all "
        "others; for Wales: England's nine regions TLC..TLK).", unit="region codes")
    factor: float | None = param(
        None, description="Floor f as a multiple of the reference per head (Wales: 1.15); "
        "default: relative need from the needs model.", unit="ratio", ge=0.0, le=5.0)
    year: str | None = param(None, description="Financial year of the needs model's spending "
                             "mix when factor is not given (default: latest).",
                             unit="financial year", pattern=r"^\d{4}-\d{2}$")
    weights: dict[str, dict[str, Annotated[float, Field(ge=0.0, le=1.0)]]] | None = param(
        None, description="Needs model weights when factor is not given, category -> factor -> "
        "share (0-1); default: the documented defaults (docs/needs.md).", unit="share (0-1)")
    measure: Measure = measure_param("resources")

    @model_validator(mode="after")
    def _region_not_in_reference(self) -> "NeedsFloor":
        if self.reference_regions is not None:
            if not self.reference_regions:
                raise ValueError("reference_regions must name at least one region")
            if self.region in self.reference_regions:
                raise ValueError("the floor region cannot be one of its own reference regions")
        return self

    def floor_factor(self, state: FiscalState) -> float | np.ndarray:
        if self.factor is not None:
            return float(self.factor)
        from .expenditure_need import model_need

        need = model_need(state, None, self.year, "needs_floor", self.weights)
        target, reference = self._masks(state)
        population = state.population + np.zeros(need.shape)
        reference_need = ((need * population * reference).sum(-1, keepdims=True)
                          / (population * reference).sum(-1, keepdims=True))
        return (need * target).sum(-1, keepdims=True) / reference_need

    def _masks(self, state: FiscalState) -> tuple[np.ndarray, np.ndarray]:
        target = state.region_mask([self.region])
        if self.reference_regions is None:
            return target, ~target
        return target, state.region_mask(self.reference_regions)

    def apply(self, state: FiscalState) -> FiscalState:
        target, reference = self._masks(state)
        measure = state.measure(self.measure)
        population = state.population
        shape = np.broadcast_shapes(measure.shape, population.shape)
        measure, population = np.broadcast_to(measure, shape), np.broadcast_to(population, shape)
        reference_per_head = ((measure * reference).sum(-1, keepdims=True)
                              / (population * reference).sum(-1, keepdims=True))
        gap = self.floor_factor(state) * reference_per_head - measure / population
        transfer = np.where(target, np.maximum(0.0, gap) * population, 0.0)
        return state.with_transfer(state.unique_label(self.display_label), transfer)
