"""Read YAML with ``yaml.safe_load`` semantics, keeping where each value came from.

The document is composed with PyYAML's ``SafeLoader`` (so only plain YAML
types: no Python objects) and walked here, which records the line and column
of every key and value by field path.  Guards against hostile files:

- files over :data:`MAX_FILE_BYTES` are refused before parsing;
- at most :data:`MAX_ALIASES` aliases (``*name``) per file, and at most
  :data:`MAX_NODES` values after expanding aliases and merge keys, so an
  alias bomb ("billion laughs") is refused rather than expanded;
- at most :data:`MAX_DEPTH` levels of nested lists and mappings (PyYAML
  composes recursively: 5,000 levels would end in a RecursionError);
- duplicate keys are errors (``safe_load`` would silently keep the last).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, ScenarioError, format_path

__all__ = ["Mark", "SourceMap", "read_yaml", "parse_yaml",
           "MAX_FILE_BYTES", "MAX_ALIASES", "MAX_NODES", "MAX_DEPTH"]

MAX_FILE_BYTES = 256 * 1024
MAX_ALIASES = 32
MAX_NODES = 100_000
#: Nesting depth of lists and mappings (a scenario needs about 6).
MAX_DEPTH = 64

Path_ = tuple  # a field path: keys and list indices

_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass(frozen=True)
class Mark:
    """A 1-based position in a file."""

    file: str
    line: int
    column: int


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a document was written."""

    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)

    def value(self, path: Path_) -> Mark | None:
        """Mark of the value at ``path``, else of its nearest written ancestor."""
        path = tuple(path)
        while True:
            if path in self.values:
                return self.values[path]
            if not path:
                return None
            path = path[:-1]

    def key(self, path: Path_) -> Mark | None:
        """Mark of the key that names ``path`` (falls back to the value's mark)."""
        return self.keys.get(tuple(path)) or self.value(path)

    def drop(self, prefix: Path_) -> None:
        """Forget every mark at or below ``prefix`` (a replaced value)."""
        n = len(prefix)
        for table in (self.values, self.keys):
            for path in [p for p in table if p[:n] == prefix]:
                del table[path]

    def update(self, other: "SourceMap", prefix: Path_ = ()) -> None:
        for path, mark in other.values.items():
            self.values[prefix + path] = mark
        for path, mark in other.keys.items():
            self.keys[prefix + path] = mark


class _CountingLoader(yaml.SafeLoader):
    """SafeLoader that refuses more than MAX_ALIASES aliases."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.aliases = 0
        self.depth = 0

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Refused(
                    f"more than {MAX_ALIASES} YAML aliases (*name); scenario files may not "
                    "expand anchors this often", self.peek_event().start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Refused(f"lists and mappings nested more than {MAX_DEPTH} deep; a "
                               "scenario needs only a few levels", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Refused(Exception):
    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.message, self.mark = message, mark


def read_yaml(path: str | Path, display_name: str | None = None) -> tuple[Any, SourceMap]:
    """Read one YAML file; return its data and source map.

    Raises:
        ScenarioError: unreadable, too large, not UTF-8, bad syntax, alias
            bomb or duplicate keys, each with file, line and column.
    """
    path = Path(path)
    name = display_name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(Problem(
                f"file is {size / 1024:.0f} KiB; scenario files are limited to "
                f"{MAX_FILE_BYTES // 1024} KiB", file=name))
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(Problem("file not found", file=name)) from None
    except IsADirectoryError:
        raise ScenarioError(Problem("is a directory, not a scenario file", file=name)) from None
    except OSError as error:
        raise ScenarioError(Problem(f"cannot read file: {error.strerror}", file=name)) from None
    if len(raw) > MAX_FILE_BYTES:  # grew while reading
        raise ScenarioError(Problem(
            f"file is over the {MAX_FILE_BYTES // 1024} KiB limit for scenario files", file=name))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError(Problem(
            f"file is not UTF-8 text (byte {error.start})", file=name)) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str = "<string>") -> tuple[Any, SourceMap]:
    """Parse YAML text (``safe_load`` semantics); return data and source map."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ScenarioError(Problem(
            f"text is over the {MAX_FILE_BYTES // 1024} KiB limit for scenario files", file=name))
    try:
        loader = _CountingLoader(text)
    except yaml.reader.ReaderError as error:
        raise ScenarioError(_reader_problem(error, text, name)) from None
    try:
        node = loader.get_single_node()
        builder = _Builder(loader, name)
        data = builder.build(node, ()) if node is not None else None
    except _Refused as error:
        raise ScenarioError(_problem_at(error.message, name, error.mark)) from None
    except yaml.MarkedYAMLError as error:
        raise ScenarioError(_yaml_problem(error, name)) from None
    except yaml.reader.ReaderError as error:
        raise ScenarioError(_reader_problem(error, text, name)) from None
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML raises marked errors
        raise ScenarioError(Problem(f"YAML error: {error}", file=name)) from None
    finally:
        loader.dispose()
    if builder_problems := (builder.problems if node is not None else []):
        raise ScenarioError(builder_problems)
    return data, (builder.source if node is not None else SourceMap())


def _problem_at(message: str, name: str, mark: Any) -> Problem:
    if mark is None:
        return Problem(message, file=name)
    return Problem(message, file=name, line=mark.line + 1, column=mark.column + 1)


def _reader_problem(error: yaml.reader.ReaderError, text: str, name: str) -> Problem:
    """A character YAML cannot hold (e.g. NUL), with its line and column."""
    before = text[: max(0, error.position)]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    character = error.character if isinstance(error.character, str) else chr(error.character)
    return Problem(f"YAML cannot contain the character {character!r} (code point "
                   f"U+{ord(character):04X}); remove it", file=name, line=line, column=column)


def _yaml_problem(error: yaml.MarkedYAMLError, name: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    parts = [p for p in (error.context, error.problem) if p]
    message = "YAML syntax error: " + (", ".join(parts) if parts else "invalid YAML")
    if error.context_mark is not None and error.problem_mark is not None \
            and error.context_mark.line != error.problem_mark.line:
        message += f" (the construct began on line {error.context_mark.line + 1})"
    return _problem_at(message, name, mark)


class _Builder:
    """Turn composed nodes into plain data, recording marks by path."""

    def __init__(self, loader: _CountingLoader, name: str):
        self.loader = loader
        self.name = name
        self.source = SourceMap()
        self.problems: list[Problem] = []
        self.nodes = 0

    def mark(self, node: yaml.Node) -> Mark:
        return Mark(self.name, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(f"more than {MAX_NODES} values after expanding YAML aliases; "
                           "refusing a possible alias bomb", node.start_mark)
        self.source.values[path] = self.mark(node)
        if isinstance(node, yaml.ScalarNode):
            try:
                return self.loader.construct_object(node)
            except yaml.constructor.ConstructorError:
                return self.refuse_tag(node, path)
        if node.tag not in _PLAIN_COLLECTION_TAGS:
            return self.refuse_tag(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self.build_mapping(node, path)

    def refuse_tag(self, node: yaml.Node, path: Path_) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.problems.append(Problem(
            f"YAML tag {tag!r} is not allowed in scenario files (plain YAML only)",
            file=self.name, line=node.start_mark.line + 1, column=node.start_mark.column + 1,
            path=format_path(path)))

    def build_mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        merged: dict = {}
        explicit: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self.merge_into(merged, value_node, path)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(_problem_at(
                    "a mapping key must be a plain value, not a list or mapping",
                    self.name, key_node.start_mark))
                continue
            key = self.loader.construct_object(key_node)
            if isinstance(key, (int, float)) and not isinstance(key, bool):
                key = str(key_node.value)  # keys are names; keep what was typed
            elif not isinstance(key, str):
                key = str(key_node.value)
            if key in explicit:
                first = explicit[key]
                self.problems.append(Problem(
                    f"duplicate key {key!r} (first given on line {first.line})", file=self.name,
                    line=key_node.start_mark.line + 1, column=key_node.start_mark.column + 1,
                    path=format_path(path + (key,))))
                continue
            explicit[key] = self.mark(key_node)
            self.source.keys[path + (key,)] = explicit[key]
            merged.pop(key, None)
            merged[key] = self.build(value_node, path + (key,))
        return merged

    def merge_into(self, merged: dict, value_node: yaml.Node, path: Path_) -> None:
        """YAML merge key ``<<: *base`` (or a list of them): earlier sources win."""
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                self.problems.append(_problem_at(
                    "a merge key (<<) needs a mapping or a list of mappings", self.name,
                    source.start_mark))
                continue
            for key, value in self.build_mapping(source, path).items():
                merged.setdefault(key, value)

