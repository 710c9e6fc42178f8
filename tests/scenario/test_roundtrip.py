"""Property: any valid scenario dumps to YAML that loads back to an equal scenario."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from simulator.scenario import Scenario, dump_scenario, parse_scenario, refresh_step_types
from simulator.steps import STEP_TYPES

refresh_step_types()

CODES = ["A", "B", "C"]
TAXES = ["income_tax", "vat", "council_tax", "north_sea"]
finite = dict(allow_nan=False, allow_infinity=False)
texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


def number(low: float | None, high: float | None) -> st.SearchStrategy[float]:
    return st.floats(min_value=-1e6 if low is None else low,
                     max_value=1e6 if high is None else high, **finite)


def step_params(cls) -> st.SearchStrategy[dict[str, Any]]:
    """Numbers, booleans and choices of a step, drawn inside their declared ranges."""
    fields: dict[str, st.SearchStrategy] = {}
    for name, prop in cls.model_json_schema()["properties"].items():
        branches = [prop] + prop.get("anyOf", [])
        for branch in branches:
            if branch.get("type") == "number":
                fields[name] = number(branch.get("minimum", branch.get("exclusiveMinimum")),
                                      branch.get("maximum", branch.get("exclusiveMaximum")))
                break
            if branch.get("type") == "boolean":
                fields[name] = st.booleans()
                break
            if "enum" in branch:
                fields[name] = st.sampled_from(branch["enum"])
                break
    return st.fixed_dictionaries({}, optional=fields).map(lambda d: {"type": cls.model_fields["type"].default, **d})


steps = st.one_of([step_params(cls) for cls in STEP_TYPES.values()])

tax_assignment = st.one_of(
    number(0, 1),
    st.fixed_dictionaries({"share": number(0, 1), "own_rate": st.just(True)},
                          optional={"rate_change": st.one_of(
                              number(-0.99, 10),
                              st.dictionaries(st.sampled_from(CODES), number(-0.99, 10))),
                              "base_elasticity": number(0, 5)}),
)

system_fields = {
    "devolution": st.dictionaries(st.sampled_from(TAXES), tax_assignment, max_size=4),
    "block_grant": st.one_of(st.none(), st.sampled_from(["identifiable_expenditure"])),
    "block_grant_adjustment": st.sampled_from(["per_capita", "own_revenue", "none"]),
    "need_index": st.one_of(st.none(), st.just("gdhi_per_head"),
                            st.fixed_dictionaries({c: number(0.01, 10) for c in CODES})),
    "steps": st.lists(steps, max_size=4),
}

scenarios = st.fixed_dictionaries(
    {"name": texts.filter(lambda s: s.strip() != "")},
    optional={
        **system_fields,
        "description": texts,
        "dataset": st.one_of(st.just("tiny"), st.fixed_dictionaries(
            {"name": st.just("tiny")},
            optional={"options": st.dictionaries(st.just("north_sea"), st.sampled_from(
                ["geographic", "population", "excluded"]))})),
        "year": st.one_of(st.none(), st.sampled_from(["2023-24", "2024-25"]),
                          st.lists(st.sampled_from(["2023-24", "2024-25"]), min_size=1, max_size=2)),
        "baseline": st.one_of(st.none(), st.fixed_dictionaries({}, optional=system_fields)),
        "projection": st.one_of(st.none(), st.fixed_dictionaries({}, optional={
            "start_year": st.just("2025-26"), "end_year": st.just("2029-30"),
            "growth": st.sampled_from(["trend", "fixed"]), "rate": number(-0.5, 0.5),
            "overrides": st.dictionaries(st.sampled_from(CODES), number(-0.5, 0.5))})),
        "outputs": st.lists(st.sampled_from(["regions", "summary", "transfers"]), unique=True),
    })


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(scenarios)
def test_dump_then_load_gives_an_equal_scenario(data):
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError:  # e.g. a standard kind drawn without its parameter
        assume(False)
    text = dump_scenario(scenario)
    assert parse_scenario(text, check_data=False) == scenario
