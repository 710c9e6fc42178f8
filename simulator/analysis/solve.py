"""Solving for policy targets with scipy on the vectorised engine.

- :func:`solve_min_share`: the smallest value of a parameter (by default the
  rate of the first step that has one) at which every region reaches at least
  ``share`` of average resources per head, in every year run;
- :func:`solve_self_financing`: the value of a contribution parameter (by
  default the ``share`` of the first ``horizontal_funding`` step) at which the
  centre's net cost of the steps falls to ``target`` (0: self-financing);
- :func:`best_for_budget`: among options (the scenario's own levers, or
  alternative steps), the one that most reduces the Gini at a cost to the
  centre within a budget.

Method: the parameter's valid range is scanned on a grid (one engine call for
every grid point); the first grid interval where the target switches from
missed to met brackets the answer, which ``scipy.optimize.brentq`` refines;
the answer is then checked against its neighbours a tolerance away, so the
value returned meets the target and one ``tolerance`` on the other side does
not.  For a measure that is not monotone the answer is the first crossing on
the grid.  :func:`best_for_budget` refines the best feasible grid point with
``brentq`` on the budget boundary and ``minimize_scalar`` inside it.

Every function returns a :class:`SolveResult`: the answer, the value
achieved, whether the target can be met, and a reason in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize_scalar

from .. import metrics
from ..errors import ConfigurationError
from ..scenario import Scenario
from ..steps import GapFill, MinimumGuarantee, Standard, Step
from .sweep import Evaluator, Parameter, _validated

__all__ = ["SolveResult", "Option", "solve_min_share", "solve_self_financing",
           "best_for_budget", "default_options"]

GRID = 65
XTOL = 1e-9


@dataclass(frozen=True)
class SolveResult:
    """The answer to a target.

    Attributes:
        target: the target in words (e.g. ``"every region >= 90% of average"``).
        parameter: the parameter path solved for (the best option's, for a budget).
        value: the answer (None if the target cannot be met).
        achieved: the measure at the answer (min share, the centre's cost in
            currency millions, or the Gini); at the best reachable value if
            infeasible.
        feasible: whether the target can be met in the parameter's range.
        reason: one or two sentences saying what was found, or why not.
        details: further figures (tolerance, region, year, cost...).
        table: for :func:`best_for_budget`, one row per option.
    """

    target: str
    parameter: str | None
    value: float | None
    achieved: float | None
    feasible: bool
    reason: str
    details: dict = field(default_factory=dict)
    table: pd.DataFrame | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.reason


# ------------------------------------------------------------------ helpers
def _first_with(system, names: Sequence[str], step_type: str | None = None) -> str | None:
    for i, step in enumerate(system.steps):
        if step_type is not None and getattr(step, "type", None) != step_type:
            continue
        for name in names:
            if name in type(step).model_fields:
                return f"steps[{i}].{name}"
    return None


def _label(parameter: Parameter) -> str:
    """``rate (steps[0].rate)``: the field name, then its path."""
    short = f"{parameter.tax} share" if parameter.kind == "share" else parameter.fields[-1]
    return f"{short} ({parameter.path})"


def _grid(evaluator: Evaluator, bounds: tuple[float, float] | None, points: int) -> np.ndarray:
    """Grid over the parameter's range, keeping the points the step accepts."""
    parameter = evaluator.parameters[0]
    lo, hi = parameter.bounds() if bounds is None else map(float, bounds)
    if not lo < hi:
        raise ConfigurationError(f"the range of {parameter.path} must have low < high "
                                 f"(got {lo:g}, {hi:g})")
    parameter.check(np.array([lo, hi]))
    xs = np.linspace(lo, hi, max(3, int(points)))
    valid = np.zeros(xs.shape, bool)
    message = ""
    for i, x in enumerate(xs):  # model checks only; the engine runs the grid in one call
        try:
            _validated(evaluator.system, evaluator.parameters, [float(x)])
            valid[i] = True
        except ConfigurationError as error:
            message = str(error)
    if not valid.any():
        raise ConfigurationError(f"no value of {parameter.path} in [{lo:g}, {hi:g}] is valid: "
                                 f"{message}")
    return xs[valid]


def _refine(measure: Callable[[np.ndarray], np.ndarray], met: Callable[[np.ndarray], np.ndarray],
            a: float, b: float, xtol: float) -> tuple[float, float]:
    """Between ``a`` (target missed) and ``b`` (met) find the feasible point nearest
    the switch: ``(answer, tolerance)`` with ``met(answer)`` and not ``met`` one
    tolerance towards ``a``.  ``measure`` is signed: >= 0 where met."""
    try:
        root = brentq(lambda x: float(measure(np.array([x]))[0]), min(a, b), max(a, b),
                      xtol=xtol, rtol=4 * np.finfo(float).eps, maxiter=200)
    except ValueError:  # the signed measure does not change sign (rounding at the ends)
        root = b
    lo, hi = min(a, b), max(a, b)
    offsets = np.arange(-4, 5) * xtol
    candidates = np.unique(np.clip(np.concatenate([[a, b], root + offsets]), lo, hi))
    if a > b:
        candidates = candidates[::-1]  # walk from a towards b
    ok = met(candidates)
    first = int(np.argmax(ok))  # first met walking from a; candidates end at b (met)
    previous = candidates[first - 1] if first > 0 else a
    return float(candidates[first]), float(abs(candidates[first] - previous))


def _threshold(evaluator: Evaluator, signed: Callable[[dict], np.ndarray], xs: np.ndarray,
               xtol: float, mode: str) -> tuple[str, float | None, float]:
    """Where the target switches on the grid ``xs``.

    ``mode="smallest"``: the smallest value meeting the target.  ``mode=
    "boundary"``: the value where the target switches (met side), whichever
    way it switches.  Returns ``(status, answer, tolerance)``, status one of
    ``"met_everywhere"``, ``"never_met"``, ``"found"``.
    """
    def measure(x: np.ndarray) -> np.ndarray:
        return signed(evaluator.evaluate(x[:, None]))

    def met(x: np.ndarray) -> np.ndarray:
        return measure(x) >= 0

    ok = met(xs)
    if not ok.any():
        return "never_met", None, 0.0
    if ok[0]:
        if mode == "smallest" or ok.all():
            return "met_everywhere" if ok.all() else "met_at_lower", float(xs[0]), 0.0
        j = int(np.argmin(ok))  # first miss: the switch is between xs[j-1] (met) and xs[j]
        answer, tolerance = _refine(measure, met, xs[j], xs[j - 1], xtol)
        return "found", answer, tolerance
    k = int(np.argmax(ok))
    answer, tolerance = _refine(measure, met, xs[k - 1], xs[k], xtol)
    return "found", answer, tolerance


def _years(evaluator: Evaluator) -> str:
    years = evaluator.federation.years
    return years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"


# ------------------------------------------------------------------ (a) minimum share
def solve_min_share(scenario: Scenario, share: float = 0.9, parameter: str | None = None, *,
                    bounds: tuple[float, float] | None = None, year: str | list[str] | None = None,
                    grid: int = GRID, xtol: float = XTOL) -> SolveResult:
    """The smallest value of ``parameter`` at which every region has at least
    ``share`` of the population-weighted average resources per head (in every
    year run).

    Args:
        share: e.g. 0.9 for 90% of average.
        parameter: path such as ``steps[0].rate``; default the first step's ``rate``.
        bounds: search range (default the parameter's declared range).
    """
    if not 0 < share <= 1.5:
        raise ConfigurationError(f"min-share must be a share of average such as 0.9 (got {share:g})")
    system = scenario.to_system()
    parameter = parameter or _first_with(system, ("rate",))
    if parameter is None:
        raise ConfigurationError("the scenario has no step with a rate; name the parameter to "
                                 "solve for (e.g. --parameter steps[0].standard.fraction)")
    evaluator = Evaluator(scenario, [parameter], year)
    p = evaluator.parameters[0]
    xs = _grid(evaluator, bounds, grid)
    target = f"every region at least {share:.1%} of average resources per head"

    def lowest(outputs: dict) -> np.ndarray:
        return outputs["min_index"].min(axis=-1) / 100.0

    status, answer, tolerance = _threshold(evaluator, lambda o: lowest(o) - share, xs, xtol,
                                           "smallest")
    fed = evaluator.federation

    def where(x: float) -> tuple[float, str, str]:
        outputs = evaluator.evaluate(np.array([[x]]))
        y = int(np.argmin(outputs["min_index"][0]))
        region = fed.names[int(outputs["min_region"][0, y])]
        return float(outputs["min_index"][0, y] / 100.0), region, fed.years[y]

    if status == "never_met":
        values = lowest(evaluator.evaluate(xs[:, None]))
        at_end, region, year_at = where(float(xs[-1]))
        best = int(np.argmax(values))
        reason = (f"cannot be met: even at {_label(p)} {xs[-1]:g} {region} reaches only "
                  f"{at_end:.1%} of average resources per head in {year_at} (target {share:.1%})")
        if best != len(xs) - 1 and values[best] > at_end + 1e-12:
            best_share, best_region, _ = where(float(xs[best]))
            reason += (f"; the highest minimum in the range is {best_share:.1%} ({best_region}) "
                       f"at {p.fields[-1] if p.kind == 'step' else 'share'} {xs[best]:.4g}")
        return SolveResult(target=target, parameter=p.path, value=None, achieved=float(values.max()),
                           feasible=False, reason=reason,
                           details={"region": region, "year": year_at, "at_upper_bound": at_end,
                                    "upper_bound": float(xs[-1]), "best_value": float(xs[best])})
    achieved, region, year_at = where(answer)
    if status in ("met_everywhere", "met_at_lower"):
        reason = (f"already met at the lower end of the range, {_label(p)} {answer:g}: the "
                  f"lowest region, {region}, has {achieved:.1%} of average ({year_at})")
    else:
        reason = (f"{_label(p)} = {answer:.6g}: the lowest region, {region}, then has "
                  f"{achieved:.2%} of average resources per head ({year_at}); "
                  f"{tolerance:.1g} less misses the target")
    return SolveResult(target=target, parameter=p.path, value=answer, achieved=achieved,
                       feasible=True, reason=reason,
                       details={"tolerance": tolerance, "region": region, "year": year_at,
                                "years": _years(evaluator)})


# ------------------------------------------------------------------ (b) self-financing
def solve_self_financing(scenario: Scenario, parameter: str | None = None, *,
                         cost: str = "steps", target: float = 0.0,
                         bounds: tuple[float, float] | None = None,
                         year: str | list[str] | None = None, tolerance: float = 1.0,
                         grid: int = GRID, xtol: float = XTOL) -> SolveResult:
    """The value of a contribution parameter at which the scheme pays for itself.

    The measure is the centre's net cost in every year run: ``cost="steps"``
    (net payments of the steps, ``paid_by_centre``) or ``cost="reform"``
    (change in the centre's outlay against the baseline, devolution
    included).  The answer is where that cost falls to ``target`` (currency
    millions; 0 = self-financing) within ``tolerance`` currency units; with a
    cost falling as the parameter rises this is the smallest contribution
    that does it.

    Args:
        parameter: default the ``share`` of the first ``horizontal_funding``
            step (given a share, it replaces that step's ``ratio_to_centre``).
    """
    if cost not in ("steps", "reform"):
        raise ConfigurationError(f"cost must be 'steps' or 'reform' (got {cost!r})")
    system = scenario.to_system()
    parameter = parameter or _first_with(system, ("share",), "horizontal_funding")
    if parameter is None:
        raise ConfigurationError("the scenario has no horizontal_funding step; name the "
                                 "contribution parameter (e.g. --parameter steps[1].share)")
    evaluator = Evaluator(scenario, [parameter], year)
    p = evaluator.parameters[0]
    xs = _grid(evaluator, bounds, grid)
    key = "paid_by_centre" if cost == "steps" else "cost_to_centre"
    limit = target * 1e6
    cur = evaluator.federation.currency
    what = "net cost of the steps" if cost == "steps" else "cost of the reform against the baseline"

    def centre_cost(outputs: dict) -> np.ndarray:
        return outputs[key].max(axis=-1)

    status, answer, tol = _threshold(evaluator, lambda o: limit + tolerance - centre_cost(o),
                                     xs, xtol, "boundary")
    label = ("self-financing" if target == 0 else f"the centre's {what} at most {cur} "
             f"{target:,.0f} m")
    goal = f"the centre's {what} = {cur} {target:,.0f} m" if target else f"{label} ({what} = 0)"

    def flows(x: float) -> tuple[float, float]:
        outputs = evaluator.evaluate(np.array([[x]]))
        return float(centre_cost(outputs)[0]) / 1e6, float(outputs["horizontal_flows"][0].max()) / 1e6

    if status == "never_met":
        costs = centre_cost(evaluator.evaluate(xs[:, None])) / 1e6
        # the largest value at the lowest cost (a capped contribution stops falling)
        best = int(np.flatnonzero(costs <= costs.min() + tolerance / 1e6)[-1])
        paid_in = flows(float(xs[best]))[1]
        reason = (f"cannot be met: even at {_label(p)} {xs[best]:g} the centre still pays "
                  f"{cur} {costs[best]:,.0f} m a year ({what}); contributing regions pay in "
                  f"{cur} {paid_in:,.0f} m, and {cur} {costs[best] - target:,.0f} m more is "
                  "needed")
        if p.fields[-1] == "ratio_to_centre":
            reason += "; a ratio to the centre always leaves the centre a share: solve for the share instead"
        return SolveResult(target=goal, parameter=p.path, value=None, achieved=float(costs[best]),
                           feasible=False, reason=reason,
                           details={"best_value": float(xs[best]), "paid_in_m": paid_in})
    achieved, paid_in = flows(answer)
    if status == "met_everywhere":
        reason = (f"met over the whole range of {_label(p)}: the centre's {what} is at most "
                  f"{cur} {target:,.0f} m even at {answer:g}")
    else:
        reason = (f"{_label(p)} = {answer:.6g}: the centre's {what} is then {cur} "
                  f"{achieved:,.0f} m; contributing regions pay in {cur} {paid_in:,.0f} m "
                  f"a year ({_years(evaluator)})")
    return SolveResult(target=goal, parameter=p.path, value=answer, achieved=achieved,
                       feasible=True, reason=reason,
                       details={"tolerance": tol, "paid_in_m": paid_in,
                                "years": _years(evaluator)})


# ------------------------------------------------------------------ (c) best for a budget
@dataclass(frozen=True)
class Option:
    """One way to spend the budget: a parameter of the scenario, or of ``steps``
    that replace the scenario's steps (a choice of mechanism)."""

    name: str
    parameter: str
    steps: tuple[Step, ...] | None = None
    bounds: tuple[float, float] | None = None


_LEVERS = ("rate", "standard.fraction", "target_index", "floor_index", "share")


def default_options(scenario: Scenario) -> list[Option]:
    """The scenario's own levers (rate, standard fraction, guarantee target and
    floor, horizontal funding share of each step, bounded to their declared
    ranges) and three alternative mechanisms replacing its steps: a gap-fill
    to the national average (its rate), a guarantee of a share of average
    resources (that share, 0.5-1) and a Swiss minimum guarantee (its target
    index, 71-97)."""
    from .sweep import parse_parameter

    options = []
    system = scenario.to_system()
    for i, step in enumerate(system.steps):
        for lever in _LEVERS:
            path = f"steps[{i}].{lever}"
            try:
                parameter = parse_parameter(path, system)
            except ConfigurationError:
                continue
            if parameter.current is None and lever != "share":
                continue
            options.append(Option(name=f"{step.display_label}: {lever}", parameter=path))
    options += [
        Option("Gap-fill to the national average: rate", "steps[0].rate",
               (GapFill(rate=1.0),), (0.0, 1.0)),
        Option("Guaranteed share of average resources: share", "steps[0].standard.fraction",
               (GapFill(rate=1.0, measure="resources", standard=Standard(fraction=0.9)),),
               (0.5, 1.0)),
        Option("Minimum guarantee (Swiss): target index", "steps[0].target_index",
               (MinimumGuarantee(),), (71.0, 97.0)),
    ]
    return options


def best_for_budget(scenario: Scenario, budget: float, options: Sequence[Option | str] | None = None,
                    *, metric: str = "gini", year: str | list[str] | None = None,
                    grid: int = 101, xtol: float = 1e-7) -> SolveResult:
    """The option and value that most reduce ``metric`` (the Gini of resources
    per head, averaged over the years run) at a cost to the centre against the
    baseline of at most ``budget`` (currency millions a year, in every year).

    Args:
        options: :class:`Option` objects or parameter paths of the scenario;
            default :func:`default_options`.
        metric: ``gini``, ``theil``, ``cv`` or ``max_min_ratio`` (lower is better).
    """
    if metric not in ("gini", "theil", "cv", "max_min_ratio"):
        raise ConfigurationError(f"metric must be gini, theil, cv or max_min_ratio (got {metric!r})")
    chosen = default_options(scenario) if options is None else [
        o if isinstance(o, Option) else Option(name=str(o), parameter=str(o)) for o in options]
    if not chosen:
        raise ConfigurationError("no options to compare: the scenario has no numeric levers; "
                                 "name parameters (--parameter)")
    limit = budget * 1e6
    rows, best = [], None
    reference = None
    for option in chosen:  # a handful of options; each scans its grid in one engine call
        variant = scenario if option.steps is None else scenario.model_copy(
            update={"steps": list(option.steps)})
        evaluator = Evaluator(variant, [option.parameter], year)
        if reference is None:
            base = evaluator.baseline
            reference = float(np.mean(getattr(metrics, _METRIC_FUNCTIONS[metric])(
                base.resources / base.population, base.population)))
        try:
            found = _best_on_option(evaluator, option, limit, metric, grid, xtol)
        except ConfigurationError as error:  # an option that has no meaning here (e.g. a
            # minimum guarantee of capacity when nothing is devolved): not a candidate
            found = {"value": np.nan, "cost_m": np.nan, metric: np.nan, "feasible": False,
                     "not_applicable": str(error)}
        rows.append({"option": option.name, "parameter": option.parameter, **found})
        if found["feasible"] and (best is None or found[metric] < best[1][metric]):
            best = (option, found)
    cur = evaluator.federation.currency
    table = pd.DataFrame(rows)
    target = f"lowest {metric} at a cost to the centre of at most {cur} {budget:,.0f} m a year"
    if best is None and table["cost_m"].isna().all():
        return SolveResult(target=target, parameter=None, value=None, achieved=None,
                           feasible=False, reason="cannot be met: no option applies to this "
                           f"scenario ({'; '.join(table['not_applicable'].dropna())})",
                           table=table, details={"baseline": reference})
    if best is None:
        cheapest = table.loc[table["cost_m"].idxmin()]
        reason = (f"cannot be met: no option stays within {cur} {budget:,.0f} m a year; the "
                  f"cheapest, {cheapest['option']} at {cheapest['value']:.4g}, costs {cur} "
                  f"{cheapest['cost_m']:,.0f} m")
        return SolveResult(target=target, parameter=None, value=None, achieved=None,
                           feasible=False, reason=reason, table=table,
                           details={"baseline": reference})
    option, found = best
    reason = (f"{option.name} = {found['value']:.6g} ({option.parameter}): {metric} "
              f"{found[metric]:.4f} against {reference:.4f} in the baseline, at a cost to the "
              f"centre of {cur} {found['cost_m']:,.0f} m a year (budget {cur} {budget:,.0f} m)")
    return SolveResult(target=target, parameter=option.parameter, value=found["value"],
                       achieved=found[metric], feasible=True, reason=reason, table=table,
                       details={"option": option.name, "cost_m": found["cost_m"],
                                "baseline": reference, "reduction": reference - found[metric],
                                "steps": option.steps})


_METRIC_FUNCTIONS = {"gini": "gini", "theil": "theil", "cv": "coefficient_of_variation",
                     "max_min_ratio": "max_min_ratio"}


def _within(run: Callable, x: float, limit: float) -> float:
    """The metric at ``x``, or infinity over the budget (for minimize_scalar)."""
    cost, value = run([x])
    return float(value[0]) if cost[0] <= limit else np.inf


def _best_on_option(evaluator: Evaluator, option: Option, limit: float, metric: str, grid: int,
                    xtol: float) -> dict[str, Any]:
    """Grid, then refine: the budget boundary by brentq, interior optima by minimize_scalar."""
    xs = _grid(evaluator, option.bounds, grid)

    def run(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        outputs = evaluator.evaluate(np.asarray(x, float)[:, None])
        return outputs["cost_to_centre"].max(axis=-1), outputs[metric].mean(axis=-1)

    cost, value = run(xs)
    feasible = cost <= limit
    if not feasible.any():
        k = int(np.argmin(cost))
        return {"value": float(xs[k]), "cost_m": float(cost[k]) / 1e6, metric: float(value[k]),
                "feasible": False}
    k = int(np.argmin(np.where(feasible, value, np.inf)))
    candidates = [float(xs[k])]
    for j in (k - 1, k + 1):
        if not 0 <= j < len(xs):
            continue
        if not feasible[j] and value[j] < value[k]:  # the budget binds between k and j
            x, _ = _refine(lambda x: limit - run(x)[0], lambda x: run(x)[0] <= limit,
                           float(xs[j]), float(xs[k]), xtol)
            candidates.append(x)
        elif feasible[j]:
            lo, hi = sorted((float(xs[j]), float(xs[k])))
            found = minimize_scalar(lambda x: _within(run, x, limit), bounds=(lo, hi),
                                    method="bounded", options={"xatol": xtol})
            if np.isfinite(found.fun):
                candidates.append(float(found.x))
    c_cost, c_value = run(np.array(candidates))
    c_value = np.where(c_cost <= limit, c_value, np.inf)
    i = int(np.argmin(c_value))
    return {"value": candidates[i], "cost_m": float(c_cost[i]) / 1e6, metric: float(c_value[i]),
            "feasible": True}
