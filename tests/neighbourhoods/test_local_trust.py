"""Local Trust's left-behind wards (CNI 2019) and LSOAs (2023 flag) per authority and region."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.data.england_lsoa import load_neighbourhoods
from simulator.neighbourhoods.local_trust import (left_behind_by_place, load_wards_cni2019,
                                                  ward_top_decile)

N_WARDS = 7_433            # OCSI CNI 2019 ward file (2017 wards)
LEFT_BEHIND_WARDS = 225    # Local Trust (2019)
LEFT_BEHIND_LSOAS = 1_262  # CNI 2023 and IMD 2025 most deprived decile (humaniverse/IMD flag)


@pytest.fixture(scope="module")
def by_authority():
    return left_behind_by_place("authority")


@pytest.fixture(scope="module")
def by_region():
    return left_behind_by_place("region")


def test_the_most_needy_cni_decile_of_wards_holds_all_225_left_behind_wards():
    wards = load_wards_cni2019()
    assert len(wards) == N_WARDS and wards["left_behind"].sum() == LEFT_BEHIND_WARDS
    top = ward_top_decile(wards)
    assert top.sum() == 743                         # rank <= 7,433 / 10
    # the decile from the published rank agrees with the one from the scores
    from simulator.inequality import deciles
    assert (deciles(wards["cni_score"].to_numpy()) == 1).sum() == 743
    assert ((deciles(wards["cni_score"].to_numpy()) == 1) == top).mean() > 0.999
    left = wards["left_behind"].to_numpy() == 1
    assert top[left].all()                          # the CNI half of Local Trust's rule
    assert wards.loc[left, "cni_rank"].max() <= 743


def test_counts_per_authority_and_region_add_up_to_the_national_lists(by_authority, by_region):
    for frame in (by_authority, by_region):
        assert frame["wards_left_behind"].sum() == LEFT_BEHIND_WARDS
        assert frame["lsoas_left_behind"].sum() == LEFT_BEHIND_LSOAS
        assert frame["wards"].sum() == N_WARDS
        assert frame["lsoas"].sum() == 33_755
        assert frame["population"].sum() == 56_490_046
        assert ((frame["share_left_behind"] >= 0) & (frame["share_left_behind"] <= 1)).all()
    assert len(by_authority) == 296 and len(by_region) == 9
    # regions are sums of their authorities
    summed = by_authority.groupby("region_name")[["wards_left_behind", "lsoas_left_behind",
                                                  "population_left_behind"]].sum()
    summed = summed.reindex(by_region["name"]).to_numpy()
    np.testing.assert_array_equal(summed, by_region[["wards_left_behind", "lsoas_left_behind",
                                                     "population_left_behind"]].to_numpy())


def test_population_share_is_computed_from_the_flagged_lsoas(by_authority):
    hoods = load_neighbourhoods()
    la = hoods.authorities["code"].tolist().index("E06000002")   # Middlesbrough
    mask = (hoods.la == la)
    flagged = mask & (hoods["left_behind"] == 1)
    row = by_authority[by_authority["code"] == "E06000002"].iloc[0]
    assert row["lsoas_left_behind"] == flagged.sum()
    assert row["share_left_behind"] == pytest.approx(hoods.population[flagged].sum()
                                                     / hoods.population[mask].sum())
    # London has almost no left-behind neighbourhoods; the North East the largest share
    assert by_authority.loc[by_authority["region_name"] == "London", "lsoas_left_behind"].sum() < 10


def test_abolished_2019_authorities_are_mapped_to_todays(by_authority):
    wards = load_wards_cni2019()
    bournemouth = wards["lad19_code"] == "E06000028"
    assert bournemouth.any() and (wards.loc[bournemouth, "la_code"] == "E06000058").all()
    taunton = wards["lad19_code"] == "E07000190"
    assert (wards.loc[taunton, "la_code"] == "E06000066").all()   # via SW&T into Somerset 2023
