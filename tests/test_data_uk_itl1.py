"""The built-in ``uk_itl1`` dataset reproduces ONS CRPSF FYE 2025 (package CSVs only)."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from simulator import load_federation
from simulator.data import list_datasets, uk_itl1
from simulator.errors import ConfigurationError, DataValidationError

FAMILIES = ["income_tax", "capital_gains_tax", "nics", "vat", "corporation_tax", "fuel_duties",
            "business_rates", "council_tax", "property_transaction_taxes", "alcohol_tobacco",
            "vehicle_excise", "other"]
ENGLISH_REGIONS = ["TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK"]
ITL1 = ENGLISH_REGIONS + ["TLL", "TLM", "TLN"]
ENGLAND, UK = "E92000001", "K02000001"


@pytest.fixture(scope="module")
def lines() -> pd.DataFrame:
    """Revenue lines as ``(year, line_order) x code`` in GBP m."""
    return uk_itl1.revenue_lines().pivot(index=["year", "line_order"], columns="code",
                                         values="value_gbp_m")


# ------------------------------------------------------------ published figures
def test_uk_receipts_excluding_north_sea_2024_25_is_1134_4bn():
    federation = uk_itl1.load("2024-25", north_sea="excluded")
    assert "north_sea" not in federation.taxes
    assert federation.total_revenue().sum() / 1e9 == pytest.approx(1134.4, abs=0.05)


@pytest.mark.parametrize("code, per_head", [("TLI", 26391), ("TLC", 12006), ("TLM", 16456)])
def test_revenue_per_head_including_north_sea_geographic_2024_25(code, per_head):
    federation = uk_itl1.load("2024-25", north_sea="geographic")
    region = federation.region_index(code)
    revenue_per_head = federation.total_revenue()[0, region] / federation.population[0, region]
    assert round(revenue_per_head) == per_head  # CRPSF Table S5, to GBP 1


def test_north_sea_population_share_moves_revenue_out_of_scotland():
    geographic = uk_itl1.load("2024-25", north_sea="geographic")
    population = uk_itl1.load("2024-25", north_sea="population")
    scotland = geographic.region_index("TLM")
    uk_total = geographic.tax_revenue("north_sea").sum()
    assert population.tax_revenue("north_sea").sum() == pytest.approx(uk_total)
    assert geographic.tax_revenue("north_sea")[0, scotland] / uk_total > 0.75
    share = population.tax_revenue("north_sea")[0] / population.tax_revenue("north_sea").sum()
    assert share == pytest.approx(population.population[0] / population.population[0].sum(),
                                  abs=0.002)


# ------------------------------------------------------------------- raw lines
def test_regions_add_up_to_england_and_uk_for_every_line_from_2022_23(lines):
    recent = lines[lines.index.get_level_values("year") >= "2022-23"]
    assert len(recent) == 3 * 75
    np.testing.assert_allclose(recent[ENGLISH_REGIONS].sum(axis=1), recent[ENGLAND], atol=1)
    np.testing.assert_allclose(recent[ITL1].sum(axis=1), recent[UK], atol=1)


def test_revenue_lines_shape_and_labels():
    frame = uk_itl1.revenue_lines("2024-25")
    assert list(frame.columns) == ["year", "code", "region", "line_order", "line_item",
                                   "value_gbp_m"]
    assert len(frame) == 75 * 14 and set(frame["year"]) == {"2024-25"}
    labels = frame.drop_duplicates("line_order").set_index("line_order")["line_item"]
    assert labels[1].startswith("Income Tax")
    assert labels[58] == "Social Contributions"
    assert labels[63].startswith("Total Current Receipts (excl. North Sea")
    assert labels[5] == labels[43] == "Other"  # why families go by line_order
    assert set(frame.loc[frame["code"] == UK, "region"]) == {"United Kingdom"}
    assert len(uk_itl1.revenue_lines(["2023-24", "2024-25"])) == 2 * 75 * 14


def test_revenue_lines_are_a_fresh_frame_each_call():
    first = uk_itl1.revenue_lines("2024-25")
    first["value_gbp_m"] = 0.0
    assert uk_itl1.revenue_lines("2024-25")["value_gbp_m"].sum() > 0


# ---------------------------------------------------------------- tax families
def test_family_names_and_order():
    assert uk_itl1.load("2024-25").taxes == tuple(FAMILIES + ["north_sea"])
    assert uk_itl1.load("2024-25", north_sea="excluded").taxes == tuple(FAMILIES)


def test_families_sum_to_published_total_for_every_region_and_year(lines):
    federation = uk_itl1.load(north_sea="excluded")
    total = lines.xs(63, level="line_order").loc[list(federation.years), list(federation.codes)]
    np.testing.assert_allclose(federation.total_revenue() / 1e6, total.to_numpy(), rtol=0,
                               atol=1e-6)
    with_north_sea = uk_itl1.load(north_sea="geographic")
    total_69 = lines.xs(69, level="line_order").loc[list(federation.years), list(federation.codes)]
    np.testing.assert_allclose(with_north_sea.total_revenue() / 1e6, total_69.to_numpy(),
                               atol=1e-6)


def test_families_take_the_documented_lines(lines):
    federation = uk_itl1.load("2024-25")
    row = lines.loc["2024-25"]
    for family, numbers in uk_itl1.TAX_FAMILIES.items():
        expected = row.loc[list(numbers), list(federation.codes)].sum().to_numpy() * 1e6
        np.testing.assert_allclose(federation.tax_revenue(family)[0], expected, err_msg=family)
    northern_ireland = federation.region_index("TLN")
    # Northern Ireland has rates, not council tax: domestic rates 48 + 49
    assert federation.tax_revenue("council_tax")[0, northern_ireland] == pytest.approx(939e6)
    assert (federation.tax_revenue("other") > 0).all()


# ------------------------------------------------------ population, indicators
def test_population_and_indicators():
    federation = uk_itl1.load()
    assert federation.name == "uk_itl1" and federation.currency == "GBP"
    assert "Open Government Licence v3.0" in federation.source and "\n" not in federation.source
    assert federation.years[0] == "1999-00" and federation.years[-1] == "2024-25"
    assert len(federation.years) == 26
    assert federation.codes == tuple(ITL1)
    assert federation.nations[federation.region_index("TLL")] == "Wales"
    assert set(federation.nations) == {"England", "Wales", "Scotland", "Northern Ireland"}
    last = federation.years.index("2024-25")
    assert federation.population[last, federation.region_index("TLC")] == 2_760_678
    assert set(federation.indicators) == {"identifiable_expenditure", "total_managed_expenditure",
                                          "gdhi_per_head", "gva_per_head"}
    assert set(federation.indicators) <= set(federation.units)
    # money in whole GBP: London's identifiable expenditure is tens of billions
    assert 5e10 < federation.indicators["identifiable_expenditure"][last, 6] < 2e11
    tme = federation.indicators["total_managed_expenditure"]
    assert (tme > federation.indicators["identifiable_expenditure"]).all()


def test_calendar_year_indicators_map_to_the_financial_year_they_start():
    federation = uk_itl1.load()
    gdhi, gva = federation.indicators["gdhi_per_head"], federation.indicators["gva_per_head"]
    london = federation.region_index("TLI")
    # ONS GVA (balanced) per head, London 2021 = GBP 55,412 -> 2021-22
    assert gva[federation.years.index("2021-22"), london] == 55_412
    assert np.isnan(gva[federation.years.index("2022-23")]).all()
    # GDHI runs to calendar 2022 -> 2022-23; nothing for 2023-24 onwards
    assert np.isfinite(gdhi[federation.years.index("2022-23")]).all()
    assert np.isnan(gdhi[federation.years.index("2023-24"):]).all()
    assert np.isfinite(gdhi[: federation.years.index("2022-23")]).all()


# -------------------------------------------------------------- loader options
def test_year_selection():
    one = uk_itl1.load("2024-25")
    assert one.years == ("2024-25",) and one.revenue.shape == (1, 13, 12)
    two = uk_itl1.load(["2024-25", "2010-11"])
    assert two.years == ("2024-25", "2010-11")
    np.testing.assert_array_equal(two.revenue[0], one.revenue[0])
    assert load_federation("uk_itl1", year="2024-25").years == ("2024-25",)
    assert "uk_itl1" in list_datasets()


@pytest.mark.parametrize("year", ["2025-26", "1998-99", "2024/25"])
def test_bad_year_names_the_year_and_the_range(year):
    with pytest.raises(DataValidationError) as error:
        uk_itl1.load(year)
    assert error.value.year == year
    assert "1999-00" in str(error.value) and "2024-25" in str(error.value)
    with pytest.raises(DataValidationError):
        uk_itl1.revenue_lines(year)


@pytest.mark.parametrize("year", [2024, [], ["2024-25", 2023]])
def test_year_of_the_wrong_type_is_a_data_validation_error(year):
    with pytest.raises(DataValidationError, match="financial year"):
        uk_itl1.load(year)


def test_bad_north_sea_option_lists_the_allowed_values():
    with pytest.raises(ConfigurationError) as error:
        uk_itl1.load(north_sea="scotland")
    for allowed in ("geographic", "population", "excluded"):
        assert allowed in str(error.value)
    with pytest.raises(ConfigurationError, match="unknown option"):
        load_federation("uk_itl1", nations="region")


def test_repeated_loads_are_cached_and_immutable():
    first = uk_itl1.load()
    assert uk_itl1.load() is first
    with pytest.raises(ValueError):
        first.revenue[0, 0, 0] = 1.0


# ------------------------------------------------------------------ the files
def test_reader_names_region_column_and_year_of_a_bad_revenue_cell(tmp_path):
    for path in uk_itl1.HERE.glob("*.csv"):
        shutil.copy(path, tmp_path)
    wide = pd.read_csv(tmp_path / "revenue_lines_gbp_m.csv", dtype=str, keep_default_na=False)
    wide.loc[(wide["code"] == "TLM") & (wide["line_order"] == "12"), "2023-24"] = "n/a"
    wide.to_csv(tmp_path / "revenue_lines_gbp_m.csv", index=False)
    with pytest.raises(DataValidationError) as error:
        uk_itl1.from_folder(tmp_path)
    assert (error.value.region, error.value.column, error.value.year) == (
        "TLM", "line 12", "2023-24")
    assert "revenue_lines_gbp_m.csv" in str(error.value)


def test_package_files_build_the_same_federation_through_from_folder(tmp_path):
    for path in uk_itl1.HERE.glob("*.csv"):
        shutil.copy(path, tmp_path)
    rebuilt = uk_itl1.from_folder(tmp_path, north_sea="population")
    np.testing.assert_array_equal(rebuilt.revenue, uk_itl1.load(north_sea="population").revenue)


def test_boundaries():
    collection = uk_itl1.boundaries()
    assert collection["type"] == "FeatureCollection"
    codes = [f["properties"]["code"] for f in collection["features"]]
    assert sorted(codes) == sorted(ITL1)
    names = {f["properties"]["code"]: f["properties"]["name"] for f in collection["features"]}
    assert names["TLM"] == "Scotland"
    assert (uk_itl1.HERE / "itl1_boundaries.geojson").stat().st_size < 150_000
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                    else geometry["coordinates"])
        for polygon in polygons:
            exterior = np.asarray(polygon[0])
            assert (exterior[0] == exterior[-1]).all() and len(exterior) >= 4
            x, y = exterior[:, 0], exterior[:, 1]
            signed_area = 0.5 * (x[:-1] @ y[1:] - x[1:] @ y[:-1])
            assert signed_area < 0, "exterior rings run clockwise"
            assert (-9 < x).all() and (x < 2).all() and (49.8 < y).all() and (y < 61).all()
    collection["features"].clear()
    assert len(uk_itl1.boundaries()["features"]) == 12
