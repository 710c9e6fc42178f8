"""Shared helpers of the trust tests: a three-region dataset registered under its own name."""

from __future__ import annotations

import contextlib
from typing import Iterator

import numpy as np

from simulator.data import DATASETS
from simulator.federation import Federation

NAME = "trust_tiny"
CODES = ("A", "B", "C")


def tiny(year=None, scale: float = 1.0, spending_scale: float = 1.0) -> Federation:
    """Three regions, two years (like tests/scenario's tiny), money times ``scale``."""
    population = np.array([[1.0e6, 2.0e6, 1.0e6], [1.1e6, 2.0e6, 1.0e6]])
    revenue = np.array([
        [[6.0e9, 6.0e9, 1.0e9], [3.0e9, 5.0e9, 1.5e9], [1.0e9, 1.8e9, 0.8e9]],
        [[6.6e9, 6.2e9, 1.1e9], [3.2e9, 5.2e9, 1.6e9], [1.1e9, 1.9e9, 0.8e9]],
    ]) * scale
    spending = np.array([[9.0e9, 20.0e9, 12.0e9], [9.5e9, 21.0e9, 12.5e9]]) * spending_scale
    fed = Federation(
        name=NAME, codes=CODES, names=("Alpha", "Beta", "Gamma"), nations=("X", "X", "Y"),
        years=("2023-24", "2024-25"), population=population,
        taxes=("income_tax", "vat", "council_tax"), revenue=revenue,
        indicators={"identifiable_expenditure": spending,
                    "gdhi_per_head": np.array([[30e3, 22e3, 18e3], [31e3, 23e3, 18.5e3]]),
                    "signed": np.array([[1.0, -0.5, 2.0], [1.0, -0.5, 2.0]]),
                    "zeros": np.zeros((2, 3))},
        units={"identifiable_expenditure": "GBP per year", "gdhi_per_head": "GBP per head",
               "signed": "index", "zeros": "index"},
        source="test data")
    return fed if year is None else fed.select_years(year)


@contextlib.contextmanager
def registered(loader=tiny, name: str = NAME) -> Iterator[str]:
    """The dataset registered as a built-in for the block."""
    DATASETS[name] = ("Three-region trust test federation", loader)
    try:
        yield name
    finally:
        DATASETS.pop(name, None)
