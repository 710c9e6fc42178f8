"""A three-region federation ("tiny") for scenario and CLI tests."""

from __future__ import annotations

import numpy as np

from simulator.federation import Federation

TINY_CODES = ("A", "B", "C")
TINY_TAXES = ("income_tax", "vat", "council_tax")


def tiny_federation(year=None, north_sea: str = "geographic") -> Federation:
    """Three regions, two years; A has the most revenue per head.  ``north_sea`` is
    checked like uk_itl1's option but changes nothing here."""
    if north_sea not in ("geographic", "population", "excluded"):
        raise ValueError(f"north_sea must be geographic, population or excluded, not {north_sea!r}")
    population = np.array([[1.0e6, 2.0e6, 1.0e6], [1.1e6, 2.0e6, 1.0e6]])
    revenue = np.array([
        [[6.0e9, 6.0e9, 1.0e9], [3.0e9, 5.0e9, 1.5e9], [1.0e9, 1.8e9, 0.8e9]],
        [[6.6e9, 6.2e9, 1.1e9], [3.2e9, 5.2e9, 1.6e9], [1.1e9, 1.9e9, 0.8e9]],
    ])
    spending = np.array([[9.0e9, 20.0e9, 12.0e9], [9.5e9, 21.0e9, 12.5e9]])
    fed = Federation(
        name="tiny", codes=TINY_CODES, names=("Alpha", "Beta", "Gamma"),
        nations=("X", "X", "Y"), years=("2023-24", "2024-25"), population=population,
        taxes=TINY_TAXES, revenue=revenue,
        indicators={"identifiable_expenditure": spending,
                    "gdhi_per_head": np.array([[30e3, 22e3, 18e3], [31e3, 23e3, 18.5e3]])},
        units={"identifiable_expenditure": "GBP", "gdhi_per_head": "GBP per head"},
        source="test data")
    return fed if year is None else fed.select_years(year)
