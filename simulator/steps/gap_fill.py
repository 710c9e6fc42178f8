"""Gap-fill to a standard (Canada's Equalization)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import model_validator

from ..state import FiscalState, broadcast_shape
from ._numerics import blockwise, solve_standard_after_gap_fill
from .base import Measure, Step, measure_param, param
from .standard import Standard


class GapFill(Step):
    """Fill part of each region's per-head gap below a standard.

        T_i = rate x max(0, S - c_i) x P_i

    where c_i is the region's measure per equalisation head, S the standard per
    head and P_i the equalisation population.  With ``measure: capacity`` (the
    default) c_i is equalised capacity (fiscal capacity plus the transfers of
    earlier steps); with ``measure: resources`` it is resources (block grant +
    own revenue + transfers), for guarantees such as "at least 90% of average
    resources per head" (``standard: {kind: national_average, fraction: 0.9}``).
    Only regions below S receive; the centre pays (funding steps may change
    who pays).

    With ``standard_after_transfer: true`` the standard is measured after the
    step's own transfers, so a guarantee "every region has at least f of the
    average" holds once paid: S solves

        S = f x (sum_j c_j P_j + sum_j T_j(S)) / sum_j P_j

    (sums over the averaged regions), exactly, on the linear segment between
    sorted per-head measures (needs f x rate < 1 and an average standard).

    Real system: Canada's Equalization (FPFAA s.3.2), rate 1 against the
    ten-province standard; "75% gap-fill" designs in UK devolution proposals.
    """

    reference: ClassVar[str] = "FPFAA s.3.2"
    real_system: ClassVar[str] = "Canada: Equalization"
    title: ClassVar[str] = "Gap-fill"

    type: Literal["gap_fill"] = "gap_fill"
    rate: float = param(1.0, description="Share of the gap below the standard that is filled.",
                        unit="share (0-1)", ge=0.0, le=1.0)
    standard: Standard = param(Standard(), description="The per-head standard S.",
                               unit="currency per head")
    measure: Measure = measure_param()
    standard_after_transfer: bool = param(
        False, description="Measure the standard after this step's own transfers, so the "
        "guaranteed share of the average holds once paid.", unit="yes/no")

    @model_validator(mode="after")
    def _after_transfer_needs_an_average(self) -> "GapFill":
        if self.standard_after_transfer:
            if self.standard.kind not in ("national_average", "regions_average"):
                raise ValueError("standard_after_transfer needs a national_average or "
                                 "regions_average standard")
            if self.standard.fraction * self.rate >= 1:
                raise ValueError("standard_after_transfer needs fraction x rate < 1 "
                                 "(otherwise the standard chases its own transfers without end)")
        return self

    def apply(self, state: FiscalState) -> FiscalState:
        measure = state.measure(self.measure)
        population = state.equalisation_population
        if self.standard_after_transfer:
            standard = self._standard_after_transfer(state, measure / population)
        else:
            standard = self.standard.per_head(state, measure)
        shape = measure.shape
        if population.shape != shape or standard.shape[:-1] != shape[:-1]:
            shape = broadcast_shape(shape, population.shape, standard.shape)
        rate_shape = getattr(self.rate, "shape", ())
        if not rate_shape or broadcast_shape(shape, rate_shape) == shape:
            transfer = blockwise(_gap_fill, np.empty(shape), measure, population, standard,
                                 self.rate)
        else:  # a rate with leading axes of its own (a sweep): the gap once, then grow
            transfer = self.rate * blockwise(_gap, np.empty(shape), measure, population, standard)
            np.multiply(transfer, population, out=transfer)
        return state.with_transfer(state.unique_label(self.display_label), transfer)

    def _standard_after_transfer(self, state: FiscalState, per_head: np.ndarray) -> np.ndarray:
        population = state.equalisation_population
        if self.standard.kind == "regions_average":
            population_in_average = population * state.region_mask(self.standard.regions)
        else:
            population_in_average = population
        total = np.add.reduce(per_head * population_in_average, axis=-1, keepdims=True)
        return solve_standard_after_gap_fill(per_head, population_in_average, total,
                                             self.standard.fraction, self.rate)


def _gap(out, measure, population, standard) -> None:
    """max(0, S - c / P), operation by operation into ``out``."""
    np.divide(measure, population, out=out)
    np.subtract(standard, out, out=out)
    np.maximum(0.0, out, out=out)


def _gap_fill(out, measure, population, standard, rate) -> None:
    """T = rate x max(0, S - c / P) x P into ``out`` (see :func:`blockwise`)."""
    _gap(out, measure, population, standard)
    np.multiply(rate, out, out=out)
    np.multiply(out, population, out=out)
