"""Synthetic federations and random systems for the engine tests.

Everything is built from a seed with numpy, so hypothesis only draws small
integers (seed, number of regions, leading shape) and shrinks well.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import strategies as st

from simulator import EngineInputs, System
from simulator.steps import (ChangeLimits, FixedPool, GapFill, HorizontalFunding,
                             MinimumGuarantee, NeedsPool, NoWorseOff, Symmetric, WeightPopulation)

TAXES = ("income", "vat")


def codes_for(n_regions: int) -> tuple[str, ...]:
    return tuple(f"R{i:03d}" for i in range(n_regions))


def random_inputs(seed: int, n_regions: int, leading: tuple[int, ...] = ()) -> EngineInputs:
    """Populations ~ 10^5..10^6, revenue per head ~ 10^3 by tax, a known base
    for ``income``, a positive grant and a need index; any leading axes."""
    rng = np.random.default_rng(seed)
    shape = tuple(leading) + (n_regions,)
    population = rng.lognormal(12.5, 1.0, shape)
    per_head = rng.lognormal(7.0, 0.5, tuple(leading) + (len(TAXES), n_regions))
    revenue = per_head * population[..., None, :]
    base = revenue[..., 0, :] / rng.uniform(0.1, 0.3, shape)
    grant = rng.lognormal(8.0, 0.3, shape) * population
    need = rng.uniform(0.7, 1.3, shape)
    return EngineInputs(codes=codes_for(n_regions), taxes=TAXES, population=population,
                        revenue=revenue, tax_base={"income": base},
                        indicators={"grant": grant, "need": need})


def simple_inputs(population, capacity_per_head, grant_per_head=None) -> EngineInputs:
    """One tax with no known base; capacity per head as given (hand cases)."""
    population = np.asarray(population, float)
    revenue = (np.asarray(capacity_per_head, float) * population)[..., None, :]
    indicators = {}
    if grant_per_head is not None:
        indicators["grant"] = np.asarray(grant_per_head, float) * population
    codes = tuple("ABCDEFGHIJ"[: population.shape[-1]])
    return EngineInputs(codes=codes, taxes=("tax",), population=population, revenue=revenue,
                        indicators=indicators)


def hand_system(*steps, grant: bool = False, adjustment: str = "none") -> System:
    return System(devolution={"tax": 1.0}, block_grant="grant" if grant else None,
                  block_grant_adjustment=adjustment, steps=list(steps))


# ---------------------------------------------------------------- transformations
def permute_inputs(inputs: EngineInputs, order: np.ndarray) -> EngineInputs:
    return replace(
        inputs, codes=tuple(np.array(inputs.codes)[order]),
        population=inputs.population[..., order], revenue=inputs.revenue[..., order],
        tax_base={k: v[..., order] for k, v in inputs.tax_base.items()},
        indicators={k: v[..., order] for k, v in inputs.indicators.items()})


def scale_inputs(inputs: EngineInputs, factor: float) -> EngineInputs:
    return replace(inputs, revenue=inputs.revenue * factor,
                   tax_base={k: v * factor for k, v in inputs.tax_base.items()},
                   indicators={"grant": inputs.indicators["grant"] * factor,
                               "need": inputs.indicators["need"]})


def split_inputs(inputs: EngineInputs, region: int) -> EngineInputs:
    """Region ``region`` becomes two identical halves, placed next to each other."""
    index = np.insert(np.arange(len(inputs.codes)), region, region)

    def halve(array, per_head=False):
        array = array[..., index]
        if not per_head:
            array = array.copy()
            array[..., region:region + 2] /= 2
        return array

    codes = list(inputs.codes)
    codes[region:region + 1] = [codes[region] + "a", codes[region] + "b"]
    return replace(inputs, codes=tuple(codes), population=halve(inputs.population),
                   revenue=halve(inputs.revenue),
                   tax_base={k: halve(v) for k, v in inputs.tax_base.items()},
                   indicators={"grant": halve(inputs.indicators["grant"]),
                               "need": halve(inputs.indicators["need"], per_head=True)})


def slice_inputs(inputs: EngineInputs, index: int) -> EngineInputs:
    return replace(inputs, population=inputs.population[index], revenue=inputs.revenue[index],
                   tax_base={k: v[index] for k, v in inputs.tax_base.items()},
                   indicators={k: v[index] for k, v in inputs.indicators.items()})


# ---------------------------------------------------------------- random systems
# A system spec is plain data (step kind + parameters, regions as positions),
# turned into steps by ``build_system`` for a given list of region groups: the
# codes each original region has become (one code, or two after a split).

TRANSFER_STEPS = ("gap_fill", "symmetric", "minimum_guarantee", "needs_pool",
                  "change_limits", "no_worse_off")
FUNDING_STEPS = ("horizontal_funding", "fixed_pool")


@st.composite
def step_specs(draw, kinds=TRANSFER_STEPS + FUNDING_STEPS + ("weight_population",)):
    kind = draw(st.sampled_from(kinds))
    unit = st.floats(0.0, 1.0)
    measure = draw(st.sampled_from(["capacity", "resources"]))
    if kind == "weight_population":
        return kind, {"weights": draw(st.lists(st.tuples(unit, st.floats(0.7, 1.5)),
                                                min_size=1, max_size=3))}
    if kind == "gap_fill":
        return kind, {"rate": draw(unit), "standard": draw(standard_specs()), "measure": measure}
    if kind == "symmetric":
        return kind, {"rate": draw(unit), "measure": measure}
    if kind == "minimum_guarantee":
        floor = draw(st.floats(20.0, 85.0))
        target = draw(st.floats(floor + 1.0, 99.0))
        lowest = (target - floor) / (100.0 - floor)
        return kind, {"floor_index": floor, "target_index": target, "measure": measure,
                      "marginal_rate_at_floor": lowest + draw(unit) * (1.0 - lowest)}
    if kind == "needs_pool":
        return kind, {"pool_per_head": draw(st.floats(10.0, 2000.0)),
                      "relativity_floor": draw(st.sampled_from([None, 0.5, 0.75])),
                      "relativities_seed": draw(st.sampled_from([None, 1, 2])),
                      "need_seed": draw(st.sampled_from([None, 3])), "measure": measure}
    if kind == "change_limits":
        return kind, {"floor_change": draw(st.floats(-0.1, 0.0)),
                      "cap_change": draw(st.sampled_from([None, 0.02, 0.1])),
                      "self_financing": draw(st.booleans()),
                      "financing": draw(st.sampled_from(["scale", "cap"]))}
    if kind == "no_worse_off":
        return kind, {}
    if kind == "horizontal_funding":
        params = {"scope": draw(st.sampled_from(["all", "last"])), "measure": measure}
        if draw(st.booleans()):
            params["share"] = draw(unit)
        else:
            params["ratio_to_centre"] = draw(st.floats(0.0, 3.0))
        return kind, params
    return kind, {"amount_per_head": draw(st.floats(0.0, 500.0)),
                  "method": draw(st.sampled_from(["proportional", "equal_per_head"])),
                  "scope": draw(st.sampled_from(["all", "last"])), "measure": measure}


@st.composite
def standard_specs(draw):
    kind = draw(st.sampled_from(["national_average", "regions_average", "percentile",
                                 "per_head"]))
    spec = {"kind": kind, "fraction": draw(st.floats(0.5, 1.2))}
    if kind == "regions_average":
        spec["regions"] = draw(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=3))
    elif kind == "percentile":
        spec["percentile"] = draw(st.floats(0.0, 100.0))
    elif kind == "per_head":
        spec["amount"] = draw(st.floats(500.0, 5000.0))
    return spec


@st.composite
def system_specs(draw, max_steps: int = 4):
    steps = [draw(step_specs(kinds=("weight_population",)))] if draw(st.booleans()) else []
    steps.append(draw(step_specs(kinds=TRANSFER_STEPS)))
    for _ in range(draw(st.integers(0, max_steps - 1))):
        steps.append(draw(step_specs()))
    return {"steps": steps,
            "shares": (draw(st.floats(0.2, 1.0)), draw(st.floats(0.0, 1.0))),
            "adjustment": draw(st.sampled_from(["per_capita", "own_revenue", "none"]))}


def _pick(groups, position: float) -> list[str]:
    return list(groups[min(int(position * len(groups)), len(groups) - 1)])


def _per_region(groups, seed: int, low: float, high: float) -> dict[str, float]:
    values = np.random.default_rng(seed).uniform(low, high, len(groups))
    return {code: float(v) for group, v in zip(groups, values) for code in group}


def build_step(kind: str, params: dict, groups, money: float = 1.0):
    params = dict(params)
    if kind == "weight_population":
        return WeightPopulation(weights={code: w for position, w in params["weights"]
                                         for code in _pick(groups, position)})
    if kind == "gap_fill":
        standard = dict(params.pop("standard"))
        if standard["kind"] == "regions_average":
            standard["regions"] = tuple(sorted({c for p in standard["regions"]
                                                for c in _pick(groups, p)}))
        if standard["kind"] == "per_head":
            standard["amount"] *= money
        return GapFill(standard=standard, **params)
    if kind == "symmetric":
        return Symmetric(**params)
    if kind == "minimum_guarantee":
        return MinimumGuarantee(**params)
    if kind == "needs_pool":
        relativities, need = params.pop("relativities_seed"), params.pop("need_seed")
        return NeedsPool(
            pool_per_head=params.pop("pool_per_head") * money,
            relativities=None if relativities is None else _per_region(groups, relativities, 0.3, 3),
            need_index=None if (need is None or relativities is not None)
            else _per_region(groups, need, 0.6, 1.4), **params)
    if kind == "change_limits":
        return ChangeLimits(**params)
    if kind == "no_worse_off":
        return NoWorseOff()
    if kind == "horizontal_funding":
        return HorizontalFunding(**params)
    return FixedPool(amount_per_head=params.pop("amount_per_head") * money, **params)


def build_system(spec: dict, groups, money: float = 1.0) -> System:
    income, vat = spec["shares"]
    return System(devolution={"income": income, "vat": vat}, block_grant="grant",
                  need_index="need", block_grant_adjustment=spec["adjustment"],
                  steps=[build_step(kind, params, groups, money) for kind, params in spec["steps"]])


def groups_of(codes) -> list[list[str]]:
    return [[code] for code in codes]


@st.composite
def federations(draw, min_regions: int = 2, max_regions: int = 400, max_leading: int = 2):
    """(seed, n_regions, leading shape) of a random federation."""
    seed = draw(st.integers(0, 2**32 - 1))
    n_regions = draw(st.integers(min_regions, max_regions))
    leading = tuple(draw(st.lists(st.integers(1, 3), max_size=max_leading)))
    return seed, n_regions, leading


def per_head_outcome(state) -> np.ndarray:
    """Every step's transfer and the resources, per head, stacked ``(steps + 1, ..., R)``."""
    parts = [amount for _, amount in state.transfers] + [state.resources]
    return np.stack([np.broadcast_to(p, state.population.shape) / state.population for p in parts])


def money_scale(state) -> float:
    """Typical per-head money of a state: tolerance scale for comparisons."""
    return float(np.abs(np.asarray(state.fiscal_capacity) / state.population).max()
                 + np.abs(np.asarray(state.block_grant) / state.population).max() + 1.0)
