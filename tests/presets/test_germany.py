"""Germany's Finanzkraftausgleich 2024 preset: what the published figures allow to check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from presets_testkit import ROOT, SCENARIOS, load_script
from simulator.data import germany_2024
from simulator.scenario import load_scenario, run_scenario

validation = load_script("validation_table")
PATH = SCENARIOS / "germany_finanzkraftausgleich_2024.yaml"


@pytest.fixture(scope="module")
def figures():
    return validation.germany()


@pytest.fixture(scope="module")
def result():
    return run_scenario(load_scenario(PATH))


def test_surcharges_and_deductions_sum_to_zero(figures, result):
    assert figures["sum_simulated_z"] == pytest.approx(0, abs=1e-6)
    assert abs(figures["sum_published_z"]) < 0.005  # EUR m, rounding of the published table
    assert result.state.paid_by_centre[0][1] == 0  # horizontal: the centre pays nothing


def test_surcharges_match_by_construction(figures):
    # the Finanzkraft was back-solved from them: this checks s.9-10 in the steps.  The
    # published figures (to EUR 1,000) sum to -0.001m, which the exactly zero-sum step
    # spreads over the Laender: differences of a few hundred euros
    np.testing.assert_allclose(figures["simulated_z"], figures["published_z"], atol=1e-3)
    assert figures["volume_simulated"] == pytest.approx(18_650, abs=10)  # press: 18.65bn


def test_general_supplementary_grants_within_rounding(figures):
    assert np.abs(figures["bez_error"]).max() <= validation.GERMANY_BEZ_ROUNDING_EUR_M
    payers = figures["published_z"] < 0
    assert np.all(figures["simulated_bez"][payers] == 0)
    assert np.all(figures["published_bez"][payers] == 0)


def test_grants_follow_from_the_surcharges_as_the_law_says(result):
    """s.11(2) with s.10: BEZ = 0.8 max(0, (0.37/0.63) Z - 0.0025 A)."""
    scenario = load_scenario(PATH)
    surcharge, grants = (amount[0] for _, amount in result.state.transfers)
    _, standard = scenario.steps[0].measure_and_standard(result.state)
    expected = 0.8 * np.maximum(0, 0.37 / 0.63 * surcharge - 0.0025 * standard[0])
    np.testing.assert_allclose(grants, expected, rtol=1e-9, atol=1e-3)


def test_the_published_grants_confirm_80_not_75_percent():
    table = germany_2024.published().set_index("code")
    sn = table.loc["SN"]
    implied = {rate: (0.37 / 0.63 * sn["zu_abschlag_eur_m"] - sn["allg_bez_eur_m"] / rate) / 0.0025
               for rate in (0.80, 0.75)}
    assert implied[0.75] < 0 < implied[0.80]  # an Ausgleichsmesszahl cannot be negative
    assert implied[0.80] / sn["population"] * 1e6 == pytest.approx(5_554, abs=5)


def test_weighted_inhabitants_of_both_families(result):
    scenario = load_scenario(PATH)
    _, standard = scenario.steps[0].measure_and_standard(result.state)
    per_inhabitant = dict(zip(result.federation.codes, standard[0] / result.state.population[0]))
    levels = germany_2024.derivation()
    land = levels["land_revenue_per_weighted_inhabitant"]
    municipal = levels["municipal_taxes_75pct_per_weighted_inhabitant"]
    for code, (wl, wg) in {"NW": (1, 1), "BE": (1.35, 1.35), "HB": (1.35, 1.35),
                           "MV": (1, 1.05), "BB": (1, 1.03), "ST": (1, 1.02)}.items():
        assert per_inhabitant[code] == pytest.approx(wl * land + wg * municipal, rel=1e-7), code
    assert scenario.steps[0].families["municipal_taxes"].inclusion == germany_2024.MUNICIPAL_SHARE


def test_the_derivation_is_reproducible_from_the_packaged_table():
    builder = load_script("build_reference_presets")
    derived = builder.germany_derivation(germany_2024.published())
    packaged = pd.read_csv(ROOT / "simulator" / "data" / "germany_2024" /
                           "finanzkraft_derived_2024.csv")
    np.testing.assert_allclose(derived["land_revenue"] / 1e6, packaged["land_revenue_eur_m"],
                               atol=1e-6)
    np.testing.assert_allclose(derived["municipal_taxes"] / 1e6,
                               packaged["municipal_taxes_eur_m"], atol=1e-6)
    assert builder.GERMANY_LAND_WEIGHTS == germany_2024.LAND_WEIGHTS
    assert builder.GERMANY_MUNICIPAL_WEIGHTS == germany_2024.MUNICIPAL_WEIGHTS
