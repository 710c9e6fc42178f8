"""Block grant adjustment methods: formulas, invariants, resets, draws."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulator.errors import ConfigurationError
from simulator.over_time import (
    BGA_METHODS, block_grant_adjustment, compare_methods, compare_methods_frame,
    comparable_model, cumulative_gain, indexed_deduction, indexed_per_capita, levels_deduction,
    reset_schedule,
)

# Three regions, three years: hand-computable.
REVENUE = np.array([[100.0, 400.0, 500.0],
                    [110.0, 460.0, 540.0],
                    [120.0, 500.0, 610.0]])
POPULATION = np.array([[10.0, 20.0, 30.0],
                       [10.0, 21.0, 30.0],
                       [11.0, 21.0, 31.0]])


def test_indexed_per_capita_by_hand():
    # region 0: comparator = regions 1+2. r_c = 900/50=18, 1000/51, 1110/52
    bga = indexed_per_capita(REVENUE, POPULATION)
    expected = 100.0 * np.array([1.0, (1000 / 51) / 18 * 1.0, (1110 / 52) / 18 * 1.1])
    np.testing.assert_allclose(bga[:, 0], expected)


def test_indexed_deduction_by_hand():
    bga = indexed_deduction(REVENUE, POPULATION)
    np.testing.assert_allclose(bga[:, 0], 100.0 * np.array([1.0, 1000 / 900, 1110 / 900]))
    np.testing.assert_allclose(bga[:, 2], 500.0 * np.array([1.0, 570 / 500, 620 / 500]))


def test_levels_deduction_by_hand():
    bga = levels_deduction(REVENUE, POPULATION)
    # change in comparator revenue x own population / comparator population
    expected = np.cumsum([100.0, (1000 - 900) * 10 / 51, (1110 - 1000) * 11 / 52])
    np.testing.assert_allclose(bga[:, 0], expected)


def test_comparable_model_by_hand():
    bga = comparable_model(REVENUE, POPULATION)
    comparability = (100 / 10) / (900 / 50)
    expected = np.cumsum([100.0, (1000 - 900) * 10 / 51 * comparability,
                          (1110 - 1000) * 11 / 52 * comparability])
    np.testing.assert_allclose(bga[:, 0], expected)


@pytest.mark.parametrize("method", BGA_METHODS)
def test_no_gain_no_loss_in_the_base_year(method):
    bga = block_grant_adjustment(method, REVENUE, POPULATION, base_year=1)
    np.testing.assert_allclose(bga[:2], REVENUE[:2])


positive = st.floats(0.5, 2.0)


@st.composite
def paths(draw, n_years=6, n_regions=4):
    revenue0 = draw(arrays(float, n_regions, elements=st.floats(10.0, 1000.0)))
    population0 = draw(arrays(float, n_regions, elements=st.floats(1.0, 100.0)))
    growth = draw(arrays(float, (n_years, 1), elements=st.floats(-0.1, 0.2)))
    pop_growth = draw(arrays(float, (n_years, n_regions), elements=st.floats(-0.05, 0.05)))
    return revenue0, population0, np.cumsum(growth, axis=0), np.cumsum(pop_growth, axis=0)


@given(paths())
@settings(max_examples=60, deadline=None)
def test_ipc_no_detriment_when_revenue_per_head_grows_alike(case):
    """IPC: if a region's revenue per head grows as fast as its comparator's, it neither gains
    nor loses, whatever happens to populations (the gov.scot factsheet's statement of IPC).
    Per-head levels are equal here so the comparator's average has no composition effect."""
    revenue0, population0, growth, pop_growth = case
    population = population0 * np.exp(pop_growth)
    revenue = revenue0[0] * np.exp(growth) * population
    gain = cumulative_gain(revenue, indexed_per_capita(revenue, population))
    np.testing.assert_allclose(gain, 0.0, atol=1e-7 * revenue.max())


@given(paths())
@settings(max_examples=60, deadline=None)
def test_methods_coincide_when_populations_are_constant(case):
    """With constant populations, CM, IPC and ID give the same deduction; LD differs
    only through the comparability factor."""
    revenue0, population0, growth, _ = case
    rng = np.random.default_rng(0)
    revenue = revenue0 * np.exp(growth + rng.normal(0, 0.05, growth.shape[:1] + revenue0.shape))
    population = np.broadcast_to(population0, revenue.shape)
    ipc = indexed_per_capita(revenue, population)
    np.testing.assert_allclose(comparable_model(revenue, population), ipc, rtol=1e-9)
    np.testing.assert_allclose(indexed_deduction(revenue, population), ipc, rtol=1e-9)


def test_levels_deduction_penalises_a_region_with_low_revenue_per_head():
    """Equal per-head growth everywhere: LD takes the comparator's (higher) cash change per
    head, so the low-revenue region loses; CM's comparability factor removes the loss."""
    population = np.full((5, 2), 100.0)
    growth = 1.05 ** np.arange(5)[:, None]
    revenue = np.array([80.0, 100.0]) * population * growth
    ld = cumulative_gain(revenue, levels_deduction(revenue, population))
    cm = cumulative_gain(revenue, comparable_model(revenue, population))
    assert (ld[1:, 0] < 0).all() and (np.diff(ld[:, 0]) < 0).all()
    assert (ld[1:, 1] > 0).all()  # and the rich region gains
    np.testing.assert_allclose(cm, 0.0, atol=1e-6)


def test_faster_population_growth_helps_under_ipc_but_not_under_id():
    """Region 0's population grows 2%/yr, per-head revenue flat everywhere: IPC follows the
    population (no gain), ID does not (the region gains its extra revenue)."""
    years = np.arange(6)[:, None]
    population = np.array([10.0, 50.0]) * np.array([1.02, 1.0]) ** years
    revenue = 20.0 * population
    ipc = cumulative_gain(revenue, indexed_per_capita(revenue, population))
    id_ = cumulative_gain(revenue, indexed_deduction(revenue, population))
    np.testing.assert_allclose(ipc[:, 0], 0.0, atol=1e-9)
    assert (id_[1:, 0] > 0).all()


def test_comparator_mask_excludes_regions_from_the_index():
    """Wales's income tax BGA is indexed to England and NI only: Scotland's revenue moves
    nothing."""
    comparator = np.array([False, True, True])  # region 0 = 'Scotland' is out of everyone's comparator
    bumped = REVENUE.copy()
    bumped[:, 0] *= 1.3
    for method in BGA_METHODS:
        a = block_grant_adjustment(method, REVENUE, POPULATION, comparator=comparator)
        b = block_grant_adjustment(method, bumped, POPULATION, comparator=comparator)
        np.testing.assert_allclose(a[:, 1:], b[:, 1:])


@pytest.mark.parametrize("method", BGA_METHODS)
def test_full_reset_wipes_the_gain_and_zero_share_changes_nothing(method, make_federation):
    fed = make_federation(n_years=10)
    revenue, population = fed.tax_revenue("income_tax"), fed.population
    resets = reset_schedule(10, every=4)  # years 0, 4, 8
    plain = block_grant_adjustment(method, revenue, population)
    full = block_grant_adjustment(method, revenue, population, resets=resets)
    none = block_grant_adjustment(method, revenue, population, resets=resets, reset_share=0.0)
    half = block_grant_adjustment(method, revenue, population, resets=resets, reset_share=0.5)
    np.testing.assert_allclose(full[resets], revenue[resets])
    np.testing.assert_allclose(none, plain)
    np.testing.assert_allclose(full[:4], plain[:4])
    # half reset: the year-4 deduction is half-way between carried and own revenue
    np.testing.assert_allclose(half[4], 0.5 * plain[4] + 0.5 * revenue[4])


@pytest.mark.parametrize("method", BGA_METHODS)
def test_draws_broadcast_on_a_leading_axis(method, make_federation):
    draws = [make_federation(seed=s) for s in range(3)]
    revenue = np.stack([f.tax_revenue("vat") for f in draws])
    population = draws[0].population
    together = block_grant_adjustment(method, revenue, population, resets=reset_schedule(12, 5),
                                      reset_share=0.5)
    for d, fed in enumerate(draws):
        alone = block_grant_adjustment(method, fed.tax_revenue("vat"), population,
                                       resets=reset_schedule(12, 5), reset_share=0.5)
        np.testing.assert_allclose(together[d], alone)


def test_initial_deduction_can_be_given():
    bga = indexed_deduction(REVENUE, POPULATION, initial=np.array([90.0, 400.0, 500.0]))
    np.testing.assert_allclose(bga[:, 0], 90.0 * np.array([1.0, 1000 / 900, 1110 / 900]))


def test_compare_methods_and_frame(federation):
    gains = compare_methods(federation.tax_revenue("income_tax"), federation.population)
    assert set(gains) == set(BGA_METHODS)
    frame = compare_methods_frame(federation, ["income_tax", "vat"], base_year=2)
    assert len(frame) == len(BGA_METHODS) * len(federation.years) * federation.n_regions
    ipc = frame[frame.method == "indexed_per_capita"]
    first_years = ipc[ipc.year.isin(federation.years[:3])]
    np.testing.assert_allclose(first_years["gain_gbp_m"], 0.0, atol=1e-9)
    last = ipc[ipc.year == federation.years[-1]].set_index("code")
    cumulative = ipc.groupby("code")["gain_gbp_m"].sum()
    np.testing.assert_allclose(last["cumulative_gain_gbp_m"], cumulative[last.index])


@pytest.mark.parametrize("kwargs, match", [
    (dict(method="barnett"), "unknown block grant adjustment method"),
    (dict(base_year=5), "base_year"),
    (dict(reset_share=1.5), "reset_share"),
    (dict(resets=np.ones(2, bool)), "resets"),
    (dict(comparator=np.ones(2, bool)), "comparator"),
])
def test_bad_options_raise_configuration_errors(kwargs, match):
    method = kwargs.pop("method", "indexed_per_capita")
    with pytest.raises(ConfigurationError, match=match):
        block_grant_adjustment(method, REVENUE, POPULATION, **kwargs)


def test_unknown_tax_in_frame_names_it(federation):
    from simulator.errors import DataValidationError
    with pytest.raises(DataValidationError, match="council_tax"):
        compare_methods_frame(federation, ["council_tax"])
