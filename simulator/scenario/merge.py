"""Reforms as diffs: ``extends: base.yaml`` deep-merged over its base.

Merge rules (documented for scenario authors):

- mappings merge key by key, recursively (``devolution``, ``dataset``...);
- lists are replaced whole: a reform that changes one step restates ``steps``;
- a key set to ``null`` in the reform is removed, so it falls back to its default;
- ``name`` and ``description`` are never inherited (a reform says what it is;
  ``name`` defaults to the reform's file name);
- ``extends`` is relative to the file that contains it; chains are allowed
  (at most :data:`MAX_EXTENDS_DEPTH` deep) and cycles are reported by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import Problem, ScenarioError
from .paths import PathPolicy, PathRefused
from .yaml_source import SourceMap, read_yaml

__all__ = ["deep_merge", "extend", "read_scenario_data", "MAX_EXTENDS_DEPTH", "NOT_INHERITED"]

MAX_EXTENDS_DEPTH = 8
NOT_INHERITED = ("name", "description")


def deep_merge(base: Any, diff: Any, source: SourceMap | None = None,
               path: tuple = ()) -> Any:
    """``diff`` merged over ``base`` (neither is modified).

    ``source`` (the base's marks, updated in place) loses the marks of every
    value the diff replaces or removes; the caller then adds the diff's marks.
    """
    if not (isinstance(base, dict) and isinstance(diff, dict)):
        if source is not None:
            source.drop(path)
        return diff
    merged = dict(base)
    for key, value in diff.items():
        if value is None:
            merged.pop(key, None)
            if source is not None:
                source.drop(path + (key,))
        elif key in merged:
            merged[key] = deep_merge(merged[key], value, source, path + (key,))
        else:
            merged[key] = value
    return merged


def read_scenario_data(path: str | Path, chain: tuple[Path, ...] = (),
                       shown: tuple[str, ...] = (),
                       policy: PathPolicy | None = None) -> tuple[dict, SourceMap]:
    """Read a scenario file and every file it ``extends``; return merged data and marks.

    ``policy`` says where an ``extends`` may lead (default: next to ``path`` and
    the library, see :mod:`simulator.scenario.paths`)."""
    path = Path(path)
    name = str(path)
    policy = policy or PathPolicy.for_file(path)
    data, source = read_yaml(path, name)
    if data is None:
        raise ScenarioError(Problem("the file is empty; a scenario is a mapping of keys "
                                    "such as name, dataset, devolution, steps", file=name))
    if not isinstance(data, dict):
        mark = source.value(())
        raise ScenarioError(Problem(
            f"a scenario must be a mapping of keys (name, dataset, devolution, steps...), "
            f"not a {_kind(data)}", file=name, line=mark.line if mark else None,
            column=mark.column if mark else None))
    if "extends" not in data:
        return data, source
    extends = data.pop("extends")
    mark = source.value(("extends",))
    here = dict(file=name, line=mark.line if mark else None,
                column=mark.column if mark else None, path="extends")
    if not isinstance(extends, str) or not extends.strip():
        raise ScenarioError(Problem(f"expected a file name (relative to this file), got "
                                    f"{extends!r}", **here))
    try:
        base_path = policy.resolve(extends, name, "extends")
    except PathRefused as error:
        raise ScenarioError(Problem(str(error), **here)) from None
    resolved = path.resolve()
    visited = chain + (resolved,)
    names = shown + (name,)
    if base_path.resolve() in visited:
        start = visited.index(base_path.resolve())
        cycle = " -> ".join(Path(n).name for n in names[start:] + (str(base_path),))
        raise ScenarioError(Problem(f"extends cycle: {cycle}", **here))
    if len(visited) > MAX_EXTENDS_DEPTH:
        raise ScenarioError(Problem(
            f"extends chain is more than {MAX_EXTENDS_DEPTH} files deep", **here))
    return extend(*read_scenario_data(base_path, visited, names, policy), data, source)


def extend(base: dict, base_source: SourceMap, diff: dict,
           diff_source: SourceMap) -> tuple[dict, SourceMap]:
    """``diff`` deep-merged over ``base`` (its name and description not inherited),
    with the marks of both files (``diff``'s win)."""
    for key in NOT_INHERITED:
        base.pop(key, None)
        base_source.drop((key,))
    merged = deep_merge(base, diff, base_source)
    base_source.update(diff_source)
    return merged, base_source


def _kind(value: Any) -> str:
    return {list: "list", str: "text", int: "number", float: "number",
            bool: "true/false"}.get(type(value), type(value).__name__)
