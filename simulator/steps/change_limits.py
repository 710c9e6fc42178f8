"""Floors and caps on the change in resources against the baseline (damping)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import model_validator

from ..errors import ConfigurationError
from ..state import FiscalState
from ._numerics import solve_hinge_sum
from .base import Step, param


def positive_baseline(state: FiscalState, step: str) -> np.ndarray:
    baseline = np.asarray(state.baseline_resources, float)
    if not (baseline > 0).all():
        where = np.argwhere(~(baseline > 0))[0]
        raise ConfigurationError(
            f"{step} compares resources with the baseline, but region "
            f"{state.codes[where[-1]]!r} has baseline resources {baseline[tuple(where)]:.6g}; "
            "give the system a block_grant indicator (today's grant) or a baseline system "
            "with positive resources for every region")
    return baseline


class ChangeLimits(Step):
    """Bound each region's change in resources per head against the baseline.

    With B_i the baseline resources, R_i resources after the earlier steps
    (both for the same population, so relative changes per head equal
    relative changes in totals), floor F_i = (1 + floor_change) B_i and cap
    U_i = (1 + cap_change) B_i:

        R'_i = min(max(R_i, F_i), U_i)

    Lifting losers to the floor costs K = sum max(0, F_i - R_i); the cap saves
    V = sum max(0, max(R_i, F_i) - U_i).  Without ``self_financing`` the
    centre pays K and keeps V.  With ``self_financing: true`` the remaining
    cost K - V (if positive) is taken from the regions above the floor:

    - ``financing: scale`` (England's damping): every gain above the floor is
      scaled back by one factor, R''_i = F_i + (1 - lambda) (R'_i - F_i),
      lambda = (K - V) / sum max(0, R'_i - F_i);
    - ``financing: cap``: one common cap x on the relative change is solved
      (exactly, vectorised) so that sum max(0, R'_i - (1 + x) B_i) = K - V.

    Either way the step then sums to zero (or to -(V - K) when the cap saves
    more than the floor costs), and no region is pushed below its floor.  If
    the regions above the floor cannot fund it (sum R < sum F), lambda is
    capped at 1 / x at the floor, and the centre pays the rest.

    Real system: England's local government finance "floor damping" (2006-13
    formula grant: floors funded by scaling back increases above the floor),
    UK devolved-budget floors and caps on annual change.
    """

    reference: ClassVar[str] = ("Local Government Finance Reports (England) under the Local "
                                "Government Finance Act 1988 s.78: floor damping")
    real_system: ClassVar[str] = "England: floor damping of formula grant"
    title: ClassVar[str] = "Change limits"

    type: Literal["change_limits"] = "change_limits"
    floor_change: float | None = param(
        -0.02, description="Lowest change in resources per head against the baseline "
        "(-0.02 = at most 2% less); none = no floor.", unit="relative change", ge=-1.0, le=10.0)
    cap_change: float | None = param(
        None, description="Highest change in resources per head against the baseline "
        "(0.05 = at most 5% more); none = no cap.", unit="relative change", ge=-1.0, le=10.0)
    self_financing: bool = param(
        False, description="Whether regions above the floor pay for it (else the centre "
        "does).", unit="yes/no")
    financing: Literal["scale", "cap"] = param(
        "scale", description="How gains pay for the floor when self-financing: 'scale' back "
        "every gain above the floor by one factor, or one common 'cap' on the change.",
        unit="choice")

    @model_validator(mode="after")
    def _consistent(self) -> "ChangeLimits":
        if self.floor_change is None and self.cap_change is None:
            raise ValueError("give floor_change, cap_change or both")
        if (self.floor_change is not None and self.cap_change is not None
                and self.cap_change < self.floor_change):
            raise ValueError(f"cap_change ({self.cap_change}) must be >= floor_change "
                             f"({self.floor_change})")
        return self

    def apply(self, state: FiscalState) -> FiscalState:
        baseline = positive_baseline(state, "change_limits")
        before = state.resources
        floor = (-np.inf if self.floor_change is None else (1.0 + self.floor_change) * baseline)
        lifted = np.maximum(before, floor)
        capped = lifted if self.cap_change is None else np.minimum(lifted, (1.0 + self.cap_change) * baseline)
        after = capped
        if self.self_financing and self.floor_change is not None:
            cost = (lifted - before).sum(axis=-1) - (lifted - capped).sum(axis=-1)
            to_finance = np.maximum(0.0, cost)[..., None]
            gains = np.maximum(0.0, capped - floor)
            if self.financing == "scale":
                total_gains = gains.sum(axis=-1, keepdims=True)
                scale_back = np.minimum(1.0, to_finance / np.where(total_gains > 0, total_gains, 1.0))
                after = capped - np.where(total_gains > 0, scale_back, 0.0) * gains
            else:
                # sum_i B_i max(0, change_i - x) = to_finance, solved for x as
                # sum_i B_i max(0, (-x) - (-change_i)): a non-decreasing hinge sum
                change = capped / baseline - 1.0
                weight = np.where(gains > 0, baseline, 0.0)
                common_cap = -solve_hinge_sum(-change, weight, to_finance[..., 0])
                common_cap = np.maximum(common_cap[..., None], self.floor_change)
                after = np.where(to_finance > 0,
                                 np.minimum(capped, (1.0 + common_cap) * baseline), capped)
        return state.with_transfer(state.unique_label(self.display_label), after - before)

