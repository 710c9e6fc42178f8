"""Property tests of the liability and the behavioural response."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.income_tax import CODES, fitted, load_schedule, stack, with_overrides
from simulator.income_tax.liability import liability, marginal_rate
from simulator.income_tax.model import region_yields

NAMES = ("ruk_2024_25", "scotland_2024_25", "ruk_2022_23", "scotland_2022_23")


@settings(max_examples=60)
@given(name=st.sampled_from(NAMES), band=st.integers(0, 5), rise=st.floats(0.0, 0.3),
       region=st.integers(0, 11))
def test_raising_any_rate_never_lowers_static_revenue(name, band, rise, region):
    schedule = load_schedule(name)
    band = schedule.bands[band % len(schedule.bands)]
    higher = with_overrides(schedule, rates={band.name: min(1.0, band.rate + rise)})
    year = schedule.tax_year
    d = fitted(year if year in ("2021-22", "2022-23", "2023-24", "2024-25") else "2024-25")
    before = region_yields(d, stack([schedule] * 12))
    after = region_yields(d, stack([higher] * 12))
    assert (after >= before - 1e-6 * np.abs(before)).all()
    # and tax of every single income, not just the total
    incomes = np.geomspace(1_000, 5_000_000, 400)
    assert (liability(incomes, stack([higher]))[0] >= liability(incomes, stack([schedule]))[0]
            - 1e-9).all()


@settings(max_examples=40)
@given(name=st.sampled_from(NAMES), allowance=st.floats(0, 30_000),
       threshold=st.floats(50_000, 200_000))
def test_allowance_taper_is_continuous(name, allowance, threshold):
    schedule = with_overrides(load_schedule(name), personal_allowance=allowance)
    schedule = schedule.model_copy(update={"taper": schedule.taper.model_copy(
        update={"threshold": threshold})})
    arrays = stack([schedule])
    points = np.array([threshold, threshold + 2 * allowance])  # taper start and end
    eps = 1e-3
    below = liability(points - eps, arrays)[0]
    above = liability(points + eps, arrays)[0]
    slope = 1.0 * (1 + schedule.taper.rate)  # marginal rate is at most 100% x (1 + taper)
    assert (np.abs(above - below) <= 2 * eps * slope + 1e-9).all()


def test_taper_gives_sixty_percent_at_a_forty_percent_rate():
    arrays = stack([load_schedule("ruk_2024_25")])
    rates = marginal_rate(np.array([90_000.0, 110_000.0, 130_000.0]), arrays)[0]
    np.testing.assert_allclose(rates, [0.40, 0.60, 0.45])


@settings(max_examples=30)
@given(new=st.sampled_from(NAMES[:2]), old=st.sampled_from(NAMES[:2]),
       rates=st.lists(st.floats(0.05, 0.6), min_size=3, max_size=3))
def test_zero_elasticity_gives_the_static_yield(new, old, rates):
    schedule = with_overrides(load_schedule(new), rates=dict(zip(
        [b.name for b in load_schedule(new).bands][-3:], sorted(rates))))
    d = fitted("2024-25")
    static = region_yields(d, stack([schedule] * 12))
    zero = region_yields(d, stack([schedule] * 12), stack([load_schedule(old)] * 12), 0.0)
    np.testing.assert_array_equal(static, zero)
    # and a positive elasticity moves it whenever the marginal rates differ
    moved = region_yields(d, stack([schedule] * 12), stack([load_schedule(old)] * 12), 0.3)
    same = np.allclose(marginal_rate(d.income, stack([schedule] * 12)),
                       marginal_rate(d.income, stack([load_schedule(old)] * 12)))
    assert same or not np.allclose(moved, static)


def test_known_liabilities():
    """Hand-checked liabilities (GBP): rUK and Scotland 2024-25."""
    ruk, scot = stack([load_schedule("ruk_2024_25")]), stack([load_schedule("scotland_2024_25")])
    incomes = np.array([12_570, 30_000, 50_270, 60_000, 110_000, 125_140, 200_000])
    expected_ruk = [0, 3_486, 7_540, 11_432, 33_432, 42_516.0, 76_203.0]  # 110k: PA 7,570
    np.testing.assert_allclose(liability(incomes, ruk)[0], expected_ruk, atol=0.01)
    # Scotland, GBP 30,000: 2,306 x 19% + 11,685 x 20% + 3,439 x 21%
    assert abs(liability(np.array([30_000.0]), scot)[0, 0]
               - (2_306 * 0.19 + 11_685 * 0.20 + 3_439 * 0.21)) < 0.01
