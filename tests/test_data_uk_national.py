"""``simulator.data.uk_national``: money GDP, the deflator and spending by function, against
the published totals they must agree with."""

from __future__ import annotations

import numpy as np
import pytest

import simulator
from simulator.data import uk_national
from simulator.errors import DataValidationError

YEARS = list(simulator.load_federation("uk_itl1").years)


def test_gdp_and_deflator_as_published():
    gdp, deflator = uk_national.gdp_and_deflator(["2019-20", "2021-22", "2024-25"])
    # CRPSF Table S11 (BKTL) and ONS regional GDP Table 8 (UK, 2019 = 100)
    assert gdp == pytest.approx([2263357.0, 2400398.0, 2934160.0])
    assert deflator[:2] == pytest.approx([100.0, 106.3])
    assert np.isnan(deflator[2])  # no deflator after calendar 2021
    _, every = uk_national.gdp_and_deflator(YEARS)
    assert np.isnan(every).sum() == 3


def test_unknown_year_is_named():
    with pytest.raises(DataValidationError, match="1990-91"):
        uk_national.gdp_and_deflator(["1990-91"])


def test_functions_add_up_to_identifiable_expenditure():
    fed = simulator.load_federation("uk_itl1")
    top = [f for f in uk_national.functions()
           if "of which" not in f and f != "Total identifiable expenditure"]
    assert len(top) == 11  # COFOG 1-10 and EU transactions
    for year in ("1999-00", "2024-25"):
        total = sum(uk_national.expenditure_by_function(f, year, fed.codes) for f in top)
        published = fed.indicators["identifiable_expenditure"][YEARS.index(year)] / 1e6
        # the published functions are rounded to GBP 1m each: within 11 x 0.5m
        assert np.abs(total - published).max() <= 5.5
        assert uk_national.expenditure_by_function(
            "Total identifiable expenditure", year, fed.codes) == pytest.approx(published)


def test_unknown_function_region_and_year():
    with pytest.raises(DataValidationError, match="unknown COFOG function"):
        uk_national.expenditure_by_function("Health", "2024-25", ["TLC"])
    with pytest.raises(DataValidationError, match="region"):
        uk_national.expenditure_by_function("7. Health", "2024-25", ["XX"])
    with pytest.raises(DataValidationError, match="year"):
        uk_national.expenditure_by_function("7. Health", "2030-31", ["TLC"])
