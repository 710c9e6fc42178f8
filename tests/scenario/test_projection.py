"""Scenario projections: the years run, growth and overrides, indexed block grant
adjustments and transitions, and errors naming the field and line."""

from __future__ import annotations

from typing import get_args

import numpy as np
import pytest

import simulator
from simulator.over_time import BGA_METHODS
from simulator.scenario import ScenarioError, load_scenario, parse_scenario, run_scenario
from simulator.scenario.running import projected_federation, run_on, scenario_federation
from simulator.scenario.schema import BGAIndexationName

REFORM = """
dataset: tiny
devolution: {income_tax: {share: 1, own_rate: true}}
block_grant: identifiable_expenditure
need_index: {A: 0.9, B: 1.0, C: 1.2}
steps: [{type: gap_fill, rate: 0.75}]
"""


def scenario(tiny_dataset, projection: str, body: str = REFORM):
    return parse_scenario(body + "projection: " + projection + "\n")


def per_head(result):
    fed = result.federation
    return result.resources_per_head.reshape(len(fed.years), fed.n_regions)


def change(result):
    fed = result.federation
    return (result.resources_per_head - result.baseline_resources_per_head).reshape(
        len(fed.years), fed.n_regions)


def test_a_projection_runs_the_jump_off_year_and_the_projected_years(tiny_dataset):
    result = run_scenario(scenario(tiny_dataset, "{end_year: 2028-29, window: 2}"))
    assert list(result.federation.years) == ["2024-25", "2025-26", "2026-27", "2027-28", "2028-29"]
    assert list(result.summary()["year"]) == list(result.federation.years)
    assert len(result.by_region()) == 5 * 3
    assert "projected 2025-26..2028-29" in result.federation.source


def test_the_jump_off_year_is_the_published_run_of_that_year(tiny_dataset):
    projected = scenario(tiny_dataset, "{end_year: 2026-27, window: 2}")
    published = run_on(projected, scenario_federation(projected, "2024-25"))
    np.testing.assert_allclose(per_head(run_scenario(projected))[0],
                               published.resources_per_head[0], rtol=1e-12)


def test_an_explicit_year_runs_that_published_year_without_the_projection(tiny_dataset):
    projected = scenario(tiny_dataset, "{end_year: 2026-27, window: 2}")
    result = run_scenario(projected, year="2023-24")
    assert list(result.federation.years) == ["2023-24"]


def test_start_year_inside_the_dataset_replaces_the_later_published_years():
    text = """
        dataset: uk_itl1
        devolution: {income_tax: 1}
        block_grant: identifiable_expenditure
        projection: {start_year: 2021-22, end_year: 2022-23, window: 5}
    """
    result = run_scenario(parse_scenario(text))
    assert list(result.federation.years) == ["2020-21", "2021-22", "2022-23"]
    published = simulator.load_federation("uk_itl1", year="2020-21")
    np.testing.assert_allclose(result.federation.population[0], published.population[0])
    assert "trends 2016-17..2020-21" in result.federation.source


def test_start_year_defaults_to_the_year_after_the_scenarios_last(tiny_dataset):
    projected = scenario(tiny_dataset, "{end_year: 2025-26, window: 2}",
                         REFORM + "year: [2024-25, 2023-24]\n")
    assert list(run_scenario(projected).federation.years) == ["2024-25", "2025-26"]


def test_zero_growth_reproduces_the_jump_off_year_every_year(tiny_dataset):
    projected = scenario(tiny_dataset, "{end_year: 2029-30, growth: fixed, rate: 0, "
                                       "population_growth: 0, window: 2}")
    result = run_scenario(projected)
    values = per_head(result)
    np.testing.assert_allclose(values, np.broadcast_to(values[0], values.shape), rtol=1e-12)
    summary = result.summary().drop(columns="year").to_numpy()
    np.testing.assert_allclose(summary, np.broadcast_to(summary[0], summary.shape), rtol=1e-9,
                               atol=1e-9)


def test_fixed_growth_grows_revenue_and_grant_per_head_at_the_rate(tiny_dataset):
    projected = scenario(tiny_dataset, "{end_year: 2026-27, growth: fixed, rate: 0.03, "
                                       "window: 2}")
    fed = projected_federation(projected)
    revenue_per_head = fed.revenue / fed.population[:, None, :]
    np.testing.assert_allclose(revenue_per_head[2], revenue_per_head[0] * 1.03 ** 2)
    grant = fed.indicators["identifiable_expenditure"] / fed.population
    np.testing.assert_allclose(grant[2], grant[0] * 1.03 ** 2)
    need = fed.indicators["need_index (scenario)"]
    np.testing.assert_allclose(need, np.broadcast_to([0.9, 1.0, 1.2], need.shape))


def test_an_override_changes_only_the_named_regions_revenue(tiny_dataset):
    plain = projected_federation(scenario(tiny_dataset, "{end_year: 2027-28, window: 2}"))
    override = projected_federation(scenario(
        tiny_dataset, "{end_year: 2027-28, window: 2, overrides: {B: 0.05}}"))
    differs = ~np.isclose(plain.revenue, override.revenue, rtol=1e-12)
    assert differs[1:, :, 1].all() and not differs[..., [0, 2]].any() and not differs[0].any()
    per_head = override.revenue[:, :, 1] / override.population[:, 1:2]
    np.testing.assert_allclose(per_head[1:] / per_head[:-1], 1.05)
    np.testing.assert_allclose(plain.population, override.population)
    for name, values in plain.indicators.items():
        np.testing.assert_allclose(values, override.indicators[name])


DEVOLVED_ONLY = """
dataset: tiny
devolution: {income_tax: {share: 1, own_rate: true}}
block_grant: identifiable_expenditure
block_grant_adjustment: own_revenue
"""


def test_indexed_per_capita_with_equal_growth_gives_no_gain_or_loss(tiny_dataset):
    # equal growth of revenue per head and of population in every region: the comparator's
    # revenue per head grows at the same rate (no change of composition)
    projected = scenario(tiny_dataset, "{end_year: 2029-30, growth: fixed, rate: 0.03, "
                         "population_growth: 0.01, window: 2, "
                         "block_grant_indexation: indexed_per_capita}", DEVOLVED_ONLY)
    result = run_scenario(projected)
    assert (np.diff(result.federation.population, axis=0) > 0).all()
    np.testing.assert_allclose(change(result), 0, atol=1e-6)
    assert result.summary()["cost_to_centre_gbp_m"].abs().max() < 1e-6


def test_indexed_per_capita_rewards_faster_growth(tiny_dataset):
    projected = scenario(tiny_dataset, "{end_year: 2029-30, growth: fixed, rate: 0.03, "
                         "overrides: {C: 0.05}, window: 2, "
                         "block_grant_indexation: indexed_per_capita}", DEVOLVED_ONLY)
    gains = change(run_scenario(projected))
    np.testing.assert_allclose(gains[0], 0, atol=1e-6)   # the base year: no gain or loss
    assert (np.diff(gains[:, 2]) > 0).all()              # C keeps its faster growth
    assert (gains[1:, :2] < 0).all()                     # A, B: C is in their comparator


def test_static_adjustment_is_re_measured_every_year(tiny_dataset):
    projected = scenario(tiny_dataset, "{end_year: 2027-28, growth: fixed, rate: 0.03, "
                         "overrides: {C: 0.05}, window: 2}", DEVOLVED_ONLY)
    np.testing.assert_allclose(change(run_scenario(projected)), 0, atol=1e-6)  # own_revenue


def test_a_comparator_and_resets_reach_the_indexation(tiny_dataset):
    base = ("{end_year: 2029-30, growth: fixed, rate: 0.03, overrides: {C: 0.05}, window: 2, "
            "block_grant_indexation: indexed_per_capita")
    plain = change(run_scenario(scenario(tiny_dataset, base + "}", DEVOLVED_ONLY)))
    reset = change(run_scenario(scenario(tiny_dataset, base + ", reset_every: 2}",
                                         DEVOLVED_ONLY)))
    np.testing.assert_allclose(reset[2], 0, atol=1e-6)  # full reset two years after 2024-25
    assert not np.allclose(plain[2], 0)
    assert (plain[1:, 0] < 0).all()  # A's comparator includes the faster-growing C...
    own = change(run_scenario(scenario(tiny_dataset, base + ", comparator: [A, B]}",
                                       DEVOLVED_ONLY)))
    np.testing.assert_allclose(own[:, :2], 0, atol=1e-6)  # ...not with comparator [A, B]
    assert (own[1:, 2] > 0).all()                         # C still grows faster than A + B


@pytest.mark.parametrize("indexation", ["static", "indexed_per_capita"])
def test_a_transition_phases_the_reform_in_from_start_year(tiny_dataset, indexation):
    settings = ("{end_year: 2029-30, growth: fixed, rate: 0.02, window: 2, "
                f"block_grant_indexation: {indexation}")
    full = run_scenario(scenario(tiny_dataset, settings + "}"))
    phased = run_scenario(scenario(tiny_dataset, settings + ", transition_years: 4}"))
    weights = np.array([0, 0.25, 0.5, 0.75, 1, 1])[:, None]
    np.testing.assert_allclose(change(phased), weights * change(full), atol=1e-6)


def test_the_indexation_choices_are_static_and_the_bga_methods():
    assert get_args(BGAIndexationName) == ("static",) + BGA_METHODS


# ------------------------------------------------------------------ errors
def problems(path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return {p.path: p for p in info.value.problems}


def test_missing_end_year_is_named_with_its_line(tiny_dataset, write):
    found = problems(write("p.yaml", REFORM + "projection:\n  growth: fixed\n  window: 2\n"))
    problem = found["projection.end_year"]
    assert "required" in problem.message and "'2025-26'" in problem.message
    assert problem.line == 7 and problem.file.endswith("p.yaml")  # the projection's


def test_end_before_start_is_named_with_its_line(tiny_dataset, write):
    found = problems(write("p.yaml", REFORM + "projection:\n  start_year: 2025-26\n"
                                              "  end_year: 2024-25\n"))
    problem = found["projection.end_year"]
    assert "before start_year '2025-26'" in problem.message and problem.line == 8


def test_end_not_after_the_jump_off_year(tiny_dataset, write):
    found = problems(write("p.yaml", REFORM + "year: 2023-24\nprojection: {end_year: 2023-24, "
                                              "window: 2}\n"))
    assert "not after the jump-off year '2023-24'" in found["projection.end_year"].message


def test_unknown_override_region_is_named_with_its_line(tiny_dataset, write):
    found = problems(write("p.yaml", REFORM + "projection:\n  end_year: 2026-27\n  window: 2\n"
                                              "  overrides: {A: 0.01, Q: 0.02}\n"))
    problem = found["projection.overrides.Q"]
    assert "unknown region code 'Q'" in problem.message and problem.line == 9


@pytest.mark.parametrize("setting, path, words", [
    ("{end_year: 2026-27}", "projection.window", "longer than the 2 observed years"),
    ("{end_year: 2026-27, window: 2, start_year: 2023-24}", "projection.start_year",
     "after its first"),
    ("{end_year: 2026-27, window: 2, start_year: 2030-31}", "projection.end_year",
     "before start_year"),
    ("{end_year: 2027-29, window: 2}", "projection.end_year", "is not a year"),
    ("{end_year: 2027, window: 2}", "projection.end_year", "not a financial year"),
    ("{end_year: 2026-27, window: 2, population_growth: {Z: 0}}",
     "projection.population_growth.Z", "unknown region code"),
    ("{end_year: 2026-27, window: 2, block_grant_indexation: comparable_model, "
     "comparator: [A, Q]}", "projection.comparator[1]", "unknown region code"),
    ("{end_year: 2026-27, window: 2, reset_every: 2}", "projection.reset_every",
     "indexed block_grant_indexation only"),
    ("{end_year: 2026-27, window: 2, block_grant_indexation: indexed_per_capita, "
     "reset_share: 0.5}", "projection.reset_share", "needs reset_every"),
    ("{end_year: 2026-27, window: 2, block_grant_indexation: per_capita}",
     "projection.block_grant_indexation", "indexed_per_capita"),
])
def test_bad_settings_are_named(tiny_dataset, write, setting, path, words):
    found = problems(write("p.yaml", REFORM + "projection: " + setting + "\n"))
    assert path in found, found
    assert words in found[path].message and found[path].line == 6


def test_run_names_the_field_of_a_scenario_built_in_python(tiny_dataset):
    projected = parse_scenario(REFORM + "projection: {growth: fixed}\n", check_data=False)
    with pytest.raises(ScenarioError) as info:
        run_scenario(projected)
    assert [p.path for p in info.value.problems] == ["projection.end_year", "projection.window"]


def test_the_report_shows_the_projected_path(tiny_dataset):
    from simulator.analysis.report import build_report

    projected = scenario(tiny_dataset, "{end_year: 2027-28, window: 2}")
    html = build_report(projected)
    assert "Resources per head by region, 2027-28 (projected)" in html
    assert "Projection: 2025-26 to 2027-28 projected from the observed year 2024-25" in html
    assert "path runs from the observed year 2024-25 through the projected years" in html
    published = build_report(projected, years="2023-24:2024-25")
    assert "(projected)" not in published and "which is not applied" in published
