"""Projecting a federation forward: tax bases and populations by region.

Method (log-linear trends over a window of observed years, default the last
ten):

1. **Population**: ``n_i`` = slope of ``log P_i,y`` on the year.
2. **UK revenue per head** of each tax family t: ``u_t,y = sum_i R_t,i,y /
   sum_i P_i,y``; ``g_t`` = slope of ``log u_t,y``.
3. **Relative revenue per head** ``rho_t,i,y = (R_t,i,y / P_i,y) / u_t,y``;
   ``d_t,i`` = slope of ``log rho_t,i,y`` (a region catching up or falling
   behind).
4. From the jump-off year J (the last observed), h years ahead::

       P_i,J+h   = P_i,J x exp(n_i h)
       R_t,i,J+h = (R_t,i,J / P_i,J) x exp((g_t + d_t,i) h) x P_i,J+h

   ``relative_trend=False`` drops ``d`` (every region's revenue per head
   grows at the UK rate: relative positions frozen).

Every rate can be overridden: ``revenue_growth`` (annual growth of revenue per
head, one number, per region code, or a ``(taxes, regions)`` array) and
``population_growth`` (per region).  Tax bases grow with their tax's revenue
(constant effective rate).  Indicators (e.g. identifiable expenditure, the
block grant) follow their own log-linear trend per region, fitted to the
years published in the window and continued from the last published value
(an indicator that stops earlier, like GDHI, is extrapolated from there);
where a value is not positive the indicator is held at its last value.

A slope that cannot be estimated (a zero or negative value in the window) is
taken as 0.  Trends are *extrapolations*, not forecasts: the window and the
overrides are the user's assumptions, and the output says so in its source.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, Mapping

import numpy as np
import pandas as pd

from ..errors import ConfigurationError, DataValidationError
from ..federation import Federation

__all__ = ["Trends", "log_linear_slope", "estimate_trends", "project_federation",
           "next_year", "year_range"]


def next_year(year: str) -> str:
    """The financial (``"2024-25"`` -> ``"2025-26"``) or calendar (``"2024"``) year after."""
    text = str(year)
    if text.isdigit():
        return str(int(text) + 1)
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        start = int(text[:4]) + 1
        return f"{start}-{(start + 1) % 100:02d}"
    raise DataValidationError("cannot project from a year label that is not 'YYYY' or 'YYYY-YY'",
                              year=text)


def year_range(after: str, n_years: int) -> list[str]:
    """The ``n_years`` labels following ``after``."""
    years, year = [], after
    for _ in range(n_years):
        year = next_year(year)
        years.append(year)
    return years


def log_linear_slope(values: np.ndarray, axis: int = 0, skip_missing: bool = False) -> np.ndarray:
    """Least-squares slope of ``log(values)`` on ``0, 1, 2, ...`` along ``axis``.

    ``b = sum (t - t_bar)(y - y_bar) / sum (t - t_bar)^2`` with ``y = log x``.
    NaN where any value is not positive or missing; with ``skip_missing``
    missing (NaN) years are left out of the fit instead (at least two must
    remain), while a non-positive value still gives NaN.
    """
    values = np.moveaxis(np.asarray(values, dtype=float), axis, 0)
    n = values.shape[0]
    if n < 2:
        raise ConfigurationError("a trend needs at least two years")
    present = ~np.isnan(values) if skip_missing else np.ones(values.shape, dtype=bool)
    usable = present & np.isfinite(values) & (values > 0)
    valid = np.all(usable | ~present, axis=0) & (present.sum(axis=0) >= 2)
    weight = usable.astype(float)
    logs = np.log(np.where(usable, values, 1.0))
    t = np.arange(n, dtype=float).reshape((n,) + (1,) * (values.ndim - 1))
    count = np.maximum(weight.sum(axis=0), 1.0)
    t_mean = (weight * t).sum(axis=0) / count
    y_mean = (weight * logs).sum(axis=0) / count
    spread = (weight * (t - t_mean) ** 2).sum(axis=0)
    slope = (weight * (t - t_mean) * (logs - y_mean)).sum(axis=0) / np.where(spread > 0, spread, 1.0)
    return np.where(valid, slope, np.nan)


@dataclass(frozen=True)
class Trends:
    """Annual log growth rates estimated over ``window`` (first, last year).

    Attributes:
        uk_per_head: ``g_t`` by tax ``(T,)``.
        relative: ``d_t,i`` ``(T, R)``.
        population: ``n_i`` ``(R,)``.
        indicators: indicator -> ``(R,)`` slope (NaN = held at last value).
    """

    window: tuple[str, str]
    taxes: tuple[str, ...]
    codes: tuple[str, ...]
    uk_per_head: np.ndarray
    relative: np.ndarray
    population: np.ndarray
    indicators: Mapping[str, np.ndarray]

    def revenue_per_head_growth(self, relative_trend: bool = True) -> np.ndarray:
        """Log growth of each region's revenue per head ``(T, R)``."""
        growth = np.broadcast_to(self.uk_per_head[:, None], self.relative.shape)
        return growth + self.relative if relative_trend else np.array(growth)

    def to_frame(self) -> pd.DataFrame:
        """Annual growth rates (``exp(slope) - 1``), one row per tax and region."""
        n_taxes, n_regions = self.relative.shape
        return pd.DataFrame({
            "tax": np.repeat(self.taxes, n_regions),
            "code": np.tile(self.codes, n_taxes),
            "uk_revenue_per_head_growth": np.expm1(np.repeat(self.uk_per_head, n_regions)),
            "relative_per_head_growth": np.expm1(self.relative.ravel()),
            "population_growth": np.expm1(np.tile(self.population, n_taxes)),
        })


def _window_index(federation: Federation, window: int | tuple[str, str]) -> np.ndarray:
    years = federation.years
    if isinstance(window, int):
        if window < 2:
            raise ConfigurationError(f"the trend window needs at least 2 years (got {window})")
        if window > len(years):
            raise ConfigurationError(
                f"trend window of {window} years is longer than the {len(years)} years of "
                f"{federation.name!r} ({years[0]} to {years[-1]})")
        return np.arange(len(years) - window, len(years))
    first, last = (str(y) for y in window)
    for year in (first, last):
        if year not in years:
            raise DataValidationError(
                f"trend window year not in dataset {federation.name!r} ({years[0]} to {years[-1]})",
                year=year)
    start, stop = years.index(first), years.index(last)
    if stop - start < 1:
        raise ConfigurationError(f"trend window {first}..{last} needs at least two years")
    return np.arange(start, stop + 1)


def estimate_trends(federation: Federation, window: int | tuple[str, str] = 10) -> Trends:
    """Estimate the log-linear trends of the module docstring over ``window``.

    ``window`` is the number of most recent years, or ``(first, last)`` year labels.
    """
    index = _window_index(federation, window)
    population = federation.population[index]
    revenue = federation.revenue[index]                          # (W, T, R)
    uk_per_head = revenue.sum(axis=-1) / population.sum(axis=-1)[:, None]   # (W, T)
    relative = revenue / population[:, None, :] / uk_per_head[:, :, None]
    indicators = {name: log_linear_slope(series[index], skip_missing=True)
                  for name, series in federation.indicators.items()}
    return Trends(
        window=(federation.years[index[0]], federation.years[index[-1]]),
        taxes=federation.taxes, codes=federation.codes,
        uk_per_head=np.nan_to_num(log_linear_slope(uk_per_head), nan=0.0),
        relative=np.nan_to_num(log_linear_slope(relative), nan=0.0),
        population=np.nan_to_num(log_linear_slope(population), nan=0.0),
        indicators=indicators)


def _rates(value, codes: tuple[str, ...], shape: tuple[int, ...], what: str) -> np.ndarray:
    """Annual growth rate(s) -> log rates broadcast to ``shape`` (regions last)."""
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - set(codes))
        if unknown:
            raise ConfigurationError(f"{what} names unknown region {unknown[0]!r}; "
                                     f"known: {', '.join(codes)}")
        rates = np.array([float(value.get(code, np.nan)) for code in codes])
    else:
        rates = np.asarray(value, dtype=float)
    try:
        rates = np.broadcast_to(rates, shape)
    except ValueError:
        raise ConfigurationError(f"{what} must be one number, a mapping region -> rate, or an "
                                 f"array of shape {shape}") from None
    if np.any(rates <= -1):
        raise ConfigurationError(f"{what} must be > -1 (an annual growth rate, 0.02 = 2%)")
    return np.log1p(rates)  # NaN entries (regions not named) stay NaN


def project_federation(
    federation: Federation,
    until: str | None = None,
    *,
    n_years: int | None = None,
    window: int | tuple[str, str] = 10,
    trends: Trends | None = None,
    relative_trend: bool = True,
    revenue_growth=None,
    population_growth=None,
    indicators: Literal["trend", "hold"] = "trend",
    history: int = 0,
) -> Federation:
    """A federation with future years projected from the last observed one.

    Args:
        until: last projected year (e.g. ``"2039-40"``); or give ``n_years``.
        window: trend window (see :func:`estimate_trends`); ignored if
            ``trends`` is given.
        relative_trend: keep each region's trend relative to the UK (else
            relative revenue per head is frozen at the jump-off year).
        revenue_growth: override, annual growth of revenue per head: a
            number, ``{region code: rate}`` (other regions keep their
            trend), or an array ``(taxes, regions)``.
        population_growth: override, annual population growth: a number or
            ``{region code: rate}``.
        indicators: ``"trend"`` (default) or ``"hold"`` every indicator at
            its last value.
        history: number of observed years kept before the projection (1
            keeps the jump-off year, e.g. as the base year of a block grant
            adjustment).

    Returns:
        A :class:`Federation` with years ``history`` observed + projected.
    """
    years = federation.years
    last = years[-1]
    if until is None and n_years is None:
        raise ConfigurationError("project_federation needs 'until' (a year) or 'n_years'")
    if until is not None:
        horizon, year = 0, last
        while year != str(until):
            year = next_year(year)
            horizon += 1
            if horizon > 200:
                raise ConfigurationError(
                    f"projection end {until!r} is not a year after the last observed {last!r}")
    else:
        horizon = int(n_years)
    if horizon < 1:
        raise ConfigurationError("the projection needs at least one future year")
    if not 0 <= history <= len(years):
        raise ConfigurationError(f"history must be between 0 and {len(years)} observed years")
    if indicators not in ("trend", "hold"):
        raise ConfigurationError(f"indicators must be 'trend' or 'hold' (got {indicators!r})")
    trends = estimate_trends(federation, window) if trends is None else trends
    if trends.codes != federation.codes or trends.taxes != federation.taxes:
        raise ConfigurationError("trends were estimated on a federation with other regions or taxes")

    shape = (len(federation.taxes), federation.n_regions)
    per_head_growth = trends.revenue_per_head_growth(relative_trend)
    if revenue_growth is not None:
        override = _rates(revenue_growth, federation.codes, shape, "revenue_growth")
        per_head_growth = np.where(np.isnan(override), per_head_growth, override)
    pop_growth = trends.population
    if population_growth is not None:
        override = _rates(population_growth, federation.codes, (federation.n_regions,),
                          "population_growth")
        pop_growth = np.where(np.isnan(override), pop_growth, override)

    h = np.arange(1, horizon + 1, dtype=float)
    population = federation.population[-1] * np.exp(pop_growth * h[:, None])            # (H, R)
    per_head = federation.revenue[-1] / federation.population[-1]                        # (T, R)
    growth = np.exp(per_head_growth[None] * h[:, None, None])                            # (H, T, R)
    revenue = per_head * growth * population[:, None, :]
    revenue_ratio = np.divide(revenue, federation.revenue[-1],
                              out=np.ones_like(revenue), where=federation.revenue[-1] != 0)
    bases = {tax: base[-1] * revenue_ratio[:, federation.taxes.index(tax), :]
             for tax, base in federation.tax_base.items()}
    projected_indicators = {}
    for name, series in federation.indicators.items():  # loop over indicators, not regions
        slope = trends.indicators.get(name) if indicators == "trend" else None
        slope = np.zeros(federation.n_regions) if slope is None else np.nan_to_num(slope, nan=0.0)
        # jump off from each region's last published value (indicators may stop earlier)
        published = ~np.isnan(series)
        last_index = np.where(published.any(axis=0),
                              len(years) - 1 - np.argmax(published[::-1], axis=0), 0)
        last_value = series[last_index, np.arange(federation.n_regions)]
        steps_ahead = (len(years) - 1 - last_index) + h[:, None]
        projected_indicators[name] = last_value * np.exp(slope * steps_ahead)

    keep = slice(len(years) - history, len(years))

    def join(observed: np.ndarray, future: np.ndarray) -> np.ndarray:
        return np.concatenate([observed[keep], future], axis=0)

    source = (f"{federation.source}; projected {year_range(last, 1)[0]}.."
              f"{year_range(last, horizon)[-1]} from log-linear trends {trends.window[0]}.."
              f"{trends.window[1]}" + (" with overrides" if revenue_growth is not None
                                       or population_growth is not None else ""))
    return replace(
        federation,
        years=list(years[keep]) + year_range(last, horizon),
        population=join(federation.population, population),
        revenue=join(federation.revenue, revenue),
        tax_base={k: join(federation.tax_base[k], v) for k, v in bases.items()},
        indicators={k: join(federation.indicators[k], v) for k, v in projected_indicators.items()},
        source=source.lstrip("; "))
