"""Aggregation of need scores: arithmetic or geometric weighted means.

* arithmetic: ``S = sum_k w_k y_k`` (fully compensatory).
* geometric:  ``S = prod_k p_k ** w_k = exp(sum_k w_k ln p_k)`` on a positive
  scale (partly compensatory: a low score is not fully offset by a high one).
  Normalised scores can be zero or negative, so each component is first put on
  the shifted positive scale ``p_k = floor + minmax(y_k)`` in
  ``[floor, floor + 1]`` (``floor = 1`` by default; a smaller floor penalises
  unevenness more).  Geometric sub-indexes then lie in the same range and are
  aggregated as they are.

Both are non-decreasing in every component, so the composite never falls when
an area's indicator moves in the need direction.  Reference: OECD/JRC (2008),
*Handbook on Constructing Composite Indicators*, section 6.2.
"""

from __future__ import annotations

import numpy as np

from ..errors import ConfigurationError
from .normalise import minmax

__all__ = ["AGGREGATIONS", "arithmetic_mean", "geometric_mean", "positive_scale", "aggregate"]

AGGREGATIONS: tuple[str, ...] = ("arithmetic", "geometric")


def arithmetic_mean(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``sum_k w_k y_k``: scores ``(..., K, A)``, weights ``(..., K)`` -> ``(..., A)``."""
    return np.einsum("...k,...ka->...a", np.asarray(weights, float), np.asarray(scores, float))


def geometric_mean(positive: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``prod_k p_k ** w_k`` for positive ``p`` ``(..., K, A)``, weights ``(..., K)`` (sum 1)."""
    positive = np.asarray(positive, dtype=float)
    if (positive <= 0).any():
        raise ConfigurationError("geometric aggregation needs strictly positive scores; "
                                 "use positive_scale() first")
    return np.exp(arithmetic_mean(np.log(positive), weights))


def positive_scale(scores: np.ndarray, floor: float = 1.0) -> np.ndarray:
    """``floor + minmax(y)`` over areas: the shifted positive scale for geometric means."""
    if not floor > 0:
        raise ConfigurationError(f"geometric floor must be > 0, got {floor}")
    return floor + minmax(scores)


def aggregate(scores: np.ndarray, weights: np.ndarray, method: str = "arithmetic") -> np.ndarray:
    """Weighted arithmetic or geometric mean over the component axis (``-2``)."""
    if method == "arithmetic":
        return arithmetic_mean(scores, weights)
    if method == "geometric":
        return geometric_mean(scores, weights)
    raise ConfigurationError(
        f"unknown aggregation {method!r}; choose one of {', '.join(AGGREGATIONS)}")
