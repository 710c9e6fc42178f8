"""The engine's capacity by tax family: its parts add up to fiscal capacity, under any
assignment (shares, own rates, base responses, known bases) and leading axes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from presets_testkit import SETTINGS, seeds
from simulator import ConfigurationError, EngineInputs, System
from simulator.engine import simulate
from simulator.engine.devolution import devolved_capacity_by_tax, devolved_revenue
from simulator.state import FiscalState
from simulator.steps import FamilyEqualisation, SourceGapFill


def random_inputs(seed: int, n_regions: int, leading=()) -> EngineInputs:
    rng = np.random.default_rng(seed)
    shape = tuple(leading) + (n_regions,)
    population = rng.lognormal(12, 1, shape)
    revenue = rng.lognormal(7, 0.5, tuple(leading) + (3, n_regions)) * population[..., None, :]
    base = revenue[..., 0, :] / rng.uniform(0.1, 0.3, shape)
    return EngineInputs(codes=tuple(f"R{i}" for i in range(n_regions)), taxes=("a", "b", "c"),
                        population=population, revenue=revenue, tax_base={"a": base})


@given(seeds, st.integers(1, 8), st.sampled_from([(), (3,), (2, 2)]),
       st.lists(st.floats(0, 1), min_size=3, max_size=3), st.floats(-0.5, 1.0),
       st.floats(0, 2))
@SETTINGS
def test_parts_add_up_to_fiscal_capacity(seed, n, leading, shares, change, elasticity):
    inputs = random_inputs(seed, n, leading)
    devolution = {"a": {"share": shares[0], "own_rate": True, "rate_change": change,
                        "base_elasticity": elasticity},
                  "b": shares[1], "c": shares[2]}
    state = simulate(inputs, System(devolution=devolution))
    parts = state.capacity_by_tax
    assert set(parts) == {t for t, s in zip("abc", shares) if s > 0}
    total = sum(parts.values()) if parts else np.zeros(state.fiscal_capacity.shape)
    np.testing.assert_allclose(total, state.fiscal_capacity, rtol=1e-12, atol=1e-6)
    for part in parts.values():
        assert part.shape == state.fiscal_capacity.shape


def test_by_hand_known_base_and_share():
    # tax a: revenue 10, 30; base 100, 100 -> national rate 0.2 -> capacity 20, 20; share 0.5
    inputs = EngineInputs(codes=("X", "Y"), taxes=("a", "b"), population=np.array([1.0, 1.0]),
                          revenue=np.array([[10.0, 30.0], [5.0, 7.0]]),
                          tax_base={"a": np.array([100.0, 100.0])})
    parts = devolved_capacity_by_tax(inputs.codes, inputs.taxes, inputs.revenue, inputs.tax_base,
                                     System(devolution={"a": 0.5, "b": 1}).devolution)
    np.testing.assert_allclose(parts["a"], [10.0, 10.0])
    np.testing.assert_allclose(parts["b"], [5.0, 7.0])
    capacity, _, _ = devolved_revenue(inputs.codes, inputs.taxes, inputs.revenue, inputs.tax_base,
                                      System(devolution={"a": 0.5, "b": 1}).devolution)
    np.testing.assert_allclose(capacity, [15.0, 17.0])


def test_steps_need_capacity_by_family():
    state = FiscalState(codes=("X", "Y"), population=np.ones(2), equalisation_population=np.ones(2),
                        fiscal_capacity=np.array([1.0, 2.0]), own_revenue=np.zeros(2),
                        block_grant=np.zeros(2), baseline_resources=np.zeros(2),
                        need_index=np.ones(2))
    with pytest.raises(ConfigurationError, match="capacity by tax family"):
        SourceGapFill().apply(state)
    with pytest.raises(ConfigurationError, match="capacity by tax family"):
        FamilyEqualisation(families={"a": {}}).apply(state)


def test_a_state_whose_fiscal_capacity_was_changed_alone_is_refused():
    # what a wrapper that lags or perturbs fiscal capacity but not its families would hand on
    inputs = random_inputs(1, 4, (5,))
    state = simulate(inputs, System(devolution={"a": 1, "b": 1}))
    changed = state.replace(fiscal_capacity=state.fiscal_capacity * 1.01)
    with pytest.raises(ConfigurationError, match="no longer equals the sum of its tax families"):
        SourceGapFill(inclusion=[{"b": 0.5}]).apply(changed)
    SourceGapFill(inclusion=[{"b": 0.5}]).apply(state)  # the engine's own state is fine
