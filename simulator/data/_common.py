"""What the built-in dataset loaders share: reading a packaged CSV with its
required columns, and refusing an unknown option, choice or year with a
message that names the dataset and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from ..errors import ConfigurationError, DataValidationError
from ..federation import year_labels

__all__ = ["read_csv", "check_options", "check_choice", "check_single_year", "DERIVED_INDICATORS",
           "register_derived", "derived"]


def read_csv(folder: Path, name: str, columns: Sequence[str], **read_options) -> pd.DataFrame:
    """``folder / name`` as a frame; raises naming the first of ``columns`` it lacks."""
    frame = pd.read_csv(folder / name, **read_options)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataValidationError(f"{name}: missing column", column=missing[0])
    return frame


def check_options(dataset: str, options: Mapping[str, Any], known: Sequence[str]) -> None:
    """Refuse any loader option beyond ``known`` (the first, sorted, is named)."""
    if options:
        raise ConfigurationError(f"{dataset}: unknown option {sorted(options)[0]!r}; "
                                 f"known: {', '.join(known)}")


def check_choice(dataset: str, option: str, value: Any, choices: Sequence[str]) -> None:
    """Refuse a value of ``option`` that is not one of ``choices``."""
    if value not in choices:
        raise ConfigurationError(f"{dataset}: {option} must be one of "
                                 f"{', '.join(map(repr, choices))}; got {value!r}")


def check_single_year(dataset: str, year: str | Sequence[str] | None, only: str) -> None:
    """A one-year dataset's ``year`` argument: None, ``only`` or a list holding only it."""
    if year is None:
        return
    for y in year_labels(year):
        if str(y) != only:
            raise DataValidationError(f"year not in dataset {dataset!r} ({only} only)",
                                      year=str(y))


#: (dataset, option) -> function(federation, value, **options) -> Federation that adds an
#: indicator computed by a model (e.g. the composite need index) when a loader is asked for it,
#: or ``"module:function"`` naming it (imported on first use).  The loaders never import those
#: models (a model is computed from data, not the other way round): the package root
#: (``simulator/__init__``) wires them in here.
DERIVED_INDICATORS: dict[tuple[str, str], Any] = {}


def register_derived(dataset: str, option: str):
    """Decorator: register ``function`` as the provider of loader option ``option``."""
    def decorate(function):
        DERIVED_INDICATORS[(dataset, option)] = function
        return function
    return decorate


def derived(dataset: str, option: str):
    """The registered provider of a loader option (see :data:`DERIVED_INDICATORS`)."""
    try:
        provider = DERIVED_INDICATORS[(dataset, option)]
    except KeyError:
        raise ConfigurationError(
            f"{dataset}: option {option!r} needs a registered model; import simulator "
            f"(which registers simulator.need_index) before loading") from None
    if isinstance(provider, str):
        from importlib import import_module

        module, _, name = provider.partition(":")
        provider = getattr(import_module(module), name)
    return provider
