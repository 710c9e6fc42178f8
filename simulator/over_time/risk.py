"""Risk sharing: how much of a region's own shock the settlement absorbs.

**Share absorbed.**  Shock region i's tax bases by a small relative amount
(default -1%) in every year from ``from_year`` on (by default the year after
the block grant adjustment's base year, since a shock to the base year
itself is absorbed by the initial deduction), run the engine, and compare::

    absorbed_i,t = 1 - d resources_i,t / d own revenue_i,t

0 = the region bears its shock alone (an indexed block grant adjustment
without equalisation); 1 = fully pooled (a deduction equal to its own
revenue each year, or full gap-filling against a standard it barely moves).
With full gap-filling (rate r) against the national average and a deduction
indexed to the rest of the country, a recipient region absorbs
``r x (1 - P_i / P)``: its own shock moves the standard by its population
share.  The shock runs for every region at once, on a leading "shocked
region" axis, and :func:`absorption_by_component` splits the absorbed share
between the block grant and each step's transfer.

**Volatility.**  From Monte-Carlo draws (:func:`~.monte_carlo.monte_carlo`),
the standard deviation across draws of resources per head before
equalisation (block grant after adjustment + own revenue) and after it (all
resources), by region and year; ``reduction = 1 - sd_after / sd_before``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ..engine import EngineInputs, System
from ..errors import ConfigurationError
from ..federation import Federation
from .monte_carlo import MonteCarloResult, scaled_inputs
from .settlement import BGAIndexation, simulate_over_time

__all__ = ["own_shock_runs", "absorbed_share", "absorption_by_component", "volatility"]


def _first_shocked_year(federation: Federation, bga: BGAIndexation | None,
                        from_year: str | None) -> int:
    years = federation.years
    if from_year is not None:
        if from_year not in years:
            raise ConfigurationError(
                f"from_year {from_year!r} is not a year of the run ({years[0]} to {years[-1]})")
        return years.index(from_year)
    if bga is None:
        return 0
    base = 0 if bga.base_year is None or bga.base_year not in years else years.index(bga.base_year)
    return min(base + 1, len(years) - 1)


def own_shock_runs(federation: Federation, system: System, *, shock: float = -0.01,
                   taxes: Sequence[str] | None = None, bga: BGAIndexation | None = None,
                   from_year: str | None = None):
    """The unshocked state ``(Y, R)`` and the shocked states ``(R_shocked, Y, R)``.

    In scenario s only region s's revenue (and tax bases) of ``taxes``
    (default all) is scaled by ``1 + shock``, in every year from
    ``from_year`` (default: see the module docstring).
    """
    if shock == 0 or shock <= -1:
        raise ConfigurationError(f"shock must be non-zero and > -1 (got {shock})")
    start = _first_shocked_year(federation, bga, from_year)
    in_window = (np.arange(len(federation.years)) >= start).astype(float)
    chosen = federation.taxes if taxes is None else tuple(taxes)
    for tax in chosen:
        federation.tax_revenue(tax)  # names an unknown tax
    tax_mask = np.isin(np.array(federation.taxes), chosen)
    n_regions = federation.n_regions
    eye = np.eye(n_regions)
    factor = 1.0 + (shock * eye[:, None, None, :] * tax_mask[None, None, :, None]
                    * in_window[None, :, None, None])                               # (S, Y, T, R)
    shocked = scaled_inputs(federation, factor)
    plain = EngineInputs.from_federation(federation)
    return (simulate_over_time(plain, system, federation.years, bga),
            simulate_over_time(shocked, system, federation.years, bga))


def _own(array: np.ndarray) -> np.ndarray:
    """Region s's entry of scenario s: ``(S, Y, R) -> (Y, R)``."""
    index = np.arange(array.shape[0])
    return np.asarray(array)[index, :, index].T


def absorbed_share(federation: Federation, system: System, *, shock: float = -0.01,
                   taxes: Sequence[str] | None = None, bga: BGAIndexation | None = None,
                   from_year: str | None = None) -> np.ndarray:
    """``1 - d resources_i / d own revenue_i`` for each year and region ``(Y, R)``.

    NaN where the shock does not move the region's own revenue (before
    ``from_year``, or nothing of the shocked taxes devolved).
    """
    plain, shocked = own_shock_runs(federation, system, shock=shock, taxes=taxes, bga=bga,
                                    from_year=from_year)
    d_resources = _own(shocked.resources) - plain.resources
    d_own = _own(np.broadcast_to(shocked.own_revenue, shocked.resources.shape)) - plain.own_revenue
    moved = np.abs(d_own) > 1e-9 * np.maximum(1.0, np.abs(plain.own_revenue))
    return np.where(moved, 1.0 - d_resources / np.where(moved, d_own, 1.0), np.nan)


def absorption_by_component(federation: Federation, system: System, *, shock: float = -0.01,
                            taxes: Sequence[str] | None = None, bga: BGAIndexation | None = None,
                            from_year: str | None = None) -> pd.DataFrame:
    """Tidy split of the absorbed share: ``-d component / d own revenue``.

    Components: ``block grant`` and each step's transfer (by label); they
    sum to :func:`absorbed_share`.  One row per year, region and component.
    """
    plain, shocked = own_shock_runs(federation, system, shock=shock, taxes=taxes, bga=bga,
                                    from_year=from_year)
    shape = shocked.resources.shape
    d_own = _own(np.broadcast_to(shocked.own_revenue, shape)) - plain.own_revenue
    moved = np.abs(d_own) > 1e-9 * np.maximum(1.0, np.abs(plain.own_revenue))
    components = [("block grant", shocked.block_grant, plain.block_grant)]
    components += [(label, amount, base) for (label, amount), (_, base)
                   in zip(shocked.transfers, plain.transfers)]
    n_years, n_regions = plain.resources.shape
    frames = []
    for label, after, before in components:  # loop over components, not regions
        change = _own(np.broadcast_to(after, shape)) - before
        share = np.where(moved, -change / np.where(moved, d_own, 1.0), np.nan)
        frames.append(pd.DataFrame({
            "year": np.repeat(np.array(federation.years), n_regions),
            "code": np.tile(np.array(federation.codes), n_years),
            "region": np.tile(np.array(federation.names), n_years),
            "component": label, "share_absorbed": share.ravel()}))
    return pd.concat(frames, ignore_index=True)


def volatility(result: MonteCarloResult) -> pd.DataFrame:
    """Standard deviation across draws of resources per head before and after equalisation.

    One row per year and region: ``sd_before_<cur>``, ``sd_after_<cur>`` (per
    head) and ``reduction`` (``1 - after / before``, NaN where nothing varies beyond
    rounding, e.g. an unshocked base year).
    """
    before = result.measure("before_equalisation_per_head").std(axis=0)
    after = result.measure("resources_per_head").std(axis=0)
    if before.ndim != 2:
        raise ConfigurationError("volatility needs draws on the first axis of (draws, years, regions)")
    fed, cur = result.federation, result.federation.currency.lower()
    n_years, n_regions = before.shape
    typical = np.abs(result.measure("before_equalisation_per_head")).mean(axis=0)
    varies = before > 1e-9 * np.maximum(typical, 1.0)  # not just rounding noise
    return pd.DataFrame({
        "year": np.repeat(np.array(fed.years), n_regions),
        "code": np.tile(np.array(fed.codes), n_years),
        "region": np.tile(np.array(fed.names), n_years),
        f"sd_before_{cur}": before.ravel(),
        f"sd_after_{cur}": after.ravel(),
        "reduction": np.where(varies, 1.0 - after / np.where(varies, before, 1.0), np.nan).ravel(),
    })
