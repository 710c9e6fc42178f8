"""Need index page controls: the missions file with the user's weights, and the region
filter.  Configuration changes and row selection only; the index itself is always
:func:`simulator.need_index.compute_need_index`'s."""

from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd

from ..need_index.missions import MissionsConfig, load_missions

__all__ = ["weight_key", "missions_with_weights", "filter_regions"]


def weight_key(mission_weights: Mapping[str, float],
               indicator_weights: Mapping[str, float]) -> tuple:
    """A hashable key of the chosen weights (for caching), sorted."""
    return (tuple(sorted((k, float(v)) for k, v in mission_weights.items())),
            tuple(sorted((k, float(v)) for k, v in indicator_weights.items())))


def missions_with_weights(key: tuple = ((), ()), config: MissionsConfig | None = None
                          ) -> MissionsConfig:
    """The missions file (default the packaged one) with mission and indicator weights
    replaced as given in :func:`weight_key`'s ``key``; unnamed ones keep their weight.
    Weights must be > 0 (the file's own rule); they are used with weighting 'given'."""
    config = load_missions(config)
    missions, indicators = dict(key[0]), dict(key[1])
    unknown = ((set(missions) - set(config.missions))
               | (set(indicators) - set(config.indicator_ids())))
    if unknown:
        raise ValueError(f"unknown mission or indicator {sorted(unknown)[0]!r}")
    data = config.model_dump()
    for name, mission in data["missions"].items():
        mission["weight"] = missions.get(name, mission["weight"])
        for indicator in mission["indicators"]:
            indicator["weight"] = indicators.get(indicator["id"], indicator["weight"])
    return MissionsConfig.model_validate(data)


def filter_regions(frame: pd.DataFrame, column: str, regions: Sequence[str]) -> pd.DataFrame:
    """The rows whose ``column`` is one of ``regions`` (all rows if none is chosen)."""
    return frame if not regions else frame[frame[column].isin(list(regions))]
