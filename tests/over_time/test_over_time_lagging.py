"""Lag-and-average along the year axis, on arrays, federations and as a step."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import simulator
from simulator.errors import ConfigurationError
from simulator.over_time.lagging import CANADA_LAG, CANADA_WEIGHTS, lag_average, lag_federation
from simulator.steps import GapFill, step_from_dict
from simulator.steps.lagged import Lagged


def test_canada_moving_average_by_hand():
    x = np.arange(1.0, 8.0)[:, None]            # years 0..6, one region: 1..7
    out = lag_average(x, CANADA_WEIGHTS, CANADA_LAG)
    # year 6: 0.5 x X(4) + 0.25 x X(3) + 0.25 x X(2) = 0.5*5 + 0.25*4 + 0.25*3
    assert out[6, 0] == pytest.approx(4.25)
    assert out[4, 0] == pytest.approx(0.5 * 3 + 0.25 * 2 + 0.25 * 1)
    # early years use the first year for the missing history
    assert out[0, 0] == pytest.approx(1.0)
    nan = lag_average(x, CANADA_WEIGHTS, CANADA_LAG, early="nan")
    assert np.isnan(nan[:4]).all() and nan[4, 0] == pytest.approx(out[4, 0])


@given(arrays(float, (3, 9, 4), elements=st.floats(-1e6, 1e6)), st.integers(0, 4),
       st.lists(st.floats(0.01, 1.0), min_size=1, max_size=4))
@settings(max_examples=60, deadline=None)
def test_constant_series_unchanged_and_leading_axes_broadcast(x, lag, raw_weights):
    weights = np.array(raw_weights) / sum(raw_weights)
    constant = np.broadcast_to(x[:, :1, :], x.shape)
    np.testing.assert_allclose(lag_average(constant, weights, lag), constant, atol=1e-6)
    together = lag_average(x, weights, lag)
    for d in range(3):
        np.testing.assert_allclose(together[d], lag_average(x[d], weights, lag))


def test_lag_federation_per_head_is_averaged_total_over_averaged_population(federation):
    lagged = lag_federation(federation, trim=True)
    assert lagged.years == federation.years[4:]
    t = federation.years.index(lagged.years[0])
    weights = dict(zip((t - 2, t - 3, t - 4), CANADA_WEIGHTS))
    revenue = sum(w * federation.revenue[y] for y, w in weights.items())
    population = sum(w * federation.population[y] for y, w in weights.items())
    np.testing.assert_allclose(lagged.revenue_per_head()[0], revenue / population)


@pytest.mark.parametrize("weights, lag", [((0.5, 0.4), 2), ((1.0,), -1), ((), 0), ((1.5, -0.5), 1)])
def test_bad_lags(weights, lag):
    with pytest.raises(ConfigurationError):
        lag_average(np.ones((3, 2)), weights, lag)


def _inputs(federation):
    return simulator.EngineInputs.from_federation(federation)


def test_lagged_step_equals_step_on_lagged_data(federation):
    """With population 'lagged', Lagged(GapFill) pays exactly GapFill run on the lagged
    federation (capacity and population both averaged)."""
    devolution = {"income_tax": 1.0, "vat": 0.5}
    lagged_system = simulator.System(devolution=devolution,
                                     steps=[Lagged(step=GapFill(rate=0.8), population="lagged")])
    state = simulator.simulate(_inputs(federation), lagged_system)
    reference = simulator.simulate(_inputs(lag_federation(federation)),
                                   simulator.System(devolution=devolution, steps=[GapFill(rate=0.8)]))
    np.testing.assert_allclose(state.transfers[0][1], reference.transfers[0][1])
    assert state.transfers[0][0] == "Gap-fill"


def test_current_population_pays_the_lagged_rate_per_head_on_todays_people(federation):
    system = simulator.System(devolution={"income_tax": 1.0}, steps=[Lagged(step=GapFill())])
    state = simulator.simulate(_inputs(federation), system)
    reference = simulator.simulate(_inputs(lag_federation(federation)),
                                   simulator.System(devolution={"income_tax": 1.0}, steps=[GapFill()]))
    per_head = reference.transfers[0][1] / reference.equalisation_population
    np.testing.assert_allclose(state.transfers[0][1], per_head * federation.population)
    np.testing.assert_allclose(state.paid_by_centre[0][1], state.transfers[0][1].sum(-1))


def test_no_lag_single_weight_is_the_plain_step(federation):
    plain = simulator.simulate(_inputs(federation),
                               simulator.System(devolution={"vat": 1.0}, steps=[GapFill()]))
    wrapped = simulator.simulate(_inputs(federation), simulator.System(
        devolution={"vat": 1.0}, steps=[Lagged(step=GapFill(), weights=(1.0,), lag=0)]))
    np.testing.assert_allclose(wrapped.resources, plain.resources)


def test_lagged_step_from_yaml_style_dict_and_errors(federation):
    step = step_from_dict({"type": "lagged", "step": {"type": "gap_fill", "rate": 0.5},
                           "weights": [0.5, 0.25, 0.25], "lag": 2, "label": "Equalization"})
    assert isinstance(step.step, GapFill) and step.display_label == "Equalization"
    state = simulator.simulate(_inputs(federation), simulator.System(devolution={"vat": 1.0},
                                                                     steps=[step]))
    assert state.transfers[0][0] == "Equalization"
    with pytest.raises(ValueError, match="sum to 1"):
        Lagged(step=GapFill(), weights=(0.5, 0.2))
    single_year = _inputs(federation.select_years(federation.years[-1]))
    single_year = simulator.EngineInputs(
        codes=single_year.codes, taxes=single_year.taxes, population=single_year.population[0],
        revenue=single_year.revenue[0])
    with pytest.raises(ConfigurationError, match="multi-year"):
        simulator.simulate(single_year, simulator.System(devolution={"vat": 1.0},
                                                         steps=[Lagged(step=GapFill())]))
