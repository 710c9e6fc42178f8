"""Phase-in weights, blends and reset schedules."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulator.errors import ConfigurationError
from simulator.over_time import last_reset_index, phase_in, phase_in_weights, reset_schedule


def test_five_year_even_transition():
    """Australia's 2018 GST reform: relativities phased in evenly over five years."""
    np.testing.assert_allclose(phase_in_weights(8, 5), [0.2, 0.4, 0.6, 0.8, 1.0, 1.0, 1.0, 1.0])
    np.testing.assert_allclose(phase_in_weights(4, 2, start=1), [0.0, 0.5, 1.0, 1.0])
    np.testing.assert_allclose(phase_in_weights(3, 1), [1.0, 1.0, 1.0])


@given(arrays(float, (2, 7, 3), elements=st.floats(-1e6, 1e6)),
       arrays(float, (2, 7, 3), elements=st.floats(-1e6, 1e6)), st.integers(1, 9), st.integers(0, 6))
@settings(max_examples=60, deadline=None)
def test_blend_stays_between_baseline_and_reform(baseline, reform, years, start):
    blended = phase_in(baseline, reform, years, start)
    low, high = np.minimum(baseline, reform), np.maximum(baseline, reform)
    tolerance = 1e-9 * (1 + np.abs(high))
    assert (blended >= low - tolerance).all() and (blended <= high + tolerance).all()
    np.testing.assert_allclose(blended[:, :start], baseline[:, :start])
    if start + years - 1 < 7:
        np.testing.assert_allclose(blended[:, start + years - 1:], reform[:, start + years - 1:])


def test_reset_schedules():
    np.testing.assert_array_equal(reset_schedule(7, 3), [1, 0, 0, 1, 0, 0, 1])
    np.testing.assert_array_equal(reset_schedule(5, None, first=2), [0, 0, 1, 0, 0])
    np.testing.assert_array_equal(last_reset_index(reset_schedule(7, 3, first=1)), [0, 1, 1, 1, 4, 4, 4])
    with pytest.raises(ConfigurationError):
        reset_schedule(5, 0)
    with pytest.raises(ConfigurationError):
        reset_schedule(5, 2, first=5)
    with pytest.raises(ConfigurationError):
        phase_in_weights(5, 0)
    with pytest.raises(ConfigurationError, match="year axis"):
        phase_in(np.ones(3), np.zeros(3), 2)
