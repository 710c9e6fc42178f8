"""Australia's eight states and territories, GST distribution 2025-26.

One year, ``2025-26``.  Population: ABS Estimated Resident Population (ERP)
by state, published in thousands; option ``population_date``: ``"2024-12-31"``
(default, the latest official quarter before the year), ``"2024-03-31"``,
``"2024-09-30"`` or ``"2025-03-31"``.  The Commonwealth Grants Commission
shares the pool on *projected* populations at 31 December 2025 (Budget Paper
No. 3), which are not in the reference data.

No tax family: GST is a Commonwealth tax shared by relativities
(``needs_pool`` with the relativities of the Treasurer's determination), so the
federation carries population only.  Indicators: the CGC's published
relativity, GST per person, GST share and population share (%) for 2025-26.
:func:`published` gives them as a table, :func:`relativities` the earlier
determinations; :data:`GST_POOL_2025_26` is the pool the CGC announced
(AUD 95bn) and :data:`RELATIVITY_FLOOR` the statutory floor by year.  See
``PROVENANCE.md`` beside this file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import pandas as pd

from ...errors import DataValidationError
from ...federation import Federation
from .._common import check_choice, check_options, check_single_year, read_csv

__all__ = ["DESCRIPTION", "SOURCE", "YEAR", "POPULATION_DATES", "GST_POOL_2025_26",
           "RELATIVITY_FLOOR", "load", "published", "relativities", "relativity_map"]

DESCRIPTION = ("Australia, 8 states and territories, GST 2025-26: ABS resident population and "
               "the CGC's published relativities, GST per person and shares")
SOURCE = ("ABS National, state and territory population (ERP); Commonwealth Grants Commission, "
          "GST Relativities 2025-26 (14 March 2025)")
YEAR = "2025-26"
POPULATION_DATES = ("2024-12-31", "2024-03-31", "2024-09-30", "2025-03-31")
#: "GST pool estimated to increase ... to around $95 billion in 2025-26" (CGC, 14 March 2025)
GST_POOL_2025_26 = 95e9
#: Federal Financial Relations Act 2009 s.8(2A)-(2B): lowest relativity by year
RELATIVITY_FLOOR = {"2022-23": 0.70, "2023-24": 0.70, "2024-25": 0.75, "2025-26": 0.75}
HERE = Path(__file__).resolve().parent

_INDICATORS = {  # indicator -> (column of published_2025_26.csv, unit)
    "published_relativity": ("relativity", "GST relativity (CGC 2025-26)"),
    "published_gst_per_person": ("gst_per_person_aud", "AUD per person (CGC 2025-26)"),
    "published_gst_share_pct": ("gst_share_pct", "% of the GST pool (CGC 2025-26)"),
    "published_population_share_pct": ("population_share_pct",
                                       "% of projected population (CGC 2025-26)"),
}


def _read(name: str, columns: Sequence[str]) -> pd.DataFrame:
    return read_csv(HERE, name, columns)


def _column(date: str) -> str:
    return "erp_" + date.replace("-", "_") + "_k"


@lru_cache(maxsize=None)
def _federation(population_date: str) -> Federation:
    states = _read("states.csv", ("code", "name"))
    codes = list(states["code"])
    erp = _read("population_erp_k.csv", ("code", _column(population_date))).set_index("code")
    population = erp.loc[codes, _column(population_date)].to_numpy(float) * 1000
    table = published().set_index("code").loc[codes]
    indicators = pd.concat([
        pd.DataFrame({"year": YEAR, "code": codes, "indicator": name,
                      "value": table[column].to_numpy(float)})
        for name, (column, _) in _INDICATORS.items()], ignore_index=True)
    return Federation.from_frames(
        "australia_2025_26",
        pd.DataFrame({"code": codes, "name": states["name"], "nation": "Australia"}),
        pd.DataFrame({"year": [], "code": [], "tax": [], "value": []}),  # no tax family
        pd.DataFrame({"year": YEAR, "code": codes, "population": population}),
        indicators=indicators, currency="AUD", source=SOURCE,
        units={"population": f"persons, ABS ERP at {population_date} (published in thousands)",
               **{name: unit for name, (_, unit) in _INDICATORS.items()}})


def load(year: str | Sequence[str] | None = None, population_date: str = POPULATION_DATES[0],
         **options) -> Federation:
    """The states and territories in 2025-26 as a :class:`Federation` (money in AUD).

    Args:
        year: ``"2025-26"`` (or a list holding it, or None).
        population_date: the ABS ERP quarter used as population.
    """
    check_options("australia_2025_26", options, ("year", "population_date"))
    check_choice("australia_2025_26", "population_date", population_date, POPULATION_DATES)
    federation = _federation(population_date)
    check_single_year("australia_2025_26", year, YEAR)
    return federation


def published() -> pd.DataFrame:
    """CGC 2025-26: ``code, relativity, gst_per_person_aud, gst_share_pct,
    population_share_pct, gst_aud_bn`` (as printed, rounded)."""
    return _read("published_2025_26.csv",
                 ("code", "relativity", "gst_per_person_aud", "gst_share_pct",
                  "population_share_pct", "gst_aud_bn")).copy()


def relativities() -> pd.DataFrame:
    """Relativities of earlier and later years: ``year, code, relativity, source``."""
    return _read("relativities.csv", ("year", "code", "relativity", "source")).copy()


def relativity_map(year: str = YEAR) -> dict[str, float]:
    """Region code -> relativity of ``year`` (for ``needs_pool.relativities``)."""
    table = relativities()
    table = table[table["year"] == year]
    if table.empty:
        raise DataValidationError("no relativities published", year=year)
    return {str(c): float(r) for c, r in zip(table["code"], table["relativity"])}


