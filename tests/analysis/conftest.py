"""Fixtures for the analysis tests: library scenarios and independent standalone runs."""

from __future__ import annotations

import re
from typing import Any

import pytest

from simulator.scenario import Scenario, load_scenario, run_scenario
from simulator.scenario.library import library_scenarios

LIBRARY = library_scenarios()


@pytest.fixture(scope="session")
def library():
    """name -> loaded library scenario."""
    return {name: load_scenario(path) for name, path in LIBRARY.items()}


def variant(scenario: Scenario, path: str, value: float) -> Scenario:
    """The scenario with ``path`` set to ``value``, rebuilt from its data and validated
    (independent of the sweep's unvalidated ``model_copy``)."""
    data: dict[str, Any] = scenario.model_dump(exclude_unset=True)
    data.setdefault("devolution", {})
    share = re.fullmatch(r"devolution\.(\w+)\.share", path)
    if share:
        tax = share.group(1)
        old = data["devolution"].get(tax, {})
        data["devolution"][tax] = {**(old if isinstance(old, dict) else {}), "share": value}
        return Scenario.model_validate(data)
    match = re.fullmatch(r"steps\[(-?\d+)\]\.(.+)", path)
    node = data["steps"][int(match.group(1))]
    names = match.group(2).split(".")
    for name in names[:-1]:
        node = node.setdefault(name, {})
        if isinstance(node, str):  # standard given as its kind only
            node = {"kind": node}
    node[names[-1]] = value
    if names[-1] == "share":
        node.pop("ratio_to_centre", None)
    return Scenario.model_validate(data)


def standalone(scenario: Scenario, path: str, value: float):
    """``run_scenario`` of the validated variant: the reference a sweep point must equal."""
    return run_scenario(variant(scenario, path, value))
