"""Scenario problems: one readable message each, with file, line, column and field."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..errors import SimulatorError

__all__ = ["Problem", "ScenarioError", "format_path", "unknown_name"]


def format_path(path: Sequence[str | int]) -> str:
    """``("steps", 0, "rate")`` -> ``"steps[0].rate"``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def unknown_name(what: str, value: str, known: Iterable[str]) -> str:
    """``unknown region code 'X'; did you mean 'Y'? Known: ...`` (loading and running
    both name unknown things this way)."""
    known = list(known)
    message = f"unknown {what} {value!r}"
    close = difflib.get_close_matches(str(value), known, n=1, cutoff=0.6)
    if close:
        message += f"; did you mean {close[0]!r}?"
    if known:
        message += f"{' K' if close else '; k'}nown: {', '.join(known)}"
    return message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario.

    Attributes:
        message: what is wrong and what is allowed instead.
        file: the file at fault (None for a scenario built in Python).
        line, column: 1-based position in ``file`` (None when unknown).
        path: field path such as ``"steps[0].rate"`` ("" for the whole file).
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        where = self.file or "<scenario>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    @property
    def sort_key(self) -> tuple:
        return (self.file or "", self.line or 0, self.column or 0, self.path)


class ScenarioError(SimulatorError, ValueError):
    """A scenario that cannot be loaded or run; ``problems`` lists every fault found."""

    def __init__(self, problems: Iterable[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = sorted(problems, key=lambda p: p.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))
