"""The need-adjusted metrics of results, on the library scenarios."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.scenario import load_scenario, run_scenario
from simulator.scenario.library import library_scenarios

LIBRARY = library_scenarios()


@pytest.fixture(scope="module")
def results():
    return {name: run_scenario(load_scenario(LIBRARY[name]))
            for name in ("status_quo", "needs_based", "full_fiscal_equalisation",
                         "income_tax_gap_fill_75", "canada_equalization_2025_26")}


def test_need_adjusted_index_is_resources_index_over_need(results):
    frame = results["status_quo"].by_region()
    np.testing.assert_allclose(frame["need_adjusted_index"],
                               100 * frame["resources_index"] / frame["assessed_need_index"])
    np.testing.assert_allclose(np.average(frame["assessed_need_index"], weights=frame["population"]),
                               100.0)
    summary = results["status_quo"].summary().iloc[0]
    assert summary["distance_from_need_before"] == summary["distance_from_need_after"] > 0


@pytest.mark.parametrize("name", ["needs_based", "full_fiscal_equalisation"])
def test_equalising_capacity_and_need_funds_every_region_at_need(results, name):
    frame = results[name].by_region()
    np.testing.assert_allclose(frame["need_adjusted_index"], 100.0, rtol=1e-9)
    closer = (frame["need_adjusted_index"] - 100).abs() <= (frame["baseline_need_adjusted_index"] - 100).abs()
    assert closer.all()
    assert results[name].summary().iloc[0]["distance_from_need_after"] < 1e-6


def test_no_needs_model_no_need_columns(results):
    frame = results["canada_equalization_2025_26"].by_region()
    assert "need_adjusted_index" not in frame
    assert "distance_from_need_after" not in results["canada_equalization_2025_26"].summary()
