"""Gap-fill to a standard (Canada's Equalization)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np

from ..state import FiscalState
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

    def apply(self, state: FiscalState) -> FiscalState:
        measure = state.measure(self.measure)
        standard = self.standard.per_head(state, measure)
        gap = np.maximum(0.0, standard - measure / state.equalisation_population)
        transfer = self.rate * gap * state.equalisation_population
        return state.with_transfer(state.unique_label(self.display_label), transfer)
