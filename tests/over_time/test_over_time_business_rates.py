"""England's business rates retention: hand computations and the scheme's guarantees."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from simulator.errors import ConfigurationError
from simulator.over_time import reset_schedule
from simulator.over_time.business_rates import (
    LEVY_RATE_CAP, SAFETY_NET_THRESHOLD, business_rates_retention, levy_rate,
)


def test_levy_rate_formula():
    # BFL/BRB = 0.8 -> 20%; 0.3 -> capped at 50%; top-up council (BFL > BRB) -> 0
    np.testing.assert_allclose(levy_rate([80.0, 30.0, 150.0], [100.0, 100.0, 100.0]), [0.2, 0.5, 0.0])


def test_one_tariff_and_one_top_up_council_by_hand():
    # collected rates, 50% kept locally: council A (rich) 200 -> 100 kept, B (poor) 40 -> 20
    collected = np.array([[200.0, 40.0],
                          [240.0, 32.0],     # A grows 20%, B falls 20%
                          [150.0, 20.0]])    # A falls below its baseline, B collapses
    result = business_rates_retention(collected, baseline_funding_level=np.array([80.0, 40.0]))
    np.testing.assert_allclose(result.tariff[0], [20.0, -20.0])          # tariff 20, top-up 20
    np.testing.assert_allclose(result.levy_rate[0], [0.2, 0.0])
    # year 1: A keeps 120 - 20 = 100, growth 20, levy 4 -> 96; B keeps 16 + 20 = 36 (above 37? no)
    np.testing.assert_allclose(result.retained[1], [100.0, 36.0])
    np.testing.assert_allclose(result.levy[1], [4.0, 0.0])
    np.testing.assert_allclose(result.safety_net[1], [0.0, 1.0])          # 0.925 x 40 = 37
    np.testing.assert_allclose(result.income[1], [96.0, 37.0])
    # year 2: A keeps 75 - 20 = 55 < 74 = 0.925 x 80 -> safety net 19; B 10 + 20 = 30 -> 7
    np.testing.assert_allclose(result.safety_net[2], [19.0, 7.0])
    np.testing.assert_allclose(result.income[2], [74.0, 37.0])
    np.testing.assert_allclose(result.levy_account, [0.0, 3.0, -26.0])


def test_uprating_moves_baselines_and_tariffs():
    collected = np.array([[200.0], [210.0]])
    result = business_rates_retention(collected, np.array([80.0]), uprating=np.array([1.0, 1.05]))
    np.testing.assert_allclose(result.tariff[:, 0], [20.0, 21.0])
    np.testing.assert_allclose(result.baseline_funding_level[:, 0], [80.0, 84.0])
    np.testing.assert_allclose(result.growth[:, 0], [0.0, 0.0])  # rates grew exactly with the index


def test_full_reset_returns_growth_to_the_pot():
    collected = np.array([[200.0, 100.0], [300.0, 100.0], [300.0, 100.0], [330.0, 100.0]])
    resets = reset_schedule(4, every=2)  # reset in year 2
    result = business_rates_retention(collected, np.array([75.0, 75.0]), resets=resets)
    assert result.growth[1, 0] == pytest.approx(50.0)
    assert result.growth[2, 0] == pytest.approx(0.0)        # wiped at the reset
    # the 50 of growth is shared pro rata to BFLs: each council's BFL rises by 25
    np.testing.assert_allclose(result.baseline_funding_level[2], [100.0, 100.0])
    np.testing.assert_allclose(result.tariff[2].sum(), result.tariff[0].sum())
    np.testing.assert_allclose(result.growth[3], [15.0, 0.0])
    partial = business_rates_retention(collected, np.array([75.0, 75.0]), resets=resets,
                                       reset_share=0.5)
    assert partial.growth[2, 0] == pytest.approx(25.0)
    none = business_rates_retention(collected, np.array([75.0, 75.0]), resets=resets, reset_share=0.0)
    plain = business_rates_retention(collected, np.array([75.0, 75.0]))
    np.testing.assert_allclose(none.income, plain.income)


def test_new_needs_assessment_at_reset():
    collected = np.array([[200.0, 100.0], [300.0, 100.0], [300.0, 100.0]])
    new_bfl = np.full((3, 2), np.nan)
    new_bfl[2] = [90.0, 110.0]
    result = business_rates_retention(collected, np.array([75.0, 75.0]), resets=np.array([0, 0, 1], bool),
                                      new_baseline_funding_level=new_bfl)
    np.testing.assert_allclose(result.baseline_funding_level[2], [90.0, 110.0])
    np.testing.assert_allclose(result.income[2], [90.0, 110.0])


@st.composite
def schemes(draw):
    n_years, n_councils = draw(st.integers(2, 8)), draw(st.integers(1, 5))
    collected = draw(arrays(float, (n_years, n_councils), elements=st.floats(1.0, 1e4)))
    bfl = draw(arrays(float, n_councils, elements=st.one_of(st.just(0.0), st.floats(1.0, 1e4))))
    uprating = np.cumprod(draw(arrays(float, n_years, elements=st.floats(0.95, 1.1))))
    uprating = uprating / uprating[0]
    resets = draw(arrays(bool, n_years))
    share = draw(st.floats(0.0, 1.0))
    return collected, bfl, uprating, resets, share


@given(schemes())
@settings(max_examples=150, deadline=None)
def test_safety_net_and_levy_guarantees(case):
    """No council's income ever falls below 92.5% of its (uprated) BFL; the levy is never
    negative and never takes more than half of a council's growth."""
    collected, bfl, uprating, resets, share = case
    result = business_rates_retention(collected, bfl, uprating=uprating, resets=resets,
                                      reset_share=share)
    scale = 1e-9 * max(1.0, np.abs(result.retained).max())
    assert (result.income >= SAFETY_NET_THRESHOLD * result.baseline_funding_level - scale).all()
    assert (result.levy >= 0).all() and (result.safety_net >= 0).all()
    assert (result.levy <= LEVY_RATE_CAP * np.maximum(0.0, result.growth) + scale).all()
    # levy and safety net never both paid by the same council in the same year
    assert not ((result.levy > scale) & (result.safety_net > scale)).any()


def test_draws_on_a_leading_axis():
    rng = np.random.default_rng(1)
    collected = 100.0 * np.exp(np.cumsum(rng.normal(0.02, 0.1, (5, 10, 3)), axis=-2))
    kwargs = dict(baseline_funding_level=np.array([60.0, 50.0, 40.0]),
                  resets=reset_schedule(10, 5), reset_share=0.5)
    together = business_rates_retention(collected, **kwargs)
    for d in range(5):
        alone = business_rates_retention(collected[d], **kwargs)
        np.testing.assert_allclose(together.income[d], alone.income)
    frame = business_rates_retention(collected[0], **kwargs).to_frame(["A", "B", "C"], range(10))
    assert len(frame) == 30 and {"levy", "safety_net", "income"} <= set(frame.columns)


@pytest.mark.parametrize("kwargs, match", [
    (dict(local_share=0.0), "local_share"),
    (dict(uprating=np.ones(3)), "uprating"),
    (dict(resets=np.ones(3, bool)), "resets"),
    (dict(reset_share=2.0), "reset_share"),
])
def test_bad_options(kwargs, match):
    with pytest.raises(ConfigurationError, match=match):
        business_rates_retention(np.ones((2, 2)), np.ones(2), **kwargs)
