"""Fixtures of the app tests."""

import pytest


@pytest.fixture(scope="session")
def library():
    from simulator.scenario.library import library_scenarios

    scenarios = library_scenarios()
    if "income_tax_gap_fill_75" not in scenarios:
        pytest.skip("the scenario library has no income_tax_gap_fill_75.yaml")
    return scenarios
