"""The preset steps against cases computed by hand, and their invariants (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from presets_testkit import (SETTINGS, random_two_family_inputs, region_counts,
                             run_two_families, seeds, two_family_inputs)
from simulator import ConfigurationError, EngineInputs, System
from simulator.engine import simulate
from simulator.steps import (STEP_TYPES, CapacityCap, FamilyEqualisation, GapFill,
                             SourceGapFill, Symmetric, WeightPopulation, step_from_dict)
from simulator.steps.capacity_cap import recipients_average_level

CANADA = [{"natural_resources": 0.5}, {"natural_resources": 0.0}]
REFERENCE = {"type": "source_gap_fill", "inclusion": [{"natural_resources": 0.5}]}


def per_head(state, index=-1):
    return state.transfers[index][1] / state.population


def test_registered_and_documented():
    for key, cls in (("source_gap_fill", SourceGapFill), ("capacity_cap", CapacityCap),
                     ("family_equalisation", FamilyEqualisation)):
        assert STEP_TYPES[key] is cls
        assert cls.__doc__ and cls.reference and cls.real_system and cls.title
        assert "Real system" in cls.__doc__
        for name, field in cls.model_fields.items():
            if name not in ("type", "label"):
                assert field.description and "unit" in (field.json_schema_extra or {}), name


# ---------------------------------------------------------------- source_gap_fill
def test_source_gap_fill_by_hand():
    # populations 1, 1, 2; non-resource 100, 200, 150 (avg 150); resources 60, 0, 20 (avg 25)
    # gaps: non-resource 50, -50, 0; resources -35, 25, 5
    # 50%: 32.5, -37.5, 2.5   0%: 50, -50, 0   best, floored: 50, 0, 2.5 per head
    inputs = two_family_inputs([1, 1, 2], [100, 200, 150], [60, 0, 20])
    state = run_two_families(inputs, SourceGapFill(inclusion=CANADA))
    np.testing.assert_allclose(per_head(state), [50.0, 0.0, 2.5])
    assert state.paid_by_centre[-1][1] == pytest.approx(55.0)
    only_half = run_two_families(inputs, SourceGapFill(inclusion=CANADA[:1], rate=0.5))
    np.testing.assert_allclose(per_head(only_half), [16.25, 0.0, 1.25])
    # a standard over A and C only: non-resource 400 / 3, resources 100 / 3, total 166.67;
    # A has 160 (gets 6.67), C 170 (nothing)
    regional = run_two_families(inputs, SourceGapFill(
        inclusion=[{}], standard={"kind": "regions_average", "regions": ["A", "C"]}))
    np.testing.assert_allclose(per_head(regional), [500 / 3 - 160, 0, 0])


def test_source_gap_fill_input_errors():
    inputs = two_family_inputs([1, 1], [1, 2], [1, 2])
    with pytest.raises(ConfigurationError, match="inclusion names 'oil', which is not an equalised source"):
        run_two_families(inputs, SourceGapFill(inclusion=[{"oil": 0.5}]))
    with pytest.raises(ConfigurationError, match="'oil' is not devolved"):
        run_two_families(inputs, SourceGapFill(sources=["oil"]))
    with pytest.raises(ValidationError):
        SourceGapFill(inclusion=[])
    with pytest.raises(ValidationError):
        SourceGapFill(inclusion=[{"natural_resources": 1.5}])
    with pytest.raises(ValidationError, match="national_average"):
        SourceGapFill(standard={"kind": "per_head", "amount": 10})


@given(seeds, region_counts, st.sampled_from([(), (3,), (2, 2)]), st.floats(0, 1),
       st.floats(0, 1))
@SETTINGS
def test_source_gap_fill_pays_the_best_option(seed, n, leading, theta, rate):
    inputs = random_two_family_inputs(seed, n, leading)
    options = [{"natural_resources": theta}, {"natural_resources": 0.0}, {}]
    best = run_two_families(inputs, SourceGapFill(inclusion=options, rate=rate))
    paid = best.transfers[-1][1]
    assert (paid >= 0).all()
    for option in options:
        single = run_two_families(inputs, SourceGapFill(inclusion=[option], rate=rate))
        assert (paid >= single.transfers[-1][1] - 1e-6 * np.abs(paid).max() - 1e-9).all()
    # full inclusion of every source is the plain gap-fill of total capacity
    full = run_two_families(inputs, SourceGapFill(inclusion=[{}], rate=rate))
    plain = run_two_families(inputs, GapFill(rate=rate))
    np.testing.assert_allclose(full.transfers[-1][1], plain.transfers[-1][1],
                               rtol=1e-9, atol=1e-6 * inputs.population.max())
    # vectorised: each leading slice equals the slice run alone
    if leading:
        index = (0,) * len(leading)
        alone = random_two_family_inputs(seed, n, leading)
        alone = EngineInputs(codes=alone.codes, taxes=alone.taxes,
                             population=alone.population[index], revenue=alone.revenue[index])
        np.testing.assert_allclose(
            run_two_families(alone, SourceGapFill(inclusion=options, rate=rate)).transfers[-1][1],
            paid[index], rtol=1e-12)


# ---------------------------------------------------------------- capacity_cap
def test_cap_against_the_lowest_non_recipient_by_hand():
    # populations 1, 1, 2, 2; non-resource 100, 124, 163, 130 (avg 135); resources 0, 30, 0, 105
    # (avg 40).  A = 35, 11, -28, 5; B (50%) = 20, 5, 20, -32.5.
    # (a) = 55, 16, 0, 0 -> recipients A, B: 2 of 6 people (< 50%); (b) = 35, 11, 0, 5.
    # payment = 55, 16, 0, 5.  Cap X = lowest non-recipient capacity = C's 163.
    # Total capacity: A 100 + 55 = 155 (kept), B 124 + 30 + 16 = 170 (-7),
    # D 130 + 105 + 5 = 240 (-5, all of it).  Final 55, 9, 0, 0.
    inputs = two_family_inputs([1, 1, 2, 2], [100, 124, 163, 130], [0, 30, 0, 105])
    state = run_two_families(inputs, SourceGapFill(inclusion=CANADA),
                             CapacityCap(reference_step=REFERENCE))
    np.testing.assert_allclose(per_head(state, 0), [55, 16, 0, 5])
    np.testing.assert_allclose(per_head(state), [0, -7, 0, -5], atol=1e-12)
    np.testing.assert_allclose(state.total_transfers / state.population, [55, 9, 0, 0],
                               atol=1e-12)
    assert state.paid_by_centre[-1][1] == pytest.approx(-17.0)
    levels = CapacityCap(reference_step=REFERENCE).levels(
        state.with_transfers(state.transfers[:1], state.paid_by_centre[:1]))
    assert levels["level"][0] == pytest.approx(163.0)


def test_cap_against_the_recipients_average_reapplied_by_hand():
    # populations 1 each; non-resource 100, 130, 150, 160 (avg 135); resources 0, 40, 0, 120 (40)
    # A = 35, 5, -15, -25; B = 20, 0, 20, -40; (a) = 55, 5, 5, 0 -> 3 of 4 people receive.
    # Equalized capacity (a): 155, 175, 155.  X = 485 / 3 = 161.67; B's own capacity 170 >= X,
    # so B is cut to zero and X is recomputed without it: (155 + 155) / 2 = 155.
    # payment = max((a), (b) = 35, 5, 0, 0) = 55, 5, 5, 0; total capacity 155, 175, 155:
    # only B is cut (by its 5).  Final 55, 0, 5, 0.
    inputs = two_family_inputs([1, 1, 1, 1], [100, 130, 150, 160], [0, 40, 0, 120])
    cap = CapacityCap(reference_step=REFERENCE)
    state = run_two_families(inputs, SourceGapFill(inclusion=CANADA), cap)
    np.testing.assert_allclose(state.total_transfers / state.population, [55, 0, 5, 0],
                               atol=1e-12)
    levels = cap.levels(state.with_transfers(state.transfers[:1], state.paid_by_centre[:1]))
    assert levels["level"][0] == pytest.approx(155.0)
    # the first application alone would use 161.67; forcing the other rule uses D's 280
    forced = run_two_families(inputs, SourceGapFill(inclusion=CANADA),
                              CapacityCap(reference_step=REFERENCE,
                                          comparison="lowest_non_recipient"))
    np.testing.assert_allclose(per_head(forced), 0.0, atol=1e-12)
    # without a reference step the capped transfer defines recipients (A, B, C)
    own = run_two_families(inputs, SourceGapFill(inclusion=CANADA), CapacityCap())
    np.testing.assert_allclose(own.total_transfers / own.population, [55, 0, 5, 0], atol=1e-12)


def test_cap_input_errors():
    inputs = two_family_inputs([1, 1], [1, 2], [1, 2])
    with pytest.raises(ConfigurationError, match="needs an earlier step"):
        run_two_families(inputs, CapacityCap())
    with pytest.raises(ConfigurationError, match="adds no transfer"):
        run_two_families(inputs, SourceGapFill(), CapacityCap(
            reference_step=WeightPopulation(weights={"A": 1.2})))
    step = step_from_dict({"type": "capacity_cap", "reference_step": REFERENCE})
    assert isinstance(step.reference_step, SourceGapFill)


def naive_recipients_average(base, equalised, population, member):
    """s.3.4(2)-(4) literally: apply, drop the members cut to zero, apply again."""
    keep = member.copy()
    level = np.inf
    while keep.any():
        level = (equalised * population)[keep].sum() / population[keep].sum()
        dropped = keep & (base >= level)
        if not dropped.any() or dropped.sum() == keep.sum():
            break
        keep &= ~dropped
    return level


@given(seeds, st.integers(1, 15), st.booleans())
@SETTINGS
def test_recipients_average_matches_the_literal_iteration(seed, n, ties):
    rng = np.random.default_rng(seed)
    base = rng.uniform(50, 150, (4, n))
    if ties:
        base = np.round(base / 20) * 20
    equalised = base + rng.uniform(0, 60, (4, n)) * rng.integers(0, 2, (4, n))
    population = rng.uniform(0.5, 3, (4, n))
    member = rng.random((4, n)) < 0.7
    got = recipients_average_level(base, equalised, population, member)
    for k in range(4):
        assert got[k, 0] == pytest.approx(naive_recipients_average(
            base[k], equalised[k], population[k], member[k]), rel=1e-12)


@given(seeds, region_counts, st.sampled_from([(), (3,)]),
       st.sampled_from(["by_population", "lowest_non_recipient", "recipients_average"]),
       st.floats(0, 1))
@SETTINGS
def test_cap_takes_back_only_what_lifts_receivers_above_the_level(seed, n, leading, comparison,
                                                                  threshold):
    inputs = random_two_family_inputs(seed, n, leading)
    cap = CapacityCap(reference_step=REFERENCE, comparison=comparison,
                      population_threshold=threshold)
    state = run_two_families(inputs, SourceGapFill(inclusion=CANADA), cap)
    before, cut = state.transfers[0][1], state.transfers[1][1]
    after = before + cut
    scale = 1e-9 * np.abs(before).max() + 1e-9
    assert (cut <= scale).all()                       # never adds
    assert (after >= -scale).all()                    # never below zero
    levels = cap.levels(state.with_transfers(state.transfers[:1], state.paid_by_centre[:1]))
    population = state.equalisation_population
    total = levels["base"] + after / population
    still_paid = after > scale
    assert (total <= levels["level"] + 1e-6)[still_paid].all()
    # those cut keep exactly the level (or lose everything)
    partly = (cut < -scale) & still_paid
    np.testing.assert_allclose(total[partly], np.broadcast_to(levels["level"], total.shape)[partly],
                               rtol=1e-9)
    # permuting the regions permutes the result
    order = np.random.default_rng(seed).permutation(n)
    permuted = EngineInputs(codes=tuple(np.array(inputs.codes)[order]), taxes=inputs.taxes,
                            population=inputs.population[..., order],
                            revenue=inputs.revenue[..., order])
    again = run_two_families(permuted, SourceGapFill(inclusion=CANADA), cap)
    np.testing.assert_allclose(again.total_transfers, state.total_transfers[..., order],
                               rtol=1e-9, atol=scale)


# ---------------------------------------------------------------- family_equalisation
GERMAN_LIKE = {"non_resource": {"inclusion": 1, "weights": {"C": 1.5}},
               "natural_resources": {"inclusion": 0.5}}


def test_family_equalisation_by_hand():
    # populations 1, 1, 2; family 1 totals 100, 300, 400 with C weighted 1.5 -> WL 1, 1, 3;
    # family 2 totals 40, 40, 40 at 50% -> 20 each, WG = population 1, 1, 2.
    # levels 800 / 5 = 160 and 60 / 4 = 15; A = 175, 175, 510 (sum 860 = F sum);
    # F = 120, 320, 420.  Symmetric 50%: 27.5, -72.5, 45.
    # Then gap_fill 80% to 90%: M = 147.5, 247.5, 465; 0.9 A = 157.5, 157.5, 459 -> 8, 0, 0.
    inputs = two_family_inputs([1, 1, 2], [100, 300, 200], [40, 40, 20])
    symmetric = FamilyEqualisation(families=GERMAN_LIKE, rate=0.5)
    grants = FamilyEqualisation(families=GERMAN_LIKE, mode="gap_fill", rate=0.8, fraction=0.9)
    state = run_two_families(inputs, symmetric, grants)
    measure, standard = symmetric.measure_and_standard(state)
    np.testing.assert_allclose(measure, [120, 320, 420])
    np.testing.assert_allclose(standard, [175, 175, 510])
    np.testing.assert_allclose(state.transfers[0][1], [27.5, -72.5, 45])
    np.testing.assert_allclose(state.transfers[1][1], [8, 0, 0])
    assert state.paid_by_centre[0][1] == 0 and state.paid_by_centre[1][1] == pytest.approx(8)


def test_family_equalisation_input_errors():
    with pytest.raises(ValidationError, match="gap_fill only"):
        FamilyEqualisation(families=GERMAN_LIKE, fraction=0.9)
    with pytest.raises(ValidationError):
        FamilyEqualisation(families={})
    inputs = two_family_inputs([1, 1], [1, 2], [1, 2])
    with pytest.raises(ConfigurationError, match="unknown region 'Z'"):
        run_two_families(inputs, FamilyEqualisation(
            families={"non_resource": {"weights": {"Z": 1.2}}}))


@given(seeds, region_counts, st.sampled_from([(), (3,)]), st.floats(0, 1), st.floats(0.1, 1),
       st.floats(1.0, 1.5))
@SETTINGS
def test_family_equalisation_invariants(seed, n, leading, rate, inclusion, weight):
    inputs = random_two_family_inputs(seed, n, leading)
    families = {"non_resource": {"weights": {"A": weight}},
                "natural_resources": {"inclusion": inclusion, "weights": {"B": weight}}}
    step = FamilyEqualisation(families=families, rate=rate)
    state = run_two_families(inputs, step)
    transfer = state.transfers[-1][1]
    scale = np.abs(state.fiscal_capacity).sum(-1, keepdims=True)
    np.testing.assert_allclose(transfer.sum(-1), 0, atol=1e-9 * scale.max())
    assert (state.paid_by_centre[-1][1] == 0).all()
    measure, standard = step.measure_and_standard(state)
    np.testing.assert_allclose(standard.sum(-1), measure.sum(-1), rtol=1e-12)
    # no reversal of the ratio of measure to standard need
    before, after = measure / standard, (measure + transfer) / standard
    order = np.argsort(before, axis=-1)
    assert (np.diff(np.take_along_axis(after, order, -1), axis=-1) >= -1e-9).all()
    # a gap-fill after it lifts every region below fraction x A by rate of the gap
    grants = FamilyEqualisation(families=families, mode="gap_fill", rate=rate, fraction=0.99)
    both = run_two_families(inputs, step, grants)
    gap = 0.99 * standard - (measure + transfer)
    np.testing.assert_allclose(both.transfers[-1][1], rate * np.maximum(0, gap),
                               rtol=1e-9, atol=1e-9 * scale.max())


@given(seeds, region_counts, st.floats(0, 1), st.floats(1.0, 1.5))
@SETTINGS
def test_one_family_is_the_symmetric_step(seed, n, rate, weight):
    inputs = random_two_family_inputs(seed, n)
    weights = WeightPopulation(weights={"A": weight})
    ours = simulate(inputs, System(devolution={"non_resource": 1}, steps=[
        weights, FamilyEqualisation(families={"non_resource": {}}, rate=rate)]))
    theirs = simulate(inputs, System(devolution={"non_resource": 1}, steps=[
        weights, Symmetric(rate=rate)]))
    np.testing.assert_allclose(ours.transfers[-1][1], theirs.transfers[-1][1], rtol=1e-9,
                               atol=1e-9 * np.abs(ours.fiscal_capacity).sum())
