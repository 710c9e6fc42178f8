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


#: Built-in dataset modules; each has ``DESCRIPTION`` and ``load(year=None, **options)``.
_BUILTIN_MODULES = ("uk_itl1", "england_la", "england_lsoa", "canada_2025_26", "australia_2025_26", "germany_2024",
                    "switzerland_teaching")


def _register_builtins() -> None:
    from importlib import import_module

    for name in _BUILTIN_MODULES:
        if name in DATASETS:
            continue
        try:
            module = import_module(f"{__name__}.{name}")
        except ModuleNotFoundError:  # pragma: no cover - dataset not packaged
            continue
        DATASETS[name] = (module.DESCRIPTION, module.load)


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
