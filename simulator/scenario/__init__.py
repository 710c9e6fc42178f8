"""Scenarios: YAML files that describe a fiscal settlement, validated at the boundary.

>>> from simulator.scenario import load_scenario, run_scenario
>>> scenario = load_scenario("scenarios/income_tax_gap_fill_75.yaml")
>>> result = run_scenario(scenario)
"""

from .errors import Problem, ScenarioError
from .loading import check_scenario, dump_scenario, load_scenario, parse_scenario, scenario_to_data
from .running import run_scenario, scenario_federation
from .schema import (DatasetSpec, Projection, Scenario, SystemSpec, refresh_step_types,
                     scenario_json_schema)

__all__ = ["Problem", "ScenarioError", "load_scenario", "parse_scenario", "dump_scenario",
           "scenario_to_data", "check_scenario", "run_scenario", "scenario_federation",
           "Scenario", "SystemSpec", "DatasetSpec", "Projection", "refresh_step_types",
           "scenario_json_schema"]
