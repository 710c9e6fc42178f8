"""A fund for the neighbourhoods of highest need, in one tier or two (national -> authority
-> neighbourhood), with floors, caps and a taper instead of a cliff."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import StrictFloat, model_validator

from ..errors import ConfigurationError
from ..neighbourhoods.allocation import (composite_score, select_both_top_decile,
                                         select_threshold, select_top_n, share_within,
                                         two_tier)
from ..state import FiscalState
from .base import Step, param


def code_order(codes) -> np.ndarray:
    """Each area's position in code order (ties in need go to the lower code).  Packaged
    datasets list areas in code order already: then it is the position (one vectorised
    comparison instead of two string sorts)."""
    codes = np.asarray(codes)
    if codes.size < 2 or bool(np.all(codes[:-1] < codes[1:])):
        return np.arange(codes.size)
    return np.argsort(np.argsort(codes, kind="stable"), kind="stable")


class NeighbourhoodFund(Step):
    """Pick neighbourhoods by a need rule and share a fund F among them.

    Selection weight s_i in [0, 1] (need n = ``need_indicator``, deprivation
    d = ``deprivation_indicator``; higher = more need for both):

        top_n            s_i = 1 for the ``places`` areas of highest n (ties by
                         code); with ``taper`` = K the next K ranks get
                         1 - (rank - places)/(K + 1): a taper, not a cliff
        both_top_decile  s_i = 1 if i is in the most needy national decile of
                         both n and d (Local Trust's left-behind rule: CNI and IMD)
        composite        top ``places`` by sum_k w_k q_k,i / sum_k w_k with q_k,i
                         the percentile rank of measure k (``composite_weights``)
        threshold        s_i = 1 if n_i >= ``threshold``; with ``band`` = b,
                         rising linearly from 0 at threshold - b

    One tier (no ``authority_indicator``):

        T_i = F s_i u_i / sum_j s_j u_j,   u = 1, P_i or P_i n_i (``share``)

    Two tiers (``authority_indicator`` names the dataset indicator holding each
    area's authority number, e.g. ``authority_index`` of ``england_lsoa``):

        A_a = clip(lambda b_a, m F P_a/P, c F P_a/P),  sum_a A_a = F
        T_i = A_a s_i u_i / sum_{j in a} s_j u_j

    with b_a the authority's selected units (``authority_basis: selected``),
    its population or its need-weighted population; m = ``minimum_share`` is
    a minimum grant per head as a share of the equal per-head amount
    (Australia's Financial Assistance Grants: each council gets at least 30%
    of its per-capita share, m = 0.3); c = ``cap_multiple`` caps an authority
    at c times it.  lambda is solved exactly; an authority with no selected
    neighbourhood spends its floor over all of its areas (per ``share``).

    Exit guarantee (``exit_guarantee`` = g > 0, over the years axis, the axis
    before the areas): an area funded in year t-1 and not in year t keeps
    g x its year t-1 amount (before any guarantee), paid off the top of F;
    the others are scaled down so the centre still pays F:

        T_i,t = g T*_i,t-1                                  if leaving
        T_i,t = T*_i,t x (F - sum of guarantees) / F        otherwise

    (France's dotation de solidarité rurale and dotation nationale de
    péréquation keep 50% of last year's amount for a commune that loses
    eligibility: g = 0.5.)
    The centre pays F in full.  A place with more need never gets less
    (monotone), and the result does not depend on the order of the areas.

    Real systems: Local Trust's Big Local and the "left behind" wards (most
    deprived 10% on both the Community Needs Index and the IMD); the UK's
    Pride in Place Programme (2025) picks neighbourhoods by deprivation and
    community need; Australia's FAGs (Local Government (Financial Assistance)
    Act 1995, s.6: minimum grant per head); France's dotations (DSR/DNP
    exit guarantees: see :func:`simulator.neighbourhoods.allocation.exit_guarantee`).
    """

    reference: ClassVar[str] = ("Local Trust, Left behind? Understanding communities on the "
                                "edge (2019); Local Government (Financial Assistance) Act 1995 "
                                "(Cth) s.6; Code général des collectivités territoriales "
                                "L2334-21 (DSR)")
    real_system: ClassVar[str] = ("UK: neighbourhood funds (Local Trust, Pride in Place); "
                                  "Australia: FAG minimum per head")
    title: ClassVar[str] = "Neighbourhood fund"

    type: Literal["neighbourhood_fund"] = "neighbourhood_fund"
    amount: float = param(..., description="The fund F shared among the selected "
                          "neighbourhoods (a year).", unit="currency", gt=0.0, le=1e13,
                          allow_inf_nan=False, strict=True)
    selection: Literal["top_n", "both_top_decile", "composite", "threshold"] = param(
        "top_n", description="The need rule: 'top_n', 'both_top_decile' (Local Trust), "
        "'composite' (rank average) or 'threshold'.", unit="choice")
    places: int | None = param(None, description="Number of neighbourhoods selected "
                               "(top_n, composite).", unit="places", ge=1, strict=True)
    need_indicator: str = param("cni_score", description="Dataset indicator of need "
                                "(higher = more need).", unit="indicator name", min_length=1)
    deprivation_indicator: str = param(
        "imd_score", description="Second measure for both_top_decile and the default "
        "composite (higher = more deprived).", unit="indicator name", min_length=1)
    composite_weights: dict[str, StrictFloat] | None = param(
        None, description="Indicator -> weight of its percentile rank in the composite "
        "(default: need and deprivation, equal weights).", unit="weights (>= 0)")
    threshold: float | None = param(None, description="Need at or above which an area is "
                                    "selected (threshold rule).", unit="need indicator's unit",
                                    allow_inf_nan=False, strict=True)
    taper: int = param(0, description="Ranks after the last selected place over which the "
                       "weight falls linearly to 0 (top_n, composite); 0 = a cliff.",
                       unit="places", ge=0, strict=True)
    band: float = param(0.0, description="Width below the threshold over which the weight "
                        "rises linearly to 1 (threshold rule).", unit="need indicator's unit",
                        ge=0.0, allow_inf_nan=False, strict=True)
    share: Literal["equal", "per_head", "per_need"] = param(
        "per_head", description="How a tier shares: equal per place, per head, or per head "
        "times need.", unit="choice")
    authority_indicator: str | None = param(
        None, description="Indicator holding each area's authority number (0, 1, ...): "
        "gives two tiers, national -> authorities -> neighbourhoods.", unit="indicator name",
        min_length=1)
    authority_basis: Literal["selected", "population", "need"] = param(
        "selected", description="Tier 1 basis: the authority's selected units, population, "
        "or need-weighted population.", unit="choice")
    minimum_share: float = param(0.0, description="Each authority's floor as a share of its "
                                 "equal per-head share of the fund (Australia's FAGs: 0.3).",
                                 unit="share (0-1)", ge=0.0, le=1.0, allow_inf_nan=False,
                                 strict=True)
    cap_multiple: float | None = param(None, description="Each authority's cap as a multiple "
                                       "of its equal per-head share.", unit="multiple (>= 1)",
                                       ge=1.0, allow_inf_nan=False, strict=True)
    exit_guarantee: float = param(0.0, description="Share of last year's amount an area that "
                                  "loses its place keeps for a year, paid off the top of the "
                                  "fund (France's DSR/DNP: 0.5); needs several years.",
                                  unit="share (0-1)", ge=0.0, le=1.0, allow_inf_nan=False,
                                  strict=True)

    @model_validator(mode="after")
    def _consistent(self) -> "NeighbourhoodFund":
        if self.selection in ("top_n", "composite") and self.places is None:
            raise ValueError(f"selection {self.selection!r} needs 'places'")
        if self.selection == "threshold" and self.threshold is None:
            raise ValueError("selection 'threshold' needs 'threshold'")
        if self.authority_indicator is None and (self.minimum_share > 0
                                                 or self.cap_multiple is not None):
            raise ValueError("minimum_share and cap_multiple act on authorities: give "
                             "authority_indicator (two tiers)")
        if self.composite_weights is not None:
            if self.selection != "composite":
                raise ValueError("composite_weights apply only to selection 'composite'")
            bad = {k: v for k, v in self.composite_weights.items()
                   if isinstance(v, bool) or not np.isfinite(v) or v < 0}
            if bad or not self.composite_weights or sum(self.composite_weights.values()) <= 0:
                raise ValueError(f"composite_weights must be >= 0 with a positive sum; got "
                                 f"{self.composite_weights}")
        return self

    # ------------------------------------------------------------ parts
    def indicator(self, indicators, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Dataset indicator ``name`` at ``shape``; refuses a missing or unpublished one."""
        if name not in indicators:
            raise ConfigurationError(
                f"neighbourhood_fund: indicator {name!r} is not in the dataset; known: "
                f"{', '.join(sorted(indicators))}")
        values = np.broadcast_to(np.asarray(indicators[name], dtype=float), shape)
        if not np.isfinite(values).all():
            raise ConfigurationError(
                f"neighbourhood_fund: indicator {name!r} is not published for every area")
        return values

    def weights(self, codes, indicators, shape: tuple[int, ...]) -> np.ndarray:
        """The selection weight s_i, ``(..., N)``."""
        tiebreak = code_order(codes)
        if self.selection == "composite":
            chosen = self.composite_weights or {self.need_indicator: 1.0,
                                                self.deprivation_indicator: 1.0}
            score = composite_score([self.indicator(indicators, k, shape) for k in chosen],
                                    list(chosen.values()), tiebreak)
            return select_top_n(score, self.places, taper=self.taper, tiebreak=tiebreak)
        need = self.indicator(indicators, self.need_indicator, shape)
        if self.selection == "top_n":
            return select_top_n(need, self.places, taper=self.taper, tiebreak=tiebreak)
        if self.selection == "both_top_decile":
            return select_both_top_decile(
                need, self.indicator(indicators, self.deprivation_indicator, shape), tiebreak)
        return select_threshold(need, self.threshold, band=self.band)

    def allocate(self, codes, population, indicators) -> tuple[np.ndarray, np.ndarray]:
        """(T_i, s_i), each ``(..., N)``, from plain arrays (``population`` is P)."""
        population = np.asarray(population, dtype=float)
        weight = self.weights(codes, indicators, population.shape)
        population = np.broadcast_to(population, weight.shape)
        need = (self.indicator(indicators, self.need_indicator, weight.shape)
                if self.share == "per_need" else None)
        if self.authority_indicator is None:
            return share_within(self.amount, weight, population, self.share, need), weight
        group = self.indicator(indicators, self.authority_indicator, weight.shape)
        if not ((group >= 0).all() and (group % 1 == 0).all()):
            raise ConfigurationError(f"neighbourhood_fund: {self.authority_indicator!r} must "
                                     "hold whole numbers >= 0 (authority numbers)")
        out = np.empty(weight.shape)
        # one row per leading index (years, draws): each row is one 1-D allocation
        for index in np.ndindex(weight.shape[:-1]):
            g = group[index].astype(np.intp)
            out[index] = two_tier(
                self.amount, weight[index], population[index], g, int(g.max()) + 1,
                share=self.share, need=None if need is None else need[index],
                authority_basis=self.authority_basis, minimum_share=self.minimum_share,
                cap_multiple=self.cap_multiple).neighbourhood
        return out, weight

    # ------------------------------------------------------------ apply
    def with_exit_guarantee(self, transfer: np.ndarray) -> np.ndarray:
        """Apply the exit guarantee along the years axis (axis -2), ``(..., Y, N)``."""
        if self.exit_guarantee == 0 or transfer.ndim < 2 or transfer.shape[-2] < 2:
            return transfer
        before, now = transfer[..., :-1, :], transfer[..., 1:, :]
        guarantee = np.where((before > 0) & (now <= 0), self.exit_guarantee * before, 0.0)
        rest = self.amount - guarantee.sum(axis=-1, keepdims=True)
        if (rest < 0).any():
            raise ConfigurationError("neighbourhood_fund: the exit guarantees exceed the fund")
        out = transfer.copy()
        out[..., 1:, :] = now * (rest / self.amount) + guarantee
        return out

    def apply(self, state: FiscalState) -> FiscalState:
        transfer, _ = self.allocate(state.codes, state.equalisation_population, state.indicators)
        transfer = self.with_exit_guarantee(transfer)
        return state.with_transfer(state.unique_label(self.display_label), transfer)
