"""Gap-fill by revenue source with partial inclusion, best of several options (Canada's s.3.2)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator

from ..errors import ConfigurationError
from ..state import FiscalState
from ._families import family_capacities
from .base import Step, param
from .standard import Standard

__all__ = ["SourceGapFill"]

Inclusion = dict[str, Annotated[float, Field(ge=0.0, le=1.0)]]


class SourceGapFill(Step):
    """Fill each region's per-head gap source by source, with some sources partly included.

    Each revenue source s is a devolved tax family (``state.capacity_by_tax``);
    c_is is region i's capacity from it per equalisation head and S_s the
    standard for it (by default the national average per head, i.e. the
    national average yield: the national average rate applied to the
    national base).  An inclusion option theta gives each source a share
    theta_s (1 for sources it does not name) and the per-head gap

        g_i(theta) = sum_s theta_s x (S_s - c_is)

    Each region is paid its best option, never less than nothing:

        T_i = rate x max(0, max_k g_i(theta^k)) x P_i

    with P_i the equalisation population.  With one option including every
    source fully, this is ``gap_fill`` on total capacity against the
    national average.  The centre pays.  The gap is linear in the sources,
    so sources that are always fully included can be given as one family
    (their summed gap is the sum of their gaps).

    Real system: Canada's Equalization (FPFAA s.3.2(1)): the four sources
    personal income, business income, consumption and property taxes fully
    included, natural resources at 50% (paragraph (a), "A + B") or 0%
    (paragraph (b), "A"), whichever is greater; a negative amount is zero
    (s.3.2(3)): ``inclusion: [{natural_resources: 0.5}, {natural_resources: 0}]``.
    The per-head measures are the s.3.5 moving averages when the data are
    (see ``simulator.over_time.lagging``).  A province's election of
    paragraph (a) (s.3.2(2)) is not modelled.
    """

    reference: ClassVar[str] = "FPFAA (R.S.C. 1985 c. F-8) s.3.2, s.3.5(1)"
    real_system: ClassVar[str] = "Canada: Equalization (better of 0% and 50% natural resources)"
    title: ClassVar[str] = "Gap-fill by revenue source"

    type: Literal["source_gap_fill"] = "source_gap_fill"
    rate: float = param(1.0, description="Share of the gap below the standard that is filled.",
                        unit="share (0-1)", ge=0.0, le=1.0)
    inclusion: list[Inclusion] = param(
        [{}], description="Inclusion options, each a mapping tax family -> share of it "
        "equalised (families not named: 1); each region gets its best option. Canada: "
        "[{natural_resources: 0.5}, {natural_resources: 0}].", unit="share (0-1)",
        min_length=1)
    sources: list[str] | None = param(
        None, description="Tax families equalised (default: every devolved one).",
        unit="tax family names")
    standard: Standard = param(Standard(), description="The per-head standard of each "
                               "source: its national average (default) or the average over "
                               "some regions, times 'fraction'.", unit="currency per head")

    @field_validator("standard")
    @classmethod
    def _averages_only(cls, standard: Standard) -> Standard:
        if standard.kind not in ("national_average", "regions_average"):
            raise ValueError("the standard of each source must be 'national_average' or "
                             f"'regions_average' (got {standard.kind!r})")
        return standard

    def option_gaps(self, state: FiscalState) -> np.ndarray:
        """g_i(theta^k) per head for every option, ``(K, ..., R)``."""
        names, capacity = family_capacities(state, self.sources, step="source_gap_fill")
        for option in self.inclusion:
            unknown = [name for name in option if name not in names]
            if unknown:
                raise ConfigurationError(
                    f"source_gap_fill: inclusion names {unknown[0]!r}, which is not an "
                    f"equalised source; sources: {', '.join(names)}")
        by_source = np.moveaxis(capacity, -2, 0)                      # (S, ..., R)
        population = state.equalisation_population
        level = self.standard._level(state, by_source)                # (S, ..., 1)
        per_head = by_source / population                             # (S, ..., R)
        theta = np.array([[option.get(name, 1.0) for name in names] for option in self.inclusion])
        # g(theta) = fraction x sum_s theta_s L_s - sum_s theta_s c_s, option by option (a
        # loop over options, never regions), so that a swept fraction, whose leading axis
        # lines up with the data's leading axes, never meets the source axis
        gaps = [self.standard.fraction * np.tensordot(row, level, axes=1)
                - np.tensordot(row, per_head, axes=1) for row in theta]
        return np.stack(np.broadcast_arrays(*gaps))                   # (K, ..., R)

    def apply(self, state: FiscalState) -> FiscalState:
        best = self.option_gaps(state).max(axis=0)
        transfer = self.rate * np.maximum(0.0, best) * state.equalisation_population
        return state.with_transfer(state.unique_label(self.display_label), transfer)
