"""England's business rates retention as a step: tariffs, top-ups, levy, safety net, resets."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np

from ..errors import ConfigurationError
from ..over_time.business_rates import (LEVY_RATE_CAP, SAFETY_NET_THRESHOLD,
                                        business_rates_retention)
from ..over_time.transition import reset_schedule
from ..state import FiscalState
from .base import Step, param

__all__ = ["BusinessRatesRetention"]


class BusinessRatesRetention(Step):
    """Business rates retention on a devolved tax: tariffs and top-ups fixed at the
    start (and at resets), a levy on growth and a safety net.

    The retained local share ``K_i,t`` is the tax's devolved capacity (the
    ``devolution:`` share of the tax is the local share: 0.5 in 2013, 0.75 in
    the 2017-2019 pilots). In the first year of the run the scheme fixes each
    region's business rates baseline ``BRB_i = K_i,0`` and its baseline funding
    level ``BFL_i``: the regions' total ``sum_j K_j,0`` shared by population
    (``baseline_funding: per_capita``), by population times need index
    (``need_index``) or kept where raised (``own``). Then, with ``u_t`` the
    multiplier index ``(1 + uprating)^t`` (formulas of
    :func:`simulator.over_time.business_rates_retention`)::

        tariff_i      = BRB_i - BFL_i              (negative: a top-up), x u_t/u_k
        retained_i,t  = K_i,t - tariff_i,t
        levy_i,t      = min(levy_cap, max(0, 1 - BFL_i/BRB_i)) x max(0, retained - BFL_i,t)
        safety_net_i,t = max(0, safety_net x BFL_i,t - retained_i,t)
        income_i,t    = retained - levy + safety net

    Every ``reset_every`` years after the first the baselines are re-measured
    (``reset_share`` of the growth since the last reset goes back to the pot).
    The step's transfer is ``income - K``: the top-up (or minus the tariff),
    minus the levy, plus the safety net; the centre receives the net sum.
    With ``block_grant_adjustment: per_capita`` and ``baseline_funding:
    per_capita`` the first year changes no region's resources.

    Real system: England's business rates retention (Local Government Finance
    Act 2012 Sch. 7B; SI 2013/737), 50% from 2013-14, 75% pilots.
    """

    reference: ClassVar[str] = "Local Government Finance Act 2012, Sch. 7B; SI 2013/737"
    real_system: ClassVar[str] = "England: business rates retention (2013)"
    title: ClassVar[str] = "Business rates retention"

    type: Literal["business_rates_retention"] = "business_rates_retention"
    tax: str = param("business_rates", description="The devolved tax family whose local "
                     "share is retained (must be in devolution:).", unit="tax family",
                     min_length=1)
    baseline_funding: Literal["per_capita", "need_index", "own"] = param(
        "per_capita", description="How the baseline funding level shares out the year-0 "
        "total: by population, by population x need index, or each region's own yield "
        "(no tariffs or top-ups).", unit="choice")
    levy_cap: float = param(LEVY_RATE_CAP, description="Maximum levy rate on growth "
                            "(0.5 in SI 2013/737; 0 = no levy, as in the 100% pilots).",
                            unit="share (0-1)", ge=0.0, le=1.0)
    safety_net: float = param(SAFETY_NET_THRESHOLD, description="Income is topped up to this "
                              "share of the baseline funding level (0.925; 0.97 in the 75% "
                              "pilots).", unit="share (0-1)", ge=0.0, le=1.0)
    uprating: float = param(0.0, description="Growth per year of the business rates "
                            "multiplier index that uprates tariffs, top-ups and baseline "
                            "funding levels (0.02 = 2%).", unit="share per year",
                            ge=-0.2, le=0.2)
    reset_every: int | None = param(None, description="Re-set the baselines every N years "
                                    "after the first; null = never.", unit="years",
                                    ge=1, le=50)
    reset_share: float = param(1.0, description="Share of growth since the last reset "
                               "returned to the pot at a reset (1 = full reset).",
                               unit="share (0-1)", ge=0.0, le=1.0)

    def apply(self, state: FiscalState) -> FiscalState:
        shape = state.shape
        if len(shape) < 2:
            raise ConfigurationError("business_rates_retention needs a run with a year axis")
        if self.tax not in state.capacity_by_tax:
            devolved = ", ".join(sorted(state.capacity_by_tax)) or "none"
            raise ConfigurationError(
                f"business_rates_retention: tax {self.tax!r} is not devolved (devolved: "
                f"{devolved}); devolve its local share, e.g. {self.tax}: 0.5")
        kept = np.broadcast_to(state.capacity_by_tax[self.tax], shape)
        if np.any(kept[..., 0, :] <= 0):
            raise ConfigurationError(f"business_rates_retention: every region needs a "
                                     f"positive {self.tax} yield in the first year")
        first = kept[..., 0, :]
        if self.baseline_funding == "own":
            bfl = first
        else:
            weight = np.broadcast_to(state.population, shape)[..., 0, :]
            if self.baseline_funding == "need_index":
                weight = weight * np.broadcast_to(state.need_index, shape)[..., 0, :]
            bfl = first.sum(axis=-1, keepdims=True) * weight / weight.sum(axis=-1, keepdims=True)
        n_years = shape[-2]
        resets = (None if self.reset_every is None
                  else reset_schedule(n_years, self.reset_every))
        scheme = business_rates_retention(
            kept, bfl, business_rates_baseline=first, local_share=1.0,
            uprating=(1.0 + self.uprating) ** np.arange(n_years), resets=resets,
            reset_share=self.reset_share, levy_cap=self.levy_cap, safety_net=self.safety_net)
        return state.with_transfer(state.unique_label(self.display_label), scheme.income - kept)
