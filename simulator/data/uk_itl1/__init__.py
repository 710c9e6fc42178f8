"""The UK's 12 ITL1 nations and regions, financial years 1999-00 to 2024-25.

Revenue by tax family from ONS *Country and Regional Public Sector Finances*
(CRPSF), FYE 2025 edition: receipts attributed to the region of the payer.
Each family is a fixed set of published revenue lines (``TAX_FAMILIES``, by
the workbook's ``line_order``); ``other`` is line 63 (total current receipts
excluding North Sea) minus every family, so the families sum exactly to the
published total.  ``north_sea`` adds line 64 (geographic share) or 70
(population share), or is left out.

Population: the financial-year averages ONS used for per-head figures (Table
S12).  Indicators (``Federation.units`` gives each unit): identifiable and
total managed expenditure (CRPSF combined expenditure sheet) in GBP, GDHI and
GVA per head in GBP, the calendar year Y shown as financial year Y-(Y+1), NaN
where not published.  :func:`revenue_lines` gives every raw line, England and
UK rows included; :func:`boundaries` a simplified ITL1 GeoJSON.  See
``PROVENANCE.md`` beside this file.  ``need_index="england_only"`` or
``"gdhi_proxy"`` adds indicator ``need_index`` (England's regions from the
local-authority composite; see :mod:`simulator.need_index.engine`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ...errors import DataValidationError
from ...federation import Federation
from .._common import check_choice, check_options, derived

__all__ = [
    "DESCRIPTION", "SOURCE", "TAX_FAMILIES", "NORTH_SEA_LINES", "NORTH_SEA_OPTIONS",
    "TOTAL_EXCL_NORTH_SEA_LINE", "load", "from_folder", "revenue_lines", "areas", "boundaries",
]

DESCRIPTION = ("UK, 12 ITL1 nations and regions, 1999-00 to 2024-25: revenue by tax family "
               "(ONS CRPSF FYE 2025), population, expenditure, GDHI and GVA per head")
SOURCE = ("ONS Country and Regional Public Sector Finances, FYE 2025 edition (26 May 2026); "
          "ONS regional GDHI and GVA. Crown copyright, Open Government Licence v3.0")
HERE = Path(__file__).resolve().parent

#: tax family -> CRPSF revenue lines (``line_order``) it adds up; ``other`` is the rest.
TAX_FAMILIES: dict[str, tuple[int, ...]] = {
    "income_tax": (1,),
    "capital_gains_tax": (2,),
    "nics": (58,),                        # Social Contributions
    "vat": (9,),
    "corporation_tax": (6,),              # excluding North Sea
    "fuel_duties": (12,),
    "business_rates": (13, 47, 35, 44),   # market sector, NPISH, NI regional + district non-domestic
    "council_tax": (55, 48, 49),          # council tax, NI regional + district domestic rates
    "property_transaction_taxes": (14,),  # SDLT, LTT, LBTT, ATED
    "alcohol_tobacco": (20, 21),
    "vehicle_excise": (22, 51),           # paid by businesses, by households
}
#: total current receipts excluding North Sea oil and gas
TOTAL_EXCL_NORTH_SEA_LINE = 63
#: North Sea oil and gas revenue by geographic share / by population share
NORTH_SEA_LINES = {"geographic": 64, "population": 70}
NORTH_SEA_OPTIONS = ("geographic", "population", "excluded")

_INDICATORS = {  # indicator -> (file, column, multiplier to whole GBP, unit)
    "identifiable_expenditure": ("expenditure.csv", "identifiable_expenditure_gbp_m", 1e6,
                                 "GBP per year (CRPSF identifiable expenditure)"),
    "total_managed_expenditure": ("expenditure.csv", "total_managed_expenditure_gbp_m", 1e6,
                                  "GBP per year (CRPSF total managed expenditure)"),
    "gdhi_per_head": ("economy.csv", "gdhi_per_head_gbp", 1.0,
                      "GBP per head (ONS GDHI, calendar year Y shown as FY Y-(Y+1))"),
    "gva_per_head": ("economy.csv", "gva_per_head_gbp", 1.0,
                     "GBP per head (ONS GVA balanced, current prices, calendar year Y as FY Y-(Y+1))"),
}
_UNITS = {
    "population": "persons (ONS financial-year average, CRPSF Table S12)",
    "revenue": "GBP per year (CRPSF, residence basis)",
    **{name: spec[3] for name, spec in _INDICATORS.items()},
}
#: file -> (text columns, numeric columns, blanks allowed); in the wide revenue
#: file every other column is a year of GBP m values.
_FORMATS = {
    "areas.csv": (("code", "ons_code", "name", "nation", "level"), (), False),
    "revenue_line_items.csv": (("line_item",), ("line_order",), False),
    "revenue_lines_gbp_m.csv": (("code",), ("line_order",), False),
    "population.csv": (("year", "code"), ("population",), False),
    "expenditure.csv": (("year", "code"),
                        ("identifiable_expenditure_gbp_m", "total_managed_expenditure_gbp_m"), False),
    "economy.csv": (("year", "code"), ("calendar_year", "gdhi_per_head_gbp", "gva_per_head_gbp"),
                    True),
}
_WIDE = "revenue_lines_gbp_m.csv"


# ------------------------------------------------------------------- reading
@lru_cache(maxsize=None)
def _read(folder: Path, name: str) -> pd.DataFrame:
    """One CSV of the package format, numbers parsed; a bad cell raises naming its
    region, column and year.  Cached: callers must not modify the frame."""
    text_columns, numeric_columns, blanks_allowed = _FORMATS[name]
    try:
        raw = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataValidationError(f"{name}: file not found in {folder}") from None
    missing = [c for c in (*text_columns, *numeric_columns) if c not in raw.columns]
    if missing:
        raise DataValidationError(f"{name}: missing column", column=missing[0])
    frame = raw[list(text_columns)].apply(lambda s: s.str.strip())
    year_columns = ([c for c in raw.columns if c not in (*text_columns, *numeric_columns)]
                    if name == _WIDE else [])
    for column in (*numeric_columns, *year_columns):
        cells = raw[column].str.strip()
        values = pd.to_numeric(cells, errors="coerce").astype(float)
        bad = (values.isna() & ((cells != "") | (not blanks_allowed))) | np.isinf(values)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            what = "missing value" if cells.iloc[row] == "" else f"not a number: {cells.iloc[row]!r}"
            region = frame["code"].iloc[row] if "code" in frame else None
            if column in year_columns:  # wide: the column is a year, the row a line
                raise DataValidationError(f"{name}: {what}", region=region,
                                          column=f"line {raw['line_order'].iloc[row]}", year=column)
            raise DataValidationError(f"{name}: {what}", region=region, column=column,
                                      year=frame["year"].iloc[row] if "year" in frame else None)
        frame[column] = values
    keys = [k for k in ("year", "code", "line_order") if k in frame]
    duplicated = frame.duplicated(keys)
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        raise DataValidationError(
            f"{name}: duplicated row", region=row.get("code"),
            column=f"line {int(row['line_order'])}" if "line_order" in row else "code",
            year=row.get("year"))
    return frame


#: Aggregate rows kept beside the regions -> the nation whose regions sum to it (None: all).
_AGGREGATES = {"E92000001": "England", "K02000001": None}
#: file -> column -> tolerance of |sum of regions - aggregate row|.  Revenue lines and
#: population are stored so that they add up (today to 5e-6 GBP m and exactly); the
#: expenditure tables round each published figure to GBP 1m, so their sums may differ
#: by up to half a million per region.
_SUM_TOLERANCE = {
    "revenue_lines_gbp_m.csv": {"*": 1e-3},
    "population.csv": {"population": 1e-3},
    "expenditure.csv": {"identifiable_expenditure_gbp_m": 6.0,
                        "total_managed_expenditure_gbp_m": 6.0},
}


def check_totals(folder: str | Path) -> None:
    """Check that the regions add up to the England and UK rows kept beside them, in
    every additive file, year and line; a tampered cell (which the residual ``other``
    family would silently absorb) raises naming the file, row, column and year."""
    folder = Path(folder)
    areas = _read(folder, "areas.csv")
    regions = areas[areas["level"] == "ITL1"]
    for file, columns in _SUM_TOLERANCE.items():
        table = _read(folder, file)
        if file == _WIDE:
            keys = ["line_order"]
            value_columns = [c for c in table.columns if c not in ("code", "line_order")]
        else:
            keys = ["year"]
            value_columns = list(columns)
        for aggregate, nation in _AGGREGATES.items():
            if aggregate not in set(table["code"]):
                continue
            members = regions["code"] if nation is None else \
                regions.loc[regions["nation"] == nation, "code"]
            summed = (table[table["code"].isin(members)].groupby(keys)[value_columns].sum())
            given = table[table["code"] == aggregate].set_index(keys)[value_columns]
            summed, given = summed.align(given, join="right")
            difference = (summed - given).abs()
            for column in value_columns:
                tolerance = columns.get(column, columns.get("*"))
                over = difference[column].to_numpy() > tolerance
                if over.any():
                    row = int(np.flatnonzero(over)[0])
                    key = difference.index[row]
                    where = (dict(column=f"line {int(key)}", year=column) if file == _WIDE
                             else dict(column=column, year=str(key)))
                    raise DataValidationError(
                        f"{file}: the regions sum to {summed[column].iloc[row]:,.6f} but the "
                        f"{areas.loc[areas['code'] == aggregate, 'name'].iloc[0]} row holds "
                        f"{given[column].iloc[row]:,.6f} (difference "
                        f"{difference[column].iloc[row]:.6g}, tolerance {tolerance:g}); a cell "
                        "was changed or lost; see simulator/data/MANIFEST.sha256",
                        region=aggregate, **where)


def _regions(folder: Path) -> pd.DataFrame:
    table = _read(folder, "areas.csv")
    return table[table["level"] == "ITL1"].reset_index(drop=True)


def _revenue_cube(folder: Path, codes: list[str]) -> tuple[list[str], list[int], np.ndarray]:
    """Years, line orders and revenue lines in GBP m, shape ``(lines, years, regions)``."""
    lines = _read(folder, "revenue_lines_gbp_m.csv")
    years = [c for c in lines.columns if c not in ("code", "line_order")]
    orders = sorted(int(v) for v in lines["line_order"].unique())
    unknown = sorted(set(lines["code"]) - set(_read(folder, "areas.csv")["code"]))
    if unknown:
        raise DataValidationError("revenue_lines_gbp_m.csv: region not in areas.csv",
                                  region=unknown[0], column="code")
    index = pd.MultiIndex.from_product([orders, codes], names=["line_order", "code"])
    table = (lines.assign(line_order=lines["line_order"].astype(int))
             .set_index(["line_order", "code"])[years].reindex(index))
    cube = table.to_numpy(float).reshape(len(orders), len(codes), len(years)).transpose(0, 2, 1)
    needed = sorted({TOTAL_EXCL_NORTH_SEA_LINE, *NORTH_SEA_LINES.values(),
                     *(n for lines_ in TAX_FAMILIES.values() for n in lines_)})
    absent = [n for n in needed if n not in orders]
    if absent:
        raise DataValidationError("revenue_lines_gbp_m.csv: revenue line missing",
                                  column=f"line {absent[0]}")
    hole = np.isnan(cube)
    if hole.any():
        line, year, region = np.argwhere(hole)[0]
        raise DataValidationError("revenue_lines_gbp_m.csv: no row for this region and line",
                                  region=codes[region], column=f"line {orders[line]}",
                                  year=years[year])
    return years, orders, cube


def _tax_families(cube: np.ndarray, orders: list[int], north_sea: str) -> dict[str, np.ndarray]:
    """Tax family -> revenue ``(years, regions)`` in GBP m; ``other`` closes to line 63."""
    line = {order: i for i, order in enumerate(orders)}
    families = {name: cube[[line[n] for n in numbers]].sum(axis=0)
                for name, numbers in TAX_FAMILIES.items()}
    families["other"] = cube[line[TOTAL_EXCL_NORTH_SEA_LINE]] - sum(families.values())
    if north_sea in NORTH_SEA_LINES:
        families["north_sea"] = cube[line[NORTH_SEA_LINES[north_sea]]]
    return families


def _tidy(values: dict[str, np.ndarray], key: str, years: list[str],
          codes: list[str]) -> pd.DataFrame:
    """``{name: (years, regions)}`` -> long frame ``year, code, <key>, value``."""
    names = list(values)
    stacked = np.stack([values[n] for n in names])  # (names, years, regions)
    n, y, r = stacked.shape
    return pd.DataFrame({
        "year": np.tile(np.repeat(years, r), n),
        "code": np.tile(codes, n * y),
        key: np.repeat(names, y * r),
        "value": stacked.ravel(),
    })


def _check_north_sea(north_sea: str) -> None:
    check_choice("uk_itl1", "north_sea", north_sea, NORTH_SEA_OPTIONS)


def from_folder(folder: str | Path, north_sea: str = "geographic") -> Federation:
    """Build the federation from CSVs in the package format (the loader's reader).

    Raises:
        DataValidationError: a missing, non-numeric, duplicated or invalid
            cell, naming the region, column and year; or regions that do not
            add up to the England and UK rows (:func:`check_totals`).
        ConfigurationError: an unknown ``north_sea`` option.
    """
    _check_north_sea(north_sea)
    folder = Path(folder).resolve()
    regions = _regions(folder)
    codes = list(regions["code"])
    years, orders, cube = _revenue_cube(folder, codes)
    revenue = _tidy(_tax_families(cube, orders, north_sea), "tax", years, codes)
    population = _read(folder, "population.csv")
    population = population[population["code"].isin(codes)]
    indicators = []
    for name, (file, column, scale, _) in _INDICATORS.items():
        table = _read(folder, file)
        table = table[table["code"].isin(codes)]
        indicators.append(pd.DataFrame({"year": table["year"], "code": table["code"],
                                        "indicator": name, "value": table[column] * scale}))
    federation = Federation.from_frames(
        "uk_itl1", regions[["code", "name", "nation"]], revenue, population,
        indicators=pd.concat(indicators, ignore_index=True), units=_UNITS,
        currency="GBP", source=SOURCE, money_scale=1e6)
    check_totals(folder)  # after the cell checks, which name a bad cell more precisely
    return federation


@lru_cache(maxsize=None)
def _federation(north_sea: str) -> Federation:
    return from_folder(HERE, north_sea)


# ------------------------------------------------------------------- public
def _wanted_years(year: str | Sequence[str] | None, available: Sequence[str]) -> list[str] | None:
    """Normalise ``year``; None = all.  Unknown years raise naming the year and the range."""
    if year is None:
        return None
    wanted = [year] if isinstance(year, str) else year
    if not isinstance(wanted, (list, tuple)) or not wanted or not all(
            isinstance(y, str) for y in wanted):
        raise DataValidationError(
            f"year must be a financial year such as '2024-25' or a non-empty list of them "
            f"({available[0]} to {available[-1]})", year=str(year))
    for y in wanted:
        if y not in available:
            raise DataValidationError(
                f"year not in dataset 'uk_itl1' ({available[0]} to {available[-1]})", year=y)
    return list(wanted)


def load(year: str | Sequence[str] | None = None, north_sea: str = "geographic",
         need_index: bool | str = False, need_index_spread: float = 0.2,
         **options) -> Federation:
    """The 12 ITL1 nations and regions as a :class:`Federation` (money in whole GBP).

    Args:
        year: one financial year (``"2024-25"``), a list of them, or None for
            all (1999-00 to 2024-25).
        north_sea: ``"geographic"`` (line 64), ``"population"`` (line 70) or
            ``"excluded"`` (no ``north_sea`` family).
        need_index: false (default), or add indicator ``need_index``: England's
            nine regions get the population-weighted mean of their local
            authorities' composite need index; Wales, Scotland and Northern
            Ireland have no local-authority data, so ``"england_only"`` leaves
            them NaN and ``"gdhi_proxy"`` gives them a labelled proxy from GDHI
            per head (see :mod:`simulator.need_index.engine`).
        need_index_spread: the authorities' need index spread (0 < spread <= 1).

    Raises:
        ConfigurationError: an unknown option, ``north_sea`` or ``need_index``
            value (``true`` is refused: it must say what the three nations get).
        DataValidationError: a year outside the dataset.
    """
    check_options("uk_itl1", options, ("year", "north_sea", "need_index", "need_index_spread"))
    _check_north_sea(north_sea)
    federation = _federation(north_sea)
    wanted = _wanted_years(year, federation.years)
    federation = federation if wanted is None else federation.select_years(wanted)
    if need_index is not False and need_index is not None:
        # computed by simulator.need_index, registered there: this loader does not import it
        federation = derived("uk_itl1", "need_index")(federation, need_index,
                                                      spread=float(need_index_spread))
    return federation


@lru_cache(maxsize=None)
def _revenue_lines_tidy() -> pd.DataFrame:
    lines = _read(HERE, "revenue_lines_gbp_m.csv")
    years = [c for c in lines.columns if c not in ("code", "line_order")]
    tidy = lines.melt(id_vars=["code", "line_order"], value_vars=years,
                      var_name="year", value_name="value_gbp_m")
    tidy["line_order"] = tidy["line_order"].astype(int)
    names = _read(HERE, "areas.csv").set_index("code")["name"]
    items = _read(HERE, "revenue_line_items.csv").assign(
        line_order=lambda f: f["line_order"].astype(int)).set_index("line_order")["line_item"]
    tidy["region"] = tidy["code"].map(names)
    tidy["line_item"] = tidy["line_order"].map(items)
    return tidy[["year", "code", "region", "line_order", "line_item", "value_gbp_m"]]


def revenue_lines(year: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Every published CRPSF revenue line, tidy: ``year, code, region, line_order,
    line_item, value_gbp_m`` (GBP million), the 12 areas plus England
    (``E92000001``) and the UK (``K02000001``)."""
    tidy = _revenue_lines_tidy()
    wanted = _wanted_years(year, sorted(tidy["year"].unique()))
    if wanted is not None:
        tidy = tidy[tidy["year"].isin(wanted)]
    return tidy.reset_index(drop=True)


def areas() -> pd.DataFrame:
    """``code, ons_code, name, nation, level`` of the 12 ITL1 areas, England and the UK."""
    return _read(HERE, "areas.csv").copy()


@lru_cache(maxsize=None)
def _boundaries_text() -> str:
    return (HERE / "itl1_boundaries.geojson").read_text()


def boundaries() -> dict:
    """Simplified ITL1 boundaries: GeoJSON FeatureCollection (WGS84 lon/lat, exterior
    rings clockwise), properties ``code`` (TLC..TLN) and ``name``.  A fresh dict each call."""
    return json.loads(_boundaries_text())
