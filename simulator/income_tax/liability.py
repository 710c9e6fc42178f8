"""Vectorised income-tax liability on a quantile grid, with a behavioural response.

For total income ``x`` and a schedule (allowance ``A``, taper threshold ``T``
and rate ``r``, band starts ``l_b`` and rates ``t_b`` on taxable income):

    allowance(x) = max(A - r * max(x - T, 0), 0)        (ITA 2007 s.35)
    taxable(x)   = max(x - allowance(x), 0)
    tax(x)       = sum_b (t_b - t_{b-1}) * max(taxable(x) - l_b, 0)

All arrays broadcast: incomes ``(..., R, Q)``, schedule arrays ``(..., R, B)``
and ``(..., R)``; the only loop is over bands (at most a dozen), never over
regions, taxpayers or sweep points.

Behavioural response (elasticity of taxable income, ETI, by HMRC class of the
payer's top band under the old schedule, as in HMRC's 2012 costing of the
additional rate): a payer's income moves with the net-of-tax rate,

    x' = x * ((1 - m_new(x)) / (1 - m_old(x))) ** e(x)

where ``m`` is the marginal rate including the allowance taper (so 60% in the
taper zone at a 40% rate).  ``e = 0`` gives the static yield exactly.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from .schedules import CLASSES, ScheduleArrays

__all__ = ["liability", "marginal_rate", "payer_class", "respond", "DEFAULT_ELASTICITY",
           "elasticity_array"]

#: Default ETI by HMRC class; sources in docs/income_tax.md ("Behaviour").
DEFAULT_ELASTICITY: dict[str, float] = {"basic": 0.1, "higher": 0.2, "additional": 0.48}


def _last(a: np.ndarray) -> np.ndarray:
    """A ``(..., R)`` array as ``(..., R, 1)`` to broadcast against incomes."""
    return np.asarray(a, dtype=float)[..., None]


def allowance(income: np.ndarray, s: ScheduleArrays) -> np.ndarray:
    excess = np.maximum(income - _last(s.taper_threshold), 0.0)
    return np.maximum(_last(s.allowance) - _last(s.taper_rate) * excess, 0.0)


def taxable(income: np.ndarray, s: ScheduleArrays) -> np.ndarray:
    return np.maximum(income - allowance(income, s), 0.0)


def liability(income: np.ndarray, s: ScheduleArrays) -> np.ndarray:
    """Tax of each income, shape ``broadcast(income, schedule (..., R, 1))``."""
    t = taxable(income, s)
    steps = s.steps
    tax = None
    for b in range(steps.shape[-1]):  # loop over bands, never regions
        part = np.maximum(t - s.lowers[..., b:b + 1], 0.0) * steps[..., b:b + 1]
        if tax is None:
            tax = part
        else:
            tax = np.add(tax, part, out=tax if tax.shape == part.shape else None)
    return tax


def _band_index(income: np.ndarray, s: ScheduleArrays) -> np.ndarray:
    """Index of the band holding the top pound of taxable income (0 if none taxable)."""
    t = taxable(income, s)
    index = np.zeros(np.broadcast_shapes(t.shape, s.lowers.shape[:-1] + (1,)), dtype=np.intp)
    for b in range(1, s.lowers.shape[-1]):  # loop over bands
        index = index + (t > s.lowers[..., b:b + 1])
    return index


def marginal_rate(income: np.ndarray, s: ScheduleArrays) -> np.ndarray:
    """Marginal rate at each income, the allowance taper included."""
    index = _band_index(income, s)
    shape = np.broadcast_shapes(index.shape, s.rates.shape[:-1] + (1,))
    index = np.broadcast_to(index, shape)
    rates = np.broadcast_to(s.rates[..., None, :], shape + (s.rates.shape[-1],))
    rate = np.take_along_axis(rates, index[..., None], axis=-1)[..., 0]
    pa = allowance(income, s)
    tapering = (income > _last(s.taper_threshold)) & (pa > 0)
    return np.where(tapering, rate * (1.0 + _last(s.taper_rate)), rate)


def payer_class(income: np.ndarray, s: ScheduleArrays) -> np.ndarray:
    """HMRC class index (0 basic, 1 higher, 2 additional) of each payer."""
    index = _band_index(income, s)
    shape = np.broadcast_shapes(index.shape, s.classes.shape[:-1] + (1,))
    index = np.broadcast_to(index, shape)
    classes = np.broadcast_to(s.classes[..., None, :], shape + (s.classes.shape[-1],))
    return np.take_along_axis(classes, index[..., None], axis=-1)[..., 0]


def elasticity_array(elasticity: float | Mapping[str, float] | None) -> np.ndarray:
    """ETI by class as an array ``(3,)`` in :data:`CLASSES` order (None: defaults)."""
    if elasticity is None:
        elasticity = DEFAULT_ELASTICITY
    if isinstance(elasticity, Mapping):
        values = {**DEFAULT_ELASTICITY, **elasticity}
        return np.array([float(values[c]) for c in CLASSES])
    return np.full(3, float(elasticity))


def respond(income: np.ndarray, old: ScheduleArrays, new: ScheduleArrays,
            elasticity: np.ndarray) -> np.ndarray:
    """Incomes after the behavioural response to moving from ``old`` to ``new``."""
    elasticity = np.asarray(elasticity, dtype=float)
    if not elasticity.any():
        return np.broadcast_to(income, np.broadcast_shapes(
            np.shape(income), new.rates.shape[:-1] + (1,)))
    m_old = marginal_rate(income, old)
    m_new = marginal_rate(income, new)
    e = elasticity[payer_class(income, old)]
    ratio = np.clip(1.0 - m_new, 1e-6, None) / np.clip(1.0 - m_old, 1e-6, None)
    return income * ratio ** e
