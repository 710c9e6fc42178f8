"""The Barnett formula as a step: devolved nations' grants rolled forward by consequentials."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, model_validator

from ..errors import ConfigurationError
from ..over_time.barnett import barnett_path
from ..state import FiscalState
from .base import Step, param

__all__ = ["Barnett", "BarnettTerms"]


class BarnettTerms(BaseModel):
    """One devolved nation's Barnett terms."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    comparability: float = param(
        1.0, description="Share of English comparable spending that is devolved to the nation "
        "(Statement of Funding Policy, by department; 1 = fully comparable).",
        unit="share (0-1)", ge=0.0, le=1.0)
    needs_factor: float = param(
        1.0, description="Factor on consequentials: 1, or Wales's needs-based factor 1.05 "
        "(Welsh fiscal framework 2016).", unit="factor", gt=0.0, le=3.0)
    floor: float | None = param(
        None, description="Relative funding per head (nation / England x comparability) below "
        "which the factor becomes the floor itself (Wales: 1.15); null = no floor.",
        unit="ratio", gt=0.0, le=3.0)


class Barnett(Step):
    """Roll the devolved nations' block grants forward with the Barnett formula.

    The first year of the run fixes each nation's grant ``G_i,0`` (its block
    grant in the state; a one-year run therefore changes nothing). Each later year the change in English comparable
    spending passes on as a consequential (HM Treasury, Statement of Funding
    Policy)::

        G_i,t = G_i,t-1 + (E_t - E_t-1) x c_i x P_i,t / P_E,t x f_i,t
        relative_i,t = (G_i,t / P_i,t) / (c_i x E_t / P_E,t)
        f_i,t = floor_i if relative_i,t-1 < floor_i else needs_factor_i

    where ``E_t`` is the block grant of the English regions (the regions not
    named in ``nations``, or those in ``england``) summed, ``P_E,t`` their
    population, ``c_i`` the comparability, ``f_i`` the needs factor (Wales:
    1.05, floor 1.15). The step's transfer to nation i is
    ``G_i,t - block grant_i,t`` (what Barnett gives on top of, or short of, the
    grant in the data); English regions receive 0; the centre pays the net sum.
    Computed by :func:`simulator.over_time.barnett_path`.

    Real system: the UK's Barnett formula for Scotland, Wales and Northern
    Ireland (since 1978), with Wales's needs-based factor and floor (2016).
    """

    reference: ClassVar[str] = ("HM Treasury, Statement of Funding Policy (2020), "
                                "ch. 2-3; Welsh fiscal framework (2016) para 7-8")
    real_system: ClassVar[str] = "UK: Barnett formula (Scotland, Wales, Northern Ireland)"
    title: ClassVar[str] = "Barnett"

    type: Literal["barnett"] = "barnett"
    nations: dict[str, BarnettTerms] = param(
        ..., description="Region code of each devolved nation -> its Barnett terms "
        "(comparability, needs_factor, floor).", unit="region code -> terms", min_length=1)
    england: list[str] | None = param(
        None, description="Region codes whose summed block grant and population are English "
        "comparable spending E_t and P_E,t; null = every region not in nations.",
        unit="region codes", min_length=1)

    @model_validator(mode="after")
    def _england_apart(self) -> "Barnett":
        overlap = sorted(set(self.england or ()) & set(self.nations))
        if overlap:
            raise ValueError(f"region {overlap[0]!r} is both a nation and in england")
        return self

    def apply(self, state: FiscalState) -> FiscalState:
        shape = state.shape
        if len(shape) < 2:
            raise ConfigurationError("a barnett step needs a run with a year axis (axis -2): "
                                     "the first year fixes the grant")
        codes = np.asarray(state.codes)
        nation_codes = np.asarray(list(self.nations))
        unknown = nation_codes[~np.isin(nation_codes, codes)]
        if unknown.size:
            raise ConfigurationError(f"barnett names unknown region {unknown[0]!r}")
        if self.england is not None:
            stray = np.asarray(self.england)[~np.isin(np.asarray(self.england), codes)]
            if stray.size:
                raise ConfigurationError(f"barnett: england names unknown region {stray[0]!r}")
        in_nations = np.isin(codes, nation_codes)
        in_england = (~in_nations if self.england is None
                      else np.isin(codes, np.asarray(self.england)))
        if not in_england.any():
            raise ConfigurationError("barnett needs at least one English region")
        grant = np.broadcast_to(state.block_grant, shape)
        population = np.broadcast_to(state.population, shape)
        england_spending = np.add.reduce(grant * in_england, axis=-1, keepdims=True)
        england_population = np.add.reduce(population * in_england, axis=-1, keepdims=True)
        position = {code: i for i, code in enumerate(state.codes)}
        index = np.array([position[c] for c in self.nations])
        terms = list(self.nations.values())
        comparability = np.array([t.comparability for t in terms])
        factor = np.array([t.needs_factor for t in terms])
        floor = np.array([np.nan if t.floor is None else t.floor for t in terms])
        path = barnett_path(grant[..., 0, index], england_spending, comparability,
                            population[..., index], england_population, factor,
                            None if np.all(np.isnan(floor)) else floor)
        transfer = np.zeros(shape)
        transfer[..., index] = path.grant - grant[..., index]
        return state.with_transfer(state.unique_label(self.display_label), transfer)
