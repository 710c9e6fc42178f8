"""Outcome indicators by ITL1 region in two vintages of ONS's subnational indicators
(see PROVENANCE.md): the mapping between vintages and the regional values."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

__all__ = ["vintage_mapping", "outcome_values", "OUTCOME_VINTAGES", "outcome_progress"]

_HERE = Path(__file__).resolve().parent
#: The two vintages (edition years) of the ONS subnational indicators.
OUTCOME_VINTAGES = ("2022", "2024")


@lru_cache(maxsize=1)
def vintage_mapping() -> pd.DataFrame:
    """One row per indicator: names in each vintage, unit, polarity, periods, note."""
    frame = pd.read_csv(_HERE / "vintage_mapping.csv", dtype=str)
    frame["higher_is_better"] = frame["higher_is_better"].eq("yes")
    return frame.set_index("indicator")


@lru_cache(maxsize=1)
def _values() -> pd.DataFrame:
    return pd.read_csv(_HERE / "itl1_outcomes.csv", dtype={"vintage": str})


def outcome_values(indicator: str, codes, vintage: str):
    """Values of ``indicator`` in ``vintage`` in the order of ``codes`` (NaN where the
    vintage has none, e.g. England-only indicators outside England), as a numpy array."""
    from ...errors import ConfigurationError

    mapping = vintage_mapping()
    if indicator not in mapping.index:
        raise ConfigurationError(f"unknown outcome indicator {indicator!r}; known: "
                                 f"{', '.join(mapping.index)}")
    if vintage not in OUTCOME_VINTAGES:
        raise ConfigurationError(f"outcome vintage must be one of {', '.join(OUTCOME_VINTAGES)}"
                                 f" (got {vintage!r})")
    table = _values()
    rows = table[(table["indicator"] == indicator) & (table["vintage"] == vintage)]
    return rows.set_index("code")["value"].reindex(list(codes)).to_numpy(dtype=float)


def outcome_progress(indicator: str, codes, names) -> pd.DataFrame:
    """Per region: the value in each vintage, the change, and whether it improved
    (by the indicator's polarity)."""
    spec = vintage_mapping().loc[indicator]
    first, last = (outcome_values(indicator, codes, v) for v in OUTCOME_VINTAGES)
    change = last - first
    sign = 1.0 if spec["higher_is_better"] else -1.0
    return pd.DataFrame({"code": list(codes), "region": list(names),
                         f"value_{OUTCOME_VINTAGES[0]}": first,
                         f"value_{OUTCOME_VINTAGES[1]}": last, "change": change,
                         "improved": pd.array([None if pd.isna(c) else bool(sign * c > 0)
                                               for c in change], dtype="boolean")})
