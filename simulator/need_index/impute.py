"""Missing indicator values: regional mean, then national mean, each flagged.

A missing value of area ``a`` in group (region) ``g`` becomes the mean of the
observed values of the other areas of ``g``; where no area of ``g`` has a
value, the mean over all observed areas (the national mean).  Means are
unweighted (each authority one observation, as in normalisation) unless
``weights`` (e.g. population) are given:

    x_a = sum_{b in g, observed} w_b x_b / sum_{b in g, observed} w_b

This is the Handbook's "unconditional mean imputation" applied within
regions (OECD/JRC 2008, section 3.2, "single imputation").  It shrinks
variance and ignores correlation with other indicators, which is why every
imputed cell is flagged and indicators with low coverage are better dropped
(see ``min_coverage`` in :func:`simulator.need_index.compute_need_index`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..errors import DataValidationError

__all__ = ["Imputation", "impute_missing", "group_matrix", "OBSERVED", "REGIONAL", "NATIONAL"]

#: imputation level codes
OBSERVED, REGIONAL, NATIONAL = 0, 1, 2


@dataclass(frozen=True)
class Imputation:
    """Completed values and where each came from.

    Attributes:
        values: observed values with the gaps filled, same shape as the input.
        level: ``OBSERVED`` (0), ``REGIONAL`` (1) or ``NATIONAL`` (2) per cell.
    """

    values: np.ndarray
    level: np.ndarray

    @property
    def imputed(self) -> np.ndarray:
        """True where a value was filled in."""
        return self.level != OBSERVED


def group_matrix(groups: Sequence[str]) -> tuple[tuple[str, ...], np.ndarray]:
    """Group labels (first-seen order) and the one-hot membership matrix ``(G, A)``."""
    labels = tuple(dict.fromkeys(str(g) for g in groups))
    index = {label: i for i, label in enumerate(labels)}
    member = np.zeros((len(labels), len(groups)))
    member[[index[str(g)] for g in groups], np.arange(len(groups))] = 1.0
    return labels, member


def impute_missing(values: np.ndarray, groups: Sequence[str],
                   weights: np.ndarray | None = None) -> Imputation:
    """Fill NaN with the regional mean, else the national mean (areas on the last axis).

    Args:
        values: ``(..., A)`` with NaN where not published.
        groups: the region of each area ``(A,)``.
        weights: optional ``(..., A)`` weights of the means (e.g. population).

    Raises:
        DataValidationError: a series with no observed value at all, or
            ``groups`` not matching the number of areas.
    """
    values = np.asarray(values, dtype=float)
    if len(groups) != values.shape[-1]:
        raise DataValidationError(
            f"groups give {len(groups)} areas, values have {values.shape[-1]}")
    if np.isinf(values).any():
        raise DataValidationError("indicator values must be finite or NaN (missing)")
    observed = ~np.isnan(values)
    if not observed.any(axis=-1).all():
        raise DataValidationError("an indicator has no observed value in any area; drop it")
    w = np.ones_like(values) if weights is None else np.broadcast_to(
        np.asarray(weights, dtype=float), values.shape)
    filled = np.where(observed, values, 0.0)
    ow = np.where(observed, w, 0.0)
    _, member = group_matrix(groups)                        # (G, A)
    group_sum = (filled * ow) @ member.T                     # (..., G)
    group_weight = ow @ member.T                             # (..., G)
    group_of_area = member.argmax(axis=0)                    # (A,)
    regional = np.divide(group_sum, group_weight, out=np.full_like(group_sum, np.nan),
                         where=group_weight > 0)[..., group_of_area]
    national = (filled * ow).sum(axis=-1, keepdims=True) / ow.sum(axis=-1, keepdims=True)
    has_regional = ~np.isnan(regional)
    completed = np.where(observed, values, np.where(has_regional, regional, national))
    level = np.where(observed, OBSERVED, np.where(has_regional, REGIONAL, NATIONAL)).astype(np.int8)
    return Imputation(values=completed, level=level)
