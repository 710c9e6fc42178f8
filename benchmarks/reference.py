"""A straightforward loop reference: plain Python floats, one region at a time.

It implements the same formulas as the engine for the steps the benchmarks
use (tax devolution with the representative tax system, the block grant and
its adjustment, ``gap_fill`` and ``horizontal_funding`` with a national
average standard), so the benchmarks can (1) time what the engine replaces and
(2) check the engine's numbers.  It is kept here, inside the benchmarks, on
purpose: it is *not* part of the simulator, and it refuses anything it does
not implement rather than guess.

Inputs are converted to plain lists before timing (:func:`cells`), as the
engine's inputs are prepared arrays; :func:`simulate_cell` then runs one
year (one draw, one sweep point) with ``for`` loops over taxes and regions.
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

__all__ = ["system_spec", "with_step_rate", "cells", "simulate_cell", "simulate_cells",
           "engine_cell", "compare"]


# ---------------------------------------------------------------- the system, as plain data
def system_spec(system) -> dict[str, Any]:
    """The system as plain Python values; raises ``NotImplementedError`` for
    anything the reference does not implement."""
    from simulator.steps.gap_fill import GapFill
    from simulator.steps.horizontal_funding import HorizontalFunding

    if system.need_index is not None:
        raise NotImplementedError("the loop reference does not use a need index")
    devolution = []
    for tax, assignment in system.devolution.items():
        if assignment.share == 0:
            continue
        devolution.append({"tax": tax, "share": float(assignment.share),
                           "rate_change": assignment.rate_change,
                           "elasticity": float(assignment.base_elasticity)})
    steps = []
    for step in system.steps:
        standard = step.standard
        if standard.kind != "national_average":
            raise NotImplementedError(f"standard kind {standard.kind!r}")
        if isinstance(step, GapFill):
            steps.append({"type": "gap_fill", "rate": _scalar(step.rate),
                          "fraction": float(standard.fraction), "measure": step.measure,
                          "after_transfer": bool(getattr(step, "standard_after_transfer", False))})
        elif isinstance(step, HorizontalFunding):
            if step.scope != "all":
                raise NotImplementedError("horizontal_funding with a scope other than 'all'")
            steps.append({"type": "horizontal_funding", "share": float(step.effective_share),
                          "fraction": float(standard.fraction), "measure": step.measure})
        else:
            raise NotImplementedError(f"step type {step.type!r}")
    return {"devolution": devolution, "block_grant": system.block_grant,
            "adjustment": system.block_grant_adjustment, "steps": steps}


def _scalar(value) -> float | None:
    """A float, or None when the engine is given an array (a sweep): the
    reference then takes the rate per point from :func:`with_step_rate`."""
    return float(value) if np.ndim(value) == 0 else None


def with_step_rate(spec: dict[str, Any], step: int, rate: float) -> dict[str, Any]:
    """``spec`` with step ``step``'s rate set to ``rate`` (one sweep point)."""
    steps = list(spec["steps"])
    steps[step] = {**steps[step], "rate": float(rate)}
    return {**spec, "steps": steps}


# ---------------------------------------------------------------- inputs, as plain lists
def cells(inputs, spec: dict[str, Any], indices: Iterable[tuple[int, ...]]) -> list[dict]:
    """Plain-list inputs of the leading-axis cells ``indices`` (years, draws, points).

    Each cell: ``population`` [R], ``revenue`` {tax: [R]}, ``base`` {tax: [R]}
    (taxes with a known base) and ``grant`` [R] or None.
    """
    lead = np.broadcast_shapes(np.shape(inputs.population)[:-1], np.shape(inputs.revenue)[:-2])
    n_regions = len(inputs.codes)

    def at(array, index):
        return np.broadcast_to(np.asarray(array, float), lead + (n_regions,))[index].tolist()

    out = []
    for index in indices:
        revenue, base = {}, {}
        for item in spec["devolution"]:
            tax = item["tax"]
            revenue[tax] = at(np.asarray(inputs.revenue)[..., inputs.taxes.index(tax), :], index)
            if tax in inputs.tax_base:
                base[tax] = at(inputs.tax_base[tax], index)
        grant = (None if spec["block_grant"] is None
                 else at(inputs.indicators[spec["block_grant"]], index))
        rate_changes = {}
        for item in spec["devolution"]:
            change = item["rate_change"]
            rate_changes[item["tax"]] = (
                [float(change.get(code, 0.0)) for code in inputs.codes]
                if isinstance(change, dict) else [float(change)] * n_regions)
        out.append({"population": at(inputs.population, index), "revenue": revenue, "base": base,
                    "grant": grant, "rate_change": rate_changes})
    return out


# ---------------------------------------------------------------- the loop
def simulate_cell(cell: dict, spec: dict[str, Any]) -> dict[str, Any]:
    """One year / draw / point, region by region (plain floats and loops)."""
    population = cell["population"]
    n = len(population)
    total_population = 0.0
    for i in range(n):
        total_population += population[i]

    # tax devolution: representative tax system capacity, own revenue, centre's loss
    capacity = [0.0] * n
    own = [0.0] * n
    lost = [0.0] * n
    for item in spec["devolution"]:
        tax, share, elasticity = item["tax"], item["share"], item["elasticity"]
        raised = cell["revenue"][tax]
        base = cell["base"].get(tax)
        if base is not None:
            raised_total = 0.0
            base_total = 0.0
            for i in range(n):
                raised_total += raised[i]
                base_total += base[i]
            rate = raised_total / base_total
        changes = cell["rate_change"][tax]
        for i in range(n):
            standard = rate * base[i] if base is not None else raised[i]
            growth = 1.0 + changes[i]
            response = growth ** (-elasticity)
            capacity[i] += share * standard * response
            own[i] += share * raised[i] * growth * response
            lost[i] += share * raised[i]

    # block grant after the adjustment
    grant = cell["grant"] if cell["grant"] is not None else [0.0] * n
    block_grant = [0.0] * n
    if spec["adjustment"] == "per_capita":
        lost_total = 0.0
        for i in range(n):
            lost_total += lost[i]
        for i in range(n):
            block_grant[i] = grant[i] - lost_total * population[i] / total_population
    elif spec["adjustment"] == "own_revenue":
        for i in range(n):
            block_grant[i] = grant[i] - lost[i]
    else:
        for i in range(n):
            block_grant[i] = grant[i]

    transfers: list[list[float]] = []
    paid: list[float] = []
    received = [0.0] * n  # sum of the transfers so far, region by region
    for step in spec["steps"]:
        measure = [0.0] * n
        for i in range(n):
            measure[i] = capacity[i] + received[i]
            if step["measure"] == "resources":
                measure[i] = block_grant[i] + own[i] + received[i]
        if step["type"] == "gap_fill":
            transfer = _gap_fill(step, measure, population, total_population)
        else:
            transfer = _horizontal_funding(step, measure, received, paid, population,
                                           total_population)
        total = 0.0
        for i in range(n):
            total += transfer[i]
            received[i] += transfer[i]
        transfers.append(transfer)
        paid.append(total)

    resources = [block_grant[i] + own[i] + received[i] for i in range(n)]
    cost = 0.0
    scale = 0.0  # size of the terms of the cost, to judge a difference against
    for i in range(n):
        cost += block_grant[i] + lost[i]
        scale += abs(block_grant[i]) + abs(lost[i])
    for amount in paid:
        cost += amount
        scale += abs(amount)
    return {"fiscal_capacity": capacity, "own_revenue": own, "block_grant": block_grant,
            "transfers": transfers, "resources": resources, "cost_to_centre": cost,
            "cost_scale": scale}


def _gap_fill(step, measure, population, total_population) -> list[float]:
    """T_i = rate x max(0, S - c_i) x P_i, S = fraction x national average."""
    n = len(measure)
    rate, fraction = step["rate"], step["fraction"]
    total = 0.0
    for i in range(n):
        total += measure[i]
    if step["after_transfer"]:
        standard = _standard_after_transfer(measure, population, total, fraction, rate)
    else:
        standard = fraction * (total / total_population)
    transfer = [0.0] * n
    for i in range(n):
        gap = standard - measure[i] / population[i]
        transfer[i] = rate * (gap if gap > 0.0 else 0.0) * population[i]
    return transfer


def _standard_after_transfer(measure, population, total, fraction, rate) -> float:
    """S = fraction x (total + rate x sum_j max(0, S - c_j) P_j) / sum_j P_j.

    The right side minus S is decreasing in S; walk the regions in order of
    per-head measure to the segment where it changes sign, and solve there.
    """
    n = len(measure)
    per_head = sorted((measure[i] / population[i], population[i]) for i in range(n))
    slope = 0.0
    for _, weight in per_head:
        slope += weight
    slope /= fraction
    below_weight = 0.0   # rate x population of regions left of the candidate
    below_sum = 0.0      # rate x sum of their measure
    for value, weight in per_head:
        h = below_weight * value - below_sum - value * slope + total
        if h <= 0.0:
            break
        below_weight += rate * weight
        below_sum += rate * weight * value
    return (total - below_sum) / (slope - below_weight)


def _horizontal_funding(step, measure, received, paid, population, total_population) -> list[float]:
    """Regions above the standard pay a uniform share u of their per-head excess."""
    n = len(measure)
    cost = 0.0
    for amount in paid:
        cost += amount
    to_fund = step["share"] * (cost if cost > 0.0 else 0.0)
    basis = [measure[i] - received[i] for i in range(n)]
    total = 0.0
    for i in range(n):
        total += basis[i]
    standard = step["fraction"] * (total / total_population)
    excess = [0.0] * n
    total_excess = 0.0
    for i in range(n):
        above = basis[i] / population[i] - standard
        excess[i] = (above if above > 0.0 else 0.0) * population[i]
        total_excess += excess[i]
    uniform = min(1.0, to_fund / total_excess) if total_excess > 0.0 else 0.0
    return [-uniform * excess[i] for i in range(n)]


def simulate_cells(cell_list: list[dict], specs: list[dict] | dict) -> list[dict]:
    """Run every cell (with its own spec when a list is given: sweep points)."""
    if isinstance(specs, dict):
        return [simulate_cell(cell, specs) for cell in cell_list]
    return [simulate_cell(cell, spec) for cell, spec in zip(cell_list, specs)]


# ---------------------------------------------------------------- checking
def engine_cell(state, index: tuple[int, ...]) -> dict[str, Any]:
    """The engine's numbers for one leading-axis cell, in the reference's layout."""
    shape = np.shape(state.resources)

    def at(array):
        return np.broadcast_to(np.asarray(array, float), shape)[index]

    lead = shape[:-1]
    return {"fiscal_capacity": at(state.fiscal_capacity), "own_revenue": at(state.own_revenue),
            "block_grant": at(state.block_grant),
            "transfers": [at(amount) for _, amount in state.transfers],
            "resources": at(state.resources),
            "cost_to_centre": float(np.broadcast_to(state.cost_to_centre, lead)[index])}


def compare(engine: list[dict], loop: list[dict]) -> float:
    """Largest relative difference between the engine and the loop.

    For a per-region quantity, relative to the largest absolute value of that
    quantity across regions in the same cell (so a transfer of 0 against
    1e-12 is not a failure); for the centre's cost, relative to the sum of
    the absolute values of its terms (block grants, revenue forgone, each
    step's payment), as the cost itself may be close to 0.
    """
    worst = 0.0
    for ours, theirs in zip(engine, loop, strict=True):
        pairs = [(ours[k], theirs[k]) for k in ("fiscal_capacity", "own_revenue", "block_grant",
                                                "resources")]
        pairs += list(zip(ours["transfers"], theirs["transfers"], strict=True))
        for a, b in pairs:
            a, b = np.asarray(a, float), np.asarray(b, float)
            scale = np.abs(b).max()
            if scale > 0:
                worst = max(worst, float(np.abs(a - b).max() / scale))
            elif np.abs(a).max() > 0:
                worst = max(worst, float("inf"))
        a, b = ours["cost_to_centre"], theirs["cost_to_centre"]
        if a != b:
            worst = max(worst, abs(a - b) / max(theirs["cost_scale"], 1e-300))
    return worst
