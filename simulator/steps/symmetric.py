"""Symmetric (horizontal) equalisation towards the average (Germany's FAG s.10)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np

from ..state import FiscalState
from .base import Measure, Step, measure_param, param


class Symmetric(Step):
    """Close a share of every region's distance to the average, both ways.

        T_i = rate x (S - c_i) x P_i,    S = sum_j c_j x P_j / sum_j P_j

    where c_i is the measure per equalisation head and P_i the equalisation
    population (Germany's weighted inhabitants when a ``weight_population``
    step ran before).  Regions below the average receive, regions above pay,
    and the transfers sum to exactly zero: a purely horizontal step
    (``paid_by_centre`` 0).  Since c_i + T_i/P_i = (1 - rate) c_i + rate S,
    every per-head gap to the average shrinks by ``rate``: no Gini can rise and
    no ranking reverses for rates in [0, 1].

    Real system: Germany's Finanzkraftausgleich (FAG s.10: Zuschlag/Abschlag
    = 63% of the gap between Ausgleichsmesszahl and Finanzkraftmesszahl).
    """

    reference: ClassVar[str] = "FAG 2005 s.10 (Finanzkraftausgleich, Zu- und Abschläge)"
    real_system: ClassVar[str] = "Germany: Finanzkraftausgleich"
    title: ClassVar[str] = "Symmetric equalisation"

    type: Literal["symmetric"] = "symmetric"
    rate: float = param(0.63, description="Share of each region's per-head distance to the "
                        "average that is closed (Germany: 0.63).", unit="share (0-1)",
                        ge=0.0, le=1.0)
    measure: Measure = measure_param()

    def apply(self, state: FiscalState) -> FiscalState:
        measure = state.measure(self.measure)
        population = state.equalisation_population
        average = state.national_per_head(measure)
        transfer = self.rate * (average * population - measure)
        zero = np.zeros(transfer.shape[:-1])
        return state.with_transfer(state.unique_label(self.display_label), transfer,
                                   paid_by_centre=zero)
