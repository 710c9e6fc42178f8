"""An equalisation system (tax assignment + ordered steps) and how to run it."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, field_validator

from ..errors import ConfigurationError
from ..federation import Federation
from ..steps._numerics import blockwise
from ..steps.base import Step, step_from_dict
from .devolution import TaxDevolution, devolve
from ..state import FiscalState, broadcast_readonly, broadcast_shape

__all__ = ["System", "EngineInputs", "initial_state", "simulate", "BlockGrantAdjustment"]

BlockGrantAdjustment = Literal["per_capita", "own_revenue", "none"]


class System(BaseModel):
    """A fiscal settlement: which taxes are devolved, and the equalisation steps.

    Resources of region i:

        resources_i = G_i - BGA_i + own_revenue_i + sum_k T_k,i

    where G_i is today's grant (the ``block_grant`` indicator of the dataset,
    or 0), BGA_i the block grant adjustment that returns the devolved revenue
    to the centre, and T_k,i the transfer of step k.  The static levels
    deduction comes in two forms:

    - ``per_capita``: BGA_i = L x P_i / sum(P), L the revenue the centre gives
      up; the centre is made whole and each region keeps its own fiscal
      capacity gap, which equalisation then addresses.
    - ``own_revenue``: BGA_i = L_i, the region's own devolved revenue (the
      Scottish fiscal framework's year-0 deduction): no region gains or loses
      on the day of devolution.
    - ``none``: the centre absorbs the loss.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    devolution: dict[str, TaxDevolution] = Field(
        default_factory=dict, description="Tax family -> devolved share (or full assignment).")
    block_grant: str | None = Field(
        None, description="Dataset indicator holding today's grant per region (e.g. "
        "'identifiable_expenditure'); none means resources start at zero.")
    block_grant_adjustment: BlockGrantAdjustment = Field(
        "per_capita", description="How the centre recovers devolved revenue from block grants.")
    need_index: str | None = Field(
        None, description="Dataset indicator used as the per-head need index (mean 1).")
    steps: list[SerializeAsAny[Step]] = Field(
        default_factory=list, description="Equalisation steps, applied in order.")

    @field_validator("steps", mode="before")
    @classmethod
    def _build_steps(cls, steps: Any) -> Any:
        return [step_from_dict(s) for s in steps] if isinstance(steps, (list, tuple)) else steps


@dataclass(frozen=True, eq=False)
class EngineInputs:
    """Arrays the engine runs on; leading axes broadcast, regions last.

    Built from a :class:`Federation` by :meth:`from_federation` (leading axis =
    years); Monte-Carlo and sweep code may build it with more leading axes.
    """

    codes: tuple[str, ...]
    taxes: tuple[str, ...]
    population: np.ndarray                  # (..., R)
    revenue: np.ndarray                     # (..., T, R)
    tax_base: Mapping[str, np.ndarray] = field(default_factory=dict)
    indicators: Mapping[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def from_federation(cls, federation: Federation) -> "EngineInputs":
        return cls(codes=federation.codes, taxes=federation.taxes,
                   population=federation.population, revenue=federation.revenue,
                   tax_base=dict(federation.tax_base), indicators=dict(federation.indicators))


def initial_state(inputs: EngineInputs, system: System,
                  baseline_resources: np.ndarray | None = None) -> FiscalState:
    """Devolve the taxes and adjust block grants; no step applied yet.

    ``baseline_resources`` (``(..., R)``, broadcast) are the resources each
    region had under the baseline; by default today's grant.
    """
    capacity, own, lost, by_tax = devolve(inputs.codes, inputs.taxes, inputs.revenue,
                                          inputs.tax_base, system.devolution)
    population = np.asarray(inputs.population, dtype=float)
    shape = broadcast_shape(capacity.shape, population.shape)
    population_total = np.add.reduce(population, axis=-1, keepdims=True)  # = .sum()
    # read-only views where an input does not vary along the leading axes
    # (0 + x is x: the same numbers as np.zeros(shape) + x, without the copy)
    grant = np.asarray(indicator_values(inputs, system.block_grant, default=0.0), dtype=float)
    grant = broadcast_readonly(grant, broadcast_shape(shape, grant.shape))
    if system.block_grant_adjustment == "per_capita":
        # G - L x P / sum(P), operation by operation into one new array
        lost_total = np.add.reduce(lost, axis=-1, keepdims=True)
        # (grant is already at the broadcast shape of everything here)
        block_grant = blockwise(_per_capita_adjusted, np.empty(grant.shape), grant, lost_total,
                                population, population_total)
    elif system.block_grant_adjustment == "own_revenue":
        block_grant = grant - lost
    else:
        block_grant = grant - 0.0  # as G - zeros(shape): grant is already of shape
    if system.need_index is None:
        # a need index of 1 has a population-weighted mean of 1 already
        need = _readonly(np.ones(population.shape), shape)
    else:
        need = np.asarray(indicator_values(inputs, system.need_index, default=1.0), dtype=float)
        need = broadcast_readonly(need, broadcast_shape(need.shape, population.shape))
        weighted = (need * population).sum(-1, keepdims=True)
        if (need < 0).any() or not (weighted > 0).all():
            raise ConfigurationError(
                f"need index {system.need_index!r} must be >= 0 for every region with a "
                "positive population-weighted total (it is rescaled to a mean of 1); it has "
                + ("negative values" if (need < 0).any() else "a total of 0"))
        need = need * population_total / weighted
        need = broadcast_readonly(need, broadcast_shape(shape, need.shape))
    baseline = grant if baseline_resources is None else np.asarray(baseline_resources, float)
    try:
        baseline = broadcast_readonly(baseline, shape)
    except ValueError:
        raise ConfigurationError(
            f"baseline resources of shape {np.shape(baseline_resources)} do not match the "
            f"federation's shape {shape} (leading axes..., regions)") from None
    population = broadcast_readonly(population, shape)
    # devolve's arrays are the engine's own (new arrays, or new views of the
    # revenue): made read-only in place rather than through a view each
    return FiscalState(
        codes=inputs.codes, population=population, equalisation_population=population,
        fiscal_capacity=_readonly(capacity, shape), own_revenue=_readonly(own, shape),
        block_grant=block_grant, baseline_resources=baseline,
        need_index=need, indicators=inputs.indicators,
        revenue_forgone_by_centre=_readonly(lost, shape),
        capacity_by_tax=by_tax.then(functools.partial(_readonly, shape=shape)))


def simulate(inputs: EngineInputs, system: System, *,
             baseline_resources: np.ndarray | None = None) -> FiscalState:
    """Run every step of ``system`` in order and return the final state.

    Args:
        inputs: arrays with any leading axes, regions last.
        system: tax assignment and ordered steps.
        baseline_resources: resources under the baseline ``(..., R)`` that
            steps such as ``change_limits`` and ``no_worse_off`` compare
            against; by default today's grant (the status quo with nothing
            devolved).  :func:`run` passes the baseline system's resources.
    """
    state = initial_state(inputs, system, baseline_resources)
    for step in system.steps:  # loop over steps, never regions
        state = step.apply(state)
    return state


def _per_capita_adjusted(out, grant, lost_total, population, population_total) -> None:
    """G - L x P / sum(P) into ``out`` (see :func:`~simulator.steps._numerics.blockwise`)."""
    np.multiply(lost_total, population, out=out)
    np.divide(out, population_total, out=out)
    np.subtract(grant, out, out=out)


def _readonly(array: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """An array the engine made, read-only, broadcast to ``shape`` (a view only if
    its shape differs)."""
    if array.shape != shape:
        return np.broadcast_to(array, shape)
    array.flags.writeable = False
    return array


def indicator_values(inputs: EngineInputs, name: str | None,
                     default: float) -> np.ndarray | float:
    """Indicator ``name`` as a float array (``default`` when ``name`` is None); raises
    ``ConfigurationError`` for an indicator not in the data or not published for every
    region and year, naming the regions."""
    if name is None:
        return default
    if name not in inputs.indicators:
        raise ConfigurationError(
            f"indicator {name!r} is not in the dataset; known: {', '.join(sorted(inputs.indicators))}")
    values = np.asarray(inputs.indicators[name], dtype=float)
    missing = np.isnan(values)
    if missing.any():
        codes = np.array(inputs.codes)[missing.reshape(-1, len(inputs.codes)).any(axis=0)]
        raise ConfigurationError(f"indicator {name!r} is not published for every region and year; "
                                 f"missing for {', '.join(codes)}")
    return values
