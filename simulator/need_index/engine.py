"""The need index as an engine input: a ``need_index`` indicator for both datasets.

Scenarios reach it through dataset options, ``england_la`` with
``need_index: true`` and ``uk_itl1`` with ``need_index: england_only`` or
``gdhi_proxy``, then name it as the system's ``need_index``.  Steps that read
``state.need_index`` (``needs_pool``, ``targeted_fund``) then run on it.

* **Local authorities** (``england_la``): :func:`la_need_index`, the mission
  composite mapped to ``n_a = 1 + spread x z_a`` (:func:`need_index_for`),
  population-weighted mean 1 over England's 296 authorities.  It is always
  computed with the English regions as imputation groups, whatever the
  dataset's ``nations`` option.
* **ITL1 regions** (``uk_itl1``): England's nine regions get the
  population-weighted mean of their authorities,
  ``n_R = sum_{a in R} P_a n_a / sum_{a in R} P_a`` (:func:`itl1_need_index`,
  mid-2023 populations), so England's population-weighted mean stays 1.
  Wales, Scotland and Northern Ireland have no local-authority data in the
  packaged files, so they have no composite.  Two modes, never a mix:

  - ``england_only``: NaN for the three nations (not available).  A step or
    system that uses the indicator then fails with the engine's error that
    the indicator is not published for every region.
  - ``gdhi_proxy``: the three nations get a clearly labelled PROXY from GDHI
    per head (the only per-region income measure packaged for all twelve),
    put on the composite's scale by one coefficient fitted on England's nine
    regions (:func:`gdhi_proxy`).  Indicator ``need_index_is_proxy`` is 1
    for them and 0 for the English regions.

The index is a single cross-section (authorities' indicators of 2015-2023,
see ``england_la/PROVENANCE.md``); on ``uk_itl1`` the same values are used for
every year of the dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigurationError, DataValidationError
from ..federation import Federation
from .composite import need_index_from_federation
from .tables import itl1_need_index, standardised_need_index

__all__ = ["NEED_INDEX", "PROXY_FLAG", "ITL1_MODES", "DEFAULT_SPREAD", "GdhiProxy",
           "la_need_index", "add_la_need_index", "itl1_england_need_index", "gdhi_proxy",
           "itl1_need_index_values", "add_itl1_need_index"]

#: indicator name the datasets give the need index
NEED_INDEX = "need_index"
#: uk_itl1 indicator: 1 where ``need_index`` is the GDHI proxy, 0 where it is the composite
PROXY_FLAG = "need_index_is_proxy"
#: uk_itl1 ``need_index`` option values
ITL1_MODES = ("england_only", "gdhi_proxy")
#: population-weighted standard deviation of the authorities' need index (a policy assumption)
DEFAULT_SPREAD = 0.2


def _settings_text(spread: float, settings: dict[str, Any]) -> str:
    return (f"mission composite of england_la (missions.yaml; "
            f"{settings.get('normalisation', 'zscore')}/{settings.get('weighting', 'given')}/"
            f"{settings.get('aggregation', 'arithmetic')}), spread {spread}")


# ------------------------------------------------------------------ local authorities
def _england_la_with_regions(federation: Federation | None) -> Federation:
    """``federation`` (default: the packaged england_la) with region names as nations,
    the imputation groups of the composite."""
    from ..data import england_la

    if federation is None:
        return england_la.load(nations="region")
    # only the region of each code is needed, not the whole packaged federation
    authorities = england_la.load_authorities()
    lookup = dict(zip(authorities["code"], authorities["region_name"]))
    unknown = [c for c in federation.codes if c not in lookup]
    if unknown:
        raise DataValidationError("not an england_la authority code", region=unknown[0])
    return replace(federation, nations=tuple(lookup[c] for c in federation.codes))


def la_need_index(federation: Federation | None = None, missions: Any = None, *,
                  spread: float = DEFAULT_SPREAD, **settings: Any) -> np.ndarray:
    """Each authority's need index ``(years, authorities)``, population-weighted mean 1.

    ``federation`` is an ``england_la`` federation (default: the packaged one);
    imputation groups are its authorities' English regions.  ``settings`` go
    to :func:`~simulator.need_index.compute_need_index`.
    """
    federation = _england_la_with_regions(federation)
    index = need_index_from_federation(federation, missions, **settings)
    return standardised_need_index(index.composite, federation.population, spread)


@lru_cache(maxsize=8)
def _packaged_la_need_index(spread: float) -> np.ndarray:
    need = la_need_index(spread=spread)
    need.setflags(write=False)
    return need


def add_la_need_index(federation: Federation, missions: Any = None, *,
                      spread: float = DEFAULT_SPREAD, packaged: bool = False,
                      **settings: Any) -> Federation:
    """An ``england_la`` federation with indicator ``need_index`` (:func:`la_need_index`).

    ``packaged=True`` says ``federation`` is the packaged dataset, all years,
    as the loader builds it: the index computed once per spread is reused.
    """
    if packaged and missions is None and not settings:
        need = _packaged_la_need_index(float(spread))
    else:
        need = la_need_index(federation, missions, spread=spread, **settings)
    units = {**federation.units, NEED_INDEX: (
        "index, population-weighted mean 1 over England's authorities: "
        + _settings_text(spread, settings))}
    return replace(federation, indicators={**federation.indicators, NEED_INDEX: need},
                   units=units)


# ------------------------------------------------------------------ ITL1 regions
def itl1_england_need_index(missions: Any = None, *, spread: float = DEFAULT_SPREAD,
                            **settings: Any) -> pd.DataFrame:
    """England's nine ITL1 regions (TLC-TLK): population-weighted mean of their
    authorities' :func:`la_need_index`, ``n_R = sum P_a n_a / sum P_a``.

    Indexed by ITL1 code; columns ``need_index`` and ``population`` (mid-2023).
    """
    table = itl1_need_index(_england_la_with_regions(None), missions, spread=spread, **settings)
    return table.set_index("itl1_code")[[NEED_INDEX, "population"]].rename_axis("code")


@dataclass(frozen=True)
class GdhiProxy:
    """The need-index proxy for regions without local-authority data.

        x_R = G_England / G_R                     (inverse relative GDHI per head)
        n_R = 1 + b x (x_R - 1)

    ``G`` is GDHI per head in ``year`` (the latest with a value for all twelve
    areas); ``G_England`` the population-weighted mean of the nine English
    regions (uk_itl1 population of that year).  ``b`` is fitted on England's
    nine regions by population-weighted least squares through ``(1, 1)`` (a
    region at England's GDHI per head has England's average need):

        b = sum_E P_R (x_R - 1)(n_R - 1) / sum_E P_R (x_R - 1)^2

    with ``n_R`` the composite :func:`itl1_england_need_index` and ``P_R`` its
    population.  ``r_squared`` (weighted, about the same line) says how well
    GDHI alone tracks the composite in England; it is low, mostly because of
    London (high income, average need), so read the proxy as a rough guide.

    Attributes:
        year: financial-year label of the GDHI used (calendar year = first year).
        slope: b.
        r_squared: weighted 1 - SSE / sum P (n - 1)^2 over the English regions.
        inverse_gdhi: x_R for all twelve regions (index: ITL1 code).
        fitted: 1 + b (x_R - 1) for all twelve regions.
    """

    year: str
    slope: float
    r_squared: float
    inverse_gdhi: pd.Series
    fitted: pd.Series


def gdhi_proxy(missions: Any = None, *, spread: float = DEFAULT_SPREAD,
               **settings: Any) -> GdhiProxy:
    """Fit the GDHI proxy (see :class:`GdhiProxy`) on the packaged uk_itl1 data."""
    from ..data import uk_itl1

    federation = uk_itl1.load(north_sea="excluded")
    gdhi = federation.indicators["gdhi_per_head"]
    complete = np.flatnonzero(~np.isnan(gdhi).any(axis=-1))
    if complete.size == 0:  # pragma: no cover - packaged data has GDHI
        raise DataValidationError("uk_itl1 has no year with GDHI per head for every region",
                                  column="gdhi_per_head")
    year = int(complete[-1])
    codes = np.array(federation.codes)
    england = np.array([nation == "England" for nation in federation.nations])
    population = federation.population[year]
    england_gdhi = (gdhi[year] * population)[england].sum() / population[england].sum()
    inverse = england_gdhi / gdhi[year]
    composite = itl1_england_need_index(missions, spread=spread, **settings).reindex(codes[england])
    x = inverse[england] - 1.0
    n = composite[NEED_INDEX].to_numpy() - 1.0
    w = composite["population"].to_numpy()
    slope = float((w * x * n).sum() / (w * x * x).sum())
    r_squared = float(1.0 - (w * (n - slope * x) ** 2).sum() / (w * n * n).sum())
    return GdhiProxy(year=federation.years[year], slope=slope, r_squared=r_squared,
                     inverse_gdhi=pd.Series(inverse, index=codes),
                     fitted=pd.Series(1.0 + slope * (inverse - 1.0), index=codes))


@lru_cache(maxsize=8)
def _packaged_itl1_values(mode: str, spread: float
                          ) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """ITL1 codes, need index and 1 where there is no local-authority data (the nations)."""
    from ..data import uk_itl1

    codes = tuple(uk_itl1.areas().query("level == 'ITL1'")["code"])
    composite = itl1_england_need_index(spread=spread)[NEED_INDEX].reindex(list(codes))
    no_la_data = composite.isna().to_numpy()  # Wales, Scotland, Northern Ireland
    values = composite.to_numpy(dtype=float).copy()
    if mode == "gdhi_proxy":
        proxy = gdhi_proxy(spread=spread).fitted.reindex(list(codes)).to_numpy()
        values[no_la_data] = proxy[no_la_data]
    values.setflags(write=False)
    no_la_data = no_la_data.astype(float)
    no_la_data.setflags(write=False)
    return codes, values, no_la_data


def _check_mode(mode: Any) -> str:
    if mode is True:
        raise ConfigurationError(
            "uk_itl1: need_index needs a choice for Wales, Scotland and Northern Ireland, "
            "which have no local-authority data in the packaged files: "
            "'england_only' (no value for them: a scenario that uses the need index then "
            "cannot run) or 'gdhi_proxy' (a labelled proxy from GDHI per head)")
    if mode not in ITL1_MODES:
        raise ConfigurationError(
            f"uk_itl1: need_index must be one of {', '.join(map(repr, ITL1_MODES))} "
            f"(or false); got {mode!r}")
    return str(mode)


def itl1_need_index_values(mode: str = "england_only", *,
                           spread: float = DEFAULT_SPREAD) -> pd.DataFrame:
    """The ITL1 need index, one row per region: ``code``, ``need_index``, ``source``.

    ``source`` is ``composite`` (England's regions), ``gdhi_proxy`` or ``not
    available``: ``england_only`` leaves Wales, Scotland and Northern Ireland
    NaN, ``gdhi_proxy`` gives them :func:`gdhi_proxy`'s fitted values.
    """
    mode = _check_mode(mode)
    codes, values, no_la_data = _packaged_itl1_values(mode, float(spread))
    other = "gdhi_proxy" if mode == "gdhi_proxy" else "not available"
    return pd.DataFrame({"code": codes, NEED_INDEX: values,
                         "source": np.where(no_la_data > 0, other, "composite")})


def add_itl1_need_index(federation: Federation, mode: str = "england_only", *,
                        spread: float = DEFAULT_SPREAD) -> Federation:
    """A ``uk_itl1`` federation with indicator ``need_index`` (same values every year).

    ``gdhi_proxy`` also adds indicator ``need_index_is_proxy`` (1 = proxy).

    Raises:
        ConfigurationError: ``mode`` not one of :data:`ITL1_MODES` (``True``
            is refused with the choice explained), or a spread out of range.
    """
    mode = _check_mode(mode)
    codes, values, no_la_data = _packaged_itl1_values(mode, float(spread))
    position = {code: i for i, code in enumerate(codes)}
    unknown = [c for c in federation.codes if c not in position]
    if unknown:
        raise DataValidationError("not a uk_itl1 region code", region=unknown[0])
    order = [position[c] for c in federation.codes]
    shape = federation.population.shape
    indicators = {NEED_INDEX: np.broadcast_to(values[order], shape)}
    composite = (f"England's regions: population-weighted mean of their authorities' index "
                 f"({_settings_text(spread, {})}; England mean 1)")
    units = dict(federation.units)
    if mode == "england_only":
        units[NEED_INDEX] = (f"index: {composite}; Wales, Scotland and Northern Ireland not "
                             "available (no local-authority data); same value every year")
    else:
        proxy = gdhi_proxy(spread=spread)
        units[NEED_INDEX] = (
            f"index: {composite}; Wales, Scotland and Northern Ireland PROXY "
            f"1 + {proxy.slope:.3f} x (England GDHI per head / region's - 1), GDHI "
            f"{proxy.year}, slope fitted on the English regions (weighted R^2 "
            f"{proxy.r_squared:.2f}); same value every year")
        indicators[PROXY_FLAG] = np.broadcast_to(no_la_data[order], shape)
        units[PROXY_FLAG] = "1 = need_index is the GDHI proxy, 0 = the local-authority composite"
    return replace(federation, indicators={**federation.indicators, **indicators}, units=units)



def _add_la_need_index(federation: Federation, **options: Any) -> Federation:
    """The england_la loader's ``need_index`` option (wired in by simulator/__init__)."""
    return add_la_need_index(federation, **options)
