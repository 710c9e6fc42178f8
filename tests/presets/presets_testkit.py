"""Small federations with two revenue families for the preset steps' tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from simulator import EngineInputs, System
from simulator.engine import simulate

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
FAMILIES = ("non_resource", "natural_resources")
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def two_family_inputs(population, non_resource, resources) -> EngineInputs:
    """Per-head capacities by family (any leading axes), no tax base."""
    population = np.asarray(population, float)
    per_head = np.stack([np.asarray(non_resource, float), np.asarray(resources, float)], axis=-2)
    codes = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[: population.shape[-1]])
    return EngineInputs(codes=codes, taxes=FAMILIES, population=population,
                        revenue=per_head * population[..., None, :])


def run_two_families(inputs: EngineInputs, *steps):
    system = System(devolution={name: 1.0 for name in FAMILIES}, block_grant_adjustment="none",
                    steps=list(steps))
    return simulate(inputs, system)


def random_two_family_inputs(seed: int, n_regions: int, leading: tuple[int, ...] = ()):
    """Populations 10^4..10^7, non-resource capacity ~ 8 000 +- 20% per head and a skewed
    resource capacity (many small, a few large), as in Canada."""
    rng = np.random.default_rng(seed)
    shape = tuple(leading) + (n_regions,)
    population = np.exp(rng.uniform(np.log(1e4), np.log(1e7), shape))
    non_resource = rng.uniform(6_500, 12_000, shape)
    resources = rng.lognormal(5.5, 1.5, shape)
    return two_family_inputs(population, non_resource, resources)


seeds = st.integers(0, 2**31 - 1)
region_counts = st.integers(2, 12)


def load_script(name: str):
    """A module from ``scripts/`` (the validation table, the dataset builder)."""
    import importlib.util

    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_scripts_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
