"""The targeted fund: hand-computed cases and invariants.

Unless stated otherwise: five regions A-E with populations 100, 200, 300,
400, 500 and need 1, 3, 2, 5, 4 (dataset indicator ``need``), a fund of 1000.
By need the order is D (5), E (4), B (3), C (2), A (1).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from simulator import ConfigurationError, EngineInputs, System, simulate
from simulator.steps import STEP_TYPES, TargetedFund, step_from_dict

CODES = ("A", "B", "C", "D", "E")
POPULATION = [100.0, 200.0, 300.0, 400.0, 500.0]
NEED = [1.0, 3.0, 2.0, 5.0, 4.0]


def inputs(need=NEED, population=POPULATION, codes=CODES) -> EngineInputs:
    population = np.asarray(population, dtype=float)
    need = np.broadcast_to(np.asarray(need, dtype=float), population.shape)
    return EngineInputs(codes=tuple(codes), taxes=("tax",), population=population,
                        revenue=(100.0 * population)[..., None, :], indicators={"need": need})


def fund(step_params: dict, *, need=NEED, population=POPULATION, codes=CODES,
         system_need: bool = False) -> np.ndarray:
    """The fund's transfer; by default ranked by the ``need`` indicator."""
    params = {"amount": 1000.0, **step_params}
    if not system_need:
        params.setdefault("need_indicator", "need")
    step = TargetedFund(**params)
    system = System(devolution={"tax": 1.0}, block_grant_adjustment="none",
                    need_index="need" if system_need else None, steps=[step])
    state = simulate(inputs(need, population, codes), system)
    assert state.paid_by_centre[-1][0] == state.transfers[-1][0] == "Targeted fund"
    np.testing.assert_allclose(state.paid_by_centre[-1][1], state.transfers[-1][1].sum(-1))
    return state.transfers[-1][1]


# ---------------------------------------------------------------- by hand
def test_registered_with_its_documentation():
    assert STEP_TYPES["targeted_fund"] is TargetedFund
    assert "resembles" in TargetedFund.__doc__ and "T_i = F / |S|" in TargetedFund.__doc__
    step = step_from_dict({"type": "targeted_fund", "amount": 5e9, "places": 50})
    assert step.allocation == "equal_per_place" and step.display_label == "Targeted fund"


def test_top_two_equal_per_place():
    np.testing.assert_allclose(fund({"places": 2}), [0, 0, 0, 500, 500])


def test_top_two_per_head():
    # D 400, E 500 people: 1000 x 400 / 900 and 1000 x 500 / 900
    np.testing.assert_allclose(fund({"places": 2, "allocation": "per_head"}),
                               [0, 0, 0, 4000 / 9, 5000 / 9])


def test_top_three_per_head_times_need():
    # weights D 400 x 5 = 2000, E 500 x 4 = 2000, B 200 x 3 = 600: total 4600
    np.testing.assert_allclose(fund({"places": 3, "allocation": "per_head_need"}),
                               [0, 1000 * 600 / 4600, 0, 1000 * 2000 / 4600, 1000 * 2000 / 4600])


def test_need_threshold_without_a_number_of_places():
    # need >= 2.5: B, D, E (200 + 400 + 500 = 1100 people)
    np.testing.assert_allclose(fund({"need_threshold": 2.5, "allocation": "per_head"}),
                               [0, 200_000 / 1100, 0, 400_000 / 1100, 500_000 / 1100])
    # the threshold is inclusive
    np.testing.assert_allclose(fund({"need_threshold": 3.0}), [0, 1000 / 3, 0, 1000 / 3, 1000 / 3])


def test_threshold_and_places_together():
    # need >= 2: B, C, D, E; the top two of them: D, E
    np.testing.assert_allclose(fund({"need_threshold": 2.0, "places": 2}), [0, 0, 0, 500, 500])
    # need >= 4.5: only D, although three places are offered
    np.testing.assert_allclose(fund({"need_threshold": 4.5, "places": 3}), [0, 0, 0, 1000, 0])


def test_population_limits_make_places_ineligible():
    # at least 250 people: C, D, E; the top two: D, E
    np.testing.assert_allclose(fund({"places": 2, "min_population": 250}), [0, 0, 0, 500, 500])
    # at most 450 people: A-D; the top two: D (5), B (3)
    np.testing.assert_allclose(fund({"places": 2, "max_population": 450}), [0, 500, 0, 500, 0])


def test_amount_per_place_pays_each_selected_place_that_sum():
    transfer = fund({"amount": None, "amount_per_place": 20.0, "places": 3})
    np.testing.assert_allclose(transfer, [0, 20, 0, 20, 20])
    transfer = fund({"amount": None, "amount_per_place": 20.0, "need_threshold": 1.5,
                     "allocation": "per_head"})
    assert transfer.sum() == pytest.approx(4 * 20.0)  # B, C, D, E


def test_no_restriction_shares_among_every_region():
    np.testing.assert_allclose(fund({"allocation": "per_head"}), np.array(POPULATION) * 1000 / 1500)


def test_ties_are_broken_by_region_code_whatever_the_order():
    need = [2.0, 2.0, 2.0, 1.0, 1.0]
    np.testing.assert_allclose(fund({"places": 2}, need=need), [500, 500, 0, 0, 0])
    # the same regions listed in another order: still A and B
    codes = ("C", "B", "E", "A", "D")
    np.testing.assert_allclose(fund({"places": 2}, need=[2.0, 2.0, 1.0, 2.0, 1.0], codes=codes),
                               [0, 500, 0, 500, 0])
    # need equal up to rounding noise counts as a tie
    np.testing.assert_allclose(fund({"places": 1}, need=[2.0, 2.0 + 1e-13, 1.0, 1.0, 1.0]),
                               [1000, 0, 0, 0, 0])


def test_ranks_by_the_systems_need_index_by_default():
    # the system's need index is rescaled to a population-weighted mean of 1:
    # order and need-weighted shares are unchanged
    np.testing.assert_allclose(fund({"places": 2}, system_need=True), [0, 0, 0, 500, 500])
    np.testing.assert_allclose(fund({"places": 3, "allocation": "per_head_need"}, system_need=True),
                               [0, 1000 * 600 / 4600, 0, 1000 * 2000 / 4600, 1000 * 2000 / 4600])


def test_each_leading_index_selects_its_own_places():
    need = np.array([NEED, [5.0, 4.0, 3.0, 2.0, 1.0]])
    population = np.broadcast_to(POPULATION, need.shape)
    transfer = fund({"places": 2}, need=need, population=population)
    np.testing.assert_allclose(transfer, [[0, 0, 0, 500, 500], [500, 500, 0, 0, 0]])


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("params, message", [
    ({}, "exactly one of 'amount' and 'amount_per_place'"),
    ({"amount": 1.0, "amount_per_place": 1.0}, "exactly one of"),
    ({"amount": 1.0, "min_population": 10, "max_population": 5}, "must not exceed"),
    ({"amount": 1.0, "places": 0}, "greater than or equal to 1"),
    ({"amount": -1.0}, "greater than or equal to 0"),
    ({"amount": 1.0, "allocation": "per_need"}, "equal_per_place"),
])
def test_invalid_parameters_are_refused(params, message):
    with pytest.raises(ValidationError, match=message):
        TargetedFund(**params)


def test_no_eligible_place_is_an_error():
    with pytest.raises(ConfigurationError, match="no region meets the eligibility thresholds"):
        fund({"need_threshold": 6.0})
    with pytest.raises(ConfigurationError, match="no region meets"):
        fund({"places": 3, "min_population": 1000})


def test_ranking_without_any_need_differences_is_an_error():
    with pytest.raises(ConfigurationError, match="every eligible region has the same need"):
        fund({"places": 2}, system_need=False, need=[1.0] * 5)
    # but not when every eligible place is selected anyway
    np.testing.assert_allclose(fund({"places": 5}, need=[1.0] * 5), [200] * 5)


def test_unknown_or_unpublished_indicator_is_an_error():
    with pytest.raises(ConfigurationError, match="need_indicator 'needs' is not in the dataset"):
        fund({"places": 2, "need_indicator": "needs"})
    with pytest.raises(ConfigurationError, match="not published for every region"):
        fund({"places": 2}, need=[1.0, np.nan, 2.0, 3.0, 4.0])


def test_need_weighting_needs_positive_need():
    with pytest.raises(ConfigurationError, match="'per_head_need' needs a need above 0"):
        fund({"allocation": "per_head_need"}, need=[-1.0, 3.0, 2.0, 5.0, 4.0])
    # a non-positive need is fine where the place is not selected
    np.testing.assert_allclose(fund({"places": 1, "allocation": "per_head_need"},
                                    need=[-1.0, 3.0, 2.0, 5.0, 4.0]), [0, 0, 0, 1000, 0])


# ---------------------------------------------------------------- invariants
@st.composite
def cases(draw):
    """Random need, population, fund and parameters; the need has no exact ties
    unless ``ties`` (then drawn from a few levels)."""
    seed = draw(st.integers(0, 2**32 - 1))
    n_regions = draw(st.integers(1, 60))
    rng = np.random.default_rng(seed)
    if draw(st.booleans()):
        need = rng.choice([0.5, 1.0, 1.5], n_regions)
    else:
        need = rng.uniform(0.2, 3.0, n_regions)
    population = rng.lognormal(10.0, 1.0, n_regions)
    params = {"allocation": draw(st.sampled_from(["equal_per_place", "per_head", "per_head_need"])),
              "places": draw(st.one_of(st.none(), st.integers(1, 70)))}
    if draw(st.booleans()):
        params["need_threshold"] = float(np.quantile(need, draw(st.floats(0.0, 1.0))))
    if draw(st.booleans()):
        params["min_population"] = float(np.quantile(population, draw(st.floats(0.0, 0.5))))
    if params["places"] is not None and len(set(need)) == 1:
        params["places"] = None
    amount = draw(st.floats(1.0, 1e10))
    codes = tuple(f"R{i:03d}" for i in rng.permutation(n_regions))
    return need, population, codes, amount, params


def run_case(need, population, codes, amount, params):
    try:
        return fund({"amount": amount, **params}, need=need, population=population, codes=codes)
    except ConfigurationError as error:
        # only acceptable when the thresholds leave nobody, or ranking needs differences
        assert "no region meets" in str(error) or "same need" in str(error)
        return None


@settings(max_examples=200, deadline=None)
@given(cases())
def test_the_fund_is_paid_in_full_to_the_top_eligible_places(case):
    need, population, codes, amount, params = case
    transfer = run_case(*case)
    if transfer is None:
        return
    assert transfer.sum() == pytest.approx(amount, rel=1e-12)
    assert (transfer >= 0).all()
    eligible = np.ones(need.shape, bool)
    if "need_threshold" in params:
        eligible &= need >= params["need_threshold"]
    if "min_population" in params:
        eligible &= population >= params["min_population"]
    receives = transfer > 0
    assert not (receives & ~eligible).any()
    places = params["places"] or eligible.sum()
    assert receives.sum() == min(places, eligible.sum())
    left_out = eligible & ~receives
    if left_out.any():  # nobody left out has more need than anybody selected
        assert need[left_out].max() <= need[receives].min()
    if params["allocation"] == "equal_per_place":
        np.testing.assert_allclose(transfer[receives], amount / receives.sum())


@settings(max_examples=100, deadline=None)
@given(cases(), st.integers(0, 2**32 - 1))
def test_the_order_of_the_regions_does_not_matter(case, seed):
    need, population, codes, amount, params = case
    transfer = run_case(*case)
    if transfer is None:
        return
    order = np.random.default_rng(seed).permutation(len(need))
    permuted = run_case(need[order], population[order], tuple(np.array(codes)[order]),
                        amount, params)
    np.testing.assert_allclose(permuted, transfer[order], rtol=1e-12, atol=1e-9 * amount)


@settings(max_examples=150, deadline=None)
@given(cases(), st.integers(0, 59), st.floats(0.0, 2.0))
def test_more_need_never_means_less(case, region, increase):
    need, population, codes, amount, params = case
    region = region % len(need)
    before = run_case(*case)
    if before is None:
        return
    more = need.copy()
    more[region] += increase
    after = run_case(more, population, codes, amount, params)
    assert after is not None  # an eligible place stays eligible
    assert after[region] >= before[region] * (1 - 1e-12) - 1e-9 * amount


@settings(max_examples=50, deadline=None)
@given(cases(), st.integers(1, 3))
def test_leading_axes_broadcast_like_separate_runs(case, copies):
    need, population, codes, amount, params = case
    rng = np.random.default_rng(len(need))
    needs = np.stack([need] + [rng.permutation(need) for _ in range(copies)])
    populations = np.broadcast_to(population, needs.shape)
    separate = [run_case(row, population, codes, amount, params) for row in needs]
    if any(row is None for row in separate):
        return
    stacked = run_case(needs, populations, codes, amount, params)
    np.testing.assert_allclose(stacked, np.stack(separate), rtol=1e-12)
