"""English lower-tier local authorities (296, 2023 codes): council tax, income tax, need indicators.

One year, labelled ``2025-26``: the MHCLG Council Taxbase 2024 (dwellings at
7 October 2024) is the base authorities used to set 2025-26 council tax.

* ``council_tax`` revenue = Band D equivalents after council tax support
  (CTB Table 1.32) x average Band D including parish precepts (Table 3.04,
  the Band D in force in October 2024, i.e. 2024-25).  An approximation: it
  ignores collection rates and the 2025-26 Band D rise; England totals
  GBP 42.18bn against GBP 42.02bn of council tax in ONS CRPSF 2024-25.  The
  tax base is the Band D equivalents, so the RTS rate is the average Band D.
  Band D covers every precepting tier (county, fire, police, parish), so it is
  council tax raised *in* the area, not the billing authority's own income.
* ``income_tax`` revenue = HMRC SPI Table 3.15 income tax liabilities for
  2021-22 (not uprated); tax base = taxpayers' total income (count x mean).
  Torbay and the Isles of Scilly are suppressed by HMRC; they carry the South
  West residual split by population (``income_tax_source == "residual"``).
* population: ONS mid-2023 estimates as first published (England 57,690,323).
* nations: the region name (9 English regions, ``nations="region"``) or
  ``"England"`` for every authority (``nations="england"``).
* ``need_index=True`` adds indicator ``need_index``: the mission composite need
  index (``simulator/need_index``), population-weighted mean 1, for scenarios'
  ``need_index: need_index``.
* indicators: IoD 2025 average scores (MHCLG LTLA summaries on 2024 codes,
  the same 296 codes; ``iod="2019"`` swaps in the IoD 2019 average scores
  mapped from 2019 codes, for comparison), ONS subnational indicators (March
  2024 file), and per-head council tax measures.  IDACI/IDAOPI are IoD 2019
  under both options (no 2025 score is held).
  NaN where not published; units in ``Federation.units``.

See ``PROVENANCE.md`` beside this file.  Display helpers: :func:`load_boundaries`
(simplified ONS 2023 LTLA GeoJSON) and :func:`load_hexmap` / :func:`hexmap_frame`
(Open Innovations LAD 2023 hex map, England only).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import ConfigurationError
from ...federation import Federation
from .._common import check_options, derived

__all__ = [
    "DESCRIPTION", "YEAR", "load", "load_authorities", "load_indicators",
    "load_indicator_metadata", "load_iod2019", "IOD_EDITIONS", "load_code_changes", "load_boundaries", "load_hexmap",
    "hexmap_frame",
]

DESCRIPTION = ("England, 296 lower-tier local authorities (2023 codes), 2025-26 council tax base: "
               "council tax and income tax (SPI 2021-22), IoD 2025 and ONS subnational indicators")
#: the financial year served by the Council Taxbase 2024
YEAR = "2025-26"
HERE = Path(__file__).resolve().parent
SOURCE = ("MHCLG Council Taxbase 2024; ONS mid-2023 population; HMRC SPI Table 3.15 2021-22; "
          "MHCLG IoD 2025; ONS Subnational indicators 2024. Crown copyright, OGL v3.0")

#: per-head and derived indicators computed by the loader: name -> unit
DERIVED_UNITS = {
    "council_tax_per_head_gbp": "GBP per head (Band D equivalents x average Band D / population)",
    "band_d_equivalents_per_head": "Band D equivalents (after council tax support) per head",
    "band_d_average_gbp": "GBP per Band D dwelling (incl. parish precepts, October 2024)",
    "council_tax_support_share_pct": "% of Band D equivalents removed by council tax support",
    "taxpayer_mean_income_gbp": "GBP per taxpayer (2021-22)",
    "taxpayer_median_income_gbp": "GBP per taxpayer (2021-22; merged areas: weighted mean of medians)",
    "taxpayers_per_head": "income tax payers 2021-22 per person (mid-2023)",
}


@lru_cache(maxsize=None)
def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(HERE / name, dtype={"code": str})


def load_authorities() -> pd.DataFrame:
    """One row per authority: codes, region (E12 code, name, ITL1 code), fiscal inputs."""
    return _read("authorities.csv").copy()


def load_indicators() -> pd.DataFrame:
    """Published indicators, one column each, indexed by 2023 code (NaN = not published)."""
    return _read("indicators.csv").set_index("code")


#: the IoD edition of the ``imd_*`` columns: loader option ``iod``
IOD_EDITIONS = ("2025", "2019")
#: IoD 2025 summaries with no IoD 2019 counterpart here: NaN under ``iod="2019"``
IOD2025_ONLY = ("imd_share_lsoas_most_deprived_10pct", "imd_extent", "imd_local_concentration")


def load_iod2019() -> pd.DataFrame:
    """IoD 2019 average scores (File 10, mapped to 2023 codes), indexed by code."""
    return _read("iod2019.csv").set_index("code")


def load_indicator_metadata() -> pd.DataFrame:
    """Unit, period, publisher, source name and coverage of each published indicator."""
    return _read("indicator_metadata.csv").copy()


def load_code_changes() -> pd.DataFrame:
    """2023 code -> 2019 code(s) with population weights (identity rows for unchanged codes)."""
    return _read("code_changes_2019_2023.csv").copy()


def load_boundaries() -> dict:
    """Simplified ONS 2023 LTLA boundaries (GeoJSON, WGS84, properties ``areacd``, ``areanm``)."""
    return json.loads((HERE / "boundaries_ltla_2023.geojson").read_text())


def load_hexmap() -> dict:
    """Open Innovations LAD 2023 hex map (hexjson, ``odd-r`` layout), England's 296 hexes."""
    return json.loads((HERE / "hexmap_lad_2023.json").read_text())


def hexmap_frame() -> pd.DataFrame:
    """Hex centres for plotting: ``code, name, region_code, q, r, x, y``.

    ``odd-r`` offset layout: odd rows shift right by half a hex, so
    ``x = q + 0.5 (r mod 2)``, ``y = r sqrt(3) / 2`` (rows go up).
    """
    hexes = load_hexmap()["hexes"]
    frame = pd.DataFrame([{"code": code, "name": cell["n"], "region_code": cell["region"],
                           "q": cell["q"], "r": cell["r"]} for code, cell in hexes.items()])
    frame["x"] = frame["q"] + 0.5 * (frame["r"] % 2)
    frame["y"] = frame["r"] * np.sqrt(3) / 2
    return frame


def _indicator_table(authorities: pd.DataFrame,
                     iod: str = "2025") -> tuple[pd.DataFrame, dict[str, str]]:
    """Published plus derived indicators, columns in a stable order, and their units.
    ``iod="2019"`` replaces the IoD 2025 columns by IoD 2019 (same names)."""
    population = authorities["population_mid2023"].to_numpy(float)
    base = authorities["band_d_equivalents_after_cts"].to_numpy(float)
    before = authorities["band_d_equivalents_before_cts"].to_numpy(float)
    band_d = authorities["band_d_average_gbp"].to_numpy(float)
    taxpayers = authorities["taxpayers_2021_22_thousands"].to_numpy(float) * 1e3
    derived = pd.DataFrame({
        "council_tax_per_head_gbp": base * band_d / population,
        "band_d_equivalents_per_head": base / population,
        "band_d_average_gbp": band_d,
        "council_tax_support_share_pct": 100 * (before - base) / before,
        "taxpayer_mean_income_gbp": authorities["taxpayer_income_2021_22_gbp_m"].to_numpy(float)
        * 1e6 / taxpayers,
        "taxpayer_median_income_gbp": authorities["taxpayer_median_income_2021_22_gbp"].to_numpy(float),
        "taxpayers_per_head": taxpayers / population,
    }, index=authorities["code"])
    published = load_indicators().reindex(authorities["code"])
    if iod == "2019":
        published = published.copy()
        old = load_iod2019().reindex(authorities["code"])
        published[list(old.columns)] = old.to_numpy()
        published[list(IOD2025_ONLY)] = np.nan
    meta = load_indicator_metadata().set_index("indicator")
    units = {name: str(meta.loc[name, "unit"]) for name in published.columns}
    units.update(DERIVED_UNITS)
    return published.join(derived), units


def load(year: str | list[str] | None = None, nations: str = "region",
         need_index: bool = False, need_index_spread: float = 0.2, iod: str = "2025",
         **options) -> Federation:
    """The 296 English lower-tier authorities as a one-year :class:`Federation`.

    Args:
        year: ``"2025-26"`` (the only year), a list holding it, or None.
        nations: ``"region"`` (default) puts the English region name in
            ``Federation.nations``; ``"england"`` puts ``"England"``.
        need_index: also add indicator ``need_index``: the mission composite
            need index, population-weighted mean 1
            (:func:`simulator.need_index.engine.la_need_index`).
        need_index_spread: its population-weighted standard deviation (a
            policy assumption, 0 < spread <= 1).
        iod: ``"2025"`` (default) or ``"2019"``: the edition of the Indices
            of Deprivation in the ``imd_*`` indicators (and so in the need
            index), for comparison.

    Raises:
        ConfigurationError: an unknown option, ``nations`` or ``need_index`` value.
        DataValidationError: a year other than 2025-26.
    """
    check_options("england_la", options,
                  ("year", "nations", "need_index", "need_index_spread", "iod"))
    iod = str(iod) if isinstance(iod, (str, int)) and not isinstance(iod, bool) else iod
    if iod not in IOD_EDITIONS:
        raise ConfigurationError(
            f"england_la: iod must be one of '2025', '2019'; got {iod!r}")
    if not isinstance(need_index, (bool, np.bool_)):
        raise ConfigurationError(
            f"england_la: need_index must be true or false, got {need_index!r}")
    if nations not in ("region", "england"):
        raise ConfigurationError(
            f"england_la: nations must be 'region' or 'england', got {nations!r}")
    authorities = load_authorities()
    codes = authorities["code"].to_numpy()
    population = authorities["population_mid2023"].to_numpy(float)
    council_tax = (authorities["band_d_equivalents_after_cts"].to_numpy(float)
                   * authorities["band_d_average_gbp"].to_numpy(float))
    income_tax = authorities["income_tax_2021_22_gbp_m"].to_numpy(float) * 1e6
    indicators, units = _indicator_table(authorities, iod)
    units.update({
        "population": "persons (ONS mid-2023 estimate)",
        "revenue": "GBP per year",
        "council_tax": "GBP: Band D equivalents after support x average Band D (Oct 2024)",
        "income_tax": "GBP: HMRC SPI Table 3.15 liabilities, 2021-22",
        "tax_base[council_tax]": "Band D equivalents after council tax support",
        "tax_base[income_tax]": "GBP: taxpayers' total income 2021-22 (count x mean)",
    })
    federation = Federation(
        name="england_la",
        codes=tuple(codes),
        names=tuple(authorities["name"]),
        nations=tuple(authorities["region_name"]) if nations == "region" else ("England",) * len(codes),
        years=(YEAR,),
        population=population[None, :],
        taxes=("council_tax", "income_tax"),
        revenue=np.stack([council_tax, income_tax])[None, :, :],
        tax_base={
            "council_tax": authorities["band_d_equivalents_after_cts"].to_numpy(float)[None, :],
            "income_tax": authorities["taxpayer_income_2021_22_gbp_m"].to_numpy(float)[None, :] * 1e6,
        },
        indicators={name: indicators[name].to_numpy(float)[None, :] for name in indicators.columns},
        units=units,
        currency="GBP",
        source=SOURCE,
    )
    if need_index:
        # computed by simulator.need_index, registered there: this loader does not import it;
        # the cached packaged index is IoD 2025's, IoD 2019 computes its own
        federation = derived("england_la", "need_index")(federation, spread=float(need_index_spread),
                                                         packaged=(iod == "2025"))
    if year is not None:
        federation = federation.select_years(year)
    return federation
