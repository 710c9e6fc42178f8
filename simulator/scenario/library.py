"""The scenario library: the YAML files in ``scenarios/`` beside the package."""

from __future__ import annotations

from pathlib import Path

__all__ = ["library_dir", "library_scenarios", "headline_results", "expected_path"]

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


def headline_results(result) -> dict:
    """The headline figures kept beside each library scenario, by year: resources per
    head by region (currency units), cost to the centre against the baseline (millions)
    and the Gini of resources per head before (baseline) and after."""
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


def expected_path(scenario_path: Path) -> Path:
    """Where a library scenario's expected results live: ``expected/<name>.json`` beside it."""
    return scenario_path.parent / "expected" / f"{scenario_path.stem}.json"
