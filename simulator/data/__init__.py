"""Built-in datasets: compact CSVs inside the package, each with its provenance.

Each dataset lives in its own folder (``simulator/data/<name>/``) with a
``PROVENANCE.md`` and a loader module registered in ``DATASETS``.
"""

from __future__ import annotations

from typing import Callable

from ..errors import UnknownDatasetError
from ..federation import Federation

__all__ = ["load_federation", "list_datasets", "DATASETS"]

#: dataset name -> (one-line description, loader(year=..., **options) -> Federation)
DATASETS: dict[str, tuple[str, Callable[..., Federation]]] = {}


def _register_builtins() -> None:
    try:
        from . import uk_itl1
    except ImportError:  # pragma: no cover - dataset module not built yet
        return
    DATASETS.setdefault("uk_itl1", (uk_itl1.DESCRIPTION, uk_itl1.load))


def list_datasets() -> dict[str, str]:
    """Built-in dataset names and one-line descriptions."""
    _register_builtins()
    return {name: description for name, (description, _) in DATASETS.items()}


def load_federation(name: str, year: str | list[str] | None = None, **options) -> Federation:
    """Load a built-in dataset as a :class:`Federation`.

    Args:
        name: dataset name (see :func:`list_datasets`).
        year: one financial year (``"2024-25"``), a list, or None for all.
        options: dataset-specific options, e.g. ``north_sea="geographic"``.
    """
    _register_builtins()
    if name not in DATASETS:
        raise UnknownDatasetError(
            f"unknown dataset {name!r}; built in: {', '.join(sorted(DATASETS)) or 'none'}")
    return DATASETS[name][1](year=year, **options)
