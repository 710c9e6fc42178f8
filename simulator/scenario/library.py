"""The scenario library: the YAML files in ``scenarios/`` beside the package."""

from __future__ import annotations

from pathlib import Path

__all__ = ["library_dir", "library_scenarios"]

_PACKAGE = Path(__file__).resolve().parents[1]  # simulator/


def library_dir() -> Path | None:
    """The library folder: ``scenarios/`` in the source tree (or packaged inside
    ``simulator/scenarios/``); None if neither exists."""
    for candidate in (_PACKAGE.parent / "scenarios", _PACKAGE / "scenarios"):
        if candidate.is_dir():
            return candidate
    return None


def library_scenarios() -> dict[str, Path]:
    """Library scenario name (file stem) -> path, sorted by name."""
    folder = library_dir()
    if folder is None:
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}
