"""Yield of income-tax schedules on the fitted regional distributions, and the factors
the engine applies to a region's own income-tax revenue.

For region ``r`` with ``N_r`` taxpayers, cell masses ``w_q`` and cell incomes
``x_rq`` (:mod:`~simulator.income_tax.distribution`):

    yield_r(S) = N_r * sum_q w_q * tax_S(x'_rq)

with ``x'`` the incomes after the behavioural response to moving from the
schedule in force to ``S`` (:func:`~simulator.income_tax.liability.respond`).
The engine keeps its own (published, CRPSF) revenue and scales it by the
modelled change: ``own = revenue x yield(S, x') / yield(S_in_force, x)``; the
base it erodes is ``sum x' / sum x`` (capacity is measured at the standard
rate on that base, as for a flat rate change).  A region without a schedule
keeps factor 1, so a scenario without schedules runs exactly as before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping, Sequence

import numpy as np

from ..errors import ConfigurationError
from .distribution import CODES, IncomeDistribution, fitted
from .liability import elasticity_array, liability, respond
from .schedules import Schedule, ScheduleArrays, in_force, load_schedule, stack

__all__ = ["region_yields", "schedule_factors", "resolve_schedules", "in_force_schedules",
           "band_rate_sweep", "swept_factors",
           "RegionSchedules"]


def in_force_schedules(tax_year: str, codes: Sequence[str] = CODES) -> list[Schedule]:
    return [load_schedule(in_force(code, tax_year)) for code in codes]


def region_yields(distribution: IncomeDistribution, new: ScheduleArrays,
                  old: ScheduleArrays | None = None,
                  elasticity: np.ndarray | float | None = 0.0) -> np.ndarray:
    """Yield per region in GBP, ``(..., R)``: leading axes of the schedule arrays
    (sweep points, draws) broadcast against the ``(R, Q)`` grid."""
    income = distribution.income
    e = elasticity_array(elasticity) if not isinstance(elasticity, np.ndarray) else elasticity
    if old is not None and e.any():
        income = respond(income, old, new, e)
    tax = liability(income, new)
    return (tax @ distribution.mass) * distribution.taxpayers


class RegionSchedules:
    """The schedules of a scenario for the regions ``codes``: chosen (or in force)."""

    def __init__(self, codes: Sequence[str], chosen: Mapping[str, Schedule]):
        unknown = [c for c in codes if c not in CODES]
        if unknown:
            raise ConfigurationError(
                f"income-tax schedules are modelled for the UK's ITL1 regions "
                f"({', '.join(CODES)}); not for {unknown[0]!r} (use the uk_itl1 dataset)")
        years = sorted({s.tax_year for s in chosen.values()})
        if len(years) > 1:
            raise ConfigurationError(f"every schedule of a scenario must be for one tax year; "
                                     f"got {', '.join(years)}")
        self.codes = tuple(codes)
        self.tax_year = years[0]
        self.chosen = dict(chosen)
        self.distribution = fitted(self.tax_year)
        self.index = np.array([CODES.index(c) for c in codes])
        base = in_force_schedules(self.tax_year, self.codes)
        new = [self.chosen.get(c, b) for c, b in zip(self.codes, base)]
        width = max(len(s.bands) for s in base + new)
        self.old, self.new = stack(base, width), stack(new, width)
        self.names_new = [s.name + ("" if s == load_schedule(s.name) else " (changed)")
                          for s in new]

    def sub(self) -> IncomeDistribution:
        """The distribution restricted to (and ordered as) the scenario's regions."""
        d = self.distribution
        if self.index.tolist() == list(range(len(CODES))):
            return d
        return IncomeDistribution(d.tax_year, self.codes, d.income[self.index], d.mass,
                                  d.taxpayers[self.index], d.params, d.targets)


def resolve_schedules(codes: Sequence[str], default: str | None,
                      per_region: Mapping[str, object]) -> dict[str, Schedule]:
    """Region -> schedule chosen by a scenario (``default`` for every region, then
    ``per_region`` entries: a name or a :class:`~.spec.ScheduleOverride`)."""
    unknown = sorted(set(per_region) - set(codes))
    if unknown:
        raise ConfigurationError(f"income_tax schedules name unknown region {unknown[0]!r}; "
                                 f"known: {', '.join(codes)}")
    chosen = {}
    for code in codes:  # building inputs from the scenario, once per scenario
        entry = per_region.get(code, default)
        if entry is None:
            continue
        chosen[code] = load_schedule(entry) if isinstance(entry, str) else entry.build()
    return chosen


@lru_cache(maxsize=256)
def _factors_cached(key: str, codes: tuple[str, ...], elasticity_key: tuple) -> tuple:
    import json

    from .spec import ScheduleOverride

    data = json.loads(key)
    # the key was written from validated models: rebuilt without validating again
    per_region = {c: (v if isinstance(v, str) else ScheduleOverride.model_construct(**v))
                  for c, v in data["schedules"].items()}
    chosen = resolve_schedules(codes, data["schedule"], per_region)
    if not chosen:
        ones = np.ones(len(codes))
        return ones, ones
    rs = RegionSchedules(codes, chosen)
    d = rs.sub()
    e = np.array(elasticity_key, dtype=float)
    before = region_yields(d, rs.old)
    income = respond(d.income, rs.old, rs.new, e) if e.any() else d.income
    after = (liability(income, rs.new) @ d.mass) * d.taxpayers
    base = ((income @ d.mass) / (d.income @ d.mass)) if e.any() else np.ones(len(codes))
    ratio = after / before
    touched = np.isin(np.array(codes), list(chosen))
    ratio, base = np.where(touched, ratio, 1.0), np.where(touched, base, 1.0)
    for array in (ratio, base):
        array.flags.writeable = False
    return ratio, base


def schedule_factors(codes: Sequence[str], schedule: str | None,
                     schedules: Mapping[str, object], elasticity=None) -> tuple[np.ndarray, np.ndarray]:
    """``(yield ratio, base ratio)`` per region ``(R,)``: the region's own revenue is
    multiplied by the first, its tax base by the second; 1 where no schedule is given."""
    return _factors_cached(*_factor_key(codes, schedule, schedules, elasticity))


def _factor_key(codes, schedule, schedules, elasticity) -> tuple:
    """The cache key of :func:`_factors_cached` (hashable text and tuples)."""
    import json

    key = json.dumps({"schedule": schedule,
                      "schedules": {c: (v if isinstance(v, str) else v.model_dump(mode="json"))
                                    for c, v in sorted(schedules.items())}}, sort_keys=True)
    return key, tuple(codes), tuple(elasticity_array(elasticity).tolist())


def band_rate_sweep(distribution: IncomeDistribution, schedules: ScheduleArrays, band: int,
                    values: np.ndarray, regions: np.ndarray | None = None,
                    old: ScheduleArrays | None = None, elasticity=0.0) -> np.ndarray:
    """Yield per region ``(K, R)`` in GBP with band ``band``'s rate set to each of ``values``
    ``(K,)`` in ``regions`` (a boolean ``(R,)`` mask; default all), every point at once:
    the rates get a leading axis of sweep points, broadcast over the ``(R, Q)`` grid."""
    values = np.asarray(values, dtype=float)
    mask = np.ones(schedules.rates.shape[-2], bool) if regions is None else np.asarray(regions)
    rates = np.broadcast_to(schedules.rates, values.shape + schedules.rates.shape).copy()
    column = rates[..., band]
    rates[..., band] = np.where(mask, values[:, None], column)
    # a padded band keeps the top rate: follow the swept band where it is the last
    width = rates.shape[-1]
    if band < width - 1:
        padded = schedules.lowers[..., band + 1:] >= 1e15
        rates[..., band + 1:] = np.where(padded, rates[..., band:band + 1], rates[..., band + 1:])
    swept = ScheduleArrays(rates=rates, lowers=schedules.lowers, classes=schedules.classes,
                           allowance=schedules.allowance,
                           taper_threshold=schedules.taper_threshold,
                           taper_rate=schedules.taper_rate)
    return region_yields(distribution, swept, old, elasticity)


def swept_factors(codes: Sequence[str], schedule: str | None, schedules: Mapping[str, object],
                  elasticity, code: str, band: str, values: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The engine's factors at every point of a sweep of one band rate of one region:
    ``(yield ratio, base ratio)``, each ``(K, R)`` for ``values`` ``(K,)``; the other
    regions keep the scenario's own schedules (their factors repeat on every point)."""
    from .spec import ScheduleOverride

    per_region = {c: (v if isinstance(v, (str, ScheduleOverride)) else ScheduleOverride(**v))
                  for c, v in schedules.items()}
    chosen = resolve_schedules(codes, schedule, per_region)
    if code not in chosen:
        chosen[code] = load_schedule(in_force(code, next(iter(chosen.values())).tax_year)
                                     if chosen else in_force(code, "2024-25"))
    names = [b.name for b in chosen[code].bands]
    if band not in names:
        raise ConfigurationError(f"schedule {chosen[code].name!r} of {code} has no band "
                                 f"{band!r}; bands: {', '.join(names)}")
    rs = RegionSchedules(codes, chosen)
    d = rs.sub()
    e = elasticity_array(elasticity)
    values = np.asarray(values, dtype=float).reshape(-1)
    r = rs.codes.index(code)
    row = slice(r, r + 1)  # only the swept region is recomputed at every point

    def one(arrays: ScheduleArrays, rates: np.ndarray | None = None) -> ScheduleArrays:
        return ScheduleArrays(rates=arrays.rates[row] if rates is None else rates,
                              lowers=arrays.lowers[row], classes=arrays.classes[row],
                              allowance=arrays.allowance[row],
                              taper_threshold=arrays.taper_threshold[row],
                              taper_rate=arrays.taper_rate[row])

    index = names.index(band)
    rates = np.broadcast_to(rs.new.rates[row], values.shape + (1, rs.new.rates.shape[-1])).copy()
    rates[..., index] = values[:, None]
    after_band = rs.new.lowers[row, index + 1:] >= 1e15  # padding keeps the top rate
    rates[..., index + 1:] = np.where(after_band, rates[..., index:index + 1],
                                      rates[..., index + 1:])
    old, swept = one(rs.old), one(rs.new, rates)
    income0, mass, payers = d.income[row], d.mass, d.taxpayers[row]
    before = (liability(income0, old) @ mass) * payers                      # (1,)
    income = respond(income0, old, swept, e) if e.any() else income0       # (K, 1, Q)
    after = (liability(income, swept) @ mass) * payers                      # (K, 1)
    base = (income @ mass) / (income0 @ mass) if e.any() else np.ones(after.shape)
    fixed_ratio, fixed_base = _factors_cached(*_factor_key(codes, schedule, schedules,
                                                           elasticity))
    ratio = np.repeat(np.asarray(fixed_ratio)[None, :], values.size, axis=0)
    bases = np.repeat(np.asarray(fixed_base)[None, :], values.size, axis=0)
    ratio[:, r] = (after / before)[:, 0]
    bases[:, r] = np.broadcast_to(base, after.shape)[:, 0]
    return ratio, bases
