"""England's 33,755 neighbourhoods (LSOAs, 2021 codes): Census 2021 residents,
deprivation 2025, Community Needs Index 2023, rural-urban class, ward/authority/region.

Two ways in:

* :func:`load_neighbourhoods` gives a :class:`Neighbourhoods`: numpy arrays,
  one entry per LSOA (regions on the last axis), plus integer indexes of each
  LSOA's ward, authority and region so that sums by group are one
  ``np.bincount`` (no pandas in the hot path).  Read once per process and
  cached; the arrays are read-only.
* :func:`load` (the registered dataset loader) gives the same areas as a
  one-year :class:`~simulator.federation.Federation` with no tax families: the
  indicators and population, for need-based steps such as
  ``neighbourhood_fund`` (year label ``2025-26``, the year the IoD 2025 was
  published for; population is Census 2021).

Columns (units in :data:`UNITS`): IoD 2025 IMD score, rank (1 = most
deprived of 33,755) and national decile (1 = most deprived 10%); the seven
domain scores; six sub-domain scores; twelve key indicators; CNI 2023 score
(higher = more need), rank (1 = most need), its three domain scores, and the
left-behind flag (1 for the 1,262 LSOAs in the most deprived decile of both
the CNI 2023 and the IMD 2025).  See ``PROVENANCE.md`` beside this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import numpy as np
import pandas as pd

from ...errors import ConfigurationError, DataValidationError
from ...federation import Federation
from ...inequality import group_sum
from .._common import check_options, check_single_year

__all__ = ["DESCRIPTION", "YEAR", "UNITS", "Neighbourhoods", "load", "load_neighbourhoods",
           "load_authorities", "load_wards", "group_sum"]

DESCRIPTION = ("England, 33,755 neighbourhoods (LSOAs 2021): Census 2021 residents, IoD 2025, "
               "Community Needs Index 2023, rural-urban class; no taxes (need data only)")
YEAR = "2025-26"
HERE = Path(__file__).resolve().parent
SOURCE = ("MHCLG English Indices of Deprivation 2025; OCSI Community Needs Index 2023 for "
          "Local Trust; ONS Census 2021 (TS038), lookups and rural-urban classification 2021. "
          "Crown copyright, OGL v3.0 (CNI: OCSI/Local Trust)")

#: the text columns; every other column is numeric
TEXT_COLUMNS = ("code", "name", "ward_code", "la_code", "region_code", "ruc21")

#: numeric column -> unit
UNITS: Mapping[str, str] = MappingProxyType({
    "population": "persons (Census 2021 usual residents)",
    "imd_score": "IMD 2025 score (higher = more deprived)",
    "imd_rank": "rank of 33,755 (1 = most deprived), IMD 2025",
    "imd_decile": "national decile (1 = most deprived 10%), IMD 2025",
    "imd_income_score": "share of population income-deprived, IoD 2025",
    "imd_employment_score": "share of working-age population employment-deprived, IoD 2025",
    "imd_education_score": "Education, skills and training score, IoD 2025",
    "imd_health_score": "Health deprivation and disability score, IoD 2025",
    "imd_crime_score": "Crime score, IoD 2025",
    "imd_barriers_score": "Barriers to housing and services score, IoD 2025",
    "imd_living_environment_score": "Living environment score, IoD 2025",
    "sub_children_young_people_score": "sub-domain score, IoD 2025",
    "sub_adult_skills_score": "sub-domain score, IoD 2025",
    "sub_geographical_barriers_score": "sub-domain score, IoD 2025",
    "sub_wider_barriers_score": "sub-domain score, IoD 2025",
    "sub_indoors_score": "sub-domain score, IoD 2025",
    "sub_outdoors_score": "sub-domain score, IoD 2025",
    "income_deprived_people": "persons (income domain numerator), IoD 2025",
    "employment_deprived_people": "persons (employment domain numerator), IoD 2025",
    "idaci_children": "children in income-deprived families (IDACI numerator), IoD 2025",
    "idaopi_older_people": "older people income-deprived (IDAOPI numerator), IoD 2025",
    "adult_skills_indicator": "share of adults with low skills or English, IoD 2025",
    "entry_to_higher_education_indicator": "indicator (higher = fewer entrants), IoD 2025",
    "illness_disability_ratio": "comparative illness and disability ratio, IoD 2025",
    "years_of_potential_life_lost": "years of potential life lost indicator, IoD 2025",
    "housing_affordability_indicator": "indicator, IoD 2025",
    "broadband_indicator": "digital connectivity indicator, IoD 2025",
    "homelessness_per_1000_households": "per 1,000 households (authority rate), IoD 2025",
    "overcrowding_rooms_indicator": "share of households overcrowded (rooms), IoD 2025",
    "cni_score": "Community Needs Index 2023 score (higher = more need)",
    "cni_rank": "rank of 33,755 (1 = most need), CNI 2023",
    "cni_civic_assets_score": "CNI 2023 civic assets domain score (higher = more need)",
    "cni_connectedness_score": "CNI 2023 connectedness domain score (higher = more need)",
    "cni_engaged_community_score":
        "CNI 2023 active and engaged community score (higher = more need)",
    "left_behind": "1 = left-behind area (most deprived decile on both CNI 2023 and IMD 2025)",
})


@dataclass(frozen=True, eq=False)
class Neighbourhoods:
    """The 33,755 LSOAs as arrays (LSOA on the last axis).

    Attributes:
        codes, names: LSOA codes and names, ``(N,)`` object arrays.
        ruc21: rural-urban class code (``UN1``, ``UF1``, ``RSN1``, ...).
        la, region, ward: integer index of each LSOA's authority (into
            ``authorities``), region (into ``regions``) and ward (into ``wards``).
        authorities: frame of the 296 authorities (``code, name, region_code,
            region_name``), index order = the integer ``la``.
        regions: frame of the 9 regions (``code, name``), order = ``region``.
        wards: frame of the wards (``code, name, la_code``), order = ``ward``.
        columns: numeric column -> float array ``(N,)`` (NaN = not published).
    """

    codes: np.ndarray
    names: np.ndarray
    ruc21: np.ndarray
    la: np.ndarray
    region: np.ndarray
    ward: np.ndarray
    authorities: pd.DataFrame
    regions: pd.DataFrame
    wards: pd.DataFrame
    columns: Mapping[str, np.ndarray]

    @property
    def n(self) -> int:
        return len(self.codes)

    @property
    def population(self) -> np.ndarray:
        return self.columns["population"]

    def __getitem__(self, column: str) -> np.ndarray:
        try:
            return self.columns[column]
        except KeyError:
            raise ConfigurationError(
                f"england_lsoa: unknown column {column!r}; known: {', '.join(self.columns)}"
            ) from None

    def indicators(self) -> dict[str, np.ndarray]:
        """Every numeric column but population, plus ``authority_index`` and
        ``region_index`` (float), as the Federation loader's indicators ``(N,)``."""
        return {**{k: v for k, v in self.columns.items() if k != "population"},
                "authority_index": self.la.astype(float),
                "region_index": self.region.astype(float)}

    def rural(self) -> np.ndarray:
        """True for LSOAs classed rural (ONS RUC 2021 codes starting with R)."""
        return np.char.startswith(self.ruc21.astype(str), "R")

    def la_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` (last axis = LSOA) per authority, ``(..., 296)``."""
        return group_sum(values, self.la, len(self.authorities))

    def region_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` per region, ``(..., 9)``."""
        return group_sum(values, self.region, len(self.regions))

    def frame(self, columns: list[str] | None = None) -> pd.DataFrame:
        """A tidy frame for display (not for computation): codes, names, places, columns."""
        chosen = list(self.columns) if columns is None else columns
        frame = pd.DataFrame({
            "code": self.codes, "name": self.names,
            "la_code": self.authorities["code"].to_numpy()[self.la],
            "la_name": self.authorities["name"].to_numpy()[self.la],
            "region_name": self.regions["name"].to_numpy()[self.region],
            "ruc21": self.ruc21,
        })
        for column in chosen:
            frame[column] = self[column]
        return frame


def _readonly(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


@lru_cache(maxsize=1)
def load_neighbourhoods() -> Neighbourhoods:
    """The 33,755 LSOAs as :class:`Neighbourhoods` (read once per process, cached)."""
    table = pd.read_csv(HERE / "lsoa.csv.gz", dtype={c: str for c in TEXT_COLUMNS},
                        engine="c")
    missing = [c for c in (*TEXT_COLUMNS, *UNITS) if c not in table.columns]
    if missing:
        raise DataValidationError("england_lsoa/lsoa.csv.gz: missing column", column=missing[0])
    authorities = load_authorities()
    wards = load_wards()
    regions = (authorities[["region_code", "region_name"]].drop_duplicates("region_code")
               .sort_values("region_code").rename(columns={"region_code": "code",
                                                             "region_name": "name"})
               .reset_index(drop=True))
    la = _index_of(table["la_code"].to_numpy(), authorities["code"].to_numpy(), "la_code")
    region = _index_of(authorities["region_code"].to_numpy(), regions["code"].to_numpy(),
                       "region_code")[la]
    if not np.array_equal(regions["code"].to_numpy()[region], table["region_code"].to_numpy()):
        raise DataValidationError("england_lsoa: an LSOA's region is not its authority's",
                                  column="region_code")
    ward = _index_of(table["ward_code"].to_numpy(), wards["code"].to_numpy(), "ward_code")
    columns = {name: _readonly(table[name].to_numpy(dtype=float)) for name in UNITS}
    population = columns["population"]
    if not (np.isfinite(population).all() and (population > 0).all()):
        raise DataValidationError("england_lsoa: population must be > 0 for every LSOA",
                                  column="population")
    return Neighbourhoods(
        codes=_readonly(table["code"].to_numpy()), names=_readonly(table["name"].to_numpy()),
        ruc21=_readonly(table["ruc21"].to_numpy()), la=_readonly(la), region=_readonly(region),
        ward=_readonly(ward), authorities=authorities, regions=regions, wards=wards,
        columns=MappingProxyType(columns))


def _index_of(values: np.ndarray, keys: np.ndarray, column: str) -> np.ndarray:
    """Position of each value in ``keys`` (sorted unique), via searchsorted; raises for a
    value not among the keys."""
    order = np.argsort(keys)
    position = np.searchsorted(keys, values, sorter=order)
    position = np.clip(position, 0, len(keys) - 1)
    index = order[position]
    bad = keys[index] != values
    if bad.any():
        raise DataValidationError("england_lsoa: code not in its lookup table",
                                  column=column, region=str(values[np.argmax(bad)]))
    return index.astype(np.intp)


@lru_cache(maxsize=1)
def _authorities() -> pd.DataFrame:
    return pd.read_csv(HERE / "authorities.csv", dtype=str)


def load_authorities() -> pd.DataFrame:
    """The 296 lower-tier authorities (2024 codes) with their region (2024 codes)."""
    return _authorities().copy()


@lru_cache(maxsize=1)
def _wards() -> pd.DataFrame:
    return pd.read_csv(HERE / "wards.csv.gz", dtype=str)


def load_wards() -> pd.DataFrame:
    """The 6,784 English wards (2024 codes) with their authority."""
    return _wards().copy()


def load(year: str | list[str] | None = None, nations: str = "region", **options) -> Federation:
    """The 33,755 LSOAs as a one-year :class:`Federation` with no tax families.

    Args:
        year: ``"2025-26"`` (the only year), a list holding it, or None.
        nations: ``"region"`` (default) puts the region name in
            ``Federation.nations``; ``"authority"`` the authority name.

    Every numeric column is an indicator (``Federation.units`` names its unit),
    plus ``authority_index`` and ``region_index`` (each LSOA's authority and
    region number, for two-tier steps such as ``neighbourhood_fund``);
    population is Census 2021 usual residents.
    """
    check_options("england_lsoa", options, ("year", "nations"))
    if nations not in ("region", "authority"):
        raise ConfigurationError(
            f"england_lsoa: nations must be 'region' or 'authority', got {nations!r}")
    check_single_year("england_lsoa", year, YEAR)
    hoods = load_neighbourhoods()
    if nations == "region":
        groups = hoods.regions["name"].to_numpy()[hoods.region]
    else:
        groups = hoods.authorities["name"].to_numpy()[hoods.la]
    n = hoods.n
    return Federation(
        name="england_lsoa", codes=tuple(hoods.codes), names=tuple(hoods.names),
        nations=tuple(groups), years=(YEAR,), population=hoods.population[None, :],
        taxes=(), revenue=np.zeros((1, 0, n)),
        indicators={k: v[None, :] for k, v in hoods.indicators().items()},
        units={"population": UNITS["population"], "revenue": "GBP per year",
               **{k: v for k, v in UNITS.items() if k != "population"},
               "authority_index": "number of the LSOA's authority (0-295, authorities.csv order)",
               "region_index": "number of the LSOA's region (0-8, E12 code order)"},
        currency="GBP", source=SOURCE)
