"""The need index in the engine: dataset options, the ITL1 aggregate and proxy, the scenarios."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator import ConfigurationError, System, load_federation, run
from simulator.data import england_la, uk_itl1
from simulator.need_index import (gdhi_proxy, itl1_england_need_index, itl1_need_index_values,
                                  la_need_index, need_index_for)
from simulator.need_index.engine import PROXY_FLAG
from simulator.scenario import ScenarioError, load_scenario, parse_scenario, run_scenario
from simulator.scenario.library import library_dir
from simulator.steps import NeedsPool

ENGLAND = ["TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK"]
NATIONS = ["TLL", "TLM", "TLN"]


@pytest.fixture(scope="module")
def authorities() -> pd.DataFrame:
    """Every authority with its ITL1 code, population and need index (spread 0.2)."""
    federation = england_la.load()
    return pd.DataFrame({"code": federation.codes,
                         "itl1": england_la.load_authorities()["itl1_code"].to_numpy(),
                         "population": federation.population[0],
                         "need": need_index_for(federation)[0]})


def weighted_mean(values, weights) -> float:
    return float(np.sum(values * weights) / np.sum(weights))


# ---------------------------------------------------------------- england_la option
def test_england_la_gets_a_need_index_indicator_only_when_asked(authorities):
    assert "need_index" not in england_la.load().indicators
    federation = england_la.load(need_index=True)
    need = federation.indicators["need_index"]
    np.testing.assert_allclose(need[0], authorities["need"])
    assert weighted_mean(need[0], federation.population[0]) == pytest.approx(1.0)
    assert "mean 1" in federation.units["need_index"]
    # the rest of the dataset is unchanged
    plain = england_la.load()
    np.testing.assert_array_equal(federation.revenue, plain.revenue)
    assert set(federation.indicators) - set(plain.indicators) == {"need_index"}


def test_england_la_need_index_uses_regions_for_imputation_whatever_nations_says():
    by_region = england_la.load(need_index=True).indicators["need_index"]
    one_nation = england_la.load(nations="england", need_index=True)
    assert set(one_nation.nations) == {"England"}
    np.testing.assert_array_equal(one_nation.indicators["need_index"], by_region)


def test_england_la_spread_option_sets_the_weighted_standard_deviation():
    federation = england_la.load(need_index=True, need_index_spread=0.1)
    need, population = federation.indicators["need_index"][0], federation.population[0]
    sd = np.sqrt(weighted_mean((need - 1.0) ** 2, population))
    assert sd == pytest.approx(0.1)
    # the ranking does not depend on the spread
    wider = la_need_index(spread=0.3)[0]
    np.testing.assert_array_equal(np.argsort(need), np.argsort(wider))


def test_england_la_need_index_option_is_checked():
    with pytest.raises(ConfigurationError, match="need_index must be true or false"):
        england_la.load(need_index="yes")
    with pytest.raises(ConfigurationError, match="known: year, nations, need_index"):
        england_la.load(need_idx=True)
    with pytest.raises(ConfigurationError, match="spread"):
        england_la.load(need_index=True, need_index_spread=2.0)


# ---------------------------------------------------------------- ITL1
def test_itl1_england_regions_are_the_population_weighted_authority_means(authorities):
    by_hand = authorities.groupby("itl1").apply(
        lambda group: weighted_mean(group["need"], group["population"]), include_groups=False)
    federation = uk_itl1.load("2024-25", need_index="england_only")
    need = pd.Series(federation.indicators["need_index"][0], index=federation.codes)
    np.testing.assert_allclose(need[ENGLAND], by_hand[ENGLAND], rtol=1e-12)
    np.testing.assert_allclose(itl1_england_need_index()["need_index"][ENGLAND], by_hand[ENGLAND],
                               rtol=1e-12)
    # England keeps a population-weighted mean of 1 (authority populations)
    population = authorities.groupby("itl1")["population"].sum()[ENGLAND]
    assert weighted_mean(need[ENGLAND], population) == pytest.approx(1.0)
    # the North East needs more than the South East, by the authorities' own figures
    assert need["TLC"] > 1 > need["TLJ"]


def test_itl1_england_only_leaves_the_other_nations_unavailable():
    federation = uk_itl1.load(need_index="england_only")
    need = federation.indicators["need_index"]
    assert need.shape == (len(federation.years), 12)
    assert np.isnan(need[:, -3:]).all() and not np.isnan(need[:, :9]).any()
    np.testing.assert_array_equal(need, np.broadcast_to(need[0], need.shape))  # every year
    assert "not available" in federation.units["need_index"]
    assert PROXY_FLAG not in federation.indicators
    table = itl1_need_index_values("england_only")
    assert table.set_index("code")["source"][NATIONS].eq("not available").all()


def test_itl1_gdhi_proxy_by_hand():
    federation = uk_itl1.load("2022-23", need_index="gdhi_proxy")
    codes = list(federation.codes)
    gdhi, population = federation.indicators["gdhi_per_head"][0], federation.population[0]
    england = np.isin(codes, ENGLAND)
    inverse = weighted_mean(gdhi[england], population[england]) / gdhi
    composite = itl1_england_need_index()
    x = inverse[england] - 1
    n = composite["need_index"][ENGLAND].to_numpy() - 1
    root_w = np.sqrt(composite["population"][ENGLAND].to_numpy())
    slope = np.linalg.lstsq((root_w * x)[:, None], root_w * n, rcond=None)[0][0]
    proxy = gdhi_proxy()
    assert proxy.year == "2022-23" and proxy.slope == pytest.approx(slope, rel=1e-12)
    assert 0 < proxy.r_squared < 1
    need = federation.indicators["need_index"][0]
    np.testing.assert_allclose(need[~england], 1 + slope * (inverse[~england] - 1), rtol=1e-12)
    np.testing.assert_allclose(need[england], composite["need_index"][ENGLAND], rtol=1e-12)
    np.testing.assert_array_equal(federation.indicators[PROXY_FLAG][0], (~england).astype(float))
    assert "PROXY" in federation.units["need_index"]
    # poorer nations come out needier than Scotland, as their lower GDHI says
    by_code = dict(zip(codes, need))
    assert by_code["TLL"] > by_code["TLM"] and by_code["TLN"] > by_code["TLM"]


def test_itl1_need_index_true_is_refused_with_the_choice_explained():
    with pytest.raises(ConfigurationError, match="Wales, Scotland and Northern Ireland"):
        uk_itl1.load(need_index=True)
    with pytest.raises(ConfigurationError, match="'england_only', 'gdhi_proxy'"):
        uk_itl1.load(need_index="regions")
    assert "need_index" not in uk_itl1.load("2024-25").indicators  # default unchanged


SCENARIO = """
name: needs pool on the ITL1 need index
dataset: {{name: uk_itl1, options: {{need_index: {mode}}}}}
year: 2024-25
devolution: {{income_tax: 1}}
need_index: need_index
steps:
  - {{type: needs_pool, amount: 100000000000}}
"""


def test_a_scenario_cannot_use_the_england_only_index():
    with pytest.raises(ScenarioError, match="'need_index' is not published for every region"):
        parse_scenario(SCENARIO.format(mode="england_only"))
    with pytest.raises(ScenarioError, match="needs a choice for Wales"):
        parse_scenario(SCENARIO.format(mode="true"))


def test_the_proxy_index_drives_the_needs_pool_like_the_same_figures_inline():
    result = run_scenario(parse_scenario(SCENARIO.format(mode="gdhi_proxy")))
    federation = uk_itl1.load("2024-25", need_index="gdhi_proxy")
    inline = dict(zip(federation.codes, federation.indicators["need_index"][0]))
    system = System(devolution={"income_tax": 1.0},
                    steps=[NeedsPool(amount=1e11, need_index=inline)])
    np.testing.assert_allclose(result.state.resources, run(federation, system).state.resources,
                               rtol=1e-12)


# ---------------------------------------------------------------- library scenarios
def library_run(name: str):
    return run_scenario(load_scenario(library_dir() / f"{name}.yaml"))


def test_targeted_fund_goes_to_the_fifty_highest_composites_in_equal_shares():
    from simulator.need_index import need_index_from_federation

    result = library_run("england_la_targeted_fund")
    fund = result.state.transfers[-1][1][0]
    assert fund.sum() == pytest.approx(500e6)
    rank = need_index_from_federation(england_la.load()).rank[0]
    np.testing.assert_array_equal(fund > 0, rank <= 50)
    np.testing.assert_allclose(fund[fund > 0], 10e6)
    assert result.summary().iloc[0]["cost_to_centre_gbp_m"] == pytest.approx(500.0)


def test_council_tax_equalisation_shares_need_less_notional_council_tax():
    result = library_run("england_la_council_tax_equalisation")
    state = result.state
    grant = state.transfers[-1][1][0]
    population, capacity = state.population[0], state.fiscal_capacity[0]
    need = state.need_index[0]
    # the notional council tax is the tax base at England's average Band D
    federation = load_federation("england_la")
    band_d = federation.tax_revenue("council_tax").sum() / federation.tax_base["council_tax"].sum()
    np.testing.assert_allclose(capacity, band_d * federation.tax_base["council_tax"][0])
    assert grant.sum() == pytest.approx(20e9)
    # assessed spending n_i x E, E = (pool + all notional council tax) per head; the grant is
    # that less notional council tax, clipped at 0 and rescaled to the pool
    spending = need * (20e9 + capacity.sum()) / population.sum() * population
    requirement = spending - capacity
    receives = grant > 0
    np.testing.assert_array_equal(receives, requirement > 0)
    scale = grant[receives] / requirement[receives]
    np.testing.assert_allclose(scale, scale[0], rtol=1e-9)
    assert 0.5 < scale[0] < 1  # the pool covers part of the requirement once clipped
    assert (~receives).sum() == 63
    # actual council tax is kept: resources are own council tax plus the grant
    np.testing.assert_allclose(state.resources[0], state.own_revenue[0] + grant)


def test_itl1_library_scenario_uses_the_composite_and_the_labelled_proxy():
    scenario = load_scenario(library_dir() / "uk_itl1_need_index_pool.yaml")
    assert scenario.dataset.options == {"north_sea": "geographic", "need_index": "gdhi_proxy"}
    result = run_scenario(scenario)
    table = itl1_need_index_values("gdhi_proxy").set_index("code")
    need = result.state.need_index[0]
    population = result.state.population[0]
    expected = table["need_index"].reindex(result.federation.codes).to_numpy()
    # the engine rescales the index to a population-weighted mean of 1 over the twelve
    np.testing.assert_allclose(need, expected * population.sum() / (expected * population).sum())
    assert table["source"][NATIONS].eq("gdhi_proxy").all()
    assert result.summary().iloc[0]["cost_to_centre_gbp_m"] == pytest.approx(0.0, abs=1e-3)
