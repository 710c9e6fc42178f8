"""The scenario library: the YAML files in ``scenarios/`` beside the package."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np

__all__ = ["library_dir", "library_scenarios", "headline_results", "compact_headline",
           "coarse_groups", "is_compact", "COMPACT_ABOVE", "expected_path",
           "comparison_presets", "scenario_title", "DEFAULT_COMPARISON"]

_PACKAGE = Path(__file__).resolve().parents[1]  # simulator/


def library_dir() -> Path | None:
    """The library folder: ``scenarios/`` in the source tree (or packaged inside
    ``simulator/scenarios/``); None if neither exists."""
    for candidate in (_PACKAGE.parent / "scenarios", _PACKAGE / "scenarios"):
        if candidate.is_dir():
            return candidate
    return None


def library_scenarios() -> dict[str, Path]:
    """Library scenario name (file stem) -> path, sorted by name."""
    folder = library_dir()
    if folder is None:
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}


#: Above this many areas a library scenario keeps the compact headline form (a row per area
#: would be ~1.2 MB for England's 33,755 neighbourhoods): see :func:`compact_headline`.
COMPACT_ABOVE = 1_000


def headline_results(result, compact_above: int = COMPACT_ABOVE) -> dict:
    """The headline figures kept beside each library scenario, by year: resources per
    head by region (currency units), cost to the centre against the baseline (millions)
    and the Gini of resources per head before (baseline) and after.  A dataset of more
    than ``compact_above`` areas gets :func:`compact_headline` instead."""
    if result.federation.n_regions > compact_above:
        return compact_headline(result)
    cur = result.currency.lower()
    per_head = result.resources_per_head.reshape(len(result.federation.years), -1)
    summary = result.summary().set_index("year")
    years = {}
    for y, year in enumerate(result.federation.years):
        row = summary.loc[year]
        years[year] = {
            f"resources_per_head_{cur}": {code: float(v) for code, v in
                                          zip(result.federation.codes, per_head[y])},
            f"cost_to_centre_{cur}_m": float(row[f"cost_to_centre_{cur}_m"]),
            "gini_before": float(row["gini_before"]),
            "gini_after": float(row["gini_after"]),
        }
    return years


def _number(value) -> float | None:
    """A float for JSON; None for a figure that is undefined (NaN)."""
    value = float(value)
    return value if np.isfinite(value) else None


def coarse_groups(federation) -> tuple[str, np.ndarray, tuple[str, ...]]:
    """The coarser level a many-area dataset has: (level name, each area's group number
    ``(N,)``, the group labels).  The authority (``authority_index`` indicator, labelled
    by the dataset's ``load_authorities()`` codes when it has them), else the nation."""
    indicators = federation.indicators
    if "authority_index" in indicators:
        group = np.asarray(indicators["authority_index"], dtype=float).reshape(
            -1, federation.n_regions)[0].astype(np.intp)
        labels = tuple(str(i) for i in range(int(group.max()) + 1))
        try:
            module = importlib.import_module(f"simulator.data.{federation.name}")
            codes = tuple(module.load_authorities()["code"])
            if len(codes) == len(labels):
                labels = codes
        except (ImportError, AttributeError, KeyError):
            pass
        return "authority", group, labels
    labels, group = np.unique(np.asarray(federation.nations), return_inverse=True)
    return "nation", group.astype(np.intp), tuple(str(v) for v in labels)


def compact_headline(result) -> dict:
    """The compact headline form for a dataset of many areas, by year:

    * the summary: cost to the centre (millions), Gini before and after (None where
      undefined, e.g. a baseline of zero everywhere);
    * resources per head by the dataset's coarser level (:func:`coarse_groups`, e.g. the
      296 authorities of ``england_lsoa``): sum of resources / sum of population;
    * the distribution over areas of the change against the baseline per head: how many
      areas are funded (change > 0), the least, median and most per head among them, and
      the total paid (millions);
    * ``sum_sq_per_head``: sum_i P_i x_i^2 with x_i resources per head, a checksum that
      moves if any area's allocation changes materially.

    A few kB where a row per area would be a megabyte."""
    fed = result.federation
    cur = result.currency.lower()
    n_years, n = len(fed.years), fed.n_regions
    population = np.broadcast_to(result.state.population, result.state.shape).reshape(n_years, n)
    resources = np.broadcast_to(result.state.resources, result.state.shape).reshape(n_years, n)
    per_head = resources / population
    change = per_head - result.baseline_resources_per_head.reshape(n_years, n)
    level, group, labels = coarse_groups(fed)
    by_group = (np.stack([np.bincount(group, r, len(labels)) for r in resources])
                / np.stack([np.bincount(group, p, len(labels)) for p in population]))
    summary = result.summary().set_index("year")
    years = {}
    for y, year in enumerate(fed.years):
        row = summary.loc[year]
        scale = np.abs(change[y]).max()
        funded = change[y] > 1e-12 * scale if scale > 0 else np.zeros(n, bool)
        paid = change[y][funded]
        years[year] = {
            f"cost_to_centre_{cur}_m": float(row[f"cost_to_centre_{cur}_m"]),
            "gini_before": _number(row["gini_before"]),
            "gini_after": _number(row["gini_after"]),
            "areas": int(n),
            "areas_funded": int(funded.sum()),
            f"funded_per_head_min_{cur}": _number(paid.min()) if paid.size else None,
            f"funded_per_head_median_{cur}": _number(np.median(paid)) if paid.size else None,
            f"funded_per_head_max_{cur}": _number(paid.max()) if paid.size else None,
            f"total_paid_{cur}_m": float((paid * population[y][funded]).sum() / 1e6),
            f"sum_sq_per_head_{cur}": float((population[y] * per_head[y] ** 2).sum()),
            f"resources_per_head_{cur}_by_{level}": {
                label: float(v) for label, v in zip(labels, by_group[y])},
        }
    return years


def is_compact(figures: dict) -> bool:
    """True if one year's expected figures are in the compact form."""
    return "areas" in figures


def expected_path(scenario_path: Path) -> Path:
    """Where a library scenario's expected results live: ``expected/<name>.json`` beside it."""
    return scenario_path.parent / "expected" / f"{scenario_path.stem}.json"


#: The comparison Compare opens on: the status quo and two reforms of it.
DEFAULT_COMPARISON = "Status quo and two reforms"


def comparison_presets() -> dict[str, list[str]]:
    """Named comparisons for the Compare page: preset name -> library scenario names
    (two to four, all on the UK's ITL1 regions), those in the library only."""
    from .templates import TEMPLATES

    presets = {
        DEFAULT_COMPARISON: ["status_quo", "income_tax_gap_fill_75", "needs_based"],
        "Real systems' rules on the UK: " + ", ".join(t.country for t in TEMPLATES.values()):
            [t.scenario_name for t in TEMPLATES.values()],
        "Three ways to equalise devolved income tax":
            ["income_tax_gap_fill_75", "german_symmetric", "swiss_minimum_guarantee"],
    }
    known = library_scenarios()
    return {name: names for name, names in presets.items()
            if len(names) >= 2 and all(n in known for n in names)}


def scenario_title(name: str) -> str:
    """A plain title for a library scenario: a real system's rules on the UK are named by
    their country ("Canada's rules on the UK"), others by their name in words."""
    from .templates import TEMPLATES

    for template in TEMPLATES.values():
        if name == template.scenario_name:
            return f"{template.country}'s rules on the UK"
    return name.replace("_", " ").capitalize()
