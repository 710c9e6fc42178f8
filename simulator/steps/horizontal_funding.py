"""Strong regions finance the centre's cost of earlier steps (Switzerland's FiLaG Art. 4)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import model_validator

from ..state import FiscalState, broadcast_shape
from ._numerics import blockwise, into
from .base import Measure, Scope, Step, measure_param, param, scope_indices, scope_param
from .standard import Standard


class HorizontalFunding(Step):
    """Make regions above the standard pay for (part of) earlier steps.

    With C the net cost to the centre of the steps in ``scope`` (their
    ``paid_by_centre``), the amount financed horizontally is

        F = share x max(0, C)      (share = ratio / (1 + ratio) if ``ratio_to_centre``)

    Each region above the standard pays the same share u of its per-head
    excess over the standard times its population:

        e_i = max(0, x_i - S) x P_i,   u = min(1, F / sum_j e_j),   T_i = -u x e_i

    where x_i is the measure per equalisation head *before* the steps in
    scope (so for ``scope: all`` with ``measure: capacity``, fiscal capacity:
    Switzerland's resource potential) and S the standard of that measure
    (national average by default).  u is capped at 1 so that no region is
    pushed below the standard; any cost left over stays with the centre.  The
    step's ``paid_by_centre`` is -sum(payments): the centre passes the money
    on, so the net cost of the system falls by what regions pay.

    ``ratio_to_centre`` states the regions' share as a ratio to what the
    centre keeps paying: F = ratio x (C - F).  Switzerland: the resource-strong
    cantons pay 2/3 of the Confederation's contribution (ratio 2/3, i.e. 40% of
    the total).  ``share: 1`` makes the preceding steps purely horizontal
    (a Robin Hood scheme).

    Real system: Switzerland's horizontal resource equalisation (FiLaG Art. 4:
    the strong cantons' total is 2/3 of the Confederation's contribution; each
    pays a uniform percentage of its resource potential per head above the
    Swiss average, times its population).
    """

    reference: ClassVar[str] = "FiLaG (SR 613.2) Art. 4"
    real_system: ClassVar[str] = "Switzerland: horizontal resource equalisation"
    title: ClassVar[str] = "Horizontal funding"

    type: Literal["horizontal_funding"] = "horizontal_funding"
    share: float = param(1.0, description="Share of the centre's net cost of the steps in "
                         "scope that strong regions pay.", unit="share (0-1)", ge=0.0, le=1.0)
    ratio_to_centre: float | None = param(
        None, description="Alternatively: what strong regions pay as a ratio to what the "
        "centre still pays (Switzerland: 2/3).", unit="ratio", ge=0.0, le=100.0)
    scope: Scope = scope_param("are financed")
    standard: Standard = param(Standard(), description="Regions above this per-head standard "
                               "pay.", unit="currency per head")
    measure: Measure = measure_param()

    @model_validator(mode="after")
    def _share_or_ratio(self) -> "HorizontalFunding":
        if self.ratio_to_centre is not None and "share" in self.model_fields_set:
            raise ValueError("give 'share' or 'ratio_to_centre', not both")
        return self

    @property
    def effective_share(self) -> float:
        """Share of the centre's cost financed horizontally."""
        if self.ratio_to_centre is not None:
            return self.ratio_to_centre / (1.0 + self.ratio_to_centre)
        return self.share

    def apply(self, state: FiscalState) -> FiscalState:
        funded = scope_indices(state, self.scope, step="horizontal_funding")
        cost = sum(np.asarray(state.paid_by_centre[k][1], float) for k in funded)
        to_fund = self.effective_share * np.maximum(0.0, cost)[..., None]
        scoped = state.transfers[funded[0]][1]
        for k in funded[1:]:
            scoped = scoped + state.transfers[k][1]
        # the measure after a step is a new array (FiscalState.measure): work in it
        measure = state.measure(self.measure)
        basis = into(np.subtract, measure, scoped, measure)
        population = state.equalisation_population
        standard = self.standard.per_head(state, basis)
        # the rest in the basis array (S is computed), unless a parameter with
        # leading axes of its own (a sweep) makes the result larger
        shape = broadcast_shape(basis.shape, population.shape, standard.shape, to_fund.shape)
        out = basis if basis.shape == shape and basis.flags.writeable else np.empty(shape)
        transfer = blockwise(_payments, out, basis, population, standard, to_fund)
        return state.with_transfer(state.unique_label(self.display_label), transfer)


def _payments(out, basis, population, standard, to_fund) -> None:
    """T = -u x e into ``out``: e = max(0, x / P - S) x P, u = min(1, F / sum e)
    (0 where nothing is in excess); row by row, so block by block (see
    :func:`blockwise`)."""
    np.divide(basis, population, out=out)
    np.subtract(out, standard, out=out)
    np.maximum(0.0, out, out=out)
    np.multiply(out, population, out=out)
    total_excess = np.add.reduce(out, axis=-1, keepdims=True)
    positive = total_excess > 0
    uniform_rate = np.where(positive, np.minimum(1.0, to_fund / np.where(positive, total_excess, 1.0)),
                            0.0)
    np.multiply(-uniform_rate, out, out=out)
