"""Tables a commission would quote, and the need index handed to the engine.

* :func:`top_need_share_by_group`: each region's authorities in the top
  ``share`` of need (top 20%: the ``floor(0.2 A)`` highest composites, 59 of 296).
* :func:`need_spend_quadrants`: high/low need against high/low spending or
  funding per head, split at the medians across authorities.  No current
  spending or funding measure per authority is in the shared data (only a
  2015-2020 training-course Core Spending Power file on old geography), so the
  default measure is **council tax raised per head** (``england_la`` indicator
  ``council_tax_per_head_gbp``): local tax resources, not total spending.
* :func:`need_index_for`: a per-area need index, population-weighted mean 1,
  ``n_a = 1 + spread x z_a`` with ``z`` the composite standardised with
  population weights, ``z = (C - C_bar) / sd_P(C)``.  The composite ranks need
  but has no money scale, so ``spread`` (the population-weighted standard
  deviation of the index, i.e. how far need per head varies) is a policy
  assumption, 0.2 by default; it must keep every ``n_a > 0``.
* :func:`aggregate_by_group` / :func:`itl1_need_index`: population-weighted
  means of authorities to regions (ITL1), ``n_R = sum_a P_a n_a / sum_a P_a``,
  which keep the population-weighted mean of 1 over England.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..errors import ConfigurationError, DataValidationError
from ..federation import Federation
from .composite import NeedIndex, need_index_from_federation
from .impute import group_matrix

__all__ = ["top_need_share_by_group", "need_spend_quadrants", "quadrant_counts",
           "standardised_need_index", "need_index_for", "with_need_index",
           "aggregate_by_group", "itl1_need_index", "QUADRANTS"]

QUADRANTS = ("high need, low spend", "high need, high spend",
             "low need, low spend", "low need, high spend")


def _single_period(index: NeedIndex) -> None:
    if index.composite.ndim != 1:
        raise ConfigurationError("this table needs a single-period index (compute it for one year)")


def top_need_share_by_group(index: NeedIndex, share: float = 0.2) -> pd.DataFrame:
    """Per group: authorities, how many are in the top ``share`` of need, and the share.

    The top set is the ``floor(share x A)`` authorities with the highest
    composite (rank <= that number; ties at the boundary are all included).
    """
    _single_period(index)
    if not 0 < share <= 1:
        raise ConfigurationError(f"share must be in (0, 1], got {share}")
    cutoff = max(1, int(np.floor(share * index.n_areas)))
    labels, member = group_matrix(index.groups)
    in_top = (index.rank <= cutoff).astype(float)
    population = np.broadcast_to(index.population, index.composite.shape)
    frame = pd.DataFrame({
        "group": labels,
        "authorities": member.sum(axis=1).astype(int),
        "in_top": (member @ in_top).astype(int),
        "population": member @ population,
        "population_in_top": member @ (population * in_top),
    })
    frame["share_in_top"] = frame["in_top"] / frame["authorities"]
    frame["population_share_in_top"] = frame["population_in_top"] / frame["population"]
    frame.attrs["cutoff_rank"] = cutoff
    return frame.sort_values(["share_in_top", "group"], ascending=[False, True]).reset_index(drop=True)


def need_spend_quadrants(index: NeedIndex, spend_per_head: np.ndarray,
                         spend_label: str = "council_tax_per_head_gbp") -> pd.DataFrame:
    """Each authority's quadrant: need above/below the median composite, spend above/below
    the median spend per head (medians across authorities, unweighted).

    Returns ``code, name, group, composite, rank, <spend_label>, high_need, low_spend, quadrant``.
    """
    _single_period(index)
    spend = np.asarray(spend_per_head, dtype=float).reshape(-1)
    if spend.shape != (index.n_areas,):
        raise DataValidationError(f"spend per head needs one value per area ({index.n_areas})",
                                  column=spend_label)
    if not np.isfinite(spend).all():
        raise DataValidationError("spend per head has missing values", column=spend_label)
    high_need = index.composite > np.median(index.composite)
    low_spend = spend < np.median(spend)
    quadrant = np.array(QUADRANTS)[np.where(high_need, np.where(low_spend, 0, 1),
                                            np.where(low_spend, 2, 3))]
    return pd.DataFrame({"code": index.codes, "name": index.names, "group": index.groups,
                         "composite": index.composite, "rank": index.rank, spend_label: spend,
                         "high_need": high_need, "low_spend": low_spend, "quadrant": quadrant})


def quadrant_counts(quadrants: pd.DataFrame) -> pd.DataFrame:
    """Authorities per group and quadrant (columns in :data:`QUADRANTS` order)."""
    table = pd.crosstab(quadrants["group"], quadrants["quadrant"])
    return table.reindex(columns=list(QUADRANTS), fill_value=0)


def standardised_need_index(composite: np.ndarray, population: np.ndarray,
                            spread: float = 0.2) -> np.ndarray:
    """``1 + spread x (C - C_bar) / sd_P(C)`` with population-weighted mean and sd (last axis).

    Population-weighted mean exactly 1; population-weighted sd = ``spread``.

    Raises:
        ConfigurationError: ``spread`` not in (0, 1], or so large some index <= 0.
    """
    if not 0 < spread <= 1:
        raise ConfigurationError(f"spread must be in (0, 1], got {spread}")
    composite = np.asarray(composite, dtype=float)
    weights = np.asarray(population, dtype=float)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    mean = (weights * composite).sum(axis=-1, keepdims=True)
    sd = np.sqrt((weights * (composite - mean) ** 2).sum(axis=-1, keepdims=True))
    # a composite constant up to rounding has no spread: every area gets 1
    varies = sd > 1e-12 * np.abs(composite).max(axis=-1, keepdims=True)
    z = np.divide(composite - mean, sd, out=np.zeros_like(composite), where=varies)
    need = 1.0 + spread * z
    if (need <= 0).any():
        raise ConfigurationError(
            f"spread {spread} gives a need index <= 0 for some area (lowest z = {z.min():.2f}); "
            f"use a spread below {1 / -z.min():.3f}")
    return need


def need_index_for(federation: Federation, missions: Any = None, *, spread: float = 0.2,
                   **settings: Any) -> np.ndarray:
    """Per-area need index ``(years, regions)``, population-weighted mean 1 in each year.

    Computes the composite from the federation's indicators (see
    :func:`~simulator.need_index.compute_need_index` for ``settings``) and maps
    it with :func:`standardised_need_index`.
    """
    index = need_index_from_federation(federation, missions, **settings)
    return standardised_need_index(index.composite, federation.population, spread)


def with_need_index(federation: Federation, missions: Any = None, *, name: str = "need_index",
                    spread: float = 0.2, **settings: Any) -> Federation:
    """A copy of ``federation`` with indicator ``name`` = :func:`need_index_for` (unit recorded).

    Scenario systems can then use ``need_index: need_index``.
    """
    need = need_index_for(federation, missions, spread=spread, **settings)
    units = dict(federation.units)
    units[name] = (f"index, population-weighted mean 1 (mission composite, spread {spread}, "
                   f"{settings.get('normalisation', 'zscore')}/{settings.get('weighting', 'given')}/"
                   f"{settings.get('aggregation', 'arithmetic')})")
    return replace(federation, indicators={**federation.indicators, name: need}, units=units)


def aggregate_by_group(values: np.ndarray, population: np.ndarray,
                       groups: Sequence[str]) -> tuple[tuple[str, ...], np.ndarray]:
    """Population-weighted means by group: ``(..., A)`` -> labels, ``(..., G)``."""
    values = np.asarray(values, dtype=float)
    population = np.broadcast_to(np.asarray(population, dtype=float), values.shape)
    if len(groups) != values.shape[-1]:
        raise DataValidationError(f"groups give {len(groups)} areas, values have {values.shape[-1]}")
    labels, member = group_matrix(groups)
    return labels, (values * population) @ member.T / (population @ member.T)


def itl1_need_index(federation: Federation | None = None, missions: Any = None, *,
                    spread: float = 0.2, **settings: Any) -> pd.DataFrame:
    """The LA need index aggregated to the nine English ITL1 regions (population-weighted).

    Uses the ``england_la`` dataset (loaded if ``federation`` is None) and its
    region lookup.  Returns ``itl1_code`` (TLC-TLK), ``region_code`` (E12),
    ``region_name``, ``population``, ``need_index``; Wales, Scotland and
    Northern Ireland have no authority data here and are not in the table.
    """
    from ..data import england_la

    if federation is None:
        federation = england_la.load()
    lookup = england_la.load_authorities().set_index("code")
    unknown = [c for c in federation.codes if c not in lookup.index]
    if unknown:
        raise DataValidationError("not an england_la authority code", region=unknown[0])
    need = need_index_for(federation, missions, spread=spread, **settings)[-1]
    population = federation.population[-1]
    itl1 = lookup.loc[list(federation.codes), "itl1_code"].tolist()
    labels, values = aggregate_by_group(need, population, itl1)
    _, member = group_matrix(itl1)
    regions = lookup.drop_duplicates("itl1_code").set_index("itl1_code")
    frame = pd.DataFrame({
        "itl1_code": labels,
        "region_code": regions.loc[list(labels), "region_code"].to_numpy(),
        "region_name": regions.loc[list(labels), "region_name"].to_numpy(),
        "population": member @ population,
        "need_index": values,
    })
    return frame.sort_values("itl1_code").reset_index(drop=True)
