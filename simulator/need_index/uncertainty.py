"""Rank uncertainty: Monte-Carlo over weights and normalisation choices.

Each draw ``d`` (a leading axis, no loop over draws or areas):

* picks a normalisation uniformly from ``normalisations``;
* draws indicator weights within each mission ``w_m ~ Dirichlet(c w0_m)`` and
  mission weights ``v ~ Dirichlet(c v0)`` around the index's own weights
  (``c`` = ``concentration``; mean ``w0``, variance ``w0 (1 - w0) / (c + 1)``);
* recomputes the sub-indexes and composite with the index's aggregation and
  ranks the areas (1 = most need).

Imputed values are held fixed.  Each area gets the median rank and the
``lower``-``upper`` percentile interval (5th-95th by default) over draws.
Reference: OECD/JRC (2008) Handbook, section 7 (uncertainty and sensitivity
analysis).  Seeded with ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from ..errors import ConfigurationError
from .aggregate import aggregate, positive_scale
from .composite import NeedIndex, not_ratio_scale, rank_descending
from .normalise import NORMALISATIONS, normalise
from .weights import dirichlet_weights

__all__ = ["RankIntervals", "rank_intervals"]


@dataclass(frozen=True, eq=False)
class RankIntervals:
    """Ranks of every area in every draw and their summary.

    Attributes:
        ranks: ``(draws, A)``, 1 = most need.
        normalisation: the normalisation used in each draw ``(draws,)``.
        methods: the normalisations drawn from.
        frame: per area ``code, name, group, rank, rank_median, rank_low, rank_high``.
    """

    ranks: np.ndarray
    normalisation: np.ndarray
    methods: tuple[str, ...]
    frame: pd.DataFrame


def rank_intervals(index: NeedIndex, *, draws: int = 1000, seed: int | None = 0,
                   concentration: float = 20.0,
                   normalisations: Sequence[str] | str | None = "valid",
                   vary_weights: bool = True, lower: float = 5.0,
                   upper: float = 95.0) -> RankIntervals:
    """Monte-Carlo rank intervals for a single-period :class:`NeedIndex`.

    Args:
        draws: number of draws (leading axis).
        seed: seed of ``numpy.random.default_rng``.
        concentration: Dirichlet concentration ``c`` around the chosen weights.
        normalisations: methods drawn from (uniformly); ``"valid"`` (default) =
            all four, without ``distance`` when an indicator has values <= 0
            (not ratio scale); None keeps the index's own.
        vary_weights: False keeps the index's weights (normalisation only).
        lower, upper: percentiles of the reported interval.
    """
    if index.composite.ndim != 1:
        raise ConfigurationError(
            "rank intervals need a single-period index; compute it for one year "
            f"(composite has shape {index.composite.shape})")
    if not 1 <= draws <= 100_000:
        raise ConfigurationError(f"draws must be between 1 and 100000, got {draws}")
    if not 0 <= lower < upper <= 100:
        raise ConfigurationError("percentiles must satisfy 0 <= lower < upper <= 100")
    if normalisations == "valid":
        ratio = not not_ratio_scale(index.values, index.indicators)
        methods = tuple(m for m in NORMALISATIONS if m != "distance" or ratio)
    elif normalisations:
        methods = tuple(normalisations)
    else:
        methods = (index.settings["normalisation"],)
    unknown = [m for m in methods if m not in NORMALISATIONS]
    if unknown:
        raise ConfigurationError(f"unknown normalisation {unknown[0]!r}; "
                                 f"choose from {', '.join(NORMALISATIONS)}")
    if "distance" in methods and not_ratio_scale(index.values, index.indicators):
        raise ConfigurationError(
            "distance normalisation needs indicators with every value > 0; not so for "
            f"{', '.join(not_ratio_scale(index.values, index.indicators))}")
    rng = np.random.default_rng(seed)
    aggregation = index.settings["aggregation"]
    reference = index.settings.get("reference")
    ref = None if reference is None else np.array(
        [reference.get(i, np.nan) for i in index.indicators], dtype=float)

    # every normalisation once: (N, K, A); the draw picks one
    stack = np.stack([normalise(index.values, index.signs, m, reference=ref,
                                population=index.population) for m in methods])
    if aggregation == "geometric":
        stack = positive_scale(stack, index.settings["geometric_floor"])
    choice = rng.integers(len(methods), size=draws)
    components = stack[choice]                                          # (D, K, A)

    if vary_weights:
        weights = dirichlet_weights(rng, index.indicator_weights, concentration, draws)   # (D, M, K)
        mission_weights = dirichlet_weights(rng, index.mission_weights, concentration, draws)
    else:
        weights = np.broadcast_to(index.indicator_weights, (draws, *index.indicator_weights.shape))
        mission_weights = np.broadcast_to(index.mission_weights, (draws, *index.mission_weights.shape))
    sub_indexes = aggregate(components[:, None], weights, aggregation)  # (D, M, A)
    composite = aggregate(sub_indexes, mission_weights, aggregation)    # (D, A)
    ranks = rank_descending(composite)
    low, median, high = np.percentile(ranks, [lower, 50.0, upper], axis=0, method="nearest")
    frame = pd.DataFrame({
        "code": index.codes, "name": index.names, "group": index.groups, "rank": index.rank,
        "rank_median": median.astype(int), "rank_low": low.astype(int),
        "rank_high": high.astype(int)})
    return RankIntervals(ranks=ranks, normalisation=np.array(methods)[choice], methods=methods,
                         frame=frame)
