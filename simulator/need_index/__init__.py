"""Composite need indexes after the OECD/JRC Handbook on Constructing Composite Indicators.

Polarity, normalisation (z-score, min-max, rank, distance to a reference),
imputation (regional then national mean, flagged), weights (equal, given in
YAML, principal components), aggregation (arithmetic, geometric on a shifted
positive scale), mission sub-indexes and a composite, Monte-Carlo rank
intervals, and the tables and per-area need index the engine uses.
:mod:`~simulator.need_index.engine` turns it into the ``need_index`` indicator of
``england_la`` and ``uk_itl1`` (dataset option ``need_index``).

>>> from simulator.data.england_la import load
>>> from simulator.need_index import need_index_from_federation, rank_intervals
>>> index = need_index_from_federation(load(), year="2025-26")
>>> index.to_frame(at=(0,)).nsmallest(5, "rank")            # doctest: +SKIP

Reference: OECD/JRC (2008), *Handbook on Constructing Composite Indicators:
Methodology and User Guide*, OECD Publishing.
"""

from .aggregate import AGGREGATIONS, aggregate, arithmetic_mean, geometric_mean, positive_scale
from .composite import NeedIndex, compute_need_index, need_index_from_federation, rank_descending
from .engine import (ITL1_MODES, GdhiProxy, add_itl1_need_index, add_la_need_index, gdhi_proxy,
                     itl1_england_need_index, itl1_need_index_values, la_need_index)
from .impute import Imputation, impute_missing
from .missions import (DEFAULT_MISSIONS_FILE, IndicatorSpec, MissionsConfig, MissionsConfigError,
                       MissionSpec, load_missions, missions_from_dict)
from .normalise import (NORMALISATIONS, distance_to_reference, minmax, normalise, polarity_signs,
                        rank_score, zscore)
from .tables import (QUADRANTS, aggregate_by_group, itl1_need_index, need_index_for,
                     need_spend_quadrants, quadrant_counts, standardised_need_index,
                     top_need_share_by_group, with_need_index)
from .uncertainty import RankIntervals, rank_intervals
from .weights import WEIGHTINGS, dirichlet_weights, equal_weights, pca_weights, rescale_weights

__all__ = [
    "AGGREGATIONS", "NORMALISATIONS", "WEIGHTINGS", "QUADRANTS", "DEFAULT_MISSIONS_FILE",
    "aggregate", "arithmetic_mean", "geometric_mean", "positive_scale",
    "NeedIndex", "compute_need_index", "need_index_from_federation", "rank_descending",
    "Imputation", "impute_missing",
    "IndicatorSpec", "MissionSpec", "MissionsConfig", "MissionsConfigError", "load_missions",
    "missions_from_dict",
    "distance_to_reference", "minmax", "normalise", "polarity_signs", "rank_score", "zscore",
    "aggregate_by_group", "itl1_need_index", "need_index_for", "need_spend_quadrants",
    "quadrant_counts", "standardised_need_index", "top_need_share_by_group", "with_need_index",
    "RankIntervals", "rank_intervals",
    "dirichlet_weights", "equal_weights", "pca_weights", "rescale_weights",
]
__all__ += ["ITL1_MODES", "GdhiProxy", "add_itl1_need_index", "add_la_need_index", "gdhi_proxy",
            "itl1_england_need_index", "itl1_need_index_values", "la_need_index"]
