"""Results of a run: arrays kept, tidy frames on demand."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .. import metrics
from ..errors import ConfigurationError
from ..federation import Federation
from ..state import FiscalState
from .system import EngineInputs, System, simulate

__all__ = ["Result", "run", "horizontal_flows"]


def horizontal_flows(state: FiscalState) -> np.ndarray:
    """Money paid by regions into the system ``(...,)``.

    The sum of the negative parts of each region's net transfer (all steps
    together): what net-contributing regions pay so that others receive.  For
    a purely horizontal system it equals the sum of positive transfers; a
    centre-funded gap-fill has none.
    """
    return np.maximum(0.0, -state.total_transfers).sum(axis=-1)


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

    @cached_property
    def assessed_need(self) -> np.ndarray | None:
        """The needs model's overall need index ``(years, R)`` for these regions
        (population-weighted mean 1 each year), or None if no needs model covers
        them (:mod:`simulator.needs`: the 12 UK nations and regions, English
        authorities).  Each year's category mix weights the categories; years
        outside the expenditure data use the latest."""
        from ..needs.lookup import need_index_for

        fed = self.federation
        try:
            need = np.stack([need_index_for(fed.codes, year) for year in fed.years])
        except LookupError:
            return None
        population = np.broadcast_to(self.state.population, self.state.shape)
        population = population.reshape(-1, len(fed.years), fed.n_regions)[0]
        return need * population.sum(-1, keepdims=True) / (need * population).sum(-1, keepdims=True)

    def need_adjusted_index(self, baseline: bool = False) -> np.ndarray | None:
        """Resources per head relative to assessed need ``(years, R)``:

            100 x (x_i / xbar) / n_i

        x resources per head, xbar its population-weighted average, n the
        assessed need index (mean 1).  100 = funded exactly at assessed need;
        above 100 funded above need.  None without a needs model."""
        need = self.assessed_need
        if need is None:
            return None
        state = self.baseline if baseline else self.state
        shape = need.shape
        population = np.broadcast_to(state.population, state.shape).reshape(-1, *shape)[0]
        resources = np.broadcast_to(state.resources, state.shape).reshape(-1, *shape)[0]
        per_head = resources / population
        average = resources.sum(-1, keepdims=True) / population.sum(-1, keepdims=True)
        return 100 * per_head / average / need

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
            "resources_index": _index(per_head, average).ravel(),
            f"baseline_per_head_{cur}": baseline_per_head.ravel(),
            f"change_per_head_{cur}": (per_head - baseline_per_head).ravel(),
        })
        if self.assessed_need is not None and len(self.state.shape) <= 2:
            columns["assessed_need_index"] = 100 * self.assessed_need.ravel()
            columns["need_adjusted_index"] = self.need_adjusted_index().ravel()
            columns["baseline_need_adjusted_index"] = self.need_adjusted_index(baseline=True).ravel()
        return pd.DataFrame(columns)

    def summary(self) -> pd.DataFrame:
        """One row per year: cost, flows, inequality before and after, gap closed.

        Columns (money in millions of the currency):

        - ``cost_to_centre_<cur>_m``: change in the centre's net outlay on the
          regions against the baseline (grants after adjustment + steps' net
          payments + devolved revenue forgone; see ``FiscalState.cost_to_centre``);
        - ``paid_by_centre_<cur>_m``: the steps' net cost to the centre;
        - ``horizontal_flows_<cur>_m``: what net-contributing regions pay in
          (:func:`horizontal_flows`);
        - ``gini``, ``theil``, ``cv`` (coefficient of variation) and
          ``max_min_ratio`` of resources per head, population-weighted,
          ``_before`` (the baseline) and ``_after``;
        - ``capacity_gap_before/after_<cur>_m``: population x per-head gap
          below the national average of fiscal capacity per head, before the
          steps (fiscal capacity) and after them (equalised capacity), and
          ``capacity_gap_closed``, the share of it closed
          (:func:`simulator.metrics.share_of_gap_closed`).
        """
        state, baseline, fed = self.state, self.baseline, self.federation
        cur = self.currency.lower()
        shape = (len(fed.years), fed.n_regions)

        def years(array) -> np.ndarray:
            return np.broadcast_to(array, shape)

        population = years(state.population)
        after = years(state.resources) / population
        before = years(baseline.resources) / years(baseline.population)
        capacity = years(state.fiscal_capacity) / population
        equalised = years(state.equalised_capacity) / population
        reference = metrics.weighted_mean(capacity, population)
        columns: dict[str, np.ndarray] = {
            "year": np.array(fed.years),
            f"cost_to_centre_{cur}_m": np.broadcast_to(
                state.cost_to_centre - baseline.cost_to_centre, shape[:1]) / 1e6,
            f"paid_by_centre_{cur}_m": np.broadcast_to(state.centre_paid_by_steps, shape[:1]) / 1e6,
            f"horizontal_flows_{cur}_m": np.broadcast_to(horizontal_flows(state), shape[:1]) / 1e6,
        }
        for name, function in (("gini", metrics.gini), ("theil", metrics.theil),
                               ("cv", metrics.coefficient_of_variation),
                               ("max_min_ratio", metrics.max_min_ratio)):
            columns[f"{name}_before"] = function(before, years(baseline.population))
            columns[f"{name}_after"] = function(after, population)
        columns[f"capacity_gap_before_{cur}_m"] = metrics.gap_below(capacity, population, reference) / 1e6
        columns[f"capacity_gap_after_{cur}_m"] = metrics.gap_below(equalised, population, reference) / 1e6
        columns["capacity_gap_closed"] = metrics.share_of_gap_closed(capacity, equalised, population)
        if self.assessed_need is not None and len(state.shape) <= 2 and len(baseline.shape) <= 2:
            # resources per head relative to assessed need: its Gini, and the distance from
            # need (population-weighted mean |index - 100|, index points)
            for when, index, weights in (("before", self.need_adjusted_index(baseline=True),
                                          years(baseline.population)),
                                         ("after", self.need_adjusted_index(), population)):
                columns[f"need_adjusted_gini_{when}"] = metrics.gini(index, weights)
                columns[f"distance_from_need_{when}"] = metrics.weighted_mean(
                    np.abs(index - 100.0), weights)
        return pd.DataFrame(columns)

    def marginal_equalisation_rates(self, tax: str | None = None) -> pd.DataFrame:
        """How much of an extra unit of own tax base each region loses.

        Each region's devolved revenue at standard rates (its fiscal capacity)
        is raised by a small amount delta_i, all regions at once on an added
        leading axis of size R (one ``simulate`` call; region k's slice
        perturbs region k only), and

            marginal_equalisation_rate_i = 1 - dResources_i / dCapacity_i

        (0: the region keeps every extra pound; 1: the system takes it all;
        above 1 it ends worse off).  With ``tax`` the base of that devolved
        tax rises; otherwise every devolved tax rises in proportion to its
        share of the region's capacity.  For a tax with a known base the base
        rises with the revenue, so the standard (national average) rate is
        unchanged.  The baseline is held fixed.  The loss is split into
        ``lost_via_block_grant`` (a per-capita adjustment that moves with
        devolved revenue), ``lost_via_own_rates`` (own-rate and base response)
        and ``lost_via: <step>`` columns, one per transfer; they add up to
        the rate.

        Raises:
            ConfigurationError: if nothing is devolved, or ``tax`` is not a
                devolved tax.
        """
        system, fed = self.system, self.federation
        devolved = {t: a for t, a in system.devolution.items() if a.share > 0}
        if not devolved:
            raise ConfigurationError(
                "marginal equalisation rates need a devolved tax, but the system devolves "
                "nothing (System.devolution is empty or all shares are 0)")
        if tax is not None and tax not in devolved:
            raise ConfigurationError(f"tax {tax!r} is not devolved in this system; devolved: "
                                     f"{', '.join(devolved)}")
        full = EngineInputs.from_federation(fed)
        # only devolved taxes enter the simulation: keep the perturbed copy small
        kept = [full.taxes.index(t) for t in devolved]
        inputs = EngineInputs(codes=full.codes, taxes=tuple(devolved), population=full.population,
                              revenue=full.revenue[..., kept, :],
                              tax_base={t: b for t, b in full.tax_base.items() if t in devolved},
                              indicators=full.indicators)
        n_regions = fed.n_regions
        revenue_bump, base_bump = _capacity_perturbation(inputs, devolved, tax,
                                                         np.asarray(self.state.fiscal_capacity))
        eye = np.eye(n_regions)
        perturbed = EngineInputs(
            codes=inputs.codes, taxes=inputs.taxes, population=inputs.population,
            revenue=inputs.revenue[None] + eye[:, None, None, :] * revenue_bump[None],
            tax_base={t: b[None] + eye[:, None, :] * base_bump[t][None] if t in base_bump
                      else b for t, b in inputs.tax_base.items()},
            indicators=inputs.indicators)
        moved = simulate(perturbed, system.model_copy(update={"devolution": devolved}),
                         baseline_resources=self.baseline.resources)
        state = self.state

        def own_change(after: np.ndarray, before: np.ndarray) -> np.ndarray:
            """Region k's change in slice k: the diagonal of (k, years, regions)."""
            after = np.broadcast_to(after, (n_regions,) + np.shape(before))
            return np.diagonal(after, axis1=0, axis2=-1) - before

        d_capacity = own_change(moved.fiscal_capacity, state.fiscal_capacity)
        with np.errstate(divide="ignore", invalid="ignore"):
            def per_unit(after, before):
                return own_change(after, before) / d_capacity

            kept = per_unit(moved.resources, state.resources)
            shape = kept.shape
            columns = {
                "year": np.repeat(np.array(fed.years), n_regions),
                "code": np.tile(np.array(fed.codes), len(fed.years)),
                "region": np.tile(np.array(fed.names), len(fed.years)),
                "marginal_equalisation_rate": (1.0 - kept).ravel(),
                "kept_per_unit": kept.ravel(),
                "lost_via_block_grant": (-per_unit(moved.block_grant, state.block_grant)).ravel(),
                "lost_via_own_rates": (1.0 - per_unit(moved.own_revenue, state.own_revenue)).ravel(),
            }
            for (label, amount), (_, moved_amount) in zip(state.transfers, moved.transfers):
                columns[f"lost_via: {label}"] = np.broadcast_to(
                    -per_unit(moved_amount, amount), shape).ravel()
        return pd.DataFrame(columns)


def _capacity_perturbation(inputs: EngineInputs, devolved: dict, tax: str | None,
                           capacity: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Revenue bump ``(years, taxes, R)`` and base bumps (tax -> ``(years, R)``) that
    raise each region's capacity by delta_i = 1 + 1e-6 |capacity_i| (small
    against the region, large against rounding)."""
    revenue = np.asarray(inputs.revenue, float)
    delta = 1.0 + 1e-6 * np.abs(capacity)
    by_tax = {}
    rates = {}
    for name, assignment in devolved.items():  # loop over taxes, never regions
        raised = revenue[..., inputs.taxes.index(name), :]
        if name in inputs.tax_base:
            base = np.asarray(inputs.tax_base[name], float)
            rates[name] = raised.sum(-1, keepdims=True) / base.sum(-1, keepdims=True)
            standard = rates[name] * base
        else:
            standard = raised
        by_tax[name] = assignment.share * np.abs(standard)
    if tax is not None:
        weights = {name: np.full_like(delta, float(name == tax)) for name in devolved}
    else:
        total = sum(by_tax.values())
        weights = {name: np.where(total > 0, by_tax[name] / np.where(total > 0, total, 1.0),
                                  1.0 / len(devolved)) for name in devolved}
    revenue_bump = np.zeros(revenue.shape)
    base_bump = {}
    for name, assignment in devolved.items():
        bump = delta * weights[name] / assignment.share
        revenue_bump[..., inputs.taxes.index(name), :] = bump
        if name in rates:
            rate = rates[name]
            base_bump[name] = bump / np.where(rate != 0, rate, 1.0)
    return revenue_bump, base_bump


def _index(per_head: np.ndarray, average: np.ndarray) -> np.ndarray:
    """100 x per head / average; NaN (undefined) where the average is not a positive
    level (at most 0, or rounding noise: :data:`simulator.metrics.NOISE_FLOOR`)."""
    average = np.broadcast_to(average, per_head.shape[:-1] + (1,))
    level = metrics._meaningful_mean(average[..., 0], per_head)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(level, 100 * per_head / np.where(level, average, 1.0), np.nan)


def run(federation: Federation, system: System, baseline: System | None = None) -> Result:
    """Run ``system`` on ``federation``; compare with ``baseline``.

    The default baseline is the status quo: nothing devolved, no steps, the
    same block grant.  The baseline's resources are handed to the system as
    ``state.baseline_resources`` (what ``change_limits`` and ``no_worse_off``
    protect).
    """
    from ..quantities import block_grant_unit_problem

    for each in (system, baseline):
        problem = block_grant_unit_problem(each.block_grant if each else None,
                                           dict(federation.units))
        if problem:
            raise ConfigurationError(problem)
    inputs = EngineInputs.from_federation(federation)
    if baseline is None:
        baseline = System(block_grant=system.block_grant, need_index=system.need_index)
    baseline_state = simulate(inputs, baseline)
    return Result(federation=federation, system=system,
                  state=simulate(inputs, system, baseline_resources=baseline_state.resources),
                  baseline=baseline_state)
