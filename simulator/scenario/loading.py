"""Load, check and dump scenarios.

(Loading uses running for its dry run; running never imports loading: a baseline
file name is resolved here, and both name unknown things with
:func:`~simulator.scenario.errors.unknown_name`.)

``load_scenario(path)`` reads the YAML (safe, size- and alias-limited), merges
``extends`` chains, resolves a baseline file, validates against the schema and
then against the dataset (tax families, indicators, years, region codes), and
raises one :class:`ScenarioError` listing every problem, each with file, line,
column, field path, the allowed values or range, and the nearest valid name
for a typo.
"""

from __future__ import annotations

import difflib
import inspect
import math
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import yaml
from pydantic import ValidationError

from ..errors import SimulatorError
from ..quantities import block_grant_unit_problem, written
from ..steps import STEP_TYPES
from .errors import Problem, ScenarioError, format_path
from .errors import unknown_name as _unknown
from .merge import read_scenario_data
from .paths import PathPolicy, PathRefused
from .running import projection_faults, run_on, run_projection, scenario_federation
from .schema import Scenario, SystemSpec, refresh_step_types, scenario_json_schema
from .yaml_source import SourceMap, parse_yaml

__all__ = ["load_scenario", "parse_scenario", "dump_scenario", "scenario_to_data",
           "check_scenario"]


# ---------------------------------------------------------------- public API
def load_scenario(path: str | Path, *, check_data: bool = True,
                  allow_outside_paths: bool | None = None) -> Scenario:
    """Load and validate a scenario file.

    Args:
        path: the YAML file.
        check_data: also check names against the dataset (taxes, indicators,
            years, regions) and do a dry run; off for schema-only checks.
        allow_outside_paths: follow ``extends``/``baseline`` names outside the
            file's folder and the scenario library (default: no, unless inside
            :func:`simulator.scenario.paths.allow_outside_paths`).

    Raises:
        ScenarioError: listing every problem found.
    """
    policy = PathPolicy.for_file(path, allow_outside_paths)
    return _load(Path(path), check_data=check_data, resolve_baseline=True, policy=policy)


def parse_scenario(text: str, name: str = "<string>", *, base_dir: str | Path | None = None,
                   check_data: bool = True) -> Scenario:
    """Load a scenario from YAML text (an upload, the editor's text).

    With no file to be relative to, ``extends`` and ``baseline`` may name only a
    scenario of ``base_dir`` (default: the scenario library) by its bare file
    name (``extends: status_quo.yaml`` or ``status_quo``); the library file's own
    ``extends`` and baseline resolve inside that folder.  ``name`` (an upload's
    file name, chosen by the client) is shown in messages and plays no part in
    finding files; no path, ``..`` or absolute name is ever opened.

    Raises:
        ScenarioError: listing every problem (a name that is not a library file
            is one, with its line and the library's file names).
    """
    policy = PathPolicy.for_text(name, base_dir)
    data, source = parse_yaml(text, name)
    if not isinstance(data, dict):
        raise ScenarioError(Problem("a scenario must be a mapping of keys", file=name))
    if "extends" in data:
        data, source = _extend_from_library(data, source, name, policy)
    return _finish(data, source, name, Path("scenario.yaml"),
                   check_data=check_data, resolve_baseline=True, policy=policy)


def _extend_from_library(data: dict, source: SourceMap, name: str,
                         policy: PathPolicy) -> tuple[dict, SourceMap]:
    """``data`` merged over the library scenario its ``extends`` names."""
    from .merge import extend

    data = dict(data)
    extends = data.pop("extends")
    mark = source.value(("extends",))

    def problem(message: str) -> ScenarioError:
        return ScenarioError(_at(message, name, source, ("extends",), mark))

    if not isinstance(extends, str) or not extends.strip():
        raise problem(f"expected the file name of a library scenario (e.g. status_quo.yaml), "
                      f"got {extends!r}")
    try:
        base = policy.resolve(extends, name, "extends")
    except PathRefused as error:
        raise problem(str(error)) from None
    return extend(*read_scenario_data(base, policy=policy), data, source)


def dump_scenario(scenario: Scenario) -> str:
    """YAML text that loads back to an equal scenario (defaults left out)."""
    header = f"# {scenario.name}: written by fiscalsim\n"
    return header + yaml.safe_dump(scenario_to_data(scenario), sort_keys=False,
                                   allow_unicode=True, width=100)


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """Plain data for a scenario: metadata first, defaults left out, steps with ``type`` first."""
    data: dict[str, Any] = {"name": scenario.name}
    if scenario.description:
        data["description"] = scenario.description
    data["dataset"] = {"name": scenario.dataset.name}
    if scenario.dataset.options:
        data["dataset"]["options"] = dict(scenario.dataset.options)
    if scenario.year is not None:
        data["year"] = scenario.year if isinstance(scenario.year, str) else list(scenario.year)
    data.update(_system_data(scenario))
    if isinstance(scenario.baseline, SystemSpec):
        data["baseline"] = _system_data(scenario.baseline)
    elif scenario.baseline is not None:
        data["baseline"] = scenario.baseline
    if scenario.projection is not None:
        data["projection"] = _without_defaults(scenario.projection)
    if scenario.outputs != Scenario.model_fields["outputs"].get_default(call_default_factory=True):
        data["outputs"] = list(scenario.outputs)
    if scenario.roadmap is not None:
        data["roadmap"] = _roadmap_data(scenario.roadmap)
    if scenario.benchmarks:
        data["benchmarks"] = [_without_defaults(b) for b in scenario.benchmarks]
    if scenario.impact_assessments:
        data["impact_assessments"] = [_without_defaults(a) for a in scenario.impact_assessments]
    return data


def check_scenario(scenario: Scenario, source: SourceMap | None = None,
                   file: str | None = None) -> list[Problem]:
    """Problems of a schema-valid scenario against its dataset (empty = fine)."""
    return _DataChecker(scenario, source or SourceMap(), file).run()


# ---------------------------------------------------------------- loading
def _load(path: Path, *, check_data: bool, resolve_baseline: bool,
          policy: PathPolicy) -> Scenario:
    data, source = read_scenario_data(path, policy=policy)
    return _finish(data, source, str(path), path, check_data=check_data,
                   resolve_baseline=resolve_baseline, policy=policy)


def _finish(data: dict, source: SourceMap, name: str, path: Path, *, check_data: bool,
            resolve_baseline: bool, policy: PathPolicy) -> Scenario:
    refresh_step_types()
    data = dict(data)
    data.setdefault("name", path.stem)
    problems: list[Problem] = []
    baseline_file = data.get("baseline")
    if resolve_baseline and isinstance(baseline_file, str):
        try:
            data["baseline"] = _baseline_system(baseline_file, data, source, name, check_data,
                                                policy)
        except ScenarioError as error:
            problems.extend(error.problems)
            data.pop("baseline")
    non_finite = [_at(f"{written(value)} is not a finite number", name, source, path)
                  for path, value in _non_finite(data)]
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        found = _validation_problems(error, data, source, name)
        reported = {p.path for p in problems + found}  # the schema's message names the range
        problems.extend(found + [p for p in non_finite if p.path not in reported])
        raise ScenarioError(problems) from None
    problems.extend(non_finite)
    if problems:
        raise ScenarioError(problems)
    if check_data:
        problems = check_scenario(scenario, source, name)
        if problems:
            raise ScenarioError(problems)
    return scenario


def _baseline_system(file: str, data: dict, source: SourceMap, name: str,
                     check_data: bool, policy: PathPolicy) -> SystemSpec:
    mark = source.value(("baseline",))
    written_in = mark.file if mark else name
    try:
        target = policy.resolve(file, written_in, "baseline")
    except PathRefused as error:
        raise ScenarioError(_at(str(error), name, source, ("baseline",))) from None
    if policy.text is None and target.resolve() == Path(written_in).resolve():
        raise ScenarioError(_at("a scenario cannot be its own baseline", name, source,
                                ("baseline",)))
    baseline = _load(target, check_data=check_data, resolve_baseline=False, policy=policy)
    own = data.get("dataset", "uk_itl1")
    own_name = own.get("name", "uk_itl1") if isinstance(own, dict) else own
    if isinstance(own_name, str) and baseline.dataset.name != own_name:
        raise ScenarioError(_at(
            f"baseline {file!r} runs on dataset {baseline.dataset.name!r}, this scenario on "
            f"{own_name!r}; a baseline must use the same dataset", name, source, ("baseline",)))
    return baseline.system()


# ---------------------------------------------------------------- errors
def _non_finite(data: Any, path: tuple = ()) -> Iterable[tuple[tuple, float]]:
    """Every ``.inf`` or ``.nan`` in the data: no parameter may be infinite or undefined."""
    if isinstance(data, float) and not math.isfinite(data):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _non_finite(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _non_finite(value, path + (index,))


def _at(message: str, file: str | None, source: SourceMap, path: tuple,
        mark=None, key: bool = False) -> Problem:
    mark = mark or (source.key(path) if key else source.value(path))
    return Problem(message, file=mark.file if mark else file,
                   line=mark.line if mark else None, column=mark.column if mark else None,
                   path=format_path(path))


_TYPE_WORDS = {
    "float": "a number", "int": "a whole number", "string": "text", "bool": "true or false",
    "dict": "a mapping (key: value)", "model": "a mapping (key: value)",
    "list": "a list", "tuple": "a list", "literal": "one of the allowed values",
}


def _validation_problems(error: ValidationError, data: dict, source: SourceMap,
                         file: str) -> list[Problem]:
    schema = scenario_json_schema()
    grouped: dict[tuple, list[dict]] = {}
    for item in error.errors(include_url=False):
        path, anchor = _data_path(item, data)
        grouped.setdefault((path, anchor), []).append(item)
    # A union whose branches fail at different depths (``need_index``: text, or a
    # mapping with a bad value): the deeper failure is the one the author meant.
    paths = [path for path, _ in grouped]
    for key in list(grouped):
        deeper = any(len(other) > len(key[0]) and other[:len(key[0])] == key[0] for other in paths)
        if deeper and all(item["type"].endswith("_type") for item in grouped[key]):
            del grouped[key]
    problems = []
    for (path, anchor), items in grouped.items():
        message = _message(items, schema, data, path)
        key = items[0]["type"] in ("extra_forbidden",)
        problems.append(_at(message, file, source, anchor if anchor is not None else path,
                            key=key))
    return problems


def _data_path(item: dict, data: Any) -> tuple[tuple, tuple | None]:
    """Map a pydantic error location onto the written data.

    Union branch names and discriminator tags in the location are skipped;
    returns the field path to show, and the path whose mark to use (None =
    the same) -- a missing field is marked at its parent.
    """
    path: list = []
    current = data
    loc = item["loc"]
    for i, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif item["type"] == "missing" and i == len(loc) - 1:
            return tuple(path) + (part,), tuple(path)
    if item["type"] in ("union_tag_invalid", "union_tag_not_found") and isinstance(current, dict):
        if "type" in current:
            return tuple(path) + ("type",), None
    return tuple(path), None


def _message(items: list[dict], schema: dict, data: Any, path: tuple) -> str:
    item = items[0]
    kind = item["type"]
    loc = item["loc"]
    value = item.get("input")
    node = _schema_at(schema, loc)
    if kind == "extra_forbidden":
        allowed = _properties(schema, _schema_at(schema, loc[:-1]))
        key = str(loc[-1])
        message = f"unknown key {key!r}"
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            message += f"; did you mean {close[0]!r}?"
        if allowed:
            message += f"{' A' if close else '; a'}llowed keys: {', '.join(allowed)}"
        return message
    if kind == "missing":
        return f"required key {str(loc[-1])!r} is missing"
    if kind == "union_tag_invalid":
        return _unknown_step_message(item["ctx"]["tag"])
    if kind == "union_tag_not_found":
        return f"a step needs a 'type'; known step types: {', '.join(STEP_TYPES)}"
    if kind == "literal_error":
        if path and path[-1] == "type" and len(path) >= 3 and path[-3] == "steps":
            return _unknown_step_message(value)
        allowed = _enum(node) or _literal_values(item)
        message = f"{value!r} is not allowed; allowed: {', '.join(map(repr, allowed))}"
        close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.6)
        if close:
            message += f"; did you mean {close[0]!r}?"
        return message
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return _range_message(value, item.get("ctx", {}), node)
    if kind in ("string_too_short", "string_too_long"):
        return item["msg"].replace("String should", "text must")
    if kind in ("value_error", "assertion_error"):
        return item["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    expected = []
    for each in items:
        word = _TYPE_WORDS.get(each["type"].split("_")[0])
        if word is None:
            return each["msg"].removeprefix("Value error, ")
        if each["type"] in ("literal_error",):
            continue
        if word not in expected:
            expected.append(word)
    return f"expected {' or '.join(expected)}, got {_describe(value)}"


def _unknown_step_message(tag: Any) -> str:
    known = list(STEP_TYPES)
    message = f"unknown step type {tag!r}"
    close = difflib.get_close_matches(str(tag), known, n=1, cutoff=0.5)
    if close:
        message += f"; did you mean {close[0]!r}?"
    return message + f"{' K' if close else '; k'}nown step types: {', '.join(known)}"


def _range_message(value: Any, ctx: dict, node: dict | None) -> str:
    low, high, unit = _bounds(node)
    for name, bound in ctx.items():
        if name in ("ge", "gt"):
            low = (bound, name == "gt")
        elif name in ("le", "lt"):
            high = (bound, name == "lt")
    if low is not None and high is not None and not low[1] and not high[1]:
        message = f"{_num(value)} is out of range; allowed: {_num(low[0])} to {_num(high[0])}"
        return message + (f" ({unit})" if unit else "")
    parts = []
    if low is not None:
        parts.append(f"{'>' if low[1] else '>='} {_num(low[0])}")
    if high is not None:
        parts.append(f"{'<' if high[1] else '<='} {_num(high[0])}")
    message = f"{_num(value)} is out of range; allowed: {' and '.join(parts)}"
    if unit:
        message += f" ({unit})"
    return message


def _bounds(node: dict | None) -> tuple[tuple | None, tuple | None, str | None]:
    if not node:
        return None, None, None
    low = high = None
    unit = node.get("unit")
    for branch in [node] + list(node.get("anyOf", [])):
        if "minimum" in branch:
            low = (branch["minimum"], False)
        if "exclusiveMinimum" in branch:
            low = (branch["exclusiveMinimum"], True)
        if "maximum" in branch:
            high = (branch["maximum"], False)
        if "exclusiveMaximum" in branch:
            high = (branch["exclusiveMaximum"], True)
        unit = unit or branch.get("unit")
    return low, high, unit


def _num(value: Any) -> str:
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"{value} (a number)"
    if isinstance(value, str):
        return f"{value!r} (text)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "null"
    return f"{value!r}"


def _literal_values(item: dict) -> list[str]:
    expected = item.get("ctx", {}).get("expected", "")
    return [part.strip(" '") for part in expected.replace(" or ", ", ").split(",") if part.strip()]


# -- walking the JSON Schema along an error location
def _resolve(schema: dict, node: Any) -> Any:
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        extra = {k: v for k, v in node.items() if k != "$ref"}
        node = {**schema["$defs"][node["$ref"].split("/")[-1]], **extra}
        seen += 1
    return node


def _child(schema: dict, node: dict, part: Any) -> Any:
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return None
    if isinstance(part, int):
        if "items" in node:
            return node["items"]
    elif part in node.get("properties", {}):
        return node["properties"][part]
    mapping = node.get("discriminator", {}).get("mapping", {})
    if part in mapping:
        return {"$ref": mapping[part]}
    for branch in node.get("anyOf", []) + node.get("oneOf", []):
        found = _child(schema, branch, part)
        if found is not None:
            return found
    if isinstance(part, str) and isinstance(node.get("additionalProperties"), dict):
        return node["additionalProperties"]
    return None


def _schema_at(schema: dict, loc: Iterable) -> dict | None:
    node: Any = schema
    for part in loc:
        found = _child(schema, node, part)
        if found is not None:  # else: a union branch name; stay
            node = found
    return _resolve(schema, node)


def _properties(schema: dict, node: dict | None) -> list[str]:
    if not node:
        return []
    names = list(node.get("properties", {}))
    for branch in node.get("anyOf", []) + node.get("oneOf", []):
        names += [n for n in _properties(schema, _resolve(schema, branch)) if n not in names]
    return names


def _enum(node: dict | None) -> list:
    if not node:
        return []
    for branch in [node] + list(node.get("anyOf", [])):
        if "enum" in branch:
            return list(branch["enum"])
        if "const" in branch:
            return [branch["const"]]
    return []


# ---------------------------------------------------------------- dataset checks
class _DataChecker:
    """Names in a scenario checked against its dataset."""

    def __init__(self, scenario: Scenario, source: SourceMap, file: str | None):
        self.scenario, self.source, self.file = scenario, source, file
        self.problems: list[Problem] = []

    def add(self, message: str, *path: Any, key: bool = False) -> None:
        self.problems.append(_at(message, self.file, self.source, tuple(path), key=key))

    def run(self) -> list[Problem]:
        from ..data import DATASETS, list_datasets

        scenario = self.scenario
        datasets = list_datasets()
        name = scenario.dataset.name
        if name not in datasets:
            self.add(_unknown("dataset", name, list(datasets)), "dataset", "name")
            return self.problems
        loader = DATASETS[name][1]
        self._check_options(loader)
        if self.problems:
            return self.problems
        federation = self._load_federation()
        if federation is None:
            return self.problems
        self._check_system(scenario, federation, ())
        if isinstance(scenario.baseline, SystemSpec):
            self._check_system(scenario.baseline, federation, ("baseline",))
        if scenario.projection is not None:
            self._check_projection()
        if getattr(scenario, "impact_assessments", None):
            self._check_impact_assessments()
        if not self.problems:
            self._dry_run()
        return self.problems

    def _check_projection(self) -> None:
        """The projection against every published year: years, window, region codes."""
        from ..data import load_federation

        dataset = self.scenario.dataset
        try:
            observed = load_federation(dataset.name, **dataset.options)
        except (SimulatorError, ValueError, TypeError) as error:
            self.add(f"the dataset's years cannot be loaded for the projection: {error}",
                     "projection")
            return
        _, faults = projection_faults(self.scenario, observed)
        for path, message, key in faults:  # a missing key is marked at its parent
            self.add(message, *path, key=key)

    def _check_impact_assessments(self) -> None:
        """Each assessment against every published year: its tax family, its year, and
        one computation (a function without regional spending for these regions fails)."""
        from ..analysis.impact import assess, impact_year
        from ..data import load_federation

        dataset = self.scenario.dataset
        try:
            observed = load_federation(dataset.name, **dataset.options)
        except (SimulatorError, ValueError, TypeError):
            return  # reported when the dataset is loaded for the run
        default = impact_year(self.scenario, observed)
        for index, assessment in enumerate(self.scenario.impact_assessments):
            at = ("impact_assessments", index)
            if assessment.tax is not None and assessment.tax not in observed.taxes:
                self.add(_unknown("tax family", assessment.tax, observed.taxes), *at, "tax")
                continue
            if assessment.year is not None and assessment.year not in observed.years:
                self.add(f"year {assessment.year!r} is not a published year of dataset "
                         f"{dataset.name!r} ({observed.years[0]} to {observed.years[-1]})",
                         *at, "year")
                continue
            try:
                assess(observed, assessment, default)
            except (SimulatorError, ValueError, KeyError) as error:
                self.add(f"the assessment cannot be made: {error}", *at)

    def _check_options(self, loader) -> None:
        try:
            parameters = inspect.signature(loader).parameters
        except (TypeError, ValueError):  # pragma: no cover - builtins
            return
        known = [n for n, p in parameters.items()
                 if n != "year" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
        if not known and any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
            return  # a loader that takes any option checks them itself
        for option in self.scenario.dataset.options:
            if option not in known:
                self.add(_unknown(f"option of dataset {self.scenario.dataset.name!r}", option,
                                  known), "dataset", "options", option, key=True)

    def _load_federation(self):
        from ..data import load_federation

        dataset = self.scenario.dataset
        try:
            return load_federation(dataset.name, year=self.scenario.year, **dataset.options)
        except SimulatorError as error:
            year = getattr(error, "year", None)
            if year is not None and self.scenario.year is not None:
                self.add(f"{error}", "year")
            else:
                self.add(f"dataset cannot be loaded with these options: {error}",
                         "dataset", "options" if self.scenario.dataset.options else "name")
        except (ValueError, TypeError) as error:
            self.add(f"dataset cannot be loaded with these options: {error}", "dataset")
        return None

    def _check_system(self, system: SystemSpec, federation, at: tuple) -> None:
        for tax, assignment in system.devolution.items():
            if tax not in federation.taxes:
                self.add(_unknown("tax family", tax, federation.taxes),
                         *at, "devolution", tax, key=True)
            elif isinstance(assignment.rate_change, dict):
                for code in assignment.rate_change:
                    if code not in federation.codes:
                        self.add(_unknown("region code", code, federation.codes),
                                 *at, "devolution", tax, "rate_change", code, key=True)
            if tax in federation.taxes:
                for code in assignment.schedules:  # income-tax schedules by region
                    if code not in federation.codes:
                        self.add(_unknown("region code", code, federation.codes),
                                 *at, "devolution", tax, "schedules", code, key=True)
        indicators = sorted(federation.indicators)
        for field in ("block_grant", "need_index"):
            value = getattr(system, field)
            if isinstance(value, str) and value not in federation.indicators:
                self.add(_unknown("indicator", value, indicators), *at, field)
        unit_problem = block_grant_unit_problem(system.block_grant, dict(federation.units))
        if unit_problem:  # a per-head figure where a total is expected
            self.add(unit_problem, *at, "block_grant")
        if isinstance(system.need_index, str) and system.need_index in federation.indicators:
            need = np.asarray(federation.indicators[system.need_index], float)
            if (need < 0).any() or not (np.nan_to_num(need) > 0).any(axis=-1).all():
                self.add(f"need index {system.need_index!r} must be >= 0 and not all 0 in any "
                         "year (it is rescaled to a population-weighted mean of 1); it has "
                         + ("negative values" if (need < 0).any() else "a year of zeros"),
                         *at, "need_index")
        if isinstance(system.need_index, dict):
            for code in system.need_index:
                if code not in federation.codes:
                    self.add(_unknown("region code", code, federation.codes),
                             *at, "need_index", code, key=True)
            missing = [c for c in federation.codes if c not in system.need_index]
            if missing:
                self.add(f"an inline need index needs a value for every region; missing: "
                         f"{', '.join(missing)}", *at, "need_index")
        for index, step in enumerate(system.steps):
            for name, info in type(step).model_fields.items():
                value = getattr(step, name)
                if isinstance(value, dict) and "region" in (info.description or "").lower():
                    for code in value:
                        if code not in federation.codes:
                            self.add(_unknown("region code", code, federation.codes),
                                     *at, "steps", index, name, code, key=True)
            for field_path, codes in _region_lists(step.model_dump()):
                for position, code in enumerate(codes):
                    if code not in federation.codes:
                        self.add(_unknown("region code", code, federation.codes),
                                 *at, "steps", index, *field_path, position)

    def _dry_run(self) -> None:
        """Run the scenario once; a failing step is named by its position."""

        try:
            federation = scenario_federation(self.scenario)
        except SimulatorError as error:
            self.add(f"the dataset cannot be prepared: {error}")
            return
        try:
            run_on(self.scenario, federation)
        except SimulatorError as error:
            failure = error
        else:
            self._dry_run_projection()
            if not self.problems:
                self._dry_run_roadmap()
            if not self.problems:
                self._check_benchmark_years()
            return
        steps = list(self.scenario.steps)
        for index in range(len(steps)):
            try:
                run_on(self.scenario.model_copy(update={"steps": steps[:index + 1]}), federation)
            except SimulatorError as error:
                self.add(f"this step cannot run: {error}", "steps", index)
                return
        self.add(f"the scenario does not run: {failure}")

    def _dry_run_projection(self) -> None:
        """Run the projection once; a failure is reported at ``projection``."""

        if self.scenario.projection is None:
            return
        try:
            run_projection(self.scenario)
        except ScenarioError as error:
            mark = self.source.value(("projection",))
            self.problems.extend(Problem(p.message, file=mark.file if mark else self.file,
                                         line=mark.line if mark else None,
                                         column=mark.column if mark else None,
                                         path=p.path or "projection") for p in error.problems)
        except SimulatorError as error:
            self.add(f"the projection does not run: {error}", "projection")


    def _check_benchmark_years(self) -> None:
        """A fiscal benchmark's year must be a year the scenario runs."""
        from ..benchmarks import MEASURES
        from .running import run_scenario

        wanted = [(i, b) for i, b in enumerate(getattr(self.scenario, "benchmarks", []))
                  if b.year is not None and MEASURES[b.measure].kind == "fiscal"]
        if not wanted:
            return
        quick = self.scenario
        if getattr(quick, "roadmap", None) is not None:
            quick = quick.model_copy(update={"roadmap": quick.roadmap.model_copy(
                update={"draws": 0})})
        try:
            years = list(run_scenario(quick).federation.years)
        except SimulatorError:
            return  # reported by the dry runs
        for index, bench in wanted:
            if bench.year not in years:
                self.add(f"year {bench.year!r} is not a year the scenario runs ({years[0]} to "
                         f"{years[-1]})", "benchmarks", index, "year")

    def _dry_run_roadmap(self) -> None:
        """Run the roadmap once (without draws); a failure is reported at its stage."""
        from .roadmap import run_roadmap

        roadmap = getattr(self.scenario, "roadmap", None)
        if roadmap is None:
            return
        quick = self.scenario.model_copy(update={"roadmap": roadmap.model_copy(
            update={"draws": 0})})
        try:
            run_roadmap(quick)
        except ScenarioError as error:
            for p in error.problems:
                parts = tuple(int(x) if x.isdigit() else x
                              for x in p.path.replace("[", ".").replace("]", "").split(".")
                              if x) if p.path else ("roadmap",)
                self.add(p.message, *parts)
        except SimulatorError as error:
            self.add(f"the roadmap does not run: {error}", "roadmap")


def _region_lists(data: Any, path: tuple = ()) -> Iterable[tuple[tuple, list[str]]]:
    """Every ``regions: [codes]`` inside a step's parameters."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "regions" and isinstance(value, (list, tuple)) \
                    and all(isinstance(v, str) for v in value):
                yield path + (key,), list(value)
            else:
                yield from _region_lists(value, path + (key,))


def _without_defaults(model) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_defaults=True)


def _system_data(system: SystemSpec) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if system.devolution:
        data["devolution"] = _devolution_data(system.devolution)
    for field in ("block_grant", "block_grant_adjustment", "need_index"):
        value = getattr(system, field)
        if value != SystemSpec.model_fields[field].default:
            data[field] = dict(value) if isinstance(value, dict) else value
    if system.steps:
        data["steps"] = [_step_data(step) for step in system.steps]
    return data


def _devolution_data(devolution) -> dict[str, Any]:
    return {tax: (assignment.share if set(_without_defaults(assignment)) <= {"share"}
                  else _without_defaults(assignment))
            for tax, assignment in devolution.items()}


def _roadmap_data(roadmap) -> dict[str, Any]:
    data = {k: v for k, v in _without_defaults(roadmap).items() if k != "stages"}
    stages = []
    for stage in roadmap.stages:
        item: dict[str, Any] = {"year": stage.year}
        if stage.devolution:
            item["devolution"] = _devolution_data(stage.devolution)
        if stage.block_grant_adjustment is not None:
            item["block_grant_adjustment"] = stage.block_grant_adjustment
        if stage.steps is not None:
            item["steps"] = [_step_data(step) for step in stage.steps]
        stages.append(item)
    return {"stages": stages, **data}


def _step_data(step) -> dict[str, Any]:
    """A step without its defaults, ``type`` first; nested steps (a wrapper's ``step``) alike."""
    from ..steps import Step

    data = {"type": step.type}
    for name, value in _without_defaults(step).items():
        if name != "type":
            inner = getattr(step, name)
            data[name] = _step_data(inner) if isinstance(inner, Step) else value
    return data
