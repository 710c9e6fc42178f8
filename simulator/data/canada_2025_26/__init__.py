"""Canada's ten provinces, Equalization 2025-26: fiscal capacity by revenue source.

One year, ``2025-26``.  Two tax families, the per-capita fiscal capacities
Finance Canada published for 2025-26 (already the FPFAA s.3.5 moving averages
of 2021-22 to 2023-24, 50/25/25), times the population:

* ``non_resource``: revenue sources (a)-(d) of FPFAA s.3.5(1), personal
  income, business income, consumption and property taxes, at national
  average rates (their yields; published as one figure);
* ``natural_resources``: source (e), revenue to be equalized.

Population: as the Act weights it (s.3.5(1), "average annual population"),
0.5 x July 1 2023 + 0.25 x July 1 2022 + 0.25 x July 1 2021 (StatCan Table
17-10-0009-01), computed with :func:`simulator.over_time.lagging.lag_average`.
Option ``vintage``: ``"2024-09"`` (default; the release of 25 September 2024,
the last before the 2025-26 computation) or ``"2025-12"`` (revised).

Published results for checking: :func:`published` (Equalization per capita
2025-26) and :func:`totals` (program totals since 2009-10).  See
``PROVENANCE.md`` beside this file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ...errors import DataValidationError
from ...federation import Federation
from .._common import check_choice, check_options, check_single_year, read_csv
from ...over_time.lagging import CANADA_WEIGHTS, lag_average

__all__ = ["DESCRIPTION", "SOURCE", "YEAR", "VINTAGES", "TAXES", "load", "published", "totals",
           "envelope", "act_population"]

DESCRIPTION = ("Canada, 10 provinces, Equalization 2025-26: per-capita fiscal capacity "
               "(non-resource, natural resources; Finance Canada) and the Act's weighted "
               "population (StatCan)")
SOURCE = ("Finance Canada, Equalization Program 2025-26 (Chart 1) and Major federal transfers; "
          "Statistics Canada Table 17-10-0009-01 (Open Government Licence - Canada)")
YEAR = "2025-26"
VINTAGES = ("2024-09", "2025-12")
TAXES = ("non_resource", "natural_resources")
HERE = Path(__file__).resolve().parent


def _read(name: str, columns: Sequence[str]) -> pd.DataFrame:
    return read_csv(HERE, name, columns)


@lru_cache(maxsize=None)
def _capacity() -> pd.DataFrame:
    return _read("fiscal_capacity_per_head_2025_26.csv",
                 ("code", "name", "non_resource_cad", "natural_resources_cad"))


def act_population(vintage: str = VINTAGES[0]) -> pd.Series:
    """Each province's 2025-26 "average annual population" (FPFAA s.3.5(1)):
    the lagged 50/25/25 average of July 1 2023, 2022 and 2021 (persons)."""
    _check_vintage(vintage)
    table = _read("population_july1.csv", ("vintage", "code", "p2021", "p2022", "p2023"))
    table = table[table["vintage"] == vintage].set_index("code")
    codes = list(_capacity()["code"])
    years = table.loc[codes, ["p2021", "p2022", "p2023"]].to_numpy(float).T  # (years, provinces)
    # t-2 is the last of the three data years, so with lag 0 its entry is
    # 0.5 X(2023) + 0.25 X(2022) + 0.25 X(2021)
    weighted = lag_average(years, CANADA_WEIGHTS, lag=0, axis=0)[-1]
    return pd.Series(weighted, index=codes, name="population")


@lru_cache(maxsize=None)
def _federation(vintage: str) -> Federation:
    capacity = _capacity()
    population = act_population(vintage)
    codes = list(capacity["code"])
    per_head = {"non_resource": capacity["non_resource_cad"].to_numpy(float),
                "natural_resources": capacity["natural_resources_cad"].to_numpy(float)}
    pop = population.loc[codes].to_numpy()
    revenue = pd.DataFrame({
        "year": YEAR, "code": np.tile(codes, len(TAXES)),
        "tax": np.repeat(TAXES, len(codes)),
        "value": np.concatenate([per_head[t] * pop for t in TAXES])})
    published_per_head = published().set_index("code").loc[codes, "equalization_per_head_cad"]
    indicators = pd.DataFrame({"year": YEAR, "code": codes,
                               "indicator": "published_equalization_per_head",
                               "value": published_per_head.to_numpy(float)})
    return Federation.from_frames(
        "canada_2025_26",
        pd.DataFrame({"code": codes, "name": capacity["name"], "nation": "Canada"}),
        revenue, pd.DataFrame({"year": YEAR, "code": codes, "population": pop}),
        indicators=indicators, currency="CAD", source=SOURCE,
        units={"population": f"persons, FPFAA average annual population (StatCan vintage {vintage})",
               "revenue": "CAD per year (fiscal capacity at national average rates)",
               "published_equalization_per_head": "CAD per head (Finance Canada, 2025-26)"})


def load(year: str | Sequence[str] | None = None, vintage: str = VINTAGES[0],
         **options) -> Federation:
    """The ten provinces in 2025-26 as a :class:`Federation` (money in CAD).

    Args:
        year: ``"2025-26"`` (or a list holding it, or None).
        vintage: StatCan population release, ``"2024-09"`` or ``"2025-12"``.
    """
    check_options("canada_2025_26", options, ("year", "vintage"))
    _check_vintage(vintage)
    federation = _federation(vintage)
    check_single_year("canada_2025_26", year, YEAR)
    return federation


def _check_vintage(vintage) -> None:
    check_choice("canada_2025_26", "vintage", vintage, VINTAGES)


def published() -> pd.DataFrame:
    """Finance Canada's Equalization per capita 2025-26: ``code, equalization_per_head_cad``."""
    return _read("published_2025_26.csv", ("code", "equalization_per_head_cad")).copy()


def totals() -> pd.DataFrame:
    """Equalization program totals: ``fiscal_year, equalization_total_cad_m`` (CAD million)."""
    return _read("equalization_totals.csv", ("fiscal_year", "equalization_total_cad_m")).copy()


def envelope(year: str = YEAR) -> float:
    """The Equalization total of ``year`` in CAD (s.3.4(5) envelope; 2025-26: 26,170m)."""
    table = totals().set_index("fiscal_year")["equalization_total_cad_m"]
    if year not in table.index:
        raise DataValidationError("no published Equalization total", year=year)
    return float(table[year]) * 1e6
