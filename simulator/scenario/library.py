"""The scenario library: the YAML files in ``scenarios/`` beside the package."""

from __future__ import annotations

from pathlib import Path

__all__ = ["library_dir", "library_scenarios", "headline_results", "expected_path",
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
