"""Running a scenario: its dataset (with any inline need index), system and baseline,
and its projection when it sets one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from ..data import load_federation
from ..engine import Result, run
from ..errors import SimulatorError
from ..federation import Federation
from .errors import Problem, ScenarioError, format_path
from .errors import unknown_name as _unknown
from .schema import INLINE_NEED_INDEX, Scenario, SystemSpec

__all__ = ["run_scenario", "run_on", "run_projection", "scenario_federation",
           "projected_federation", "ProjectionPlan", "plan_projection", "projection_faults",
           "describe_projection", "MAX_PROJECTION_YEARS"]

#: Longest projection accepted, in years after the jump-off year.
MAX_PROJECTION_YEARS = 100


def run_scenario(scenario: Scenario, year: str | list[str] | None = None) -> Result:
    """Run a scenario on its dataset.

    Without ``year`` a scenario with a ``projection`` runs its jump-off year and
    the projected years (:func:`run_projection`); otherwise the published
    ``year`` (default: the scenario's years) run as they are, the projection not
    applied.

    Raises:
        ScenarioError: if the scenario names data that does not exist or its
            projection cannot run (each problem names its field).
    """
    if getattr(scenario, "roadmap", None) is not None and year is None:
        from .roadmap import run_roadmap

        return run_roadmap(scenario).result
    if scenario.projection is not None and year is None:
        return run_projection(scenario)
    return run_on(scenario, scenario_federation(scenario, year))


def run_on(scenario: Scenario, federation: Federation) -> Result:
    """Run ``scenario`` on an already loaded federation (projection settings ignored)."""
    return run(federation, scenario.to_system(), _baseline_system(scenario))


def _baseline_system(scenario: Scenario):
    baseline = scenario.baseline
    if baseline is None:
        return None
    if isinstance(baseline, str):  # a file name is resolved when a scenario is loaded
        raise ScenarioError(Problem(
            f"baseline {baseline!r} is a file name, which only loading resolves (against the "
            "scenario's folder and the library); a scenario built in Python gives its baseline "
            "as a system, e.g. baseline=load_scenario(path).system()", path="baseline"))
    return baseline.to_system(INLINE_NEED_INDEX["baseline"])


def scenario_federation(scenario: Scenario, year: str | list[str] | None = None) -> Federation:
    """The scenario's dataset for ``year`` (default: its own years), plus inline need indices
    (the published years: :func:`projected_federation` gives a projection's)."""
    wanted = year if year is not None else scenario.year
    federation = load_federation(scenario.dataset.name, year=wanted, **scenario.dataset.options)
    return _with_inline_indices(scenario, federation)


def _with_inline_indices(scenario: Scenario, federation: Federation) -> Federation:
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


# ------------------------------------------------------------------ projections
@dataclass(frozen=True)
class ProjectionPlan:
    """The years a projection runs: the observed ``jump_off`` year (the base year of
    an indexed block grant adjustment) and the projected ``years`` after it."""

    jump_off: str
    years: tuple[str, ...]

    @property
    def all_years(self) -> tuple[str, ...]:
        """Jump-off year then the projected years: the years of the result."""
        return (self.jump_off,) + self.years


#: A fault: field path, message, and whether the key (not its value) is at fault.
Fault = tuple[tuple, str, bool]


def projection_faults(scenario: Scenario, federation: Federation
                      ) -> tuple[ProjectionPlan | None, list[Fault]]:
    """Check a scenario's projection against its dataset (every published year in
    ``federation``): the plan (None if the years are at fault) and the faults found."""
    projection = scenario.projection
    codes = list(federation.codes)
    faults: list[Fault] = []
    for field in ("overrides", "population_growth"):
        value = getattr(projection, field)
        for code in value if isinstance(value, dict) else ():
            if code not in codes:
                faults.append((("projection", field, code), _unknown("region code", code, codes),
                               True))
    for index, code in enumerate(projection.comparator or ()):
        if code not in codes:
            faults.append((("projection", "comparator", index),
                           _unknown("region code", code, codes), False))
    jump_off = _jump_off(scenario, list(federation.years), faults)
    projected = None if jump_off is None else _projected_years(projection, jump_off,
                                                               list(federation.years), faults)
    if projected is None:
        return None, faults
    return ProjectionPlan(jump_off, projected), faults


def _jump_off(scenario: Scenario, years: list[str], faults: list[Fault]) -> str | None:
    """The observed year the projection starts from (None: a fault is added); the trend
    window must fit in the years up to it."""
    from ..over_time.projection import next_year

    projection = scenario.projection
    start, after_last = projection.start_year, next_year(years[-1])
    kind = "financial" if "-" in years[-1] else "calendar"
    for field in ("start_year", "end_year"):
        value = getattr(projection, field)
        if value is not None and ("-" in value) != (kind == "financial"):
            faults.append((("projection", field), f"{value!r} is not a {kind} year like the "
                           f"dataset's ({years[-1]!r})", False))
            return None
    if start is None:
        chosen = [y for y in (scenario.years or years) if y in years]
        if not chosen:
            faults.append((("year",), f"year {scenario.years[0]!r} is not in the dataset "
                           f"({years[0]} to {years[-1]})", False))
            return None
        jump_off = max(chosen, key=years.index)
    elif start == after_last or start in years[1:]:
        jump_off = years[-1] if start == after_last else years[years.index(start) - 1]
    else:
        first = years[1] if len(years) > 1 else after_last
        faults.append((("projection", "start_year"),
                       f"{start!r} must be a year of the dataset after its first ({first} to "
                       f"{years[-1]}) or the year right after its last ({after_last}): the "
                       "projection jumps off from the observed year before it", False))
        return None
    observed = years.index(jump_off) + 1
    if projection.window > observed:
        allowed = (f"allowed: 2 to {observed}" if observed > 2 else "allowed: 2") \
            if observed >= 2 else "a projection needs at least two observed years for its trends"
        faults.append((("projection", "window"),
                       f"{projection.window} years is longer than the {observed} observed "
                       f"year{'s' if observed != 1 else ''} up to the jump-off year {jump_off} "
                       f"({years[0]} to {jump_off}); {allowed}", False))
    return jump_off


def _projected_years(projection, jump_off: str, years: list[str],
                     faults: list[Fault]) -> tuple[str, ...] | None:
    """The years after ``jump_off`` up to ``end_year`` (None: a fault is added)."""
    from ..over_time.projection import next_year

    end = projection.end_year
    if end is None:
        faults.append((("projection", "end_year"), "required key 'end_year' is missing: the "
                       f"last projected year, e.g. {next_year(years[-1])!r}", False))
        return None
    where = (f"start_year {projection.start_year!r}" if projection.start_year is not None
             else f"the jump-off year {jump_off!r}")
    if int(end[:4]) <= int(jump_off[:4]):
        faults.append((("projection", "end_year"), f"{end!r} is not after {where}", False))
        return None
    if int(end[:4]) - int(jump_off[:4]) > MAX_PROJECTION_YEARS:
        faults.append((("projection", "end_year"), f"{end!r} is more than "
                       f"{MAX_PROJECTION_YEARS} years after the jump-off year {jump_off!r}",
                       False))
        return None
    projected, year = [], jump_off
    while year != end:
        year = next_year(year)
        projected.append(year)
    return tuple(projected)


def plan_projection(scenario: Scenario, federation: Federation) -> ProjectionPlan:
    """The years of the scenario's projection on ``federation`` (every published year).

    Raises:
        ScenarioError: listing every fault, each naming its field.
    """
    plan, faults = projection_faults(scenario, federation)
    if faults or plan is None:
        raise ScenarioError([Problem(message, path=format_path(path))
                             for path, message, _ in faults])
    return plan


def projected_federation(scenario: Scenario, observed: Federation | None = None,
                         plan: ProjectionPlan | None = None) -> Federation:
    """The federation a projection runs on: the jump-off year (observed) and the
    projected years, with inline need indices for every year.

    ``observed`` is every published year of the dataset (loaded if None).  Growth
    ``fixed``: revenue per head of every region grows at ``rate`` (``overrides``
    for named regions), the block grant per head (scenario's and baseline's) at
    ``rate``, other indicators held; ``trend``: log-linear trends over ``window``
    years, ``overrides`` replacing named regions' revenue per head growth.
    """
    from ..over_time.projection import project_federation

    projection = scenario.projection
    if observed is None:
        observed = load_federation(scenario.dataset.name, **scenario.dataset.options)
    plan = plan or plan_projection(scenario, observed)
    history = observed.select_years(observed.years[:observed.years.index(plan.jump_off) + 1])
    fixed = projection.growth == "fixed"
    if fixed:
        revenue_growth = {code: projection.overrides.get(code, projection.rate)
                          for code in history.codes}
    else:
        revenue_growth = dict(projection.overrides) or None
    try:
        future = project_federation(
            history, until=plan.years[-1], window=projection.window,
            revenue_growth=revenue_growth, population_growth=projection.population_growth,
            indicators="hold" if fixed else "trend", history=1)
    except SimulatorError as error:
        raise ScenarioError(Problem(f"the projection cannot run: {error}",
                                    path="projection")) from None
    if fixed:
        future = _grant_per_head_growing(future, _grant_indicators(scenario), projection.rate)
    return _with_inline_indices(scenario, future)


def _grant_indicators(scenario: Scenario) -> set[str]:
    baseline = _baseline_system(scenario)
    names = {scenario.block_grant, baseline.block_grant if baseline is not None else None}
    return {name for name in names if name is not None}


def _grant_per_head_growing(federation: Federation, names: set[str], rate: float) -> Federation:
    """Block grant indicators (held at the jump-off year) grown per head at ``rate``:
    ``G_i,J+h = G_i,J x (1 + rate)^h x P_i,J+h / P_i,J``."""
    h = np.arange(len(federation.years), dtype=float)[:, None]
    factor = (1.0 + rate) ** h * federation.population / federation.population[0]
    grown = {name: federation.indicators[name] * factor
             for name in names if name in federation.indicators}
    return replace(federation, indicators={**federation.indicators, **grown})


def run_projection(scenario: Scenario, observed: Federation | None = None) -> Result:
    """Run the scenario over its jump-off year and projected years.

    Static ``block_grant_indexation``: the engine run on every year
    (:func:`simulator.run`); otherwise :func:`simulator.over_time.run_over_time`
    with the deduction indexed from the jump-off year.  ``transition_years`` phases
    the reform in from the first projected year (the jump-off year shows the baseline).

    Raises:
        ScenarioError: if the projection does not fit the dataset.
    """
    from ..over_time import BGAIndexation, run_over_time, with_transition

    projection = scenario.projection
    if observed is None:
        observed = load_federation(scenario.dataset.name, **scenario.dataset.options)
    plan = plan_projection(scenario, observed)
    future = projected_federation(scenario, observed, plan)
    system, baseline = scenario.to_system(), _baseline_system(scenario)
    transition = projection.transition_years
    if projection.block_grant_indexation == "static":
        result = run(future, system, baseline)
        if transition is not None:
            state = with_transition(result.state, result.baseline, transition, start=1)
            result = replace(result, state=state)
        return result
    bga = BGAIndexation(method=projection.block_grant_indexation, base_year=plan.jump_off,
                        comparator=None if projection.comparator is None
                        else tuple(projection.comparator),
                        reset_every=projection.reset_every, reset_share=projection.reset_share)
    return run_over_time(future, system, bga=bga, baseline=baseline,
                         transition_years=transition,
                         transition_start=plan.years[0] if transition is not None else None)


def describe_projection(scenario: Scenario, plan: ProjectionPlan | None = None) -> str:
    """One line saying which years are projected and by which method."""
    from ..over_time.projection import next_year

    p = scenario.projection
    jump_off = plan.jump_off if plan is not None else None
    end = p.end_year or "(end_year missing)"
    if plan is not None:
        span = f"{plan.years[0]} to {plan.years[-1]} projected from the observed year {jump_off}"
    elif p.start_year is not None:
        span = f"{p.start_year} to {end} projected"
    elif scenario.years:
        jump_off = max(scenario.years)
        span = f"{next_year(jump_off)} to {end} projected from the observed year {jump_off}"
    else:
        span = f"the years to {end} projected from the dataset's last"
    if p.growth == "fixed":
        growth = f"revenue and block grant per head {p.rate:+.1%} a year"
    else:
        growth = f"log-linear trends over {p.window} years"
    if p.overrides:
        growth += " (" + ", ".join(f"{code} {rate:+.1%}"
                                   for code, rate in p.overrides.items()) + ")"
    parts = [span, growth]
    if isinstance(p.population_growth, dict):
        parts.append("population " + ", ".join(f"{code} {rate:+.1%}" for code, rate in
                                                p.population_growth.items()) + ", others trend")
    elif p.population_growth is not None:
        parts.append(f"population {p.population_growth:+.1%} a year")
    elif p.growth == "fixed":
        parts.append(f"population on trends over {p.window} years")
    if p.block_grant_indexation == "static":
        parts.append(f"block grant adjustment {scenario.block_grant_adjustment} each year")
    else:
        bga = (f"block grant adjustment {p.block_grant_indexation.replace('_', ' ')} from "
               f"{jump_off or 'the jump-off year'}")
        if p.comparator:
            bga += f" against {', '.join(p.comparator)}"
        if p.reset_every:
            bga += f", reset every {p.reset_every} years ({p.reset_share:.0%})"
        parts.append(bga)
    if p.transition_years:
        parts.append(f"phased in over {p.transition_years} years")
    return "; ".join(parts)


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
    "need_adjusted_gini": "Gini of resources per head relative to assessed need",
    "distance_from_need": "Mean distance from assessed need (index points)",
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
