"""Running a scenario: its dataset (with any inline need index), system and baseline."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from ..data import load_federation
from ..engine import Result, run
from ..federation import Federation
from .errors import Problem, ScenarioError
from .schema import INLINE_NEED_INDEX, Scenario, SystemSpec

__all__ = ["run_scenario", "run_on", "scenario_federation", "PROJECTION_NOT_SUPPORTED"]

PROJECTION_NOT_SUPPORTED = (
    "projections are not yet supported: this release runs the dataset's published years "
    "only. Remove the 'projection' section to run the base year(s).")


def run_scenario(scenario: Scenario, year: str | list[str] | None = None) -> Result:
    """Run a scenario on its dataset for ``year`` (default: the scenario's years).

    Raises:
        ScenarioError: if the scenario asks for a projection (not yet supported)
            or names data that does not exist.
    """
    if scenario.projection is not None:
        raise ScenarioError(Problem(PROJECTION_NOT_SUPPORTED, path="projection"))
    return run_on(scenario, scenario_federation(scenario, year))


def run_on(scenario: Scenario, federation: Federation) -> Result:
    """Run ``scenario`` on an already loaded federation (projection settings ignored)."""
    return run(federation, scenario.to_system(), _baseline_system(scenario))


def _baseline_system(scenario: Scenario):
    baseline = scenario.baseline
    if baseline is None:
        return None
    if isinstance(baseline, str):  # built in Python with a file name: relative to cwd
        from .loading import load_scenario

        baseline = load_scenario(Path(baseline)).system()
    return baseline.to_system(INLINE_NEED_INDEX["baseline"])


def scenario_federation(scenario: Scenario, year: str | list[str] | None = None) -> Federation:
    """The scenario's dataset for ``year`` (default: its own years), plus inline need indices."""
    wanted = year if year is not None else scenario.year
    federation = load_federation(scenario.dataset.name, year=wanted, **scenario.dataset.options)
    extra = {}
    for role, system in (("scenario", scenario), ("baseline", scenario.baseline)):
        if isinstance(system, SystemSpec) and isinstance(system.need_index, dict):
            extra[INLINE_NEED_INDEX[role]] = _inline_index(
                system.need_index, federation, "need_index" if role == "scenario"
                else "baseline.need_index")
    if extra:
        federation = replace(federation, indicators={**federation.indicators, **extra})
    return federation


def _inline_index(values: dict[str, float], federation: Federation, path: str) -> np.ndarray:
    missing = [code for code in federation.codes if code not in values]
    if missing:
        raise ScenarioError(Problem(
            f"an inline need index needs a value for every region; missing: "
            f"{', '.join(missing)}", path=path))
    row = np.array([values[code] for code in federation.codes], dtype=float)
    return np.broadcast_to(row, federation.population.shape).copy()



_METRIC_LABELS = {
    "cost_to_centre": "Cost to the centre vs baseline",
    "paid_by_centre": "Paid by the centre in steps",
    "horizontal_flows": "Paid in by contributing regions",
    "gini": "Gini of resources per head", "theil": "Theil index of resources per head",
    "cv": "Coefficient of variation of resources per head",
    "max_min_ratio": "Highest / lowest resources per head",
    "capacity_gap_before": "Capacity gap below average, before the steps",
    "capacity_gap_after": "Capacity gap below average, after the steps",
    "capacity_gap_closed": "Share of capacity gap closed",
}


def headline_metrics(result: Result) -> "pd.DataFrame":
    """System metrics of :meth:`Result.summary`: one row per metric (its key), a
    column per year."""
    return result.summary().set_index("year").T


def metric_label(key: str, currency: str) -> str:
    """Readable name with unit: ``cost_to_centre_gbp_m`` -> ``Cost to the centre vs
    baseline (GBP m)``; ``gini_before`` -> ``Gini of resources per head, baseline``."""
    unit = ""
    money = f"_{currency.lower()}_m"
    if key.endswith(money):
        key, unit = key[: -len(money)], f" ({currency} m)"
    when = ""
    for suffix, text in (("_before", ", baseline"), ("_after", "")):
        if key.endswith(suffix) and key not in _METRIC_LABELS:
            key, when = key[: -len(suffix)], text
    label = _METRIC_LABELS.get(key, key.replace("_", " ").capitalize())
    return f"{label}{when}{unit}"
