"""The modelled need index for a set of region codes (what steps and results use).

``need_index_for(codes)`` returns the overall need index (population-weighted
mean 1 over the modelled regions) in the order of ``codes``, from the model
that covers them: the 12 ITL1 nations and regions, or (if packaged) the 296
English authorities.  Codes no model covers raise ``LookupError``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping, Sequence

import numpy as np

__all__ = ["need_index_for", "has_model"]


def _check_year(year: str) -> None:
    from . import itl1

    available = itl1.data.years()
    if year not in available:
        raise LookupError(f"year {year!r} has no spending by category "
                          f"({available[0]} to {available[-1]})")


def _itl1(year: str, weights) -> tuple[tuple[str, ...], np.ndarray]:
    from . import itl1

    available = itl1.data.years()
    year = year if year in available else itl1.LATEST_YEAR
    if weights is not None:  # named categories replace their default row
        from .factors import DEFAULT_WEIGHTS

        weights = {**DEFAULT_WEIGHTS, **weights}
    a = itl1.assess_itl1(year, weights)
    return a.codes, a.need_index


def _england_la(year: str, weights) -> tuple[tuple[str, ...], np.ndarray]:
    from . import england_la

    if weights is not None:  # named blocks replace their default row
        weights = {**england_la.DEFAULT_WEIGHTS, **weights}
    a = england_la.assess_england_la(weights=weights)
    return a.codes, a.need_index


_MODELS = (("uk_itl1", _itl1), ("england_la", _england_la))


@lru_cache(maxsize=64)
def _cached(name: str, year: str) -> tuple[tuple[str, ...], np.ndarray]:
    return dict(_MODELS)[name](year, None)


def _model_codes(name: str) -> tuple[str, ...]:
    try:
        return _cached(name, "latest")[0]
    except (ImportError, ModuleNotFoundError):
        return ()


def has_model(codes: Sequence[str]) -> bool:
    """Whether a needs model covers every one of ``codes``."""
    return any(set(codes) <= set(_model_codes(name)) for name, _ in _MODELS)


def need_index_for(codes: Sequence[str], year: str | None = None,
                   weights: Mapping[str, Mapping[str, float]] | None = None,
                   strict: bool = False) -> np.ndarray:
    """Overall need index ``(R,)`` for ``codes`` (in their order), rescaled to a
    population-weighted mean of 1 over ``codes`` only if they are a subset
    (the caller rescales with its own population).

    ``year`` picks the category standards (ITL1: a financial year of the
    expenditure data; other years use the latest).  ``weights``: category ->
    factor -> weight; the categories named replace their default row, the others
    keep the documented defaults.  ``strict``: a year
    outside the expenditure data raises ``LookupError`` instead of using the latest
    (a step's explicit ``year``; results of projected years use the latest).
    """
    codes = list(codes)
    for name, function in _MODELS:
        model_codes = _model_codes(name)
        if model_codes and set(codes) <= set(model_codes):
            if strict and year is not None and name == "uk_itl1":
                _check_year(year)
            if weights is None:
                found_codes, index = _cached(name, year or "latest")
            else:
                found_codes, index = function(year or "latest", weights)
            order = {c: i for i, c in enumerate(found_codes)}
            return index[[order[c] for c in codes]]
    raise LookupError(f"no needs model covers regions {', '.join(codes[:4])}"
                      + (" ..." if len(codes) > 4 else "")
                      + "; models: 12 UK nations and regions (TLC..TLN), English authorities")
