"""Federation: validation names region, column and year; selection and tidy output."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from simulator.data import uk_itl1
from simulator.errors import DataValidationError
from simulator.federation import Federation

YEARS = ["2023-24", "2024-25"]
CODES = ["A", "B", "C"]
TAXES = ["income_tax", "vat"]


def frames() -> dict[str, pd.DataFrame]:
    """Three regions, two years, two taxes, revenue in GBP m; every cell distinct."""
    regions = pd.DataFrame({"code": CODES, "name": ["Alpha", "Beta", "Gamma"],
                            "nation": ["N1", "N1", "N2"]})
    revenue = pd.DataFrame(
        [(year, code, tax, 100.0 * (y + 1) + 10.0 * t + r)
         for y, year in enumerate(YEARS) for t, tax in enumerate(TAXES)
         for r, code in enumerate(CODES)],
        columns=["year", "code", "tax", "value"])
    population = pd.DataFrame(
        [(year, code, 1000.0 * (r + 1) + y) for y, year in enumerate(YEARS)
         for r, code in enumerate(CODES)],
        columns=["year", "code", "population"])
    return {"regions": regions, "revenue": revenue, "population": population}


def build(**changes) -> Federation:
    parts = frames() | changes
    return Federation.from_frames("toy", parts["regions"], parts["revenue"],
                                  parts["population"], money_scale=1e6)


def assert_names(error: pytest.ExceptionInfo, region: str, column: str, year: str) -> None:
    assert (error.value.region, error.value.column, error.value.year) == (region, column, year)
    for part in (repr(region), repr(column), repr(year)):
        assert part in str(error.value)


# ------------------------------------------------------------------- validation
def test_nan_revenue_names_region_tax_and_year():
    revenue = frames()["revenue"]
    revenue.loc[(revenue["code"] == "B") & (revenue["tax"] == "vat")
                & (revenue["year"] == "2024-25"), "value"] = np.nan
    with pytest.raises(DataValidationError, match="missing value") as error:
        build(revenue=revenue)
    assert_names(error, "B", "vat", "2024-25")


def test_nan_population_names_region_column_and_year():
    population = frames()["population"]
    population.loc[(population["code"] == "C") & (population["year"] == "2023-24"),
                   "population"] = np.nan
    with pytest.raises(DataValidationError, match="missing") as error:
        build(population=population)
    assert_names(error, "C", "population", "2023-24")


def test_negative_population_names_region_column_and_year():
    population = frames()["population"]
    population.loc[(population["code"] == "A") & (population["year"] == "2024-25"),
                   "population"] = -5.0
    with pytest.raises(DataValidationError, match="> 0") as error:
        build(population=population)
    assert_names(error, "A", "population", "2024-25")


def test_duplicated_region_row_names_region_column_and_year():
    revenue = frames()["revenue"]
    revenue = pd.concat([revenue, revenue.iloc[[4]]], ignore_index=True)  # 2023-24, B, vat
    with pytest.raises(DataValidationError, match="duplicated") as error:
        build(revenue=revenue)
    assert_names(error, "B", "vat", "2023-24")


def test_duplicated_region_in_region_list_names_region_and_code_column():
    regions = frames()["regions"]
    regions = pd.concat([regions, regions.iloc[[1]]], ignore_index=True)
    with pytest.raises(DataValidationError, match="unique") as error:
        build(regions=regions)
    assert (error.value.region, error.value.column) == ("B", "code")


def test_missing_tax_row_names_region_tax_and_year():
    revenue = frames()["revenue"]
    revenue = revenue[~((revenue["code"] == "C") & (revenue["tax"] == "income_tax")
                        & (revenue["year"] == "2024-25"))]
    with pytest.raises(DataValidationError, match="missing value") as error:
        build(revenue=revenue)
    assert_names(error, "C", "income_tax", "2024-25")


def test_infinite_revenue_in_constructor_names_region_tax_and_year():
    federation = build()
    revenue = federation.revenue.copy()
    revenue[1, 0, 2] = np.inf
    with pytest.raises(DataValidationError, match="finite") as error:
        Federation(name="toy", codes=CODES, names=CODES, nations=CODES, years=YEARS,
                   population=federation.population, taxes=TAXES, revenue=revenue)
    assert_names(error, "C", "income_tax", "2024-25")


def test_region_not_in_region_list_is_named():
    population = frames()["population"]
    population.loc[0, "code"] = "Z"
    with pytest.raises(DataValidationError, match="not in the region list") as error:
        build(population=population)
    assert error.value.region == "Z"


# ------------------------------------------------------ the package's CSV format
def copy_package_csvs(folder) -> None:
    for path in uk_itl1.HERE.glob("*.csv"):
        shutil.copy(path, folder)


def test_csv_with_negative_population_gives_the_clear_error(tmp_path):
    copy_package_csvs(tmp_path)
    population = pd.read_csv(tmp_path / "population.csv", dtype=str)
    population.loc[(population["code"] == "TLL") & (population["year"] == "2010-11"),
                   "population"] = "-3100000"
    population.to_csv(tmp_path / "population.csv", index=False)
    with pytest.raises(DataValidationError, match="> 0") as error:
        uk_itl1.from_folder(tmp_path)  # the reader load() uses on the package folder
    assert_names(error, "TLL", "population", "2010-11")


def test_csv_with_blank_population_cell_gives_the_clear_error(tmp_path):
    copy_package_csvs(tmp_path)
    population = pd.read_csv(tmp_path / "population.csv", dtype=str, keep_default_na=False)
    population.loc[(population["code"] == "TLN") & (population["year"] == "2001-02"),
                   "population"] = ""
    population.to_csv(tmp_path / "population.csv", index=False)
    with pytest.raises(DataValidationError, match="population.csv: missing value") as error:
        uk_itl1.from_folder(tmp_path)
    assert_names(error, "TLN", "population", "2001-02")


def test_csv_with_duplicated_region_row_gives_the_clear_error(tmp_path):
    copy_package_csvs(tmp_path)
    expenditure = pd.read_csv(tmp_path / "expenditure.csv", dtype=str)
    row = expenditure[(expenditure["code"] == "TLD") & (expenditure["year"] == "2020-21")]
    pd.concat([expenditure, row]).to_csv(tmp_path / "expenditure.csv", index=False)
    with pytest.raises(DataValidationError, match="duplicated") as error:
        uk_itl1.from_folder(tmp_path)
    assert (error.value.region, error.value.year) == ("TLD", "2020-21")


def test_csv_missing_a_region_row_for_a_revenue_line_gives_the_clear_error(tmp_path):
    copy_package_csvs(tmp_path)
    wide = pd.read_csv(tmp_path / "revenue_lines_gbp_m.csv", dtype=str)
    wide = wide[~((wide["code"] == "TLF") & (wide["line_order"] == "55"))]
    wide.to_csv(tmp_path / "revenue_lines_gbp_m.csv", index=False)
    with pytest.raises(DataValidationError) as error:
        uk_itl1.from_folder(tmp_path)
    assert_names(error, "TLF", "line 55", "1999-00")


# ---------------------------------------------------------- selection and output
def test_select_years_keeps_the_order_given_and_every_array():
    federation = Federation.from_frames(
        "toy", frames()["regions"], frames()["revenue"], frames()["population"],
        indicators=pd.DataFrame({"year": YEARS, "code": ["A", "A"], "indicator": "gdhi",
                                 "value": [1.0, 2.0]}),
        money_scale=1e6)
    swapped = federation.select_years(["2024-25", "2023-24"])
    assert swapped.years == ("2024-25", "2023-24")
    np.testing.assert_array_equal(swapped.revenue, federation.revenue[::-1])
    np.testing.assert_array_equal(swapped.population, federation.population[::-1])
    np.testing.assert_array_equal(swapped.indicators["gdhi"][:, 0], [2.0, 1.0])
    assert np.isnan(swapped.indicators["gdhi"][:, 1:]).all()
    assert federation.select_years("2024-25").revenue.shape == (1, 2, 3)


def test_select_years_unknown_year_names_it_and_the_range():
    with pytest.raises(DataValidationError, match="2023-24 to 2024-25") as error:
        build().select_years(["2024-25", "2030-31"])
    assert error.value.year == "2030-31"


def test_a_year_that_is_not_a_label_or_a_list_is_a_data_error_naming_it():
    with pytest.raises(DataValidationError, match="year label as text") as error:
        build().select_years(2024)
    assert error.value.year == "2024"


def test_total_revenue_sums_taxes_in_whole_currency_units():
    federation = build()
    # 2024-25 region C: income_tax 200 + 2, vat 210 + 2 (GBP m)
    assert federation.total_revenue()[1, 2] == 414e6
    np.testing.assert_array_equal(federation.total_revenue(["vat"]),
                                  federation.tax_revenue("vat"))
    assert federation.tax_revenue("income_tax")[0].tolist() == [100e6, 101e6, 102e6]
    with pytest.raises(DataValidationError, match="unknown tax"):
        federation.total_revenue(["stamp_duty"])


def test_to_frame_is_tidy_with_per_head_values():
    federation = build()
    frame = federation.to_frame()
    assert len(frame) == 2 * 2 * 3
    assert list(frame.columns) == ["year", "code", "region", "tax", "revenue_gbp_m",
                                   "revenue_per_head_gbp", "population"]
    row = frame[(frame["year"] == "2024-25") & (frame["code"] == "B")
                & (frame["tax"] == "vat")].iloc[0]
    assert row["region"] == "Beta"
    assert row["revenue_gbp_m"] == pytest.approx(211.0)
    assert row["population"] == 2001.0
    assert row["revenue_per_head_gbp"] == pytest.approx(211e6 / 2001)
    # round trip: the tidy frame rebuilds the same federation
    back = Federation.from_frames(
        "toy", federation.regions_frame(),
        frame.rename(columns={"revenue_gbp_m": "value"})[["year", "code", "tax", "value"]],
        frame[["year", "code", "population"]].drop_duplicates(), money_scale=1e6)
    np.testing.assert_allclose(back.revenue, federation.revenue)


def test_arrays_are_read_only_copies():
    federation = build()
    with pytest.raises(ValueError):
        federation.population[0, 0] = 1.0
    population = np.ones((2, 3))
    own = Federation(name="toy", codes=CODES, names=CODES, nations=CODES, years=YEARS,
                     population=population, taxes=TAXES, revenue=np.ones((2, 2, 3)))
    population[0, 0] = 99.0
    assert own.population[0, 0] == 1.0


# ------------------------------------------------------- size (nothing quadratic)
def _many(n: int, codes=None, years=("2024-25",), taxes=("a",)) -> Federation:
    codes = [f"R{i:06d}" for i in range(n)] if codes is None else codes
    return Federation(name="big", codes=codes, names=codes, nations=["N"] * len(codes),
                      years=list(years), population=np.full((len(years), len(codes)), 10.0),
                      taxes=list(taxes),
                      revenue=np.ones((len(years), len(taxes), len(codes))))


def test_a_federation_of_100k_regions_builds_and_looks_codes_up():
    # 100,000 regions (3x the 33,755 English LSOAs); the old duplicate check called
    # list.count per code and did not finish.  Timing is in BENCHMARKS.md.
    fed = _many(100_000)
    assert fed.n_regions == 100_000
    assert fed.region_index("R099999") == 99_999
    assert fed.region_index("R000000") == 0
    with pytest.raises(DataValidationError, match="unknown region code"):
        fed.region_index("nope")


def test_among_many_duplicates_the_first_in_sort_order_is_named():
    codes = [f"R{i:06d}" for i in range(50_000)]
    codes[40_000] = "R000007"   # duplicate of an early code
    codes[30_000] = "R000003"   # and of an earlier one: this is the one named
    with pytest.raises(DataValidationError, match="region codes must be unique") as error:
        _many(0, codes=codes)
    assert error.value.region == "R000003" and error.value.column == "code"


def test_repeated_year_and_tax_are_named():
    with pytest.raises(DataValidationError, match="each year must appear once") as error:
        _many(3, years=("2024-25", "2023-24", "2024-25"))
    assert error.value.year == "2024-25"
    with pytest.raises(DataValidationError, match="each tax must appear once") as error:
        _many(3, taxes=("vat", "a", "vat"))
    assert error.value.column == "vat"
