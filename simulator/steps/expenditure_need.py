"""A pool shared by assessed spending need (a need-weighted per-head share)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from ..state import FiscalState
from .base import Step, param, region_values


#: the ``weights`` parameter of the need steps: category -> factor -> weight
NeedsWeights = dict[str, dict[str, Annotated[float, Field(ge=0.0, le=1.0)]]]


def weights_param():
    return param(None, description="Needs model weights, category -> factor -> share of the "
                 "category's spending that varies with the factor (0-1, each category's sum "
                 "<= 1); a category named replaces its default row, the others keep the documented "
                 "defaults (docs/needs.md).", unit="share (0-1)")


def model_need(state: FiscalState, need_index, year: str | None, name: str,
               weights=None) -> np.ndarray:
    """The need index ``(..., R)`` a step uses: ``need_index`` (region -> index) if given,
    else the needs model (:mod:`simulator.needs`) for the state's regions, with
    ``weights`` if given; rescaled to a population-weighted mean of 1."""
    from ..errors import ConfigurationError

    if need_index is not None:
        need = region_values(state, need_index, name=name)
    else:
        from ..needs.lookup import need_index_for

        try:
            need = need_index_for(state.codes, year, weights=weights, strict=True)
        except LookupError as error:
            raise ConfigurationError(f"{name}: {error}; give '{name}' (region code -> index)") from None
        except ValueError as error:
            raise ConfigurationError(f"weights: {error}") from None
    population = state.population
    need = need + np.zeros(population.shape)
    return need * population.sum(-1, keepdims=True) / (need * population).sum(-1, keepdims=True)


class ModelNeedPool(Step):
    """What the pools shared by assessed need have in common (not a step itself: it
    has no ``type``): the pool as ``amount`` or ``pool_per_head`` (each subclass
    declares both, with its own wording), the need from ``need_index`` or the
    representative expenditure model, its year and weights."""

    need_index: dict[str, Annotated[float, Field(gt=0)]] | None = param(
        None, description="Region code -> need index (every region); default: the "
        "representative expenditure model (simulator.needs).", unit="index (mean 1)")
    year: str | None = param(None, description="Financial year whose spending mix weights the "
                             "categories of the needs model (default: latest, 2024-25).",
                             unit="financial year", pattern=r"^\d{4}-\d{2}$")
    weights: NeedsWeights | None = weights_param()

    @model_validator(mode="after")
    def _one_pool(self):
        if (self.amount is None) == (self.pool_per_head is None):
            raise ValueError("give exactly one of 'amount' and 'pool_per_head'")
        return self

    def pool(self, state: FiscalState) -> np.ndarray:
        """The pool ``(..., 1)``: ``amount``, or ``pool_per_head`` x total population."""
        if self.amount is not None:
            return np.full(state.population.shape[:-1] + (1,), float(self.amount))
        return self.pool_per_head * state.population.sum(axis=-1, keepdims=True)

    def need(self, state: FiscalState) -> np.ndarray:
        """The need index ``(..., R)``, population-weighted mean 1 (:func:`model_need`)."""
        return model_need(state, self.need_index, self.year, "need_index", self.weights)


class ExpenditureNeed(ModelNeedPool):
    """Share a pool in proportion to assessed spending need.

        G_i = pool x n_i x P_i / sum_j (n_j x P_j)

    P is the population, ``pool`` is ``amount`` or ``pool_per_head`` x total
    population, n the overall need index of the representative expenditure
    model (:mod:`simulator.needs`: assessed spending per head by service
    category, from age structure, deprivation, sparsity and wage costs, as a
    ratio to the UK average; population-weighted mean 1), or ``need_index`` if
    given.  Every region gets the same amount per unit of need; own revenue
    is not counted (that is ``fiscal_equalisation``).  The centre pays.

    Real system: needs-based block grants: the Holtham Commission's (2010)
    needs-based formula for Wales; the Scottish Government's NHS Resource
    Allocation (NRAC) and England's Fair Funding needs shares.
    """

    reference: ClassVar[str] = ("Holtham Commission, Fairness and accountability (2010), ch. 3; "
                                "CGC assessment of expenses")
    real_system: ClassVar[str] = "Wales: needs-based funding formula (Holtham)"
    title: ClassVar[str] = "Expenditure need"

    type: Literal["expenditure_need"] = "expenditure_need"
    amount: float | None = param(None, description="Pool shared among the regions (give this "
                                 "or pool_per_head).", unit="currency", ge=0.0)
    pool_per_head: float | None = param(None, description="Pool per head of the whole "
                                        "population (give this or amount).",
                                        unit="currency per head", ge=0.0)
    def apply(self, state: FiscalState) -> FiscalState:
        need = self.need(state)
        weight = need * state.population
        transfer = self.pool(state) * weight / weight.sum(-1, keepdims=True)
        return state.with_transfer(state.unique_label(self.display_label), transfer)
