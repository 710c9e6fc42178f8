"""Results of a run: arrays kept, tidy frames on demand."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..federation import Federation
from ..state import FiscalState
from .system import EngineInputs, System, simulate

__all__ = ["Result", "run"]


@dataclass(frozen=True, eq=False)
class Result:
    """The outcome of one system on one federation, against a baseline.

    ``state`` and ``baseline`` are the final fiscal states (arrays with years
    first, regions last).  ``by_region`` and ``summary`` turn them into tidy
    frames for display.
    """

    federation: Federation
    system: System
    state: FiscalState
    baseline: FiscalState

    @property
    def currency(self) -> str:
        return self.federation.currency

    @property
    def resources_per_head(self) -> np.ndarray:
        return self.state.resources / self.state.population

    @property
    def baseline_resources_per_head(self) -> np.ndarray:
        return self.baseline.resources / self.baseline.population

    def by_region(self) -> pd.DataFrame:
        """One row per year and region; money in currency units (``_m`` = millions)."""
        state, fed = self.state, self.federation
        n_years, n_regions = state.population.shape[-2:] if state.population.ndim >= 2 else (1, fed.n_regions)
        population = state.population.reshape(n_years, n_regions)

        def flat(array: np.ndarray) -> np.ndarray:
            return np.broadcast_to(array, population.shape).ravel()

        cur = self.currency.lower()
        resources = state.resources.reshape(population.shape)
        per_head = resources / population
        average = resources.sum(-1, keepdims=True) / population.sum(-1, keepdims=True)
        baseline_per_head = (self.baseline.resources / self.baseline.population).reshape(population.shape)
        columns = {
            "year": np.repeat(np.array(fed.years), n_regions),
            "code": np.tile(np.array(fed.codes), n_years),
            "region": np.tile(np.array(fed.names), n_years),
            "population": population.ravel(),
            f"fiscal_capacity_{cur}_m": flat(state.fiscal_capacity) / 1e6,
            f"own_revenue_{cur}_m": flat(state.own_revenue) / 1e6,
            f"block_grant_{cur}_m": flat(state.block_grant) / 1e6,
        }
        for label, amount in state.transfers:
            columns[f"{label} ({cur} m)"] = flat(amount) / 1e6
        columns.update({
            f"resources_{cur}_m": resources.ravel() / 1e6,
            f"resources_per_head_{cur}": per_head.ravel(),
            "resources_index": (100 * per_head / average).ravel(),
            f"baseline_per_head_{cur}": baseline_per_head.ravel(),
            f"change_per_head_{cur}": (per_head - baseline_per_head).ravel(),
        })
        return pd.DataFrame(columns)


def run(federation: Federation, system: System, baseline: System | None = None) -> Result:
    """Run ``system`` on ``federation``; compare with ``baseline``.

    The default baseline is the status quo: nothing devolved, no steps, the
    same block grant.
    """
    inputs = EngineInputs.from_federation(federation)
    if baseline is None:
        baseline = System(block_grant=system.block_grant, need_index=system.need_index)
    return Result(federation=federation, system=system, state=simulate(inputs, system),
                  baseline=simulate(inputs, baseline))
