"""The JSON Schema: built from STEP_TYPES, with units, ranges, defaults and references."""

from __future__ import annotations

from typing import ClassVar, Literal

import pytest

from simulator.scenario import parse_scenario, refresh_step_types, scenario_json_schema
from simulator.steps import STEP_TYPES, Step
from simulator.steps.base import param


def step_definitions(schema: dict) -> dict[str, dict]:
    mapping = schema["$defs"]["SystemSpec"]["properties"]["steps"]["items"]
    refs = mapping.get("discriminator", {}).get("mapping") or {
        next(iter(STEP_TYPES)): mapping["$ref"]}
    return {tag: schema["$defs"][ref.split("/")[-1]] for tag, ref in refs.items()}


def test_every_step_type_is_in_the_schema_with_its_reference():
    schema = scenario_json_schema()
    definitions = step_definitions(schema)
    assert set(definitions) == set(STEP_TYPES)
    for tag, definition in definitions.items():
        cls = STEP_TYPES[tag]
        assert definition["reference"] == cls.reference
        assert definition["real_system"] == cls.real_system
    assert definitions["gap_fill"]["reference"] == "FPFAA s.3.2" or \
        "FPFAA" in definitions["gap_fill"]["reference"]


def test_every_scenario_field_has_description_unit_and_default():
    schema = scenario_json_schema()
    for name in ("SystemSpec", "DatasetSpec", "Projection"):
        for field, prop in schema["$defs"][name]["properties"].items():
            assert prop.get("description"), (name, field)
            assert prop.get("unit"), (name, field)
            assert "default" in prop, (name, field)
    for field, prop in schema["properties"].items():
        assert prop.get("description") and prop.get("unit") and "default" in prop, field


def test_numeric_step_parameters_carry_unit_and_range():
    gap_fill = step_definitions(scenario_json_schema())["gap_fill"]["properties"]["rate"]
    assert (gap_fill["minimum"], gap_fill["maximum"], gap_fill["unit"]) == (0, 1, "share (0-1)")


def test_shorthands_are_documented():
    schema = scenario_json_schema()
    devolution = schema["$defs"]["SystemSpec"]["properties"]["devolution"]["additionalProperties"]
    assert {"type": "number", "minimum": 0, "maximum": 1} .items() <= devolution["anyOf"][0].items()
    assert schema["properties"]["dataset"]["anyOf"][0]["type"] == "string"


@pytest.fixture
def extra_step_type():
    """A step type registered after the scenario module was imported."""

    class Nudge(Step):
        """Pay every region a fixed amount per head (test only)."""

        reference: ClassVar[str] = "Test Act s.1"
        real_system: ClassVar[str] = "Testland"
        title: ClassVar[str] = "Nudge"
        type: Literal["nudge_for_tests"] = "nudge_for_tests"
        amount: float = param(1.0, description="Per head.", unit="currency per head", ge=0, le=10)

        def apply(self, state):
            return state.with_transfer(self.display_label, self.amount * state.population)

    yield Nudge
    STEP_TYPES.pop("nudge_for_tests", None)
    refresh_step_types()


def test_new_step_types_appear_automatically(extra_step_type, tiny_dataset):
    definitions = step_definitions(scenario_json_schema())
    assert definitions["nudge_for_tests"]["reference"] == "Test Act s.1"
    scenario = parse_scenario("dataset: tiny\nyear: 2024-25\n"
                              "steps: [{type: nudge_for_tests, amount: 2}]\n")
    assert isinstance(scenario.steps[0], extra_step_type)
