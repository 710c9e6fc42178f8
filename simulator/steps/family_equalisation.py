"""Equalisation against a standard built family by family (Germany's FAG s.6 to s.11)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import ConfigDict, Field, model_validator

from ..quantities import StrictModel
from ..state import FiscalState
from ._families import family_capacities
from .base import Step, param, region_values

__all__ = ["FamilyEqualisation", "FamilySpec"]


class FamilySpec(StrictModel):
    """How one tax family enters the measure and the standard."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    inclusion: float = Field(
        1.0, ge=0.0, le=1.0, description="Share of the family counted in the measure and "
        "the standard (Germany: municipal taxes 0.75).", json_schema_extra={"unit": "share (0-1)"})
    weights: dict[str, Annotated[float, Field(gt=0)]] | None = Field(
        None, description="Region code -> weight on its inhabitants for this family's "
        "standard (codes not named: 1); none: the equalisation population.",
        json_schema_extra={"unit": "weight"})


class FamilyEqualisation(Step):
    """Close a share of the gap between a standard need and capacity, family by family.

    For each tax family f with inclusion share theta_f, capacity c_if
    (``state.capacity_by_tax``) and weighted inhabitants W_if = w_if x P_i
    (the family's own ``weights``, or the equalisation population):

        F_i = sum_f theta_f c_if                                 (measure)
        A_i = sum_f (sum_j theta_f c_jf / sum_j W_jf) x W_if     (standard need)

    so each family's national yield per weighted inhabitant is spread on that
    family's weighted inhabitants, and sum A = sum F.  With M_i = F_i plus the
    transfers of earlier steps:

    - ``mode: symmetric``: T_i = rate x (A'_i - M_i), A' = A x sum M / sum A;
      regions below the standard receive, those above pay, the step sums to
      zero and the centre pays nothing (A' = A when earlier steps sum to zero).
      (M + T)/A' = (1 - rate) M/A' + rate, so no ranking of M/A reverses.
    - ``mode: gap_fill``: T_i = rate x max(0, fraction x A_i - M_i); the
      centre pays.

    With one family, inclusion 1 and no weights, ``symmetric`` is the
    ``symmetric`` step and ``gap_fill`` a ``gap_fill`` to ``fraction`` of the
    national average.

    Real system: Germany's Finanzkraftausgleich since 2020 (FAG s.6 to s.10):
    the Finanzkraftmesszahl counts Land revenue fully and municipal taxes at
    75% (s.7, s.8); the Ausgleichsmesszahl spreads each on its own weighted
    inhabitants (s.9: city states 135% for both, and for municipal taxes also
    MV 105%, BB 103%, ST 102%); Zu- and Abschlaege are 63% of the gap (s.10):
    ``mode: symmetric, rate: 0.63``.  The general supplementary federal
    grants (allgemeine BEZ, s.11(2)) fill 80% of what remains below 99.75%
    of the Ausgleichsmesszahl: ``mode: gap_fill, rate: 0.8, fraction: 0.9975``.
    """

    reference: ClassVar[str] = ("FAG (Finanzausgleichsgesetz) as amended 2017, s.6 to s.10; "
                                "s.11(2) for the allgemeine Bundesergaenzungszuweisungen")
    real_system: ClassVar[str] = ("Germany: Finanzkraftausgleich (Zu-/Abschlaege) and "
                                  "allgemeine Bundesergaenzungszuweisungen")
    title: ClassVar[str] = "Equalisation by tax family"

    type: Literal["family_equalisation"] = "family_equalisation"
    families: dict[str, FamilySpec] = param(
        ..., description="Tax family -> {inclusion, weights}: the families counted and how.",
        unit="tax family -> specification", min_length=1)
    mode: Literal["symmetric", "gap_fill"] = param(
        "symmetric", description="'symmetric': both ways, summing to zero; 'gap_fill': only "
        "regions below the standard receive, paid by the centre.", unit="choice")
    rate: float = param(0.63, description="Share of the gap closed (Germany: 0.63 for the "
                        "Zu-/Abschlaege, 0.8 for the allgemeine BEZ).", unit="share (0-1)",
                        ge=0.0, le=1.0)
    fraction: float = param(1.0, description="Multiplier on the standard need for gap_fill "
                            "(Germany's allgemeine BEZ: 0.9975).", unit="share", gt=0.0, le=2.0)

    @model_validator(mode="after")
    def _fraction_for_gap_fill(self) -> "FamilyEqualisation":
        if self.mode == "symmetric" and self.fraction != 1.0:
            raise ValueError("'fraction' applies to mode gap_fill only (a symmetric step "
                             "balances to zero against the full standard)")
        return self

    def measure_and_standard(self, state: FiscalState) -> tuple[np.ndarray, np.ndarray]:
        """F_i (included capacity) and A_i (standard need), each ``(..., R)``."""
        names, capacity = family_capacities(state, list(self.families),
                                            step="family_equalisation")
        by_family = np.moveaxis(capacity, -2, 0)                              # (F, ..., R)
        theta = np.array([self.families[name].inclusion for name in names])
        included = theta.reshape((-1,) + (1,) * (by_family.ndim - 1)) * by_family
        weighted = np.stack([self._inhabitants(state, name) for name in names])  # (F, ..., R)
        total_weighted = weighted.sum(axis=-1, keepdims=True)
        level = included.sum(axis=-1, keepdims=True) / np.where(total_weighted > 0,
                                                                 total_weighted, 1.0)
        return included.sum(axis=0), (level * weighted).sum(axis=0)

    def _inhabitants(self, state: FiscalState, name: str) -> np.ndarray:
        shape = np.shape(state.fiscal_capacity)
        weights = self.families[name].weights
        if weights is None:
            return np.broadcast_to(state.equalisation_population, shape)
        values = region_values(state, weights, name=f"families.{name}.weights", default=1.0)
        return np.broadcast_to(state.population * values, shape)

    def apply(self, state: FiscalState) -> FiscalState:
        included, standard = self.measure_and_standard(state)
        measure = included + state.total_transfers
        label = state.unique_label(self.display_label)
        if self.mode == "gap_fill":
            transfer = self.rate * np.maximum(0.0, self.fraction * standard - measure)
            return state.with_transfer(label, transfer)
        total_standard = standard.sum(axis=-1, keepdims=True)
        scaled = standard * measure.sum(axis=-1, keepdims=True) / np.where(
            total_standard != 0, total_standard, 1.0)
        transfer = self.rate * (scaled - measure)
        return state.with_transfer(label, transfer, paid_by_centre=np.zeros(transfer.shape[:-1]))
