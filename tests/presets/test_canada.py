"""Canada's Equalization 2025-26 preset reproduces Finance Canada's published figures."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy.optimize import brentq

from presets_testkit import SCENARIOS, load_script
from simulator import EngineInputs, System
from simulator.data import canada_2025_26, load_federation
from simulator.engine import simulate
from simulator.over_time.lagging import CANADA_LAG, CANADA_WEIGHTS, lag_federation
from simulator.scenario import load_scenario, run_scenario
from simulator.scenario.running import run_on
from simulator.steps import CapacityCap

validation = load_script("validation_table")
PATH = SCENARIOS / "canada_equalization_2025_26.yaml"


@pytest.fixture(scope="module")
def figures():
    return validation.canada()


@pytest.fixture(scope="module")
def result():
    return run_scenario(load_scenario(PATH))


def test_every_province_within_two_dollars_per_head(figures):
    assert np.abs(figures["error"]).max() <= validation.CANADA_TOLERANCE_CAD
    assert np.abs(figures["error"]).max() < 0.7  # as documented in docs/validation.md
    assert list(figures["codes"]) == ["NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC"]


def test_the_total_equals_the_envelope(result):
    envelope = canada_2025_26.envelope("2025-26")
    assert envelope == 26_170e6
    assert result.state.total_transfers.sum() == pytest.approx(envelope, rel=1e-12)
    assert result.summary()["cost_to_centre_cad_m"].iloc[0] == pytest.approx(26_170, rel=1e-12)


def test_the_equal_per_head_adjustment_solves_the_envelope_by_root_finding(result):
    """s.3.4(8)-(9): receivers get D per head, others max(0, C + D - E_i); brentq on D."""
    state = result.state
    population = state.equalisation_population.reshape(-1)
    formula = (state.transfers[0][1] + state.transfers[1][1]).reshape(-1)
    capacity = state.fiscal_capacity.reshape(-1)
    receiver = formula > 0
    equalised = (capacity + formula) / population
    best = equalised[receiver].max()
    envelope = canada_2025_26.envelope()

    def total(d: float) -> float:
        top_up = np.where(receiver, d, np.maximum(0.0, best + d - equalised))
        return formula.sum() + (top_up * population).sum() - envelope

    root = brentq(total, 0.0, 5_000.0, xtol=1e-12)
    adjustment = state.transfers[2][1].reshape(-1) / population
    np.testing.assert_allclose(adjustment[receiver], root, rtol=1e-9)
    np.testing.assert_allclose(adjustment[~receiver],
                               np.maximum(0, best + root - equalised[~receiver]), atol=1e-9)
    assert total(root) == pytest.approx(0, abs=1e-3)


def test_the_consistency_check_of_the_reference(figures, result):
    # FORMULAS.md: cap = Ontario's non-resource + resource capacity = 11,810; D = 36
    assert figures["cap"] == pytest.approx(11_786 + 24)
    assert figures["adjustment_per_head"] == pytest.approx(36, abs=0.5)
    assert figures["standard_50pct"] == pytest.approx(11_707.5, abs=1.5)
    assert figures["recipients_share"] < 0.5  # so s.3.4(1) applies, not (2)
    by_code = dict(zip(figures["codes"], range(10)))
    formula, cut = result.state.transfers[0][1][0], result.state.transfers[1][1][0]
    sk, on = by_code["SK"], by_code["ON"]
    assert formula[sk] > 0 and formula[sk] + cut[sk] == 0  # 0% inclusion pays SK, the cap takes it
    assert formula[on] == 0  # Ontario gets only the adjustment (s.3.4(8)(b))


def test_half_the_population_receiving_switches_to_the_recipients_average():
    """Lower Ontario's non-resource capacity so that it receives under s.3.2(1)(a): the
    recipients then hold more than half the population and s.3.4(2)-(4) applies."""
    scenario = load_scenario(PATH)
    federation = load_federation("canada_2025_26")
    on = federation.codes.index("ON")
    revenue = federation.revenue.copy()
    revenue[:, federation.taxes.index("non_resource"), on] *= 0.93
    result = run_on(scenario, replace(federation, revenue=revenue))
    state = result.state
    cap = scenario.steps[1]
    assert isinstance(cap, CapacityCap)
    levels = cap.levels(state.with_transfers(state.transfers[:1], state.paid_by_centre[:1]))
    population = state.equalisation_population
    recipient = levels["recipient"]
    assert (population * recipient).sum() / population.sum() >= 0.5
    after = state.transfers[0][1] + state.transfers[1][1]
    kept = recipient & (levels["base"] < levels["level"])
    equalised = levels["base"] + levels["reference"]
    assert levels["level"][0, 0] == pytest.approx(
        (equalised * population)[kept].sum() / population[kept].sum(), rel=1e-12)
    assert (recipient & ~kept).any()  # NL: cut to zero at the first application
    assert np.all(after[recipient & ~kept] == 0)  # re-applied without them (s.3.4(3))
    assert state.total_transfers.sum() == pytest.approx(26_170e6, rel=1e-12)


def test_the_revised_population_release_fits_less_well():
    late = validation.canada(vintage="2025-12")
    assert 2.0 < np.abs(late["error"]).max() < 3.0


def test_population_is_the_acts_weighted_average():
    table = canada_2025_26._read("population_july1.csv", ("vintage",))
    table = table[table["vintage"] == "2024-09"].set_index("code")
    expected = 0.5 * table["p2023"] + 0.25 * table["p2022"] + 0.25 * table["p2021"]
    got = canada_2025_26.act_population("2024-09")
    np.testing.assert_allclose(got.to_numpy(), expected.loc[got.index].to_numpy(), rtol=1e-15)
    assert got["NL"] == pytest.approx(534_044.5)


def test_multi_year_data_run_on_the_50_25_25_moving_average():
    """FPFAA s.3.5 on five years of synthetic data: the lagged federation's per-head
    capacities are (X(t-2)/2 + X(t-3)/4 + X(t-4)/4) / Pop_bar(t), and the same system
    pays on them."""
    rng = np.random.default_rng(7)
    years, provinces = 5, 4
    population = rng.uniform(1e5, 5e6, (years, provinces))
    per_head = np.stack([rng.uniform(7000, 12000, (years, provinces)),
                         rng.uniform(0, 3000, (years, provinces))], axis=1)
    federation = load_federation("canada_2025_26")
    synthetic = replace(
        federation, codes=("P1", "P2", "P3", "P4"), names=("P1", "P2", "P3", "P4"),
        nations=("C",) * 4, years=tuple(f"20{20 + y}-{21 + y}" for y in range(years)),
        population=population, revenue=per_head * population[:, None, :], indicators={})
    lagged = lag_federation(synthetic, CANADA_WEIGHTS, CANADA_LAG, trim=True)
    assert lagged.years == ("2024-25",)
    pop_bar = population[2] / 2 + population[1] / 4 + population[0] / 4
    np.testing.assert_allclose(lagged.population[0], pop_bar)
    totals = synthetic.revenue
    x_bar = (totals[2] / 2 + totals[1] / 4 + totals[0] / 4) / pop_bar
    np.testing.assert_allclose(lagged.revenue[0] / lagged.population[0], x_bar)
    system = load_scenario(PATH).to_system()
    system = system.model_copy(update={"steps": system.steps[:2]})
    state = simulate(EngineInputs.from_federation(lagged), system)
    nr, res = x_bar
    standard = (nr * pop_bar).sum() / pop_bar.sum(), (res * pop_bar).sum() / pop_bar.sum()
    option_a = standard[0] - nr + 0.5 * (standard[1] - res)
    option_b = standard[0] - nr
    np.testing.assert_allclose(state.transfers[0][1][0] / pop_bar,
                               np.maximum(0, np.maximum(option_a, option_b)), rtol=1e-9,
                               atol=1e-9)
