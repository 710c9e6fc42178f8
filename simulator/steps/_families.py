"""Fiscal capacity by tax family (revenue source), for steps that treat sources differently."""

from __future__ import annotations

from typing import Iterable

import numpy as np

from ..errors import ConfigurationError
from ..state import FiscalState

__all__ = ["family_capacities"]


def family_capacities(state: FiscalState, families: Iterable[str] | None, *,
                      step: str) -> tuple[list[str], np.ndarray]:
    """The named families' capacities stacked as ``(..., F, R)`` (all devolved ones if None).

    Raises ``ConfigurationError`` naming the step if the state carries no capacity by
    family (built without the engine), a family is not devolved, or the families no
    longer add up to ``fiscal_capacity`` (a wrapper changed fiscal capacity only).
    """
    by_tax = state.capacity_by_tax
    if not by_tax:
        raise ConfigurationError(
            f"{step} needs fiscal capacity by tax family: devolve at least one tax and run "
            "the step through the engine (System / simulate)")
    names = list(by_tax) if families is None else list(families)
    unknown = [name for name in names if name not in by_tax]
    if unknown:
        raise ConfigurationError(
            f"{step}: tax family {unknown[0]!r} is not devolved; devolved: {', '.join(by_tax)}")
    shape = np.shape(state.fiscal_capacity)
    total = sum(np.broadcast_to(part, shape) for part in by_tax.values())
    scale = np.abs(state.fiscal_capacity).max(axis=-1, keepdims=True) + 1.0
    if not (np.abs(total - state.fiscal_capacity) <= 1e-9 * scale).all():
        raise ConfigurationError(
            f"{step}: fiscal capacity no longer equals the sum of its tax families (an earlier "
            "wrapper such as 'lagged' changed fiscal capacity only); apply the lag to the data "
            "instead (simulator.over_time.lagging.lag_federation)")
    return names, np.stack([np.broadcast_to(by_tax[name], shape) for name in names], axis=-2)
