"""Each chart's one-line text summary states the API's numbers (Explore, Data, Compare)."""

import pytest

import simulator
from simulator import presentation
from simulator.presentation import glossary
from simulator.scenario import load_scenario, run_scenario

from app_helpers import assert_ok, open_page

YEAR = "2024-25"


def captions(at):
    return [c.value for c in at.caption]


def test_explore_summaries_equal_the_engine(library):
    at = open_page("explore")
    assert_ok(at)
    result = run_scenario(load_scenario(library["income_tax_gap_fill_75"]), year=YEAR)
    frame = result.by_region()
    shown = captions(at)
    assert glossary.result_summary(result, YEAR) in shown
    change = glossary.range_summary(frame["region"], frame["change_per_head_gbp"],
                                    what="Change in resources per head",
                                    unit="GBP per head", year=YEAR)
    assert change in shown
    low = frame.loc[frame["change_per_head_gbp"].idxmin()]
    assert f"-GBP {abs(low['change_per_head_gbp']):,.0f} in {low['region']}" in change
    rates = result.marginal_equalisation_rates()
    assert glossary.range_summary(rates["region"], 100 * rates["marginal_equalisation_rate"],
                                  what="Share of an extra pound of own tax base lost",
                                  unit="%", year=YEAR) in shown


def test_data_summary_equals_the_revenue_table():
    at = open_page("data")
    assert_ok(at)
    fed = simulator.load_federation("uk_itl1", year=YEAR)
    table = presentation.revenue_table(fed, YEAR)
    summary = glossary.range_summary(table["region"], table["Total"],
                                     what="Revenue per head, all taxes",
                                     unit="GBP per head", year=YEAR)
    assert summary in captions(at)
    top = table.loc[table["Total"].idxmax()]
    assert f"GBP {top['Total']:,.0f} in {top['region']}" in summary


def test_compare_lorenz_summary_states_each_gini(library):
    at = open_page("compare")
    assert_ok(at)
    text = next(c for c in captions(at) if c.startswith("Lorenz curves"))
    for name in ("income_tax_gap_fill_75", "needs_based"):
        gini = run_scenario(load_scenario(library[name]), year=YEAR).summary()["gini_after"]
        assert f"{gini.iloc[0]:.3f}" in text
