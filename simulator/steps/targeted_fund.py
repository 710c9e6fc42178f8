"""A fixed fund for the places of highest need (place-based regeneration funds)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import model_validator

from ..errors import ConfigurationError
from ..state import FiscalState
from .base import Step, param

#: How the fund is shared among the selected places.
Allocation = Literal["equal_per_place", "per_head", "per_head_need"]

#: Need values equal to this many significant digits (relative to the largest) are ties.
TIE_DIGITS = 10


class TargetedFund(Step):
    """Share a fixed fund among the places of highest need.

    Eligible places: every region i with

        n_i >= need_threshold                     (if given)
        min_population <= P_i <= max_population   (each if given)

    Selection: eligible places ranked by need, highest first; places whose
    need is equal to 10 significant digits are ordered by region code
    (alphabetical), so the choice never depends on the order of the regions.
    The first N = ``places`` are selected (every eligible place if ``places``
    is not given):

        S = {i eligible : rank_i <= N}

    Allocation of the fund F (``amount``, or ``amount_per_place`` x |S|):

        equal_per_place   T_i = F / |S|
        per_head          T_i = F x P_i / sum_{j in S} P_j
        per_head_need     T_i = F x n_i P_i / sum_{j in S} n_j P_j

    for i in S, and T_i = 0 elsewhere; the centre pays F.  n is the need
    measure: the system's need index (population-weighted mean 1) or, if
    given, the dataset indicator ``need_indicator`` (higher = more need); P is
    the equalisation population.  The step targets need alone: capacity and
    resources play no part.  A place with more need never gets less (its rank
    can only improve), and the fund is paid in full, so at least one place
    must be eligible.

    Real system: resembles the UK Government's Pride in Place Programme
    (2025): up to GBP 20m per place over ten years for about 250 places
    picked by deprivation and community-need rankings; its first 75 places
    came from the Long-Term Plan for Towns (2023), renamed the Plan for
    Neighbourhoods (2025).  That is ``equal_per_place`` (or
    ``amount_per_place``) with ``places`` set.  Here the places are the
    dataset's regions (e.g. whole local authorities), not neighbourhoods.
    """

    reference: ClassVar[str] = ("No statutory formula: resembles discretionary UK programmes "
                                "(Pride in Place Programme; Plan for Neighbourhoods)")
    real_system: ClassVar[str] = "UK: place-based funds for the places of highest need"
    title: ClassVar[str] = "Targeted fund"

    type: Literal["targeted_fund"] = "targeted_fund"
    amount: float | None = param(None, description="The whole fund shared among the selected "
                                 "places (give this or amount_per_place).", unit="currency",
                                 ge=0.0)
    amount_per_place: float | None = param(
        None, description="Fund per selected place; the fund is this times the number of "
        "places selected (give this or amount).", unit="currency per place", ge=0.0)
    places: int | None = param(None, description="Number of places of highest need that "
                               "receive (among the eligible); none = every eligible place.",
                               unit="places", ge=1)
    need_threshold: float | None = param(
        None, description="Only places with at least this need are eligible.",
        unit="need measure (index, mean 1, or the indicator's unit)")
    min_population: float | None = param(None, description="Only places with at least this "
                                         "population are eligible.", unit="persons", ge=0.0)
    max_population: float | None = param(None, description="Only places with at most this "
                                         "population are eligible.", unit="persons", ge=0.0)
    allocation: Allocation = param(
        "equal_per_place", description="How the fund is shared among the selected places: "
        "'equal_per_place', 'per_head' or 'per_head_need' (per head times need).",
        unit="choice")
    need_indicator: str | None = param(
        None, description="Dataset indicator to rank by (higher = more need); default: the "
        "system's need index.", unit="indicator name", min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> "TargetedFund":
        if (self.amount is None) == (self.amount_per_place is None):
            raise ValueError("give exactly one of 'amount' and 'amount_per_place'")
        if (self.min_population is not None and self.max_population is not None
                and self.min_population > self.max_population):
            raise ValueError("min_population must not exceed max_population")
        return self

    # ------------------------------------------------------------ parts
    def need(self, state: FiscalState) -> np.ndarray:
        """The need measure n, ``(..., R)``."""
        shape = state.equalisation_population.shape
        if self.need_indicator is None:
            return np.broadcast_to(state.need_index, shape)
        if self.need_indicator not in state.indicators:
            raise ConfigurationError(
                f"targeted_fund: need_indicator {self.need_indicator!r} is not in the dataset; "
                f"known: {', '.join(sorted(state.indicators))}")
        values = np.asarray(state.indicators[self.need_indicator], dtype=float)
        if np.isnan(values).any():
            raise ConfigurationError(
                f"targeted_fund: need_indicator {self.need_indicator!r} is not published for "
                "every region and year")
        try:
            return np.broadcast_to(values, shape)
        except ValueError:
            raise ConfigurationError(
                f"targeted_fund: need_indicator {self.need_indicator!r} has shape "
                f"{values.shape}, the federation {shape}") from None

    def eligible(self, state: FiscalState, need: np.ndarray) -> np.ndarray:
        """Places that pass every threshold, ``(..., R)`` booleans."""
        population = state.equalisation_population
        eligible = np.ones(need.shape, dtype=bool)
        if self.need_threshold is not None:
            eligible = eligible & (need >= self.need_threshold)
        if self.min_population is not None:
            eligible = eligible & (population >= self.min_population)
        if self.max_population is not None:
            eligible = eligible & (population <= self.max_population)
        return eligible

    def selected(self, state: FiscalState) -> np.ndarray:
        """The set S: eligible places within the first ``places`` by need, ``(..., R)``."""
        need = self.need(state)
        eligible = self.eligible(state, need)
        if self.places is None:
            return eligible
        key = _tie_key(need)
        self._check_need_varies(key, eligible)
        # sort: eligible first, then need descending, then region code ascending
        code_rank = np.argsort(np.argsort(np.array(state.codes)))
        order = np.lexsort((np.broadcast_to(code_rank, need.shape),
                            np.where(eligible, -key, np.inf)), axis=-1)
        rank = np.argsort(order, axis=-1)  # 0 = highest need
        return eligible & (rank < self.places)

    def _check_need_varies(self, key: np.ndarray, eligible: np.ndarray) -> None:
        """Picking N of more than N places by need means nothing if all have the same need."""
        highest = np.where(eligible, key, -np.inf).max(axis=-1)
        lowest = np.where(eligible, key, np.inf).min(axis=-1)
        too_many = eligible.sum(axis=-1) > self.places
        if (too_many & (highest == lowest)).any():
            raise ConfigurationError(
                "targeted_fund picks the places of highest need, but every eligible region has "
                "the same need: set the system's need_index (england_la: dataset option "
                "need_index: true and need_index: need_index) or the step's need_indicator")

    def weights(self, state: FiscalState, selected: np.ndarray) -> np.ndarray:
        """Each place's weight in the fund (0 outside S), ``(..., R)``."""
        if self.allocation == "equal_per_place":
            return selected.astype(float)
        population = state.equalisation_population
        if self.allocation == "per_head":
            return np.where(selected, population, 0.0)
        need = self.need(state)
        if (selected & ~(need > 0)).any():
            raise ConfigurationError(
                "targeted_fund: allocation 'per_head_need' needs a need above 0 for every "
                "selected place; use a positive need measure or another allocation")
        return np.where(selected, population * need, 0.0)

    # ------------------------------------------------------------ apply
    def apply(self, state: FiscalState) -> FiscalState:
        selected = self.selected(state)
        count = selected.sum(axis=-1, keepdims=True)
        if (count == 0).any():
            raise ConfigurationError(
                "targeted_fund: no region meets the eligibility thresholds (need_threshold, "
                "min_population, max_population), so the fund cannot be paid")
        fund = self.amount if self.amount is not None else self.amount_per_place * count
        weight = self.weights(state, selected)
        transfer = fund * weight / weight.sum(axis=-1, keepdims=True)
        return state.with_transfer(state.unique_label(self.display_label), transfer)


def _tie_key(values: np.ndarray) -> np.ndarray:
    """Values rounded to :data:`TIE_DIGITS` relative to the largest magnitude (last axis),
    so values that differ by rounding noise rank as ties."""
    values = np.asarray(values, dtype=float)
    scale = np.abs(values).max(axis=-1, keepdims=True)
    return np.round(np.divide(values, scale, out=np.zeros_like(values), where=scale > 0),
                    TIE_DIGITS)
