"""Neighbourhood fund and two-tier allocation: by hand, invariants (hypothesis), real data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from simulator import ConfigurationError, EngineInputs, System, simulate
from simulator.neighbourhoods.allocation import (clip_scale, exit_guarantee,
                                                 select_both_top_decile, select_threshold,
                                                 select_top_n, two_tier)
from simulator.steps import STEP_TYPES, NeighbourhoodFund, step_from_dict


def run(step: NeighbourhoodFund, population, indicators, codes=None) -> np.ndarray:
    population = np.asarray(population, dtype=float)
    codes = codes or tuple(f"N{i:04d}" for i in range(population.shape[-1]))
    inputs = EngineInputs(codes=tuple(codes), taxes=("tax",), population=population,
                          revenue=(0 * population)[..., None, :],
                          indicators={k: np.asarray(v, float) for k, v in indicators.items()})
    state = simulate(inputs, System(devolution={"tax": 1.0}, block_grant_adjustment="none",
                                    steps=[step]))
    np.testing.assert_allclose(state.paid_by_centre[-1][1], state.transfers[-1][1].sum(-1))
    return state.transfers[-1][1]


# ---------------------------------------------------------------- by hand
def test_registered_with_its_documentation():
    assert STEP_TYPES["neighbourhood_fund"] is NeighbourhoodFund
    doc = NeighbourhoodFund.__doc__
    assert "Local Trust" in doc and "clip(lambda b_a" in doc and "exit guarantee" in doc.lower()
    step = step_from_dict({"type": "neighbourhood_fund", "amount": 1e8, "places": 10})
    assert step.selection == "top_n" and step.share == "per_head"


def test_top_two_per_head_one_tier():
    # need 1, 3, 2, 5, 4 -> the top two are D (400 people) and E (500)
    t = run(NeighbourhoodFund(amount=900.0, places=2, need_indicator="need"),
            [100, 200, 300, 400, 500], {"need": [1, 3, 2, 5, 4]})
    np.testing.assert_allclose(t, [0, 0, 0, 400, 500])


def test_taper_instead_of_a_cliff():
    # places 1, taper 2: ranks 1, 2, 3 get 1, 2/3, 1/3 (equal shares)
    t = run(NeighbourhoodFund(amount=600.0, places=1, taper=2, share="equal",
                              need_indicator="need"),
            [10, 10, 10, 10], {"need": [4, 3, 2, 1]})
    np.testing.assert_allclose(t, [300, 200, 100, 0])


def test_two_tiers_with_a_minimum_grant_per_head():
    # two authorities of 200 people each; only authority 0 has a selected area.
    # Floor m = 0.3 of the equal per-head share (1000 x 200/400 = 500): authority 1 gets
    # 150, spent per head over its areas; authority 0 gets the other 850.
    step = NeighbourhoodFund(amount=1000.0, places=1, need_indicator="need",
                             authority_indicator="la", minimum_share=0.3)
    t = run(step, [100, 100, 50, 150], {"need": [9, 1, 2, 3], "la": [0, 0, 1, 1]})
    np.testing.assert_allclose(t, [850, 0, 37.5, 112.5])


def test_cap_multiple_limits_an_authority():
    # per need, authority 0 would get nearly all; cap at 1.2 x its per-head share (600)
    step = NeighbourhoodFund(amount=1000.0, selection="threshold", threshold=0,
                             need_indicator="need", share="per_need",
                             authority_indicator="la", cap_multiple=1.2)
    t = run(step, [100, 100, 100, 100], {"need": [10, 10, 1, 1], "la": [0, 0, 1, 1]})
    np.testing.assert_allclose(t, [300, 300, 200, 200])


def test_both_top_decile_is_the_left_behind_rule():
    need = np.arange(20.0)             # top decile: 19, 18
    deprivation = np.arange(20.0)[::-1].copy()
    deprivation[19] = 100              # area 19 also most deprived; area 18 is not
    np.testing.assert_array_equal(np.flatnonzero(select_both_top_decile(need, deprivation)), [19])


def test_exit_guarantee_keeps_half_of_last_years_amount():
    previous = np.array([100.0, 100.0, 0.0])
    current = np.array([150.0, 0.0, 50.0])
    np.testing.assert_allclose(exit_guarantee(current, previous, 0.5), [150, 50, 50])
    # paid off the top of a pot of 200: the others scale to 150
    np.testing.assert_allclose(exit_guarantee(current, previous, 0.5, pot=200.0),
                               [112.5, 50, 37.5])


def test_bad_parameters_are_refused():
    with pytest.raises(ValidationError, match="needs 'places'"):
        NeighbourhoodFund(amount=1.0)
    with pytest.raises(ValidationError, match="authority_indicator"):
        NeighbourhoodFund(amount=1.0, places=1, minimum_share=0.3)
    with pytest.raises(ValidationError, match="valid number|not a number"):
        NeighbourhoodFund(amount=True, places=1)
    with pytest.raises(ValidationError, match="finite"):
        NeighbourhoodFund(amount=float("inf"), places=1)
    for field in ("minimum_share", "cap_multiple", "exit_guarantee", "band"):
        with pytest.raises(ValidationError, match=f"{field}[\\s\\S]*(valid number|not a number)"):
            NeighbourhoodFund(amount=1.0, places=1, authority_indicator="la", **{field: True})
    with pytest.raises(ValidationError, match="valid number|not a number"):
        NeighbourhoodFund(amount=1.0, places=1, selection="composite",
                          composite_weights={"need": True})
    with pytest.raises(ConfigurationError, match="not in the dataset"):
        run(NeighbourhoodFund(amount=1.0, places=1, need_indicator="nope"), [1, 2], {})
    with pytest.raises(ConfigurationError, match="floors and caps cannot all hold"):
        clip_scale(np.ones(3), 1.0, np.full(3, 0.5), np.ones(3))


# ---------------------------------------------------------------- invariants
@st.composite
def areas(draw, max_n: int = 60):
    n = draw(st.integers(3, max_n))
    n_la = draw(st.integers(1, 6))
    population = np.array(draw(st.lists(st.floats(10, 5000), min_size=n, max_size=n)))
    need = np.array(draw(st.lists(st.floats(0.1, 100), min_size=n, max_size=n)))
    la = np.array(draw(st.lists(st.integers(0, n_la - 1), min_size=n, max_size=n)))
    la = np.unique(la, return_inverse=True)[1]   # authorities numbered 0..k-1, none empty
    options = draw(st.fixed_dictionaries({
        "places": st.integers(1, n), "taper": st.integers(0, 5),
        "share": st.sampled_from(["equal", "per_head", "per_need"]),
        "basis": st.sampled_from(["selected", "population", "need"]),
        "minimum_share": st.sampled_from([0.0, 0.3, 0.9]),
        "cap_multiple": st.sampled_from([None, 1.5, 5.0])}))
    return population, need, la, options


def allocate(population, need, la, o, pot=1e6):
    weight = select_top_n(need, o["places"], taper=o["taper"])
    return two_tier(pot, weight, population, la, int(la.max()) + 1, share=o["share"], need=need,
                    authority_basis=o["basis"], minimum_share=o["minimum_share"],
                    cap_multiple=o["cap_multiple"])


def feasible(population, need, la, o) -> bool:
    """Can the caps take the pot?  Only authorities with a basis get more than their floor."""
    if o["cap_multiple"] is None:
        return True
    pop_a = np.bincount(la, population)
    share = pop_a / pop_a.sum()
    weight = select_top_n(need, o["places"], taper=o["taper"])
    basis = np.bincount(la, weight, len(pop_a)) if o["basis"] == "selected" else pop_a
    return (np.where(basis > 0, o["cap_multiple"], o["minimum_share"]) * share).sum() >= 1 - 1e-9


@settings(max_examples=200, deadline=None)
@given(areas())
def test_the_pot_is_paid_in_full_and_floors_and_caps_hold(data):
    population, need, la, o = data
    if not feasible(population, need, la, o):
        with pytest.raises(ConfigurationError, match="caps cannot take the whole pot"):
            allocate(population, need, la, o)
        return
    result = allocate(population, need, la, o)
    assert result.neighbourhood.sum() == pytest.approx(1e6, rel=1e-9)
    assert (result.neighbourhood >= -1e-9).all()
    pop_a = np.bincount(la, population)
    per_capita = 1e6 * pop_a / pop_a.sum()
    assert (result.authority >= o["minimum_share"] * per_capita * (1 - 1e-9) - 1e-9).all()
    if o["cap_multiple"] is not None:
        assert (result.authority <= o["cap_multiple"] * per_capita * (1 + 1e-9) + 1e-9).all()
    np.testing.assert_allclose(np.bincount(la, result.neighbourhood, len(pop_a)),
                               result.authority, rtol=1e-9, atol=1e-6)


@settings(max_examples=150, deadline=None)
@given(areas(), st.randoms(use_true_random=False))
def test_the_order_of_the_areas_does_not_matter(data, rnd):
    population, need, la, o = data
    assume(feasible(population, need, la, o))
    assume(len(np.unique(need)) == len(need))   # ties are broken by position here
    order = np.arange(len(need))
    rnd.shuffle(order)
    a = allocate(population, need, la, o).neighbourhood
    b = allocate(population[order], need[order], la[order], o).neighbourhood
    np.testing.assert_allclose(b, a[order], rtol=1e-9, atol=1e-6)


@settings(max_examples=150, deadline=None)
@given(areas(), st.data())
def test_more_need_never_means_less(data, more):
    """One tier, per head or per need: raising one area's need never lowers its amount."""
    population, need, la, o = data
    i = more.draw(st.integers(0, len(need) - 1))
    factor = more.draw(st.floats(1.0, 10.0))
    for share in ("per_head", "per_need", "equal"):
        o1 = {**o, "share": share, "basis": "selected", "minimum_share": 0.0,
              "cap_multiple": None}
        lone = np.zeros_like(la)
        before = allocate(population, need, lone, o1).neighbourhood[i]
        raised = need.copy()
        raised[i] *= factor
        after = allocate(population, raised, lone, o1).neighbourhood[i]
        assert after >= before * (1 - 1e-9) - 1e-9


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0.01, 100), min_size=2, max_size=50), st.floats(0, 50),
       st.floats(0, 20))
def test_threshold_band_is_monotone_and_within_0_1(values, threshold, band):
    need = np.array(values)
    weight = select_threshold(need, threshold, band=band)
    assert ((weight >= 0) & (weight <= 1)).all()
    order = np.argsort(need)
    assert (np.diff(weight[order]) >= 0).all()


# ---------------------------------------------------------------- real data
def test_local_trust_rule_on_england_lsoa_reproduces_the_1262_left_behind_areas():
    from simulator.data import load_federation
    from simulator.data.england_lsoa import load_neighbourhoods

    hoods = load_neighbourhoods()
    weight = select_both_top_decile(hoods["cni_score"], hoods["imd_score"])
    np.testing.assert_array_equal(weight == 1, hoods["left_behind"] == 1)
    fed = load_federation("england_lsoa")
    step = NeighbourhoodFund(amount=1e8, selection="both_top_decile",
                             authority_indicator="authority_index", minimum_share=0.0)
    inputs = EngineInputs(codes=fed.codes, taxes=("tax",), population=fed.population,
                          revenue=np.zeros((1, 1, fed.n_regions)),
                          indicators=dict(fed.indicators))
    state = simulate(inputs, System(devolution={"tax": 1.0}, block_grant_adjustment="none",
                                    steps=[step]))
    paid = state.transfers[-1][1][0]
    assert paid.sum() == pytest.approx(1e8)
    assert set(np.flatnonzero(paid > 0)) == set(np.flatnonzero(hoods["left_behind"] == 1))


def test_exit_guarantee_over_two_years_keeps_half_and_pays_the_fund():
    # year 1: need 4, 3, 2, 1 -> area 0 picked; year 2: need 1, 3, 2, 4 -> area 3 picked
    need = np.array([[4.0, 3, 2, 1], [1.0, 3, 2, 4]])
    population = np.full((2, 4), 10.0)
    step = NeighbourhoodFund(amount=100.0, places=1, need_indicator="need",
                             exit_guarantee=0.5)
    t = run(step, population, {"need": need})
    np.testing.assert_allclose(t, [[100, 0, 0, 0], [50, 0, 0, 50]])
    plain = run(NeighbourhoodFund(amount=100.0, places=1, need_indicator="need"),
                population, {"need": need})
    np.testing.assert_allclose(plain, [[100, 0, 0, 0], [0, 0, 0, 100]])


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 30), st.integers(0, 1000), st.floats(0.0, 1.0))
def test_with_several_years_each_year_pays_the_fund(n, seed, guarantee):
    rng = np.random.default_rng(seed)
    need = rng.random((3, n)) + 0.1
    population = rng.integers(10, 1000, (3, n)).astype(float)
    places = int(rng.integers(1, n))
    step = NeighbourhoodFund(amount=1000.0, places=places, need_indicator="need",
                             exit_guarantee=guarantee)
    try:
        t = run(step, population, {"need": need})
    except ConfigurationError as error:        # guarantees larger than the fund are refused
        assert "exceed the fund" in str(error)
        return
    np.testing.assert_allclose(t.sum(axis=-1), 1000.0)
    assert (t >= 0).all()
    # the first year is the plain allocation; each year alone equals a one-year run
    first = run(NeighbourhoodFund(amount=1000.0, places=places, need_indicator="need"),
                population[:1], {"need": need[:1]})
    np.testing.assert_allclose(t[:1], first)


def test_two_tiers_with_several_years_equal_each_year_alone():
    rng = np.random.default_rng(3)
    need = rng.random((2, 40)) + 0.1
    population = rng.integers(100, 1000, (2, 40)).astype(float)
    la = np.broadcast_to(np.arange(40) % 5, (2, 40)).astype(float)
    step = NeighbourhoodFund(amount=1e6, places=12, need_indicator="need", share="per_need",
                             authority_indicator="la", minimum_share=0.2, cap_multiple=4.0)
    both = run(step, population, {"need": need, "la": la})
    for year in range(2):
        alone = run(step, population[year], {"need": need[year], "la": la[year]})
        np.testing.assert_allclose(both[year], alone, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(10, 80), st.integers(0, 10_000), st.randoms(use_true_random=False))
def test_local_trust_rule_does_not_depend_on_the_order_of_the_areas(n, seed, rnd):
    rng = np.random.default_rng(seed)
    need = rng.integers(0, 6, n).astype(float)          # many ties at the decile edge
    deprivation = rng.integers(0, 6, n).astype(float)
    population = rng.integers(10, 100, n).astype(float)
    codes = tuple(f"E{i:05d}" for i in range(n))
    step = NeighbourhoodFund(amount=1000.0, selection="both_top_decile", need_indicator="need",
                             deprivation_indicator="dep")
    indicators = {"need": need, "dep": deprivation}
    try:
        a, _ = step.allocate(codes, population, indicators)
    except ConfigurationError:                          # no area in both deciles
        return
    order = np.arange(n)
    rnd.shuffle(order)
    b, _ = step.allocate(tuple(np.array(codes)[order]), population[order],
                         {k: v[order] for k, v in indicators.items()})
    np.testing.assert_allclose(b, a[order])
