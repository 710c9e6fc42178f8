"""Weighted inhabitants for per-head measures (Germany's FAG s.9)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from ..state import FiscalState
from .base import Step, param, region_values


class WeightPopulation(Step):
    """Count some regions' inhabitants with a weight in later per-head formulas.

        P^eq_i = w_i x P_i      (w_i = 1 for regions not named)

    Every later step measures per head, and sets standards, on ``P^eq``
    (``state.equalisation_population``); reporting (resources per head) keeps
    the real population.  The weight always applies to the real population,
    so a second ``weight_population`` step replaces the first rather than
    compounding it.

    The step moves no money, so it adds **no** transfer entry (results show
    no column for it) and costs the centre nothing.

    Real system: Germany (FAG s.9): the city states Berlin, Bremen and Hamburg
    count 135% of their inhabitants (``{BE: 1.35, HB: 1.35, HH: 1.35}``); for
    municipal taxes also MV 105%, BB 103%, ST 102%.
    """

    reference: ClassVar[str] = "FAG 2005 s.9 (Einwohnerwertung)"
    real_system: ClassVar[str] = "Germany: weighted inhabitants of the city states"
    title: ClassVar[str] = "Weighted population"

    type: Literal["weight_population"] = "weight_population"
    weights: dict[str, Annotated[float, Field(gt=0)]] = param(
        {}, description="Region code -> weight on its inhabitants (others count 1), "
        "e.g. {BE: 1.35, HB: 1.35, HH: 1.35}.", unit="weight", json_schema_extra={"minimum": 0})

    def apply(self, state: FiscalState) -> FiscalState:
        weights = region_values(state, self.weights, name="weights", default=1.0)
        return state.replace(equalisation_population=state.population * weights)
