"""Small synthetic federations for the over-time tests."""

from __future__ import annotations

import numpy as np
import pytest

from simulator import Federation


def fiscal_years(first: int, n: int) -> list[str]:
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(first, first + n)]


def synthetic_federation(n_years: int = 12, seed: int = 0, first_year: int = 2010,
                         with_grant: bool = True) -> Federation:
    """Four regions, two taxes, trending revenue with noise; money in GBP."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_years)[:, None]
    pop0 = np.array([5.4e6, 3.1e6, 9.0e6, 1.9e6])
    pop_growth = np.array([0.002, 0.001, 0.006, 0.0])
    population = pop0 * np.exp(pop_growth * t)
    per_head0 = np.array([[2400.0, 2100.0, 3300.0, 2000.0],     # income tax
                          [1500.0, 1400.0, 1700.0, 1300.0]])    # vat
    trend = np.array([0.035, 0.03, 0.045, 0.028])
    noise = rng.normal(0.0, 0.01, size=(n_years, 2, 4)).cumsum(axis=0)
    per_head = per_head0[None] * np.exp(trend * t[:, :, None].repeat(2, 1) + noise)
    revenue = per_head * population[:, None, :]
    indicators = {}
    if with_grant:
        indicators["grant"] = 4000.0 * population * np.exp(0.03 * t)
    return Federation(
        name="synthetic", codes=("S", "W", "L", "N"), names=("Scotia", "Wallia", "Londinium", "Nordia"),
        nations=("Scotia", "Wallia", "Anglia", "Nordia"), years=fiscal_years(first_year, n_years),
        population=population, taxes=("income_tax", "vat"), revenue=revenue,
        indicators=indicators, units={"grant": "GBP"}, source="synthetic test data")


@pytest.fixture
def federation() -> Federation:
    return synthetic_federation()


@pytest.fixture
def make_federation():
    """The synthetic federation builder, for tests that need other sizes or seeds."""
    return synthetic_federation
