"""The built-in ``england_lsoa`` dataset: 33,755 LSOAs whose totals match their sources."""

from __future__ import annotations

import numpy as np
import pytest

from simulator import load_federation
from simulator.data import england_lsoa, list_datasets
from simulator.data.england_lsoa import group_sum, load_neighbourhoods
from simulator.errors import ConfigurationError, DataValidationError

# ONS Census 2021, usual residents, England (sum of TS038 LSOA totals; shared PROVENANCE.md)
ENGLAND_RESIDENTS_2021 = 56_490_046
N_LSOAS = 33_755
LEFT_BEHIND_LSOAS = 1_262  # Local Trust / OCSI, most deprived decile on CNI 2023 and IMD 2025


@pytest.fixture(scope="module")
def hoods():
    return load_neighbourhoods()


def test_registered_and_loads_as_a_federation_without_taxes():
    assert "england_lsoa" in list_datasets()
    fed = load_federation("england_lsoa")
    assert fed.n_regions == N_LSOAS and fed.taxes == () and fed.years == ("2025-26",)
    assert fed.population.sum() == ENGLAND_RESIDENTS_2021
    assert len(set(fed.nations)) == 9
    assert "cni_score" in fed.indicators and "population" not in fed.indicators
    assert len(set(load_federation("england_lsoa", nations="authority").nations)) == 296


def test_bad_options_are_refused():
    with pytest.raises(ConfigurationError, match="unknown option"):
        england_lsoa.load(colour="red")
    with pytest.raises(ConfigurationError, match="nations"):
        england_lsoa.load(nations="ward")
    with pytest.raises(DataValidationError, match="2025-26 only"):
        england_lsoa.load(year="2019-20")


def test_totals_ranks_and_flags_match_the_sources(hoods):
    assert hoods.n == N_LSOAS and len(set(hoods.codes)) == N_LSOAS
    assert hoods.population.sum() == ENGLAND_RESIDENTS_2021
    assert np.array_equal(np.sort(hoods["imd_rank"]), np.arange(1, N_LSOAS + 1))
    assert hoods["left_behind"].sum() == LEFT_BEHIND_LSOAS
    # IMD decile is the rank's national decile (3,375 or 3,376 LSOAs each)
    counts = np.bincount(hoods["imd_decile"].astype(int), minlength=11)[1:]
    assert counts.sum() == N_LSOAS and counts.min() >= 3375 and counts.max() <= 3376
    assert (hoods["imd_decile"] == np.ceil(hoods["imd_rank"] / (N_LSOAS / 10))).all()
    # score and rank agree: rank 1 has the highest score
    order = np.argsort(hoods["imd_rank"])
    assert np.all(np.diff(hoods["imd_score"][order]) <= 0)
    # left-behind = most needy decile of CNI and most deprived of IMD (the flag's definition)
    assert np.all(hoods["imd_decile"][hoods["left_behind"] == 1] == 1)
    assert len(hoods.authorities) == 296 and len(hoods.regions) == 9
    assert set(hoods.ruc21) <= {"UN1", "UF1", "RSN1", "RSF1", "RLN1", "RLF1"}
    assert 0 < hoods.rural().sum() < hoods.n


def test_group_indexes_agree_with_the_codes(hoods):
    frame = hoods.frame(["population"])
    by_la = frame.groupby("la_code")["population"].sum()
    assert np.array_equal(hoods.la_sum(hoods.population),
                          by_la.reindex(hoods.authorities["code"]).to_numpy())
    by_region = frame.groupby("region_name")["population"].sum()
    assert np.allclose(hoods.region_sum(hoods.population),
                       by_region.reindex(hoods.regions["name"]).to_numpy())
    assert (hoods.wards["la_code"].to_numpy()[hoods.ward]
            == hoods.authorities["code"].to_numpy()[hoods.la]).all()


def test_group_sum_with_leading_axes_equals_row_by_row(hoods):
    rng = np.random.default_rng(1)
    values = rng.random((3, 2, hoods.n))
    stacked = group_sum(values, hoods.la, 296)
    for i in range(3):
        for j in range(2):
            assert np.allclose(stacked[i, j], np.bincount(hoods.la, values[i, j], 296))


def test_arrays_are_read_only_and_cached(hoods):
    assert load_neighbourhoods() is hoods
    with pytest.raises(ValueError):
        hoods["imd_score"][0] = 0.0
    with pytest.raises(ConfigurationError, match="unknown column"):
        hoods["no_such"]
