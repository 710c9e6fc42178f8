"""The built-in ``england_la`` dataset reproduces its sources' England totals (package files only)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator import load_federation
from simulator.data import england_la, list_datasets
from simulator.errors import ConfigurationError, DataValidationError

# England rows of the sources (copied from the shared files when the dataset was built):
# MHCLG Council Taxbase 2024, England row, Table 1.32 (Band D equivalents after support)
ENGLAND_BAND_D_EQUIVALENTS = 19_433_611.4
# ONS mid-2023 population estimate for England as first published (sum of the English rows)
ENGLAND_POPULATION_MID_2023 = 57_690_323
# ONS CRPSF FYE 2025, council tax, England, 2024-25 (GBP m)
CRPSF_ENGLAND_COUNCIL_TAX_2024_25_GBP_M = 42_016

CREATED_SINCE_2019 = {
    "E06000060": {"E07000004", "E07000005", "E07000006", "E07000007"},
    "E06000061": {"E07000150", "E07000152", "E07000153", "E07000156"},
    "E06000062": {"E07000151", "E07000154", "E07000155"},
    "E06000063": {"E07000026", "E07000028", "E07000029"},
    "E06000064": {"E07000027", "E07000030", "E07000031"},
    "E06000065": {f"E0700016{i}" for i in range(3, 10)},
    "E06000066": {"E07000187", "E07000188", "E07000189", "E07000246"},
}


@pytest.fixture(scope="module")
def federation():
    return england_la.load()


def test_registered_and_loadable(federation):
    assert "england_la" in list_datasets()
    assert load_federation("england_la").codes == federation.codes
    assert federation.years == ("2025-26",)
    assert federation.taxes == ("council_tax", "income_tax")


def test_296_authorities_on_2023_codes(federation):
    assert federation.n_regions == 296
    assert len(set(federation.codes)) == 296
    assert {c[:3] for c in federation.codes} == {"E06", "E07", "E08", "E09"}
    assert "E08000016" in federation.codes and "E08000038" not in federation.codes  # Barnsley, 2023 code
    assert set(CREATED_SINCE_2019) <= set(federation.codes)
    assert len(set(federation.nations)) == 9
    assert set(england_la.load(nations="england").nations) == {"England"}


def test_reproduces_england_population_and_band_d_equivalents(federation):
    assert federation.population.sum() == ENGLAND_POPULATION_MID_2023
    assert federation.tax_base["council_tax"].sum() == pytest.approx(ENGLAND_BAND_D_EQUIVALENTS,
                                                                   abs=0.05)


def test_council_tax_is_base_times_band_d(federation):
    authorities = england_la.load_authorities()
    np.testing.assert_allclose(
        federation.tax_revenue("council_tax")[0],
        authorities["band_d_equivalents_after_cts"] * authorities["band_d_average_gbp"])
    # the RTS rate (revenue / base) is the base-weighted average Band D
    rate = federation.tax_revenue("council_tax").sum() / federation.tax_base["council_tax"].sum()
    assert rate == pytest.approx(np.average(authorities["band_d_average_gbp"],
                                            weights=authorities["band_d_equivalents_after_cts"]))
    # documented approximation: within 1% of CRPSF's 2024-25 council tax for England
    total = federation.tax_revenue("council_tax").sum() / 1e6
    assert total == pytest.approx(CRPSF_ENGLAND_COUNCIL_TAX_2024_25_GBP_M, rel=0.01)


def test_income_tax_sources(federation):
    authorities = england_la.load_authorities().set_index("code")
    sources = authorities["income_tax_source"]
    assert set(sources[sources == "residual"].index) == {"E06000027", "E06000053"}  # Torbay, Scilly
    assert set(sources[sources == "predecessors"].index) == {"E06000063", "E06000064",
                                                             "E06000065", "E06000066"}
    income_tax = federation.tax_revenue("income_tax")[0]
    assert (income_tax > 0).all()
    assert income_tax.sum() / 1e9 == pytest.approx(198.3, abs=0.1)
    # effective rate on taxpayers' income stays within a plausible band everywhere
    rate = income_tax / federation.tax_base["income_tax"][0]
    assert (rate > 0.05).all() and (rate < 0.4).all()


def test_code_change_table_covers_every_2023_code(federation):
    table = england_la.load_code_changes()
    assert set(table["code"]) == set(federation.codes)
    assert not table["code_2019"].duplicated().any()          # each 2019 code used once
    assert len(table) == 317                                   # the IoD 2019 districts
    np.testing.assert_allclose(table.groupby("code")["weight"].sum(), 1.0, atol=1e-5)
    changed = table[table["changed"]]
    assert {code: set(group["code_2019"]) for code, group in changed.groupby("code")} == CREATED_SINCE_2019
    unchanged = table[~table["changed"]]
    assert (unchanged["code"] == unchanged["code_2019"]).all()
    assert {"E06000058", "E06000059"} <= set(unchanged["code"])   # BCP and Dorset: 2019 codes


def test_every_authority_has_the_iod_scores_merged_ones_included():
    indicators = england_la.load_indicators()
    iod = [c for c in indicators.columns if c.startswith(("imd_", "ida"))]
    # 8 IoD 2025 scores, IDACI/IDAOPI (2019), 3 IoD 2025 summaries (share, extent, concentration)
    assert len(iod) == 13 and indicators[iod].notna().all().all()
    iod2019 = england_la.load_iod2019()
    assert len(iod2019.columns) == 10 and iod2019.notna().all().all()
    assert set(iod2019.columns) <= set(iod)
    # a merged authority's score lies within its predecessors' range: check the weights
    # are shares of the IoD's own populations (Somerset's four districts: ~0.55m people)
    table = england_la.load_code_changes()
    somerset = table[table["code"] == "E06000066"]
    np.testing.assert_allclose(somerset["weight"], somerset["population_iod2019"]
                               / somerset["population_iod2019"].sum(), atol=1e-6)
    assert 500_000 < somerset["population_iod2019"].sum() < 600_000


def test_indicators_have_units_and_metadata(federation):
    metadata = england_la.load_indicator_metadata().set_index("indicator")
    for name, series in federation.indicators.items():
        assert series.shape == (1, 296)
        assert federation.units.get(name), name
        if name in metadata.index:
            assert int((~np.isnan(series)).sum()) == metadata.loc[name, "n_areas"]
    assert metadata.loc["ks2_expected_standard_rwm_pct", "n_areas"] == 128  # upper tier only
    per_head = federation.indicators["council_tax_per_head_gbp"][0]
    np.testing.assert_allclose(per_head * federation.population[0],
                               federation.tax_revenue("council_tax")[0])


def test_boundaries_and_hexmap_match_the_codes(federation):
    boundaries = england_la.load_boundaries()
    codes = [f["properties"]["areacd"] for f in boundaries["features"]]
    assert sorted(codes) == sorted(federation.codes)
    for feature in boundaries["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1]
                lon, lat = np.array(ring).T
                assert (-7 < lon).all() and (lon < 2) .all() and (49.8 < lat).all() and (lat < 56).all()
    frame = england_la.hexmap_frame()
    assert sorted(frame["code"]) == sorted(federation.codes)
    assert set(frame["region_code"]) == {f"E1200000{i}" for i in range(1, 10)}
    assert not frame.duplicated(["q", "r"]).any()
    odd = frame["r"] % 2 == 1
    np.testing.assert_allclose(frame.loc[odd, "x"], frame.loc[odd, "q"] + 0.5)


def test_options_and_years_raise_clear_errors():
    with pytest.raises(DataValidationError, match="2024-25"):
        england_la.load(year="2024-25")
    with pytest.raises(ConfigurationError, match="unknown option 'north_sea'"):
        england_la.load(north_sea="geographic")
    with pytest.raises(ConfigurationError, match="nations"):
        england_la.load(nations="county")
    assert england_la.load(year=["2025-26"]).years == ("2025-26",)


# ---------------------------------------------------------------- IoD 2025 and 2019
def test_iod_option_swaps_the_edition_and_keeps_column_names():
    new = england_la.load()
    old = england_la.load(iod="2019")
    assert set(new.indicators) == set(old.indicators)
    iod2019 = england_la.load_iod2019().reindex(list(old.codes))
    np.testing.assert_array_equal(old.indicators["imd_score"][0], iod2019["imd_score"])
    assert not np.array_equal(new.indicators["imd_score"][0], old.indicators["imd_score"][0])
    assert np.isnan(old.indicators["imd_extent"]).all()
    # Middlesbrough: IMD 2025 average score 40.037 (MHCLG LTLA summaries), 2019: 40.46
    m = new.codes.index("E06000002")
    assert new.indicators["imd_score"][0, m] == 40.037
    assert old.indicators["imd_score"][0, m] == 40.46
    with pytest.raises(ConfigurationError, match="iod must be one of"):
        england_la.load(iod="2015")
    with pytest.raises(ConfigurationError, match="iod must be one of"):
        england_la.load(iod=True)


def test_need_index_follows_the_iod_edition():
    new = england_la.load(need_index=True)
    old = england_la.load(need_index=True, iod="2019")
    a, b = new.indicators["need_index"][0], old.indicators["need_index"][0]
    for need in (a, b):
        assert np.average(need, weights=new.population[0]) == pytest.approx(1.0)
    assert not np.allclose(a, b)
    assert np.corrcoef(a, b)[0, 1] > 0.8   # same authorities broadly, not identical


def test_iod_2025_authority_summaries_are_reproduced_from_the_lsoa_data():
    """MHCLG's IoD 2025 LTLA summaries from the 33,755 LSOAs of england_lsoa:
    the share of LSOAs in the most deprived national decile, exactly (to the 4 dp
    published), and the population-weighted average IMD score within 0.5.  The
    weights here are Census 2021 usual residents; MHCLG weights by its own mid-year
    population estimates, hence the small gap."""
    from simulator.data.england_lsoa import load_neighbourhoods

    hoods = load_neighbourhoods()
    fed = england_la.load()
    la_codes = hoods.authorities["code"].to_numpy()
    assert sorted(la_codes) == sorted(fed.codes)
    order = np.searchsorted(la_codes, np.array(fed.codes))
    count = np.bincount(hoods.la, minlength=296)[order]
    in_decile_1 = np.bincount(hoods.la, weights=hoods["imd_decile"] == 1, minlength=296)[order]
    share = in_decile_1 / count
    published_share = fed.indicators["imd_share_lsoas_most_deprived_10pct"][0]
    assert np.abs(share - published_share).max() <= 1e-4
    pop = hoods.population
    average = (np.bincount(hoods.la, weights=pop * hoods["imd_score"], minlength=296)
               / np.bincount(hoods.la, weights=pop, minlength=296))[order]
    gap = np.abs(average - fed.indicators["imd_score"][0])
    assert gap.max() < 0.5
    assert gap.mean() < 0.1   # 0.04 on average (City of London the largest, 0.34)
