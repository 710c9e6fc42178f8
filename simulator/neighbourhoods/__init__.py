"""Neighbourhoods: selecting small areas by need, two-tier allocation, robust selection,
and Local Trust's left-behind lists.  See :mod:`.allocation`, :mod:`.robust`,
:mod:`.local_trust` and :mod:`simulator.inequality`."""

from .allocation import (Allocation, clip_scale, composite_score, exit_guarantee,
                         select_both_top_decile, select_composite, select_threshold,
                         select_top_n, share_within, two_tier)
from .local_trust import left_behind_by_place, load_wards_cni2019, ward_top_decile
from .robust import SelectionProbability, selection_probability

__all__ = ["Allocation", "clip_scale", "composite_score", "exit_guarantee",
           "select_both_top_decile", "select_composite", "select_threshold", "select_top_n",
           "share_within", "two_tier", "SelectionProbability", "selection_probability",
           "left_behind_by_place", "load_wards_cni2019", "ward_top_decile"]
