"""Parameter sweeps on the vectorised engine.

A sweep varies one or two numeric parameters of a scenario over a grid and
runs every grid point at once: the points sit on a new leading axis of the
engine's arrays (``(K, years, regions)``), and each parameter is handed to
its step as an array shaped ``(K, 1, 1)`` that broadcasts through the step's
formula.  The data are not copied per point: the devolution and every step
before the swept one run once on ``(years, regions)``, and the state takes
the point axis from the swept step's transfer on (a devolved share, which
scales the revenue, gives the revenue the point axis instead).  Large grids
are cut into chunks along that axis (one ``simulate`` call per chunk) to
bound memory.

Parameters are addressed as in a scenario file:

- ``steps[0].rate``, ``steps[1].standard.fraction``, ``steps[0].step.rate``
  (any float field of a step or of a model nested in it; ``steps[-1]`` counts
  from the end);
- ``devolution.income_tax.share`` (the devolved share of a tax family; a tax
  not yet devolved is added as an assigned tax).  A devolved share ``s`` enters
  the engine linearly (capacity, own revenue and revenue forgone all scale with
  it), so it is swept as share 1 on the tax's revenue times ``s``.

Every value is checked against the parameter's declared range; the step's own
consistency checks (e.g. floor below target) run at the extremes of the grid
(every corner for two parameters), where those checks bind.

>>> result = sweep(scenario, {"steps[0].rate": np.linspace(0, 1, 101)})
>>> result.points()            # one row per point and year: Gini, cost, min index...
"""

from __future__ import annotations

import itertools
import re
import types
import typing
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError

from .. import metrics
from ..engine import EngineInputs, System, TaxDevolution, simulate
from ..engine.result import horizontal_flows
from ..errors import ConfigurationError, SimulatorError
from ..federation import Federation
from ..scenario import Scenario, ScenarioError
from ..scenario.running import projected_federation, scenario_federation
from ..state import FiscalState, broadcast_readonly

__all__ = ["Parameter", "parse_parameter", "Evaluator", "SweepResult", "sweep", "grid_values",
           "METRICS", "metric_label", "Progress"]

#: ``progress(points_done, points_total)``, called after each chunk.
Progress = Callable[[int, int], None]

#: System metrics computed for every point (after the reform), with their labels.
METRICS: dict[str, str] = {
    "gini": "Gini of resources per head",
    "theil": "Theil index of resources per head",
    "cv": "Coefficient of variation of resources per head",
    "max_min_ratio": "Highest / lowest resources per head",
    "min_index": "Lowest resources index (average = 100)",
    "cost_to_centre": "Cost to the centre vs baseline",
    "paid_by_centre": "Paid by the centre in steps",
    "horizontal_flows": "Paid in by contributing regions",
}
_MONEY = ("cost_to_centre", "paid_by_centre", "horizontal_flows")
#: Elements of engine arrays per chunk (bounds memory: ~32 MB per array).
CHUNK_ELEMENTS = 4_000_000
#: Most points a sweep runs: every point's outputs are kept in memory (resources per
#: head by year and region plus nine metrics by year), so 10^8 points would need tens
#: of GB.  Larger grids are refused, stating the size, before anything is allocated.
MAX_SWEEP_POINTS = 2_000_000


def sweep_memory_bytes(points: int, years: int, regions: int, parameters: int = 1) -> int:
    """Bytes a sweep's results take: per point, 8-byte floats for resources per head
    ``(years, regions)``, nine metrics per year and the parameter values."""
    return 8 * points * (years * (regions + 9) + parameters)


def _refuse_size(points: int, years: int | None = None, regions: int | None = None) -> None:
    if points <= MAX_SWEEP_POINTS:
        return
    size = ""
    if years is not None and regions is not None:
        size = (f" (its results alone would take {sweep_memory_bytes(points, years, regions) / 1e9:,.1f}"
                f" GB: {years} year(s) x {regions} regions per point)")
    raise ConfigurationError(f"a sweep of {points:,} points is too large{size}; the limit is "
                             f"{MAX_SWEEP_POINTS:,} points; use a coarser grid or several sweeps")

_STEP_PATH = re.compile(r"^steps\[(-?\d+)\]((?:\.[A-Za-z_]\w*)+)$")
_SHARE_PATH = re.compile(r"^devolution\.([A-Za-z_]\w*)\.share$")
_BAND_RATE_PATH = re.compile(
    r"^devolution\.([A-Za-z_]\w*)\.schedules\.([A-Za-z0-9]+)\.rates\.([a-z][a-z0-9_]*)$")


# ------------------------------------------------------------------ parameters
@dataclass(frozen=True)
class Parameter:
    """A numeric parameter of a scenario, addressed by ``path``.

    ``lower``/``upper`` are the declared range (None if open); ``strict_lower``
    when the range excludes ``lower`` (e.g. ``fraction > 0``).  ``current`` is
    the scenario's value (None if unset).
    """

    path: str
    kind: str                      # "step" or "share"
    step: int | None
    fields: tuple[str, ...]
    tax: str | None
    lower: float | None
    upper: float | None
    strict_lower: bool
    unit: str
    description: str
    current: float | None

    @property
    def name(self) -> str:
        return self.path

    def bounds(self) -> tuple[float, float]:
        """The declared range as a closed interval (an open end nudged inside)."""
        if self.lower is None or self.upper is None:
            raise ConfigurationError(f"{self.path} has no declared range; give bounds "
                                     "(e.g. --range LOW,HIGH)")
        lower = self.lower
        if self.strict_lower:
            lower = lower + 1e-9 * max(1.0, abs(self.upper - self.lower))
        return float(lower), float(self.upper)

    def check(self, values: np.ndarray) -> None:
        """Raise ConfigurationError if any value is outside the declared range."""
        values = np.asarray(values, float)
        bad = ~np.isfinite(values)
        if self.lower is not None:
            bad |= values <= self.lower if self.strict_lower else values < self.lower
        if self.upper is not None:
            bad |= values > self.upper
        if bad.any():
            low = "" if self.lower is None else f"{'>' if self.strict_lower else '>='} {self.lower:g}"
            high = "" if self.upper is None else f"<= {self.upper:g}"
            allowed = " and ".join(p for p in (low, high) if p) or "finite"
            raise ConfigurationError(f"{self.path} = {values[bad][0]:g} is out of range: it must "
                                     f"be {allowed} ({self.unit})")


def _numeric(annotation: Any) -> bool:
    """True for ``float`` or ``float | None`` (ints and bools are structural)."""
    if annotation is float:
        return True
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return float in typing.get_args(annotation)
    return False


def _range(field: Any) -> tuple[float | None, float | None, bool]:
    lower = upper = None
    strict = False
    for item in field.metadata:
        if getattr(item, "ge", None) is not None:
            lower = float(item.ge)
        if getattr(item, "gt", None) is not None:
            lower, strict = float(item.gt), True
        if getattr(item, "le", None) is not None:
            upper = float(item.le)
        if getattr(item, "lt", None) is not None:
            upper = float(item.lt)
    return lower, upper, strict


def parse_parameter(path: str, system: System) -> Parameter:
    """The :class:`Parameter` at ``path`` in ``system`` (a System or Scenario).

    Raises:
        ConfigurationError: naming the path and what is wrong with it.
    """
    path = str(path).strip()
    match = _SHARE_PATH.match(path)
    if match:
        tax = match.group(1)
        assignment = system.devolution.get(tax)
        field = TaxDevolution.model_fields["share"]
        lower, upper, strict = _range(field)
        return Parameter(path=path, kind="share", step=None, fields=("share",), tax=tax,
                         lower=lower, upper=upper, strict_lower=strict,
                         unit="share (0-1)", description=field.description or "",
                         current=None if assignment is None else float(assignment.share))
    match = _BAND_RATE_PATH.match(path)
    if match:
        return _band_rate_parameter(path, system, *match.groups())
    if path.startswith("devolution."):
        raise ConfigurationError(f"{path}: of a tax's devolution only the share "
                                 "(devolution.<tax>.share) or a region's band rate "
                                 "(devolution.income_tax.schedules.<code>.rates.<band>) can be "
                                 "varied")
    match = _STEP_PATH.match(path)
    if not match:
        raise ConfigurationError(f"{path!r} is not a parameter path; use steps[<n>].<field> "
                                 "(e.g. steps[0].rate, steps[0].standard.fraction) or "
                                 "devolution.<tax>.share")
    index, names = int(match.group(1)), tuple(match.group(2)[1:].split("."))
    steps = list(system.steps)
    if not -len(steps) <= index < len(steps):
        raise ConfigurationError(f"{path}: the scenario has {len(steps)} step"
                                 f"{'s' if len(steps) != 1 else ''} (steps[0]..steps"
                                 f"[{len(steps) - 1}])" if steps else
                                 f"{path}: the scenario has no steps")
    index %= len(steps)
    node: Any = steps[index]
    for depth, name in enumerate(names):
        if not isinstance(node, BaseModel) or name not in type(node).model_fields:
            where = ".".join(names[:depth]) or f"steps[{index}] ({getattr(steps[index], 'type', '?')})"
            known = ", ".join(type(node).model_fields) if isinstance(node, BaseModel) else "none"
            raise ConfigurationError(f"{path}: {where} has no field {name!r}; fields: {known}")
        field = type(node).model_fields[name]
        if depth < len(names) - 1:
            node = getattr(node, name)
    if not _numeric(field.annotation):
        raise ConfigurationError(f"{path} is not a numeric (float) parameter and cannot be "
                                 "varied continuously")
    value = getattr(node, names[-1])
    lower, upper, strict = _range(field)
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return Parameter(path=path, kind="step", step=index, fields=names, tax=None, lower=lower,
                     upper=upper, strict_lower=strict, unit=str(extra.get("unit", "")),
                     description=field.description or "",
                     current=None if value is None else float(value))


def _band_rate_parameter(path: str, system: System, tax: str, code: str,
                         band: str) -> Parameter:
    """A region's band rate of an income-tax schedule (docs/income_tax.md)."""
    assignment = system.devolution.get(tax)
    if assignment is None or not assignment.has_schedule:
        raise ConfigurationError(f"{path}: devolution.{tax} has no income-tax schedule; give "
                                 f"it schedule or schedules (with own_rate: true) first")
    from ..income_tax.model import resolve_schedules

    entry = assignment.schedules.get(code, assignment.schedule)
    if entry is None:
        raise ConfigurationError(f"{path}: region {code!r} has no schedule in devolution.{tax}; "
                                 f"schedules are given for {', '.join(assignment.schedules)}")
    schedule = resolve_schedules([code], None, {code: entry})[code]
    bands = {b.name: b.rate for b in schedule.bands}
    if band not in bands:
        raise ConfigurationError(f"{path}: schedule {schedule.name!r} has no band {band!r}; "
                                 f"bands: {', '.join(bands)}")
    return Parameter(path=path, kind="band_rate", step=None, fields=(code, band), tax=tax,
                     lower=0.0, upper=1.0, strict_lower=False, unit="share (0-1)",
                     description=f"{code}'s {band} rate of income tax", current=bands[band])


def _with_band_rate(assignment: TaxDevolution, code: str, band: str, value: Any,
                    codes: Sequence[str] | None) -> TaxDevolution:
    """``assignment`` with ``code``'s ``band`` rate at ``value``: a scalar gives a validated
    schedule override; an array of points ``(K, 1, ...)`` the engine's factors per point."""
    from ..income_tax.model import swept_factors
    from ..income_tax.spec import ScheduleOverride

    if np.ndim(value) == 0:
        entry = assignment.schedules.get(code, assignment.schedule)
        entry = (ScheduleOverride(schedule=entry) if isinstance(entry, str) else entry)
        entry = ScheduleOverride(**{**entry.model_dump(), "rates": {**entry.rates,
                                                                   band: float(value)}})
        return assignment.model_copy(update={"schedules": {**assignment.schedules, code: entry}})
    column = np.asarray(value, dtype=float)
    ratio, base = swept_factors(codes, assignment.schedule, assignment.schedules,
                                assignment.taxable_income_elasticity, code, band,
                                column.reshape(-1))
    lead = column.shape[:-1]  # (K, 1): the points, then the year axis
    swept = assignment.model_copy()
    swept._swept_factors = (ratio.reshape(lead + ratio.shape[-1:]),
                            base.reshape(lead + base.shape[-1:]))
    return swept


def _replace_field(model: BaseModel, names: Sequence[str], value: Any) -> BaseModel:
    """``model`` with the nested field ``names`` set to ``value`` (no validation)."""
    head = names[0]
    if len(names) > 1:
        value = _replace_field(getattr(model, head), names[1:], value)
    update = {head: value}
    if head == "share" and "ratio_to_centre" in type(model).model_fields:
        update["ratio_to_centre"] = None  # a share given replaces the ratio (horizontal funding)
    return model.model_copy(update=update)


def with_values(system: System, parameters: Sequence[Parameter],
                values: Sequence[Any], codes: Sequence[str] | None = None
                ) -> tuple[System, dict[str, Any]]:
    """``system`` with each parameter set to its value (scalar or array), and the
    factor on each tax's revenue that carries a devolved share (tax -> value).
    ``codes``: the regions, needed for a band rate given as an array of points."""
    steps = list(system.steps)
    devolution = dict(system.devolution)
    scale: dict[str, Any] = {}
    if sum(p.kind == "band_rate" for p in parameters) > 1:
        raise ConfigurationError("only one band rate can be swept at a time")
    for parameter, value in zip(parameters, values):
        if parameter.kind == "band_rate":
            devolution[parameter.tax] = _with_band_rate(devolution[parameter.tax],
                                                        *parameter.fields, value, codes)
        elif parameter.kind == "share":
            old = devolution.get(parameter.tax)
            devolution[parameter.tax] = (TaxDevolution(share=1.0) if old is None
                                         else old.model_copy(update={"share": 1.0}))
            scale[parameter.tax] = value
        else:
            steps[parameter.step] = _replace_field(steps[parameter.step], parameter.fields, value)
    return system.model_copy(update={"steps": steps, "devolution": devolution}), scale


def _as_given(value: Any) -> Any:
    """A model as the data it was built from: set fields and ``type`` keys only (so
    checks such as "give share or ratio, not both" see what the user gave)."""
    if isinstance(value, BaseModel):
        names = set(value.model_fields_set) | ({"type"} & set(type(value).model_fields))
        return {name: _as_given(getattr(value, name)) for name in names}
    if isinstance(value, (list, tuple)):
        return [_as_given(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_given(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def _validated(system: System, parameters: Sequence[Parameter], values: Sequence[float]) -> None:
    """Run every model check on the system with these scalar values."""
    changed, scale = with_values(system, parameters, values)
    setting = ", ".join(f"{p.path} = {v:g}" for p, v in zip(parameters, values))
    try:
        for step in changed.steps:
            type(step).model_validate(_as_given(step))
        for tax, share in scale.items():
            old = system.devolution.get(tax)
            data = {} if old is None else old.model_dump()
            TaxDevolution.model_validate({**data, "share": share})
        for parameter in parameters:
            if parameter.kind == "band_rate":
                TaxDevolution.model_validate(changed.devolution[parameter.tax].model_dump())
    except ValidationError as error:
        detail = "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())
        raise ConfigurationError(f"{setting}: {detail}") from None


# ------------------------------------------------------------------ evaluation
class Evaluator:
    """A scenario prepared for many evaluations: data, system and baseline run once.

    ``evaluate(values)`` runs the points ``values`` ``(K, P)`` (one column per
    parameter) in one ``simulate`` call and returns per-point arrays (see
    :func:`point_outputs`).  Picklable: it travels to Dask workers as the
    scenario, years and parameter paths, and is rebuilt there.
    """

    def __init__(self, scenario: Scenario, parameters: Sequence[str | Parameter] = (),
                 year: str | list[str] | None = None):
        self.scenario = scenario
        self.year = year
        #: Years phased in from the first projected year (a projection's transition_years).
        self.transition: int | None = None
        if scenario.projection is not None and year is None:
            # As run_scenario: the jump-off year and the projected years (static indexation).
            refuse_projection(scenario)
            self.federation = projected_federation(scenario)
            self.transition = scenario.projection.transition_years
        else:
            self.federation = scenario_federation(scenario, year)
        self.system = scenario.to_system()
        self.parameters = tuple(p if isinstance(p, Parameter) else parse_parameter(p, self.system)
                                for p in parameters)
        paths = [p.path for p in self.parameters]
        if len(set(paths)) != len(paths):
            raise ConfigurationError(f"parameter {paths[0]} is given twice")
        full = EngineInputs.from_federation(self.federation)
        taxes = set(self.system.devolution) | {p.tax for p in self.parameters if p.tax}
        unknown = sorted(taxes - set(full.taxes))
        if unknown:
            raise ConfigurationError(f"tax {unknown[0]!r} is not in dataset "
                                     f"{self.federation.name!r}; known: {', '.join(full.taxes)}")
        kept = [t for t in full.taxes if t in taxes]  # only devolved taxes enter the engine
        index = [full.taxes.index(t) for t in kept]
        self.inputs = EngineInputs(codes=full.codes, taxes=tuple(kept), population=full.population,
                                   revenue=full.revenue[..., index, :],
                                   tax_base={t: b for t, b in full.tax_base.items() if t in kept},
                                   indicators=full.indicators)
        from ..scenario.running import _baseline_system

        baseline = _baseline_system(scenario) or System(block_grant=self.system.block_grant,
                                                        need_index=self.system.need_index)
        self.baseline = simulate(EngineInputs.from_federation(self.federation), baseline)

    def __reduce__(self):
        return (Evaluator, (self.scenario, tuple(p.path for p in self.parameters), self.year))

    @property
    def shape(self) -> tuple[int, int]:
        """(years, regions)."""
        return self.federation.population.shape

    def default_chunk(self) -> int:
        n_years, n_regions = self.shape
        return max(1, CHUNK_ELEMENTS // (n_years * n_regions * (len(self.inputs.taxes) + 16)))

    def check(self, columns: Sequence[np.ndarray]) -> None:
        """Check the values of each parameter (range; model checks at the extremes)."""
        for parameter, column in zip(self.parameters, columns):
            parameter.check(column)
        extremes = [np.unique([np.min(c), np.max(c)]) for c in columns]
        for corner in itertools.product(*extremes):
            _validated(self.system, self.parameters, [float(v) for v in corner])

    def state(self, values: np.ndarray) -> FiscalState:
        """The final state of the points ``values`` ``(K, P)``, of shape ``(K, Y, R)``
        (``state.shape``; arrays that do not depend on the points stay ``(Y, R)``)."""
        values = np.asarray(values, float).reshape(-1, len(self.parameters))
        k = values.shape[0]
        inputs = self.inputs
        n_dims = inputs.population.ndim  # (Y, R): parameters broadcast as (K, 1, 1)
        columns = [values[:, j].reshape((k,) + (1,) * n_dims) for j in range(values.shape[1])]
        system, scale = with_values(self.system, self.parameters, columns, inputs.codes)
        # Only what varies carries the point axis: a step parameter (K, 1, 1) grows
        # the state from its step on (the data and the devolution before it stay
        # (Y, R), computed once); a devolved share scales the revenue (K, Y, T, R).
        if scale:
            factor = np.ones((k,) + (1,) * (n_dims - 1) + (len(inputs.taxes), 1))
            for tax, column in scale.items():
                factor[..., inputs.taxes.index(tax), :] = column.reshape(k, *([1] * (n_dims - 1)), 1)
            inputs = replace(inputs, revenue=inputs.revenue * factor)
        try:
            state = simulate(inputs, system, baseline_resources=self.baseline.resources)
        except SimulatorError:
            raise
        except (TypeError, ValueError) as error:
            names = ", ".join(p.path for p in self.parameters)
            raise ConfigurationError(f"{names} cannot be varied on the vectorised engine (the "
                                     f"step does not broadcast it: {error})") from None
        full = (k,) + inputs.population.shape
        if state.shape != full:  # no step's result depends on the parameter: still K points
            state = state.replace(population=broadcast_readonly(state.population, full),
                                  equalisation_population=broadcast_readonly(
                                      state.equalisation_population, full))
        if self.transition is not None:  # as run_projection: from the first projected year
            from ..over_time import with_transition

            state = with_transition(state, self.baseline, self.transition, start=1)
        return state

    def evaluate(self, values: np.ndarray) -> dict[str, np.ndarray]:
        """Per-point outputs of the points ``values`` ``(K, P)`` (see :func:`point_outputs`)."""
        return point_outputs(self.state(values), self.baseline)


#: Why sweeps (and solve, which sweeps) refuse a projection with an indexed block grant
#: adjustment.
PROJECTION_NOT_SUPPORTED = (
    "sweep and solve support projections with block_grant_indexation: static only; "
    "{method!r} (an indexed block grant adjustment, rolled forward year by year from the "
    "jump-off year) is not supported. Run the projection with `fiscalsim run`, set "
    "block_grant_indexation: static, or give a published year to sweep that year without "
    "the projection.")


def refuse_projection(scenario: Scenario) -> None:
    """Raise a ScenarioError for a projection with an indexed block grant adjustment
    (static indexation is swept on the projected years)."""
    projection = scenario.projection
    if projection is not None and projection.block_grant_indexation != "static":
        from ..scenario import Problem

        raise ScenarioError(Problem(
            PROJECTION_NOT_SUPPORTED.format(method=projection.block_grant_indexation),
            path="projection.block_grant_indexation"))


def point_outputs(state: FiscalState, baseline: FiscalState) -> dict[str, np.ndarray]:
    """Compact per-point arrays of a state with a leading point (or draw) axis.

    ``resources_per_head`` ``(K, Y, R)`` and, each ``(K, Y)``: ``gini``,
    ``theil``, ``cv``, ``max_min_ratio``, ``min_index`` (lowest resources per
    head as % of the population-weighted average), ``min_region`` (its
    position), ``cost_to_centre`` (currency units, against the baseline),
    ``paid_by_centre``, ``horizontal_flows``.
    """
    population = state.population
    per_head = state.resources / population
    average = (state.resources.sum(-1) / population.sum(-1))
    index = 100.0 * per_head / average[..., None]
    shape = per_head.shape[:-1]
    return {
        "resources_per_head": per_head,
        "gini": metrics.gini(per_head, population),
        "theil": metrics.theil(per_head, population),
        "cv": metrics.coefficient_of_variation(per_head, population),
        "max_min_ratio": metrics.max_min_ratio(per_head, population),
        "min_index": index.min(axis=-1),
        "min_region": index.argmin(axis=-1),
        "cost_to_centre": np.broadcast_to(state.cost_to_centre - baseline.cost_to_centre, shape),
        "paid_by_centre": np.broadcast_to(state.centre_paid_by_steps, shape),
        "horizontal_flows": np.broadcast_to(horizontal_flows(state), shape),
    }


def evaluate_chunks(evaluator: Evaluator, values: np.ndarray, chunk_size: int | None = None,
                    progress: Progress | None = None, client: Any = None) -> dict[str, np.ndarray]:
    """Evaluate the points ``values`` ``(K, P)`` chunk by chunk (in process, or on a
    Dask ``client``); outputs are concatenated along the point axis."""
    values = np.asarray(values, float).reshape(-1, len(evaluator.parameters))
    total = values.shape[0]
    size = int(chunk_size or evaluator.default_chunk())
    if size < 1:
        raise ConfigurationError(f"chunk size must be at least 1 (got {chunk_size})")
    chunks = [values[i:i + size] for i in range(0, total, size)]
    if client is not None:
        from .distributed import map_chunks

        parts = map_chunks(_evaluate_chunk, evaluator, chunks, client, progress=progress,
                           sizes=[len(c) for c in chunks])
    else:
        parts, done = [], 0
        for chunk in chunks:  # one engine call per chunk, never per point
            parts.append(evaluator.evaluate(chunk))
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    return {key: np.concatenate([np.asarray(p[key]) for p in parts], axis=0) for key in parts[0]}


def _evaluate_chunk(evaluator: Evaluator, chunk: np.ndarray) -> dict[str, np.ndarray]:
    return {key: np.ascontiguousarray(value) for key, value in evaluator.evaluate(chunk).items()}


# ------------------------------------------------------------------ the sweep
def grid_values(spec: str | Sequence[float] | np.ndarray) -> np.ndarray:
    """Grid values from ``"start:stop:count"`` (inclusive, evenly spaced), a comma
    list ``"0.5,0.75,1"``, or a sequence of numbers."""
    if isinstance(spec, str):
        text = spec.strip()
        try:
            if ":" in text:
                parts = text.split(":")
                if len(parts) != 3:
                    raise ValueError
                start, stop, count = float(parts[0]), float(parts[1]), int(parts[2])
                if count < 1:
                    raise ConfigurationError(f"{spec!r}: the count must be at least 1")
                _refuse_size(count)
                values = np.linspace(start, stop, count)
            else:
                values = np.array([float(v) for v in text.split(",") if v.strip()])
        except ConfigurationError:
            raise
        except ValueError:
            raise ConfigurationError(f"{spec!r} is not a grid; use START:STOP:COUNT (e.g. "
                                     "0:1:101) or a comma list (0.5,0.75,1)") from None
    else:
        values = np.asarray(spec, dtype=float).ravel()
    if values.size == 0:
        raise ConfigurationError("a grid needs at least one value")
    if not np.isfinite(values).all():
        raise ConfigurationError("grid values must be finite numbers")
    return values


@dataclass(frozen=True, eq=False)
class SweepResult:
    """The outcome of a sweep over a grid of one or two parameters.

    Arrays have the points first (the grid flattened in row-major order:
    the last parameter varies fastest), then years, then regions.
    """

    scenario: str
    parameters: tuple[Parameter, ...]
    axes: tuple[np.ndarray, ...]
    values: np.ndarray                  # (K, P)
    federation: Federation
    baseline_per_head: np.ndarray       # (Y, R)
    outputs: Mapping[str, np.ndarray]   # see point_outputs

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a) for a in self.axes)

    @property
    def currency(self) -> str:
        return self.federation.currency

    @property
    def resources_per_head(self) -> np.ndarray:
        return self.outputs["resources_per_head"]

    def metric(self, name: str, year: str | None = None) -> np.ndarray:
        """A system metric on the grid, shape ``shape`` (money in currency millions)."""
        if name not in METRICS:
            raise ConfigurationError(f"unknown metric {name!r}; known: {', '.join(METRICS)}")
        values = np.asarray(self.outputs[name], float)[:, self._year(year)]
        if name in _MONEY:
            values = values / 1e6
        return values.reshape(self.shape)

    def _year(self, year: str | None) -> int:
        years = self.federation.years
        if year is None:
            return len(years) - 1
        if str(year) not in years:
            raise ConfigurationError(f"year {year!r} is not in the sweep ({', '.join(years)})")
        return years.index(str(year))

    def _columns(self) -> dict[str, np.ndarray]:
        return {p.path: self.values[:, j] for j, p in enumerate(self.parameters)}

    def points(self) -> pd.DataFrame:
        """One row per point and year: parameter values and system metrics
        (money in currency millions, ``_<cur>_m``)."""
        n_points = self.values.shape[0]
        years = np.array(self.federation.years)
        n_years = years.size
        cur = self.currency.lower()
        columns: dict[str, Any] = {"point": np.repeat(np.arange(n_points), n_years)}
        columns.update({k: np.repeat(v, n_years) for k, v in self._columns().items()})
        columns["year"] = np.tile(years, n_points)
        for name in METRICS:
            values = np.asarray(self.outputs[name], float).ravel()
            columns[f"{name}_{cur}_m" if name in _MONEY else name] = (
                values / 1e6 if name in _MONEY else values)
        columns["min_index_code"] = np.array(self.federation.codes)[
            np.asarray(self.outputs["min_region"]).ravel()]
        return pd.DataFrame(columns)

    def by_region(self) -> pd.DataFrame:
        """One row per point, year and region: resources per head, index, change."""
        per_head = self.resources_per_head
        n_points, n_years, n_regions = per_head.shape
        fed = self.federation
        cur = self.currency.lower()
        population = np.broadcast_to(fed.population, per_head.shape)
        average = (per_head * population).sum(-1, keepdims=True) / population.sum(-1, keepdims=True)
        n_rows = n_points * n_years * n_regions
        columns: dict[str, Any] = {"point": np.repeat(np.arange(n_points), n_years * n_regions)}
        columns.update({k: np.repeat(v, n_years * n_regions) for k, v in self._columns().items()})
        columns.update({
            "year": np.tile(np.repeat(np.array(fed.years), n_regions), n_points),
            "code": np.tile(np.array(fed.codes), n_points * n_years),
            "region": np.tile(np.array(fed.names), n_points * n_years),
            f"resources_per_head_{cur}": per_head.reshape(n_rows),
            "resources_index": (100.0 * per_head / average).reshape(n_rows),
            f"change_per_head_{cur}": (per_head - self.baseline_per_head).reshape(n_rows),
        })
        return pd.DataFrame(columns)

    def figure(self, metric: str = "gini", year: str | None = None):
        """A plotly heat map of ``metric`` (2-D sweep) or a line (1-D sweep)."""
        import plotly.graph_objects as go

        year = self.federation.years[self._year(year)]
        label = metric_label(metric, self.currency)
        grid = self.metric(metric, year)
        source = f"Source: {self.federation.source}" if self.federation.source else ""
        title = f"{self.scenario}: {label}, {year}"
        if len(self.axes) == 1:
            fig = go.Figure(go.Scatter(x=self.axes[0], y=grid, mode="lines+markers",
                                       name=label))
            fig.update_layout(xaxis_title=_axis_title(self.parameters[0]), yaxis_title=label)
        else:
            fig = go.Figure(go.Heatmap(z=grid.T, x=self.axes[0], y=self.axes[1],
                                       colorbar={"title": {"text": label}},
                                       colorscale="Viridis"))
            fig.update_layout(xaxis_title=_axis_title(self.parameters[0]),
                              yaxis_title=_axis_title(self.parameters[1]))
        fig.update_layout(title={"text": title}, margin={"l": 60, "r": 20, "t": 60, "b": 80},
                          annotations=[{"text": source, "xref": "paper", "yref": "paper",
                                        "x": 0, "y": -0.22, "showarrow": False,
                                        "font": {"size": 10}}] if source else [])
        return fig

    heatmap = figure


def _axis_title(parameter: Parameter) -> str:
    return f"{parameter.path} ({parameter.unit})" if parameter.unit else parameter.path


def metric_label(name: str, currency: str = "GBP") -> str:
    """``cost_to_centre`` -> ``Cost to the centre vs baseline (GBP m per year)``."""
    label = METRICS.get(name, name)
    return f"{label} ({currency} m per year)" if name in _MONEY else label


def sweep(scenario: Scenario, parameters: Mapping[str, Any], *, year: str | list[str] | None = None,
          chunk_size: int | None = None, progress: Progress | None = None,
          client: Any = None) -> SweepResult:
    """Run ``scenario`` at every point of a grid of one or two parameters.

    Args:
        parameters: path -> grid values (a sequence, or ``"start:stop:count"``);
            two entries give the full two-way grid.
        year: year(s) to run (default: the scenario's).
        chunk_size: points per engine call (default bounds memory to ~32 MB per array).
        progress: ``progress(done, total)`` after each chunk.
        client: a ``dask.distributed.Client`` to run the chunks on (results are
            identical to the in-process run).

    Raises:
        ConfigurationError: unknown path, value out of range, or a parameter the
            step cannot broadcast.
    """
    if not 1 <= len(parameters) <= 2:
        raise ConfigurationError(f"a sweep varies one or two parameters (got {len(parameters)})")
    evaluator = Evaluator(scenario, list(parameters), year)
    axes = tuple(grid_values(v) for v in parameters.values())
    _refuse_size(int(np.prod([len(a) for a in axes], dtype=float)), *evaluator.shape)
    for parameter, axis in zip(evaluator.parameters, axes):
        parameter.check(axis)
    mesh = np.meshgrid(*axes, indexing="ij")
    values = np.stack([m.ravel() for m in mesh], axis=-1)
    evaluator.check([values[:, j] for j in range(values.shape[1])])
    outputs = evaluate_chunks(evaluator, values, chunk_size, progress, client)
    baseline = evaluator.baseline
    shape = evaluator.shape
    return SweepResult(scenario=scenario.name, parameters=evaluator.parameters, axes=axes,
                       values=values, federation=evaluator.federation,
                       baseline_per_head=np.broadcast_to(baseline.resources / baseline.population,
                                                         shape),
                       outputs=outputs)
