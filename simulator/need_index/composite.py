"""The composite need index: missions, sub-indexes and the overall composite.

Steps (OECD/JRC Handbook on Constructing Composite Indicators, 2008):

1. indicators listed in the missions file are taken from the data; those
   published for fewer than ``min_coverage`` of the areas are dropped and
   reported (a mission left without indicators is reported unavailable);
2. remaining gaps are imputed (regional mean, then national) and flagged;
3. each indicator is normalised to a need-oriented score (polarity applied);
4. indicators are aggregated into one sub-index per mission, ``S_m = agg_k(w_mk, y_k)``;
5. sub-indexes are aggregated into the composite, ``C = agg_m(v_m, S_m)``;
6. areas are ranked, 1 = most need.

Arrays keep areas on the last axis, indicators/missions on the axis before,
and broadcast any leading axes (years).  Nothing here loops over areas.

Sub-indexes are not re-standardised before step 5, so the composite stays
monotone in every indicator; the price is that a mission with one indicator
(or highly correlated ones) spreads wider than an average of many and weighs
more than its nominal weight under arithmetic aggregation.  ``report`` and
``sub_indexes`` show it; set mission weights in the YAML to compensate.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from ..errors import ConfigurationError, DataValidationError
from ..federation import Federation
from .aggregate import AGGREGATIONS, aggregate, positive_scale
from .impute import NATIONAL, REGIONAL, impute_missing
from .missions import MissionsConfig, load_missions
from .normalise import NORMALISATIONS, normalise, polarity_signs, tie_key
from .weights import WEIGHTINGS, equal_weights, pca_weights, rescale_weights

__all__ = ["NeedIndex", "compute_need_index", "need_index_from_federation", "rank_descending",
           "not_ratio_scale"]


def not_ratio_scale(values: np.ndarray, names: Sequence[str]) -> list[str]:
    """Names of indicators (axis -2 of ``values``) with any value <= 0."""
    bad = ~(np.asarray(values) > 0).all(axis=-1)
    bad = bad.reshape(-1, len(names)).any(axis=0)
    return [name for name, flag in zip(names, bad) if flag]


def rank_descending(values: np.ndarray) -> np.ndarray:
    """Rank along the last axis, 1 = largest; ties share the best rank.

    Values equal to 10 significant digits (relative to the largest magnitude)
    count as ties, so rounding noise from summation order cannot split them.
    """
    return rankdata(-tie_key(values, 10), axis=-1, method="min").astype(int)


@dataclass(frozen=True, eq=False)
class NeedIndex:
    """A computed composite need index and everything behind it.

    Attributes:
        codes, names, groups: one per area (``groups`` = region, for imputation).
        population: persons ``(..., A)``.
        indicators, indicator_missions, signs: the K indicators used, their
            mission and polarity (+1 more need, -1 less need).
        raw: values as given ``(..., K, A)`` (NaN = not published).
        values: after imputation ``(..., K, A)``; ``imputation_level`` 0 observed,
            1 regional mean, 2 national mean.
        scores: normalised need-oriented scores ``(..., K, A)``.
        missions, mission_titles: the M missions with data.
        indicator_weights: ``(..., M, K)``, each row sums to 1 over its mission.
        mission_weights: ``(..., M)``, sums to 1.
        sub_indexes: ``(..., M, A)``; composite ``(..., A)``; rank ``(..., A)``, 1 = most need.
        report: one row per listed indicator (and per unavailable mission):
            status, coverage, imputed counts, weight, note.
        settings: normalisation, weighting, aggregation, min_coverage, floor, reference.
    """

    codes: tuple[str, ...]
    names: tuple[str, ...]
    groups: tuple[str, ...]
    population: np.ndarray
    indicators: tuple[str, ...]
    indicator_missions: tuple[str, ...]
    signs: np.ndarray
    raw: np.ndarray
    values: np.ndarray
    imputation_level: np.ndarray
    scores: np.ndarray
    missions: tuple[str, ...]
    mission_titles: tuple[str, ...]
    indicator_weights: np.ndarray
    mission_weights: np.ndarray
    sub_indexes: np.ndarray
    composite: np.ndarray
    rank: np.ndarray
    report: pd.DataFrame
    config: MissionsConfig
    settings: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))

    @property
    def n_areas(self) -> int:
        return len(self.codes)

    @property
    def unavailable_missions(self) -> dict[str, str]:
        """Mission -> why it has no sub-index."""
        rows = self.report[self.report["status"].str.startswith("unavailable")]
        return dict(zip(rows["mission"], rows["note"]))

    def _at(self, array: np.ndarray, at: tuple[int, ...]) -> np.ndarray:
        """``array[at]`` where ``at`` indexes the leading axes only."""
        if len(at) > self.composite.ndim - 1:
            raise ConfigurationError(
                f"'at' has {len(at)} indices but the index has {self.composite.ndim - 1} leading axes")
        return array[tuple(at)] if at else array

    def to_frame(self, at: tuple[int, ...] = ()) -> pd.DataFrame:
        """One row per area: composite, rank, each sub-index, imputed cells.

        ``at`` selects the leading axes (e.g. ``(0,)`` for the first year) when
        the index has any.
        """
        composite = self._at(self.composite, tuple(at))
        if composite.ndim != 1:
            raise ConfigurationError(
                f"the index has leading axes {self.composite.shape[:-1]}; pass at=(i, ...) "
                "to pick one (e.g. at=(0,) for the first year)")
        frame = pd.DataFrame({
            "code": self.codes, "name": self.names, "group": self.groups,
            "population": self._at(np.broadcast_to(self.population, self.composite.shape), at),
            "composite": composite, "rank": self._at(self.rank, at)})
        sub = self._at(self.sub_indexes, at)
        for m, mission in enumerate(self.missions):
            frame[f"{mission}_index"] = sub[m]
        frame["n_imputed"] = (self._at(self.imputation_level, at) > 0).sum(axis=0)
        return frame


def _unknown_indicator_error(unknown: list[str], known: Sequence[str]) -> ConfigurationError:
    close = difflib.get_close_matches(unknown[0], list(known), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return ConfigurationError(
        f"missions file names indicator {unknown[0]!r} that the data does not have{hint} "
        f"({len(unknown)} unknown: {', '.join(unknown[:5])})")


def compute_need_index(
    indicators: Mapping[str, np.ndarray] | pd.DataFrame,
    missions: MissionsConfig | str | None = None,
    *,
    codes: Sequence[str],
    groups: Sequence[str],
    population: np.ndarray,
    names: Sequence[str] | None = None,
    normalisation: str = "zscore",
    weighting: str = "given",
    aggregation: str = "arithmetic",
    min_coverage: float = 0.6,
    reference: Mapping[str, float] | None = None,
    geometric_floor: float = 1.0,
) -> NeedIndex:
    """Build the mission sub-indexes and the composite need index.

    Args:
        indicators: name -> values ``(..., A)`` (NaN = missing), or a frame
            with one column per indicator and one row per area.
        missions: a :class:`MissionsConfig`, a path or YAML text; the packaged
            ``missions.yaml`` by default.
        codes, names, groups: per area; ``groups`` (regions) drive imputation.
        population: ``(..., A)``, for the distance reference and the tables.
        normalisation: ``zscore``, ``minmax``, ``rank`` or ``distance``.
        weighting: ``given`` (YAML weights), ``equal`` or ``pca``; applies to
            indicators within missions and to missions in the composite.
        aggregation: ``arithmetic`` or ``geometric`` (on ``geometric_floor +
            minmax(score)``), at both levels.
        min_coverage: share of areas an indicator must be published for.
        reference: indicator -> reference value for ``distance`` (default:
            population-weighted mean over areas).

    Raises:
        ConfigurationError: unknown option or indicator, or no usable mission.
        DataValidationError: inconsistent shapes.
    """
    config = load_missions(missions)
    for label, value, allowed in (("normalisation", normalisation, NORMALISATIONS),
                                  ("weighting", weighting, WEIGHTINGS),
                                  ("aggregation", aggregation, AGGREGATIONS)):
        if value not in allowed:
            raise ConfigurationError(f"unknown {label} {value!r}; choose one of {', '.join(allowed)}")
    if not 0 <= min_coverage <= 1:
        raise ConfigurationError(f"min_coverage must be between 0 and 1, got {min_coverage}")
    if isinstance(indicators, pd.DataFrame):
        indicators = {c: indicators[c].to_numpy(float) for c in indicators.columns}
    codes, groups = tuple(str(c) for c in codes), tuple(str(g) for g in groups)
    names = tuple(str(n) for n in names) if names is not None else codes
    n_areas = len(codes)
    if len(groups) != n_areas or len(names) != n_areas:
        raise DataValidationError(f"codes, names and groups must have one entry per area ({n_areas})")
    population = np.asarray(population, dtype=float)
    if population.shape[-1] != n_areas or not (population > 0).all():
        raise DataValidationError("population must be positive with one value per area (last axis)")

    unknown = [i for i in config.indicator_ids() if i not in indicators]
    if unknown:
        raise _unknown_indicator_error(unknown, sorted(indicators))

    # 1. coverage: keep indicators published for at least min_coverage of the areas
    rows, used, used_missions, used_signs = [], [], [], []
    for mission_id, mission in config.missions.items():
        if not mission.available:
            rows.append(dict(mission=mission_id, indicator=None, higher_means=None,
                             status="unavailable: no data", coverage=0.0, note=mission.unavailable))
            continue
        kept = 0
        for spec in mission.indicators:
            series = np.asarray(indicators[spec.id], dtype=float)
            if series.shape[-1] != n_areas:
                raise DataValidationError(
                    f"indicator has {series.shape[-1]} areas, expected {n_areas}", column=spec.id)
            coverage = float((~np.isnan(series)).mean(axis=-1).min())
            status = "used" if coverage >= min_coverage and coverage > 0 else (
                f"dropped: coverage {coverage:.0%} < {min_coverage:.0%}")
            rows.append(dict(mission=mission_id, indicator=spec.id, higher_means=spec.higher_means,
                             status=status, coverage=coverage, note=spec.note))
            if status == "used":
                used.append(spec.id)
                used_missions.append(mission_id)
                used_signs.append(spec.higher_means)
                kept += 1
        if not kept:
            rows.append(dict(mission=mission_id, indicator=None, higher_means=None,
                             status="unavailable: every indicator below min_coverage",
                             coverage=0.0, note="all listed indicators were dropped"))
    missions = tuple(dict.fromkeys(used_missions))
    if not missions:
        raise ConfigurationError("no mission has an indicator with enough coverage; "
                                 "lower min_coverage or add indicators")

    # 2. stack and impute
    raw = np.stack(np.broadcast_arrays(*[np.asarray(indicators[i], float) for i in used]), axis=-2)
    imputation = impute_missing(raw, groups)

    # 3. normalise (need-oriented)
    signs = polarity_signs(used_signs)
    if normalisation == "distance":
        not_ratio = not_ratio_scale(imputation.values, used)
        if not_ratio:
            raise ConfigurationError(
                "distance-to-reference normalisation needs indicators with every value > 0; "
                f"not so for {', '.join(not_ratio)}")
    ref = None
    if reference is not None:
        missing_ref = [i for i in used if i not in reference]
        if normalisation == "distance" and missing_ref:
            raise ConfigurationError(f"reference value missing for indicator {missing_ref[0]!r}")
        ref = np.array([reference.get(i, np.nan) for i in used], dtype=float)
    scores = normalise(imputation.values, signs, normalisation, reference=ref,
                       population=population)
    components = positive_scale(scores, geometric_floor) if aggregation == "geometric" else scores

    # 4. weights within missions (M, K) and sub-indexes
    mission_index = np.array([missions.index(m) for m in used_missions])
    leading = scores.shape[:-2]
    weights = np.zeros((*leading, len(missions), len(used)))
    specs = {i.id: i for m in config.missions.values() for i in m.indicators}
    for m, mission_id in enumerate(missions):
        members = np.flatnonzero(mission_index == m)
        if weighting == "equal":
            w = equal_weights(len(members))
        elif weighting == "given":
            w = rescale_weights(np.array([specs[used[k]].weight for k in members]))
        else:
            w = pca_weights(scores[..., members, :])
        weights[..., m, members] = w
    sub_indexes = aggregate(components[..., None, :, :], weights, aggregation)   # (..., M, A)

    # 5. mission weights and composite
    if weighting == "equal":
        mission_weights = np.broadcast_to(equal_weights(len(missions)), (*leading, len(missions)))
    elif weighting == "given":
        mission_weights = np.broadcast_to(
            rescale_weights(np.array([config.missions[m].weight for m in missions])),
            (*leading, len(missions)))
    else:
        mission_weights = pca_weights(sub_indexes)
    composite = aggregate(sub_indexes, mission_weights, aggregation)

    report = pd.DataFrame(rows)
    report.insert(1, "mission_title", [config.missions[m].title for m in report["mission"]])
    level = imputation.level
    position = {ident: k for k, ident in enumerate(used)}
    report["n_imputed_regional"] = [int((level[..., position[i], :] == REGIONAL).sum())
                                    if i in position else 0 for i in report["indicator"]]
    report["n_imputed_national"] = [int((level[..., position[i], :] == NATIONAL).sum())
                                    if i in position else 0 for i in report["indicator"]]
    mean_weights = weights.reshape(-1, len(missions), len(used)).mean(axis=0).sum(axis=0)
    report["weight_in_mission"] = [float(mean_weights[position[i]]) if i in position else 0.0
                                   for i in report["indicator"]]
    report = report[["mission", "mission_title", "indicator", "higher_means", "status", "coverage",
                     "n_imputed_regional", "n_imputed_national", "weight_in_mission", "note"]]
    return NeedIndex(
        codes=codes, names=names, groups=groups, population=population,
        indicators=tuple(used), indicator_missions=tuple(used_missions), signs=signs,
        raw=raw, values=imputation.values, imputation_level=imputation.level, scores=scores,
        missions=missions, mission_titles=tuple(config.missions[m].title for m in missions),
        indicator_weights=weights, mission_weights=np.asarray(mission_weights),
        sub_indexes=sub_indexes, composite=composite, rank=rank_descending(composite),
        report=report, config=config,
        settings=dict(normalisation=normalisation, weighting=weighting, aggregation=aggregation,
                      min_coverage=min_coverage, geometric_floor=geometric_floor,
                      reference=None if reference is None else dict(reference)))


def need_index_from_federation(federation: Federation, missions: MissionsConfig | str | None = None,
                               *, year: str | None = None, **settings: Any) -> NeedIndex:
    """:func:`compute_need_index` on a federation's indicators (leading axis = years).

    Groups for imputation are ``federation.nations`` (the region names in
    ``england_la``); ``year`` restricts to one year first.
    """
    if year is not None:
        federation = federation.select_years(year)
    return compute_need_index(
        dict(federation.indicators), missions, codes=federation.codes, names=federation.names,
        groups=federation.nations, population=federation.population, **settings)
