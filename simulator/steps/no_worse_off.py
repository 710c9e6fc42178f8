"""Hold-harmless guarantee against the baseline."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np

from ..state import FiscalState
from .base import Step


class NoWorseOff(Step):
    """Guarantee that no region has less than its baseline resources.

        T_i = max(0, B_i - R_i)

    with B_i the baseline resources and R_i resources after the earlier steps.
    The centre pays.

    Real system: Australia's "no worse off" guarantee (FFR Act 2009 s.5(2)-(3),
    transitional years 2021-22 to 2026-27: no state gets less GST than under
    the pre-2018 arrangements); hold-harmless guarantees in general.
    """

    reference: ClassVar[str] = "Federal Financial Relations Act 2009 (Cth) s.5(2)-(3)"
    real_system: ClassVar[str] = "Australia: no-worse-off guarantee"
    title: ClassVar[str] = "No worse off"

    type: Literal["no_worse_off"] = "no_worse_off"

    def apply(self, state: FiscalState) -> FiscalState:
        baseline = np.asarray(state.baseline_resources, float)
        # no per-head or relative measure here, so a zero baseline is fine
        transfer = np.maximum(0.0, baseline - state.resources)
        return state.with_transfer(state.unique_label(self.display_label), transfer)
