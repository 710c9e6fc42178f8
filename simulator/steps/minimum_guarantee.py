"""Minimum endowment with a progressive top-up (Switzerland's FiLaG Art. 3a, 6)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import model_validator

from ..errors import ConfigurationError
from ..metrics import NOISE_FLOOR
from ..state import FiscalState
from .base import Measure, Step, measure_param, param


class MinimumGuarantee(Step):
    """Lift weak regions to a minimum index; progressive top-up above the floor.

    Resource index RI_i = 100 x c_i / c_avg, with c_i the measure per
    equalisation head and c_avg its population-weighted national average.
    Each region below 100 receives s(RI_i) index points of the average:

        s(RI) = target - RI                                 for RI < floor
        s(RI) = (target - floor) x ((100 - RI) / (100 - floor)) ** k
                                                            for floor <= RI < 100
        s(RI) = 0                                           for RI >= 100

        k = marginal_rate_at_floor x (100 - floor) / (target - floor)

        T_i = s(RI_i) / 100 x c_avg x P_i

    so a region below the floor ends exactly at ``target`` after equalisation,
    s is continuous at the floor, and the share of an extra unit of capacity
    that is withdrawn, -ds/dRI, is ``marginal_rate_at_floor`` at the floor and
    falls to 0 at 100.  Because k >= 1 (checked) that withdrawal never exceeds
    ``marginal_rate_at_floor`` <= 1, so the per-head ranking never changes
    (regions below the floor tie at ``target``).  The centre pays; a
    ``horizontal_funding`` step after it can make strong regions pay part.

    Real system: Switzerland's resource equalisation since 2020 (FiLaG Art. 3a
    and 6; FiLaV Art. 6): floor 70, minimum endowment 86.5, 90% marginal
    withdrawal at the floor, giving s(RI) = 16.5 ((100 - RI)/30) ** 1.6364.
    The exponent is derived from those three figures (the exact FiLaV Art. 6
    text was not available; see FORMULAS.md).
    """

    reference: ClassVar[str] = "FiLaG (SR 613.2) Art. 3a and 6; FiLaV (SR 613.21) Art. 6"
    real_system: ClassVar[str] = "Switzerland: resource equalisation (Ressourcenausgleich)"
    title: ClassVar[str] = "Minimum guarantee"

    type: Literal["minimum_guarantee"] = "minimum_guarantee"
    floor_index: float = param(70.0, description="Resource index below which a region is "
                               "lifted to the target (Switzerland: 70).",
                               unit="index (average = 100)", ge=0.0, le=100.0)
    target_index: float = param(86.5, description="Index every region below the floor "
                                "reaches after equalisation (Switzerland: 86.5).",
                                unit="index (average = 100)", ge=0.0, le=100.0)
    marginal_rate_at_floor: float = param(
        0.9, description="Share of an extra unit of capacity withdrawn at the floor "
        "(Switzerland: 0.9).", unit="share (0-1)", ge=0.0, le=1.0)
    measure: Measure = measure_param()

    @model_validator(mode="after")
    def _consistent(self) -> "MinimumGuarantee":
        if not self.floor_index < self.target_index <= 100:
            raise ValueError(f"need floor_index < target_index <= 100 "
                             f"(got {self.floor_index} and {self.target_index})")
        if self.exponent < 1 - 1e-12:
            raise ValueError(
                "marginal_rate_at_floor must be at least (target_index - floor_index) / "
                f"(100 - floor_index) = {self.top_up_at_floor / (100 - self.floor_index):.4g}, "
                "or the top-up would withdraw more than 100% just below 100 and reverse rankings")
        return self

    @property
    def top_up_at_floor(self) -> float:
        """Index points paid at the floor, target - floor (16.5)."""
        return self.target_index - self.floor_index

    @property
    def exponent(self) -> float:
        """k = marginal_rate_at_floor x (100 - floor) / (target - floor) (1.6364)."""
        return self.marginal_rate_at_floor * (100.0 - self.floor_index) / self.top_up_at_floor

    def top_up_points(self, index: np.ndarray) -> np.ndarray:
        """s(RI): index points paid to a region with resource index ``index``."""
        index = np.asarray(index, float)
        distance = np.clip((100.0 - index) / (100.0 - self.floor_index), 0.0, 1.0)
        progressive = self.top_up_at_floor * distance ** self.exponent
        return np.where(index < self.floor_index, self.target_index - index, progressive)

    def apply(self, state: FiscalState) -> FiscalState:
        measure = state.measure(self.measure)
        population = state.equalisation_population
        average = state.national_per_head(measure)
        # an index needs a positive average, not 0 or rounding noise (whose sign would
        # follow the order of the sum): refused rather than paying nothing
        scale = np.abs(measure / population).max(axis=-1, keepdims=True)
        valid = average > np.maximum(NOISE_FLOOR, 1e-9 * scale)
        if not valid.all():
            worst = float(np.min(np.where(valid, np.inf, average)))
            raise ConfigurationError(
                f"minimum_guarantee needs a positive national average of the {self.measure} "
                f"per head to set a resource index; it is {worst:.6g} per head (at most 0, or "
                f"rounding noise beside regions' values of up to {float(scale.max()):.6g}), so "
                "no index and no guarantee is defined; guarantee a measure with a positive "
                "average (e.g. measure: resources)")
        index = 100.0 * measure / population / average
        transfer = self.top_up_points(index) / 100.0 * average * population
        return state.with_transfer(state.unique_label(self.display_label), transfer)
