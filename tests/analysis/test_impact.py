"""Regional impact assessment: hand-computed effects of a tax and a spending change."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import simulator
from simulator.analysis import impact
from simulator.errors import ConfigurationError, DataValidationError
from simulator.federation import Federation

M = 1e6


def small() -> Federation:
    """A: 1m people, B: 3m; tax a raises 10m and 30m, tax b 4m and 12m; GDHI per
    head 10,000 and 20,000 in the first year, not published in the second."""
    revenue = np.array([[[10, 30], [4, 12]], [[11, 33], [8, 12]]]) * M
    return Federation(name="small", codes=["A", "B"], names=["A", "B"], nations=["X", "X"],
                      years=["y0", "y1"], population=np.array([[1.0, 3.0], [1.0, 3.0]]) * M,
                      taxes=["a", "b"], revenue=revenue,
                      indicators={"gdhi_per_head": np.array([[1e4, 2e4], [np.nan, np.nan]])})


def test_tax_rise_without_behaviour():
    result = impact.tax_change(small(), "a", 0.1, year="y0")
    frame = result.frame.set_index("code")
    assert frame["effect_gbp_m"].to_numpy() == pytest.approx([-1.0, -3.0])
    assert frame["effect_per_head_gbp"].to_numpy() == pytest.approx([-1.0, -1.0])
    assert frame["index_uk_100"].to_numpy() == pytest.approx([100.0, 100.0])
    # -1 GBP of a 10,000 / 20,000 GDHI per head
    assert frame["effect_pct_of_gdhi"].to_numpy() == pytest.approx([-0.01, -0.005])
    assert result.uk_effect_m == pytest.approx(-4.0)
    assert result.uk_effect_per_head == pytest.approx(-1.0)
    assert result.gdhi_note == "GDHI per head of y0"


def test_tax_rise_with_a_base_elasticity_and_gdhi_fallback():
    result = impact.tax_change(small(), "b", 0.1, elasticity=0.5)  # latest year, y1
    factor = 1.1 ** 0.5 - 1
    frame = result.frame.set_index("code")
    assert frame["effect_gbp_m"].to_numpy() == pytest.approx([-8 * factor, -12 * factor])
    uk_per_head = -20 * factor / 4
    assert frame["index_uk_100"].to_numpy() == pytest.approx(
        [100 * -8 * factor / uk_per_head, 100 * -4 * factor / uk_per_head])
    assert "GDHI per head of y0, the latest published (none for y1)" == result.gdhi_note
    assert frame.loc["A", "effect_pct_of_gdhi"] == pytest.approx(100 * -8 * factor / 1e4)


def test_a_cut_is_a_gain():
    result = impact.tax_change(small(), "a", -0.5, year="y0")
    assert result.frame["effect_gbp_m"].to_numpy() == pytest.approx([5.0, 15.0])


def test_bad_inputs_name_the_problem():
    with pytest.raises(ConfigurationError, match="yield_change"):
        impact.tax_change(small(), "a", float("nan"))
    with pytest.raises(ConfigurationError, match="yield_change"):
        impact.tax_change(small(), "a", True)
    with pytest.raises(ConfigurationError, match="elasticity"):
        impact.tax_change(small(), "a", 0.1, elasticity=-1)
    with pytest.raises(ConfigurationError, match="year 'y9'"):
        impact.tax_change(small(), "a", 0.1, year="y9")
    with pytest.raises(DataValidationError, match="unknown tax"):
        impact.tax_change(small(), "c", 0.1)


def test_spending_spread_by_identifiable_expenditure_shares():
    fed = simulator.load_federation("uk_itl1")
    path = Path(simulator.__file__).parent / "data" / "uk_national" / \
        "identifiable_expenditure_by_function.csv"
    with open(path, newline="") as stream:
        rows = {r["code"]: float(r["2024-25"]) for r in csv.DictReader(stream)
                if r["function"] == "7. Health"}
    total = sum(rows.values())
    result = impact.spending_change(fed, "7. Health", 1000.0, year="2024-25")
    frame = result.frame.set_index("code")
    for code, spent in rows.items():
        assert frame.loc[code, "effect_gbp_m"] == pytest.approx(1000.0 * spent / total)
    assert result.uk_effect_m == pytest.approx(1000.0)
    # per head: the effect over the CRPSF population
    assert frame.loc["TLI", "effect_per_head_gbp"] == pytest.approx(
        1000e6 * rows["TLI"] / total / fed.population[-1, fed.codes.index("TLI")])
    assert "2022-23" in result.gdhi_note  # GDHI is published to 2022-23


def test_unknown_function_lists_the_known_ones():
    fed = simulator.load_federation("uk_itl1")
    with pytest.raises(DataValidationError, match="7. Health"):
        impact.spending_change(fed, "Health", 100.0)


def test_report_section_shows_the_numbers():
    from simulator.analysis.report import impact_section

    result = impact.tax_change(small(), "a", 0.1, year="y0")
    text = impact_section(result)
    assert "Regional impact" in text and "-3.0" in text and "GDHI per head of y0" in text


def test_a_family_already_devolved_carries_a_caution():
    fed = simulator.load_federation("uk_itl1")
    assert "Scottish income tax (Scotland)" in impact.tax_change(fed, "income_tax", 0.01).method
    assert "Caution" not in impact.tax_change(fed, "vat", 0.05).method


# ------------------------------------------------------------------ properties
from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=50, deadline=None)
@given(revenue=st.lists(st.floats(0.0, 1e5), min_size=2, max_size=30),
       change=st.floats(-0.9, 2.0), elasticity=st.floats(0.0, 3.0))
def test_tax_effects_add_up_and_follow_each_region(revenue, change, elasticity):
    revenue = np.array(revenue)
    effect = impact.tax_effect(revenue, change, elasticity)
    factor = (1 + change) ** (1 - elasticity) - 1
    assert effect.sum() == pytest.approx(-revenue.sum() * factor, rel=1e-9, abs=1e-6)
    order = np.random.default_rng(len(revenue)).permutation(len(revenue))
    assert impact.tax_effect(revenue[order], change, elasticity) == pytest.approx(effect[order])
    # a rise never helps a region, a cut never hurts one, when the base responds less than 1
    if elasticity < 1:
        assert (np.sign(effect) * np.sign(change) <= 0).all()


@settings(max_examples=50, deadline=None)
@given(spending=st.lists(st.floats(0.1, 1e5), min_size=2, max_size=30),
       amount=st.floats(-1e5, 1e5))
def test_spending_effects_add_up_to_the_amount(spending, amount):
    spending = np.array(spending)
    effect = impact.spending_effect(spending, amount)
    assert effect.sum() == pytest.approx(amount, rel=1e-9, abs=1e-6)
    # a region with more spending on the function gets more of the change
    order = np.argsort(spending)
    assert (np.diff(effect[order] * np.sign(amount)) >= -1e-9 * abs(amount)).all()
