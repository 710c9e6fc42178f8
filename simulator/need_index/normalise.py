"""Normalisation of indicators to need-oriented scores (OECD/JRC Handbook, section 5).

Every function works on arrays with areas on the **last** axis; any leading
axes (indicators, years, draws) are normalised independently.  Polarity is
applied first: an indicator where a higher value means *less* need is negated,
``x' = s x`` with ``s = +1`` (``more_need``) or ``-1`` (``less_need``), so every
score below rises with need.

* ``zscore``:   ``(x' - mean) / sd`` (population sd, ``ddof=0``, over areas);
  a constant indicator scores 0.
* ``minmax``:   ``(x' - min) / (max - min)`` in [0, 1]; constant -> 0.5.
* ``rank``:     ``(rank(x') - 1) / (n - 1)`` in [0, 1], ties share their mean
  rank; one area -> 0.5.
* ``distance``: distance to a reference, ``s (x - ref) / ref``: the relative
  gap to the reference (by default the population-weighted mean over areas,
  i.e. the national value of a rate).  Only meaningful on a ratio scale, so
  every value must be > 0 (IoD domain scores such as Health or Crime are
  centred on 0 and cannot use it).

Reference: OECD/JRC (2008), *Handbook on Constructing Composite Indicators:
Methodology and User Guide*, section 5 (normalisation), table 3.
"""

from __future__ import annotations

from typing import Literal, Sequence

import numpy as np
from scipy.stats import rankdata

from ..errors import ConfigurationError, DataValidationError

__all__ = ["Normalisation", "NORMALISATIONS", "polarity_signs", "zscore", "minmax",
           "rank_score", "distance_to_reference", "normalise"]

Normalisation = Literal["zscore", "minmax", "rank", "distance"]
NORMALISATIONS: tuple[str, ...] = ("zscore", "minmax", "rank", "distance")
Polarity = Literal["more_need", "less_need"]


def polarity_signs(polarities: Sequence[str]) -> np.ndarray:
    """``more_need`` -> +1, ``less_need`` -> -1 (one per indicator)."""
    signs = {"more_need": 1.0, "less_need": -1.0}
    unknown = [p for p in polarities if p not in signs]
    if unknown:
        raise ConfigurationError(
            f"polarity must be 'more_need' or 'less_need', got {unknown[0]!r}")
    return np.array([signs[p] for p in polarities], dtype=float)


def _complete(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if values.shape[-1] == 0:
        raise DataValidationError("cannot normalise over zero areas")
    if not np.isfinite(values).all():
        raise DataValidationError(
            "indicator values must be finite to normalise; impute missing values first "
            "(simulator.need_index.impute_missing)")
    return values


def zscore(values: np.ndarray) -> np.ndarray:
    """``(x - mean) / sd`` over the last axis (``ddof=0``); constant rows give 0."""
    values = _complete(values)
    centred = values - values.mean(axis=-1, keepdims=True)
    sd = np.sqrt((centred ** 2).mean(axis=-1, keepdims=True))
    varies = sd > 1e-12 * np.abs(values).max(axis=-1, keepdims=True)  # not constant up to rounding
    return np.divide(centred, sd, out=np.zeros_like(centred), where=varies)


def minmax(values: np.ndarray) -> np.ndarray:
    """``(x - min) / (max - min)`` over the last axis; constant rows give 0.5."""
    values = _complete(values)
    low = values.min(axis=-1, keepdims=True)
    span = values.max(axis=-1, keepdims=True) - low
    return np.divide(values - low, span, out=np.full_like(values, 0.5), where=span > 0)


def tie_key(values: np.ndarray, digits: int = 12) -> np.ndarray:
    """Values rounded to ``digits`` relative to the largest magnitude (last axis).

    Ranking on this key makes values that differ only by rounding noise (e.g.
    two imputed means summed in a different order) ties.
    """
    values = np.asarray(values, dtype=float)
    scale = np.abs(values).max(axis=-1, keepdims=True)
    return np.round(np.divide(values, scale, out=np.zeros_like(values), where=scale > 0), digits)


def rank_score(values: np.ndarray) -> np.ndarray:
    """``(rank - 1) / (n - 1)`` over the last axis, ties at their mean rank; n = 1 gives 0.5."""
    values = _complete(values)
    n = values.shape[-1]
    if n == 1:
        return np.full_like(values, 0.5)
    return (rankdata(tie_key(values), axis=-1, method="average") - 1.0) / (n - 1.0)


def distance_to_reference(values: np.ndarray, reference: np.ndarray | float) -> np.ndarray:
    """``(x - ref) / |ref|``: relative distance to a reference value (broadcast over areas)."""
    values = _complete(values)
    reference = np.asarray(reference, dtype=float)
    if reference.ndim and reference.shape[-1] != 1:
        reference = reference[..., None]
    if not np.isfinite(reference).all() or (reference == 0).any():
        raise ConfigurationError(
            "distance-to-reference normalisation needs a finite, non-zero reference value")
    return (values - reference) / np.abs(reference)


def weighted_mean(values: np.ndarray, population: np.ndarray | None) -> np.ndarray:
    """Mean over areas, population-weighted when ``population`` is given, kept as ``(..., 1)``."""
    values = np.asarray(values, dtype=float)
    if population is None:
        return values.mean(axis=-1, keepdims=True)
    population = np.asarray(population, dtype=float)
    return ((values * population).sum(axis=-1, keepdims=True)
            / population.sum(axis=-1, keepdims=True))


def normalise(values: np.ndarray, signs: np.ndarray | float, method: str = "zscore", *,
              reference: np.ndarray | float | None = None,
              population: np.ndarray | None = None) -> np.ndarray:
    """Need-oriented scores of indicators ``(..., K, A)`` with polarity ``signs`` ``(K,)``.

    Args:
        values: raw values, areas last, complete (no NaN).
        signs: +1 where more means more need, -1 where more means less need.
        method: ``zscore``, ``minmax``, ``rank`` or ``distance``.
        reference: for ``distance``: the reference value of each indicator
            ``(..., K)``; by default the population-weighted mean over areas
            (plain mean without ``population``).
        population: area populations ``(..., A)`` for the default reference.
    """
    values = _complete(values)
    signs = np.asarray(signs, dtype=float)
    if signs.ndim:
        signs = signs[..., None]
    if method == "distance":
        bad = ~(values > 0).all(axis=-1)
        if bad.any():
            position = np.argwhere(bad)[0]
            raise ConfigurationError(
                "distance-to-reference normalisation needs ratio-scale indicators with every "
                f"value > 0; the indicator at position {tuple(position)} has values <= 0")
    if method == "zscore":
        return zscore(signs * values)
    if method == "minmax":
        return minmax(signs * values)
    if method == "rank":
        return rank_score(signs * values)
    if method == "distance":
        if reference is None:
            weights = None if population is None else np.asarray(population, float)
            if weights is not None and weights.ndim < values.ndim:
                weights = weights[..., None, :]  # one population for every indicator
            ref = weighted_mean(values, weights)
        else:
            ref = np.asarray(reference, dtype=float)[..., None]
        return signs * distance_to_reference(values, ref)
    raise ConfigurationError(
        f"unknown normalisation {method!r}; choose one of {', '.join(NORMALISATIONS)}")
