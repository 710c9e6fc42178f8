"""Income tax page: a region's bands, its yield, incidence and equalisation (AppTest)."""

import numpy as np
import pytest

from app_helpers import assert_ok, frame_with, number, open_page
from simulator.income_tax import fitted, load_schedule, stack, with_overrides
from simulator.income_tax.model import in_force_schedules, region_yields


def test_default_page_shows_the_schedule_in_force_with_no_change():
    at = open_page("income_tax")
    assert_ok(at)
    assert at.selectbox(key="it_region").value == "TLC"
    assert at.select_slider(key="it_year").value == "2024-25"
    metrics = {m.label: m for m in at.metric}
    yield_metric = metrics["Modelled yield, 2024-25"]
    truth = region_yields(fitted("2024-25"), stack(in_force_schedules("2024-25")))[0] / 1e6
    assert number(yield_metric.value) == pytest.approx(truth, abs=0.5)
    assert number(yield_metric.delta) == 0
    assert len(at.get("plotly_chart")) == 1


def test_one_penny_on_the_higher_rate_raises_the_yield_and_moves_resources():
    at = open_page("income_tax")
    at.number_input(key="it_rate_ruk_2024_25_higher").set_value(41.0).run()
    assert_ok(at)
    d = fitted("2024-25")
    base = in_force_schedules("2024-25")
    new = [with_overrides(load_schedule("ruk_2024_25"), rates={"higher": 0.41})] + base[1:]
    change = (region_yields(d, stack(new)) - region_yields(d, stack(base)))[0] / 1e6
    metric = next(m for m in at.metric if m.label.startswith("Modelled yield"))
    assert number(metric.delta) == pytest.approx(change, abs=0.5)
    table = frame_with(at, "Own revenue change (GBP m)").set_index("Code")
    assert table.loc["TLC", "Own revenue change (GBP m)"] > 0
    assert np.allclose(table.drop(index="TLC")["Own revenue change (GBP m)"], 0)
    deciles = frame_with(at, "Change (GBP/payer)")
    assert (deciles["Change (GBP/payer)"] >= 0).all() and deciles["Losers"].sum() > 0


def test_scotland_on_rest_of_uk_bands_and_a_bad_value():
    at = open_page("income_tax", region="TLM", year="2022-23")
    assert_ok(at)
    at.selectbox(key="it_start").set_value("ruk_2022_23").run()
    assert_ok(at)
    metric = next(m for m in at.metric if m.label.startswith("Modelled yield"))
    assert number(metric.delta) < 0  # Scotland raises more on its own bands
    at.number_input(key="it_from_ruk_2022_23_higher").set_value(200000.0).run()
    assert not at.exception
    assert at.error  # bands out of order: shown, not raised
