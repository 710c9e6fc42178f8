"""Real systems' rules as templates: they run on the UK's data and on any federation, the
library files are what the templates write, and each system's invariants hold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.errors import ConfigurationError
from simulator.federation import Federation
from simulator.scenario import load_scenario, run_scenario
from simulator.scenario.library import comparison_presets, library_scenarios, scenario_title
from simulator.scenario.running import run_on
from simulator.scenario.templates import (TEMPLATES, library_yaml, resolve_mapping,
                                          template_scenario)
from simulator.steps import NeedsPool

YEAR = "2024-25"
KEYS = list(TEMPLATES)


def synthetic(population, income, sales, resources) -> Federation:
    """A federation with three taxes named like no real one, one year."""
    population = np.asarray(population, float)[None]
    revenue = np.stack([income, sales, resources])[None].astype(float)
    n = population.shape[-1]
    return Federation(
        name="synthetic", codes=tuple(f"R{i}" for i in range(n)),
        names=tuple(f"Region {i}" for i in range(n)), nations=("X",) * n, years=("2030",),
        population=population, taxes=("income", "sales", "resources"), revenue=revenue,
        indicators={"identifiable_expenditure": population * 10_000.0},
        units={"identifiable_expenditure": "currency"}, source="test")


SYNTHETIC_MAPPING = {
    "canada": {"personal_income": ["income"], "consumption": ["sales"],
               "natural_resources": ["resources"]},
    "germany": {"land_revenue": ["income", "sales"], "municipal_taxes": ["resources"]},
    "australia": {"state_taxes": ["income"], "mining_royalties": ["resources"],
                  "gst_pool": ["sales"]},
    "switzerland": {"resource_potential": ["income", "sales"]},
}
TINY = synthetic([1e6, 2e6, 0.5e6, 3e6, 1.5e6],
                 [9e9, 7e9, 1e9, 20e9, 4e9], [5e9, 9e9, 2e9, 15e9, 6e9],
                 [0, 3e9, 0, 0, 0.1e9])


def run_template(key, federation=TINY):
    scenario = template_scenario(key, "synthetic", federation=federation,
                                 mapping=SYNTHETIC_MAPPING[key])
    return run_on(scenario, federation)


def transfers(result):
    return {label: np.asarray(amount)[0] for label, amount in result.state.transfers}


# ------------------------------------------------------------------ the UK library files
@pytest.mark.parametrize("key", KEYS)
def test_library_file_is_what_the_template_writes(key):
    path = library_scenarios()[TEMPLATES[key].scenario_name]
    assert path.read_text(encoding="utf-8") == library_yaml(key)
    on_file = load_scenario(path)
    built = template_scenario(key, "uk_itl1", YEAR)
    assert on_file.system() == built.system() and on_file.dataset == built.dataset


@pytest.mark.parametrize("key", KEYS)
def test_runs_on_the_uk(key):
    result = run_scenario(template_scenario(key, "uk_itl1", YEAR))
    frame = result.by_region()
    assert len(frame) == 12 and np.isfinite(frame["change_per_head_gbp"]).all()
    # every UK tax the template maps is devolved, and nothing else
    mapped = {t for taxes in TEMPLATES[key].uk_mapping.values() for t in taxes}
    if key == "australia":
        mapped -= set(TEMPLATES[key].uk_mapping["gst_pool"])
    assert set(result.system.devolution) == mapped


def test_uk_mapping_names_every_tax_once_and_only_uk_taxes():
    from simulator import load_federation

    taxes = load_federation("uk_itl1", year=YEAR).taxes
    for key, template in TEMPLATES.items():
        resolved = resolve_mapping(key, taxes, dataset="uk_itl1")
        assert resolved == template.uk_mapping
        assert set(template.uk_notes) == set(template.uk_mapping) <= set(template.bases)


# ------------------------------------------------------------------ any federation
@pytest.mark.parametrize("key", KEYS)
def test_runs_on_a_synthetic_federation(key):
    result = run_template(key)
    assert result.federation.codes == TINY.codes
    assert np.isfinite(result.resources_per_head).all()


def test_mapping_errors_name_the_base_and_the_taxes():
    with pytest.raises(ConfigurationError, match="'personal_income'.*needs at least one tax.*"
                       "from: income, sales, resources"):
        template_scenario("canada", "synthetic", federation=TINY)  # no mapping, no such bases
    with pytest.raises(ConfigurationError, match="maps tax .income_tax., which is not in the data"):
        resolve_mapping("canada", TINY.taxes, {"personal_income": ["income_tax"]})
    with pytest.raises(ConfigurationError, match="mapped to both"):
        resolve_mapping("germany", TINY.taxes, {"land_revenue": ["income"],
                                                "municipal_taxes": ["income"]})
    with pytest.raises(ConfigurationError, match="unknown base 'gst'"):
        resolve_mapping("australia", TINY.taxes, {"gst": ["sales"]})
    with pytest.raises(ConfigurationError, match="'gst_pool'.*needs at least one tax"):
        resolve_mapping("australia", TINY.taxes, {"state_taxes": ["income"]})
    with pytest.raises(ConfigurationError, match="city state 'ZZ'"):
        template_scenario("germany", "synthetic", federation=TINY,
                          mapping=SYNTHETIC_MAPPING["germany"], city_states=["ZZ"])


# ------------------------------------------------------------------ invariants
regions = st.integers(3, 8)


@st.composite
def federations(draw):
    n = draw(regions)
    money = st.floats(1e8, 5e10)
    population = draw(st.lists(st.floats(1e5, 1e7), min_size=n, max_size=n))
    income = draw(st.lists(money, min_size=n, max_size=n))
    sales = draw(st.lists(money, min_size=n, max_size=n))
    resources = draw(st.lists(st.one_of(st.just(0.0), money), min_size=n, max_size=n))
    return synthetic(population, income, sales, resources)


@settings(max_examples=25, deadline=None)
@given(federations())
def test_canada_payments_are_never_negative(federation):
    result = run_template("canada", federation)
    formula, cap = transfers(result).values()
    assert (formula >= 0).all()
    assert (cap <= 1e-6).all() and (formula + cap >= -1e-6 * formula.max()).all()


@settings(max_examples=25, deadline=None)
@given(federations())
def test_germany_surcharges_and_deductions_sum_to_zero(federation):
    result = run_template("germany", federation)
    zu_ab, bez = transfers(result).values()
    assert abs(zu_ab.sum()) <= 1e-9 * np.abs(zu_ab).sum() + 1e-3
    assert (bez >= 0).all()


@settings(max_examples=25, deadline=None)
@given(federations())
def test_australia_pool_shares_sum_to_the_pool(federation):
    scenario = template_scenario("australia", "synthetic", federation=federation,
                                 mapping=SYNTHETIC_MAPPING["australia"])
    step = scenario.steps[0]
    assert step.amount == pytest.approx(float(federation.revenue[0, 1].sum()))  # the 'sales' pool
    state = run_on(scenario, federation).state
    (moved,) = transfers(run_on(scenario, federation)).values()
    assert abs(moved.sum()) <= 1e-9 * step.amount  # replaces an equal per-head share
    shares = moved + step.amount * state.equalisation_population[0] / state.equalisation_population[0].sum()
    assert shares.sum() == pytest.approx(step.amount, rel=1e-12)
    assert (shares >= -1e-6).all()


@settings(max_examples=25, deadline=None)
@given(federations())
def test_switzerland_lifts_weak_regions_and_strong_ones_pay(federation):
    result = run_template("switzerland", federation)
    guarantee, contribution = transfers(result).values()
    assert (guarantee >= 0).all() and (contribution <= 1e-6).all()
    # strong regions pay 2/3 of what the centre still pays: 40% of the total
    assert -contribution.sum() == pytest.approx(0.4 * guarantee.sum(), rel=1e-9, abs=1e-3)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(1e5, 1e7), min_size=2, max_size=8),
       st.floats(0, 1.5))
def test_needs_pool_funded_per_head_sums_to_zero_and_keeps_relativities(population, floor):
    from simulator.engine import System

    n = len(population)
    relativities = {f"R{i}": 0.5 + i for i in range(n)}
    fed = synthetic(population, [1e9] * n, [1e9] * n, [0.0] * n)
    centre = NeedsPool(amount=1e10, relativities=relativities, relativity_floor=floor)
    shared = centre.model_copy(update={"funding": "equal_per_head"})
    from simulator.engine import run

    a = run(fed, System(steps=[centre])).state
    b = run(fed, System(steps=[shared])).state
    pop = np.asarray(population)
    np.testing.assert_allclose(b.total_transfers[0], a.total_transfers[0] - 1e10 * pop / pop.sum(),
                               rtol=1e-9, atol=1e-3)
    assert abs(b.total_transfers[0].sum()) <= 1e-3
    assert float(np.sum([p for _, p in b.paid_by_centre])) == 0


# ------------------------------------------------------------------ Compare presets
def test_comparison_presets_put_the_four_countries_side_by_side():
    presets = comparison_presets()
    library = library_scenarios()
    for names in presets.values():
        assert 2 <= len(names) <= 4 and all(n in library for n in names)
        assert {load_scenario(library[n]).dataset.name for n in names} == {"uk_itl1"}
    four = [names for name, names in presets.items() if "Canada" in name]
    assert four == [[t.scenario_name for t in TEMPLATES.values()]]
    titles = [scenario_title(n) for n in four[0]]
    assert titles == ["Canada's rules on the UK", "Germany's rules on the UK",
                      "Australia's rules on the UK", "Switzerland's rules on the UK"]


@pytest.mark.parametrize("name", ["canada_rules_on_uk", "canada_equalization_2025_26"])
def test_canada_standard_fraction_can_be_swept(name):
    """The vectorised engine varies the standard's fraction of a source-by-source gap-fill
    (Targets' best-for-budget does): each point equals a run with that fraction."""
    from simulator.analysis.sweep import Evaluator

    scenario = load_scenario(library_scenarios()[name])
    fractions = np.array([[0.8], [1.0], [1.1]])
    swept = Evaluator(scenario, ["steps[0].standard.fraction"]).state(fractions)
    for k, fraction in enumerate(fractions[:, 0]):
        steps = list(scenario.steps)
        steps[0] = steps[0].model_copy(update={"standard": steps[0].standard.model_copy(
            update={"fraction": float(fraction)})})
        one = run_scenario(scenario.model_copy(update={"steps": steps})).state
        np.testing.assert_allclose(swept.resources[k, 0], one.resources[0], rtol=1e-12)
