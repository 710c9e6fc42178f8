"""Which files a scenario may name in ``extends:`` and ``baseline:``.

A scenario file (the command line, :func:`~simulator.scenario.load_scenario`)
may name files next to it and in the scenario library (``scenarios/``), found
in that order.  A name that leads outside both folders (an absolute path,
``../``, a symbolic link pointing elsewhere) is refused unless the caller
allows it (``fiscalsim --allow-outside-paths``, ``load_scenario(...,
allow_outside_paths=True)``).

Text without a file (the app's editor and uploads,
:func:`~simulator.scenario.parse_scenario`) may name only a library scenario
by its bare file name (``status_quo`` or ``status_quo.yaml``): no folder, no
path, and the uploader's file name plays no part.  The answer for anything
else is the same whether or not such a file exists (no "not found" oracle),
and no other file is opened, so none of its keys or values can be echoed.
"""

from __future__ import annotations

import contextlib
import contextvars
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

__all__ = ["PathPolicy", "PathRefused", "outside_paths_allowed", "allow_outside_paths"]

_ALLOW_OUTSIDE: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "fiscalsim_allow_outside_paths", default=False)


def outside_paths_allowed() -> bool:
    """Whether the current call may follow names outside the allowed folders."""
    return _ALLOW_OUTSIDE.get()


@contextlib.contextmanager
def allow_outside_paths(allowed: bool = True) -> Iterator[None]:
    """Within the block, loading follows ``extends``/``baseline`` names anywhere
    (the command line's ``--allow-outside-paths``)."""
    token = _ALLOW_OUTSIDE.set(allowed)
    try:
        yield
    finally:
        _ALLOW_OUTSIDE.reset(token)


class PathRefused(ValueError):
    """A name that may not be followed, with the reason."""


def _library() -> Path | None:
    from .library import library_dir

    folder = library_dir()
    return folder.resolve() if folder is not None else None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class PathPolicy:
    """Where referenced files may come from.

    Attributes:
        roots: folders (resolved) a followed name must stay inside.
        text: the display name of text that is not a file (an upload, the
            editor) -- names written in it must be bare library file names
            of ``roots[0]``; None for a file on disk.
        allow_outside: follow names outside ``roots`` (command-line opt-in).
    """

    roots: tuple[Path, ...]
    text: str | None = None
    allow_outside: bool = False

    @classmethod
    def for_file(cls, path: str | Path, allow_outside: bool | None = None) -> "PathPolicy":
        """A scenario file: its own folder and the library."""
        roots = [Path(path).resolve().parent]
        library = _library()
        if library is not None and library not in roots:
            roots.append(library)
        allowed = outside_paths_allowed() if allow_outside is None else allow_outside
        return cls(tuple(roots), None, allowed)

    @classmethod
    def for_text(cls, name: str, base_dir: str | Path | None = None) -> "PathPolicy":
        """Text without a file: names are files of ``base_dir`` (default: the library)."""
        folder = Path(base_dir).resolve() if base_dir is not None else _library()
        return cls((folder,) if folder is not None else (), name, False)

    def library_files(self) -> list[str]:
        if not self.roots or not self.roots[0].is_dir():
            return []
        return sorted(p.name for p in self.roots[0].glob("*.yaml"))

    def resolve(self, name: str, written_in: str | None, what: str) -> Path:
        """The file ``name`` (as written in ``written_in``, a file or this policy's
        text) refers to; raises :class:`PathRefused` saying why not."""
        if self.text is not None and (written_in is None or written_in == self.text):
            return self._library_name(name, what)
        base = Path(written_in).parent if written_in else Path(".")
        candidates = [base / name] + [root / name for root in self.roots]
        outside = None
        for candidate in candidates:
            resolved = candidate.resolve()
            if not self.allow_outside and not any(_inside(resolved, r) for r in self.roots):
                outside = outside or candidate
                continue
            if resolved.is_file():
                return candidate
        if self.text is not None:  # a library file naming something else: same answer
            raise PathRefused(self._not_library(name, what))
        if outside is not None:
            raise PathRefused(
                f"{what} {name!r} leads outside the scenario's folder and the scenario "
                f"library ({', '.join(str(r) for r in self.roots)}); pass "
                "--allow-outside-paths (load_scenario(..., allow_outside_paths=True)) to "
                "follow it")
        folders = [str(c.parent) for c in candidates]
        message = (f"{what} file {name!r} not found (looked in "
                   f"{', '.join(dict.fromkeys(folders))})")
        nearby = sorted(p.name for p in base.glob("*.y*ml")) if base.is_dir() else []
        close = difflib.get_close_matches(Path(name).name, nearby + self.library_files(), n=1)
        if close:
            message += f"; did you mean {close[0]!r}?"
        raise PathRefused(message)

    def _library_name(self, name: str, what: str) -> Path:
        files = self.library_files()
        wanted = name.strip()
        if Path(wanted).suffix == "":
            wanted += ".yaml"
        if wanted in files:  # a listed name: no folder part, no "..", nothing else
            return self.roots[0] / wanted
        raise PathRefused(self._not_library(name, what))

    def _not_library(self, name: str, what: str) -> str:
        files = self.library_files()
        message = (f"{name!r} is not a file of the scenario library; text without a file "
                   f"(an upload, the editor) can name a library scenario in {what} by its "
                   "file name only")
        bare = name.replace("\\", "/").rsplit("/", 1)[-1]
        close = difflib.get_close_matches(bare, files, n=1)
        if close:
            message += f"; did you mean {close[0]!r}?"
        elif files:
            message += f": {', '.join(files)}"
        return message
