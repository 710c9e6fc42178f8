"""Benchmarks for a statutory report: measures, targets, tolerances, met or not.

A benchmark states a *measure* (a registered function), a *target*, a
*direction* (``at_most`` / ``at_least``), a *tolerance* and optionally a year.
It is met when::

    at_least:  value >= target - tolerance
    at_most:   value <= target + tolerance

and its *gap* is how far it falls short beyond the tolerance (0 when met):
``max(0, target - value)`` or ``max(0, value - target)``. Values are printed at the
precision the tolerance implies (tolerance 0.001: three decimals), so a
guarantee of 90 computed as 89.99999999999997 prints "90.000" and is met.

Two kinds of measure (:data:`MEASURES`, extensible with :func:`register_measure`):

- **fiscal**, of resources per head in the run's years (baseline and scenario):
  ``max_min_ratio`` (highest / lowest), ``min_index`` (lowest region as % of the
  population-weighted average), ``gini`` (population-weighted), and
  ``need_adjusted_min_index`` when results carry a ``need_adjusted_index``;
- **outcome**, of an ONS subnational indicator by region in a vintage
  (2022, 2024; :mod:`simulator.data.outcomes`): ``outcome_max_min_ratio`` (highest
  / lowest region), ``outcome_worst_index`` (the worst region, by the indicator's
  polarity, as % of the mean of regions; for lower-is-better indicators
  ``100 x mean / worst``), ``outcome_min`` / ``outcome_max`` (lowest / highest
  regional value, in the indicator's unit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Literal, Sequence

import numpy as np
import pandas as pd

from . import metrics
from .errors import ConfigurationError

__all__ = ["Measure", "MEASURES", "register_measure", "BenchmarkCheck", "evaluate",
           "decimals_for", "format_value", "met", "gap"]

Direction = Literal["at_most", "at_least"]


@dataclass(frozen=True)
class Measure:
    """A benchmark measure: its kind, default direction and tolerance, unit, and the
    function computing it.

    fiscal: ``compute(per_head (Y, R), population (Y, R), result) -> (Y,)``;
    outcome: ``compute(values (R,), higher_is_better) -> float``.
    """

    name: str
    kind: Literal["fiscal", "outcome"]
    direction: Direction
    tolerance: float
    unit: str
    description: str
    compute: Callable


MEASURES: dict[str, Measure] = {}


def register_measure(measure: Measure) -> Measure:
    """Add (or replace) a measure; scenario files may then name it."""
    MEASURES[measure.name] = measure
    return measure


def _min_index(per_head, population, result=None):
    average = metrics.weighted_mean(per_head, population)[..., None]
    return 100.0 * (per_head / average).min(axis=-1)


register_measure(Measure("max_min_ratio", "fiscal", "at_most", 1e-4, "ratio",
                         "Highest / lowest resources per head",
                         lambda ph, pop, result=None: metrics.max_min_ratio(ph, pop)))
register_measure(Measure("min_index", "fiscal", "at_least", 1e-3, "index (average = 100)",
                         "Lowest resources per head, index (average = 100)", _min_index))
register_measure(Measure("gini", "fiscal", "at_most", 1e-4, "Gini coefficient",
                         "Gini of resources per head",
                         lambda ph, pop, result=None: metrics.gini(ph, pop)))


def _need_adjusted(per_head, population, result):
    index = getattr(result, "need_adjusted_index", None)
    if index is None:
        raise ConfigurationError("need_adjusted_min_index needs results with a "
                                 "need_adjusted_index (resources per head over need)")
    index = index() if callable(index) else index
    return np.asarray(index, float).reshape(per_head.shape).min(axis=-1)


def _register_need_adjusted() -> None:
    from .engine import Result

    if hasattr(Result, "need_adjusted_index"):
        register_measure(Measure(
            "need_adjusted_min_index", "fiscal", "at_least", 1e-3,
            "index (average = 100)", "Lowest need-adjusted resources per head, index",
            _need_adjusted))


def _worst_index(values, higher_is_better):
    mean = np.nanmean(values)
    if higher_is_better:
        return 100.0 * np.nanmin(values) / mean
    return 100.0 * mean / np.nanmax(values)


register_measure(Measure("outcome_max_min_ratio", "outcome", "at_most", 1e-4, "ratio",
                         "Highest / lowest region",
                         lambda v, hib: float(np.nanmax(v) / np.nanmin(v))))
register_measure(Measure("outcome_worst_index", "outcome", "at_least", 1e-3,
                         "index (mean of regions = 100)",
                         "Worst region as % of the mean of regions", _worst_index))
register_measure(Measure("outcome_min", "outcome", "at_least", 1e-3, "indicator unit",
                         "Lowest regional value", lambda v, hib: float(np.nanmin(v))))
register_measure(Measure("outcome_max", "outcome", "at_most", 1e-3, "indicator unit",
                         "Highest regional value", lambda v, hib: float(np.nanmax(v))))


def decimals_for(tolerance: float) -> int:
    """Decimals that show a difference of ``tolerance``: 0.001 -> 3, 0.5 -> 1, 0 -> 10."""
    if tolerance <= 0:
        return 10
    return int(min(10, max(0, math.ceil(-math.log10(tolerance) - 1e-12))))


def format_value(value: float, tolerance: float) -> str:
    if value is None or not np.isfinite(value):
        return "n/a"
    return f"{value:,.{decimals_for(tolerance)}f}"


def met(value, target: float, direction: Direction, tolerance: float):
    value = np.asarray(value, float)
    return value <= target + tolerance if direction == "at_most" else value >= target - tolerance


def gap(value, target: float, direction: Direction, tolerance: float):
    """Shortfall beyond the target (0 when met within the tolerance)."""
    value = np.asarray(value, float)
    short = value - target if direction == "at_most" else target - value
    return np.where(met(value, target, direction, tolerance), 0.0, short)


@dataclass(frozen=True)
class BenchmarkCheck:
    """A benchmark ready to evaluate (from a scenario's ``benchmarks:`` or the CLI)."""

    name: str
    measure: str
    target: float
    direction: Direction | None = None
    tolerance: float | None = None
    year: str | None = None
    indicator: str | None = None

    @property
    def spec(self) -> Measure:
        if self.measure not in MEASURES:
            raise ConfigurationError(f"unknown benchmark measure {self.measure!r}; known: "
                                     f"{', '.join(MEASURES)}")
        return MEASURES[self.measure]

    @property
    def how(self) -> Direction:
        return self.direction or self.spec.direction

    @property
    def tol(self) -> float:
        return self.spec.tolerance if self.tolerance is None else self.tolerance

    @property
    def text(self) -> str:
        side = "at most" if self.how == "at_most" else "at least"
        return f"{side} {self.target:g} (tolerance {self.tol:g})"


def evaluate(result, checks: Sequence[BenchmarkCheck]) -> pd.DataFrame:
    """One row per benchmark and year (fiscal) or vintage (outcome): the value for the
    baseline (fiscal) or the earlier vintage (outcome), the value, met or not, and the gap.

    Columns: benchmark, kind, measure, target, direction, tolerance, year, baseline,
    value, met_baseline, met, gap, decimals.
    """
    from .data.outcomes import OUTCOME_VINTAGES, outcome_values, vintage_mapping

    _register_need_adjusted()
    fed = result.federation
    years = list(fed.years)
    shape = (len(years), fed.n_regions)
    population = np.broadcast_to(result.state.population, shape)
    after = np.broadcast_to(result.state.resources, shape) / population
    base_population = np.broadcast_to(result.baseline.population, shape)
    before = np.broadcast_to(result.baseline.resources, shape) / base_population
    rows = []
    for check in checks:
        spec, how, tol = check.spec, check.how, check.tol
        common = {"benchmark": check.name, "kind": spec.kind, "measure": check.measure,
                  "target": check.target, "target_text": check.text, "direction": how,
                  "tolerance": tol,
                  "decimals": decimals_for(tol)}
        if spec.kind == "fiscal":
            value_after = np.asarray(spec.compute(after, population, result), float)
            value_before = np.asarray(spec.compute(before, base_population, result), float)
            wanted = years if check.year is None else [check.year]
            for year in wanted:
                if year not in years:
                    raise ConfigurationError(
                        f"benchmark {check.name!r}: year {year!r} is not among the years "
                        f"run ({years[0]} to {years[-1]})")
                y = years.index(year)
                rows.append({**common, "year": year, "baseline": float(value_before[y]),
                             "value": float(value_after[y]),
                             "met_baseline": bool(met(value_before[y], check.target, how, tol)),
                             "met": bool(met(value_after[y], check.target, how, tol)),
                             "gap": float(gap(value_after[y], check.target, how, tol))})
        else:
            if check.indicator is None:
                raise ConfigurationError(f"benchmark {check.name!r}: an outcome measure "
                                         "needs an indicator")
            higher = bool(vintage_mapping().loc[check.indicator, "higher_is_better"])
            values = {v: spec.compute(outcome_values(check.indicator, fed.codes, v), higher)
                      for v in OUTCOME_VINTAGES}
            wanted = OUTCOME_VINTAGES if check.year is None else [check.year]
            for vintage in wanted:
                previous = OUTCOME_VINTAGES[max(0, OUTCOME_VINTAGES.index(vintage) - 1)]
                value, earlier = float(values[vintage]), float(values[previous])
                rows.append({**common, "year": vintage, "baseline": earlier, "value": value,
                             "met_baseline": bool(met(earlier, check.target, how, tol)),
                             "met": bool(met(value, check.target, how, tol)),
                             "gap": float(gap(value, check.target, how, tol))})
    return pd.DataFrame(rows, columns=["benchmark", "kind", "measure", "target", "target_text",
                                       "direction",
                                       "tolerance", "year", "baseline", "value",
                                       "met_baseline", "met", "gap", "decimals"])
