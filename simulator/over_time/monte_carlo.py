"""Monte-Carlo runs: correlated regional shocks to tax bases.

**Shock model.**  Annual growth of revenue in region i (per tax family t, or
of total revenue) is observed over the historical years::

    g_y,k = log R_y,k - log R_y-1,k        (k = region, or tax x region)

Its deviations from each series' mean, ``e_y,k = g_y,k - mean_y g_k``, give
the covariance ``Sigma = E'E / (n - 1)`` (regions move together in a
recession; London's income tax is more volatile than Wales's).  A draw takes
independent standard normal factors ``z`` for each projected year and sets
the shock ``eps_y = z_y E / sqrt(n - 1)``, which has covariance exactly
``Sigma`` without inverting it (the history may have fewer years than
series).  Growth shocks are permanent, so the level of the tax base in
projected year y is::

    R~_y,k = R_y,k x exp(s x sum_{u<=y} eps_u,k)      (a random walk around the projection)

with ``s`` a scale (0 = the deterministic run).  Tax bases move with the
revenue of their tax.  Draws sit on a new leading axis and go through the
engine in one vectorised call (``simulate_over_time``), so block grant
adjustments are indexed draw by draw.

The historical growth includes policy changes and the 2020-21 pandemic: the
model is a simple, transparent gauge of volatility, not a forecast
distribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Sequence

import numpy as np
import pandas as pd

from ..engine import EngineInputs, System
from ..errors import ConfigurationError, DataValidationError
from ..federation import Federation
from ..state import FiscalState
from .settlement import BGAIndexation, simulate_over_time

__all__ = ["ShockModel", "MonteCarloResult", "shocked_inputs", "monte_carlo",
           "percentile_bands", "DEFAULT_PERCENTILES"]

DEFAULT_PERCENTILES: tuple[float, ...] = (5.0, 25.0, 50.0, 75.0, 95.0)


@dataclass(frozen=True, eq=False)
class ShockModel:
    """Correlated annual log-growth shocks with covariance ``loadings' loadings``.

    Attributes:
        loadings: ``(F, K)``; ``K`` = regions (``by="total"``) or taxes x
            regions (``by="tax"``, tax-major).
        by: ``"total"`` (one shock per region, applied to every tax) or
            ``"tax"`` (one per tax family and region).
        codes, taxes: the regions (and taxes) of the series.
        window: years the growth was measured over, for display.
    """

    loadings: np.ndarray
    by: Literal["total", "tax"]
    codes: tuple[str, ...]
    taxes: tuple[str, ...]
    window: tuple[str, str] | None = None

    @property
    def covariance(self) -> np.ndarray:
        """``Sigma`` ``(K, K)``."""
        return self.loadings.T @ self.loadings

    @classmethod
    def from_history(cls, federation: Federation, by: Literal["total", "tax"] = "total",
                     window: tuple[str, str] | None = None) -> "ShockModel":
        """Estimate the covariance of log growth over ``window`` (default all years).

        Series with a zero or negative value in the window (e.g. North Sea
        revenue outside Scotland) get no shock.
        """
        if by not in ("total", "tax"):
            raise ConfigurationError(f"shock model 'by' must be 'total' or 'tax' (got {by!r})")
        fed = federation
        if window is not None:
            first, last = (str(y) for y in window)
            for year in (first, last):
                if year not in federation.years:
                    raise DataValidationError(
                        f"shock window year not in dataset {federation.name!r} "
                        f"({federation.years[0]} to {federation.years[-1]})", year=year)
            i, j = federation.years.index(first), federation.years.index(last)
            fed = federation.select_years(list(federation.years[i:j + 1]))
        if len(fed.years) < 3:
            raise ConfigurationError("estimating shocks needs at least three years of history")
        levels = fed.total_revenue() if by == "total" else fed.revenue.reshape(len(fed.years), -1)
        valid = np.all(levels > 0, axis=0)
        growth = np.diff(np.log(np.where(valid, levels, 1.0)), axis=0)
        deviations = (growth - growth.mean(axis=0)) * valid
        loadings = deviations / np.sqrt(growth.shape[0] - 1)
        return cls(loadings=loadings, by=by, codes=fed.codes, taxes=fed.taxes,
                   window=(fed.years[0], fed.years[-1]))

    @classmethod
    def from_covariance(cls, covariance: np.ndarray, codes: Sequence[str],
                        taxes: Sequence[str], by: Literal["total", "tax"] = "total") -> "ShockModel":
        """A model from a given covariance (symmetric, positive semi-definite)."""
        covariance = np.asarray(covariance, dtype=float)
        size = len(codes) * (len(taxes) if by == "tax" else 1)
        if covariance.shape != (size, size) or not np.allclose(covariance, covariance.T):
            raise ConfigurationError(f"covariance must be a symmetric ({size}, {size}) matrix")
        values, vectors = np.linalg.eigh(covariance)
        if values.min() < -1e-10 * max(1.0, abs(values).max()):
            raise ConfigurationError("covariance must be positive semi-definite")
        loadings = np.sqrt(np.clip(values, 0.0, None))[:, None] * vectors.T
        return cls(loadings=loadings, by=by, codes=tuple(codes), taxes=tuple(taxes))

    def draw(self, n_draws: int, n_years: int, rng: np.random.Generator | int | None = None,
             scale: float = 1.0, start: int = 0) -> np.ndarray:
        """Cumulated log-level shocks ``(D, Y, R)`` (total) or ``(D, Y, T, R)`` (tax).

        ``rng`` is a :class:`numpy.random.Generator` or a seed; years before
        ``start`` get no shock (e.g. the observed base year of a projection).
        """
        if n_draws < 1 or n_years < 1:
            raise ConfigurationError("n_draws and n_years must be at least 1")
        if scale < 0:
            raise ConfigurationError(f"shock scale must be >= 0 (got {scale})")
        if not 0 <= start <= n_years:
            raise ConfigurationError(f"shock start {start} is outside the {n_years} years")
        rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        factors = rng.standard_normal((n_draws, n_years, self.loadings.shape[0]))
        yearly = scale * (factors @ self.loadings)                     # (D, Y, K)
        yearly[:, :start] = 0.0
        levels = np.cumsum(yearly, axis=1)
        if self.by == "total":
            return levels
        return levels.reshape(n_draws, n_years, len(self.taxes), len(self.codes))


def shocked_inputs(federation: Federation, shocks: np.ndarray) -> EngineInputs:
    """Engine inputs with revenue and tax bases scaled by ``exp(shocks)``.

    ``shocks`` is ``(D, Y, R)`` (every tax of a region alike) or
    ``(D, Y, T, R)``; the result has the draw axis first.
    """
    shocks = np.asarray(shocks, dtype=float)
    n_years, n_taxes, n_regions = federation.revenue.shape
    if shocks.shape[1:] == (n_years, n_regions):
        per_tax = shocks[:, :, None, :]
    elif shocks.shape[1:] == (n_years, n_taxes, n_regions):
        per_tax = shocks
    else:
        raise ConfigurationError(
            f"shocks must be (draws, {n_years}, {n_regions}) or (draws, {n_years}, {n_taxes}, "
            f"{n_regions}); got {shocks.shape}")
    return scaled_inputs(federation, np.exp(per_tax))


def scaled_inputs(federation: Federation, factor: np.ndarray) -> EngineInputs:
    """Engine inputs with revenue times ``factor`` (``(..., Y, T, R)``, the tax axis
    may be 1) and each tax base times its tax's factor; leading axes come first."""
    full = np.broadcast_to(factor, factor.shape[:-3] + federation.revenue.shape)
    bases = {tax: base * full[..., federation.taxes.index(tax), :]
             for tax, base in federation.tax_base.items()}
    return EngineInputs(codes=federation.codes, taxes=federation.taxes,
                        population=federation.population, revenue=federation.revenue * factor,
                        tax_base=bases, indicators=dict(federation.indicators))


def percentile_bands(values: np.ndarray, federation: Federation,
                     percentiles: Sequence[float] = DEFAULT_PERCENTILES,
                     name: str = "value") -> pd.DataFrame:
    """Tidy percentiles over the draw axis (axis 0) of ``values`` ``(D, Y, R)``.

    One row per year, region and percentile (for fan charts), columns
    ``year, code, region, percentile, <name>``.
    """
    values = np.asarray(values, dtype=float)
    n_years, n_regions = len(federation.years), federation.n_regions
    if values.shape[1:] != (n_years, n_regions):
        raise ConfigurationError(f"values must be (draws, {n_years}, {n_regions}); got {values.shape}")
    percentiles = np.asarray(percentiles, dtype=float)
    if np.any((percentiles < 0) | (percentiles > 100)):
        raise ConfigurationError("percentiles must be between 0 and 100")
    bands = np.percentile(values, percentiles, axis=0)                  # (P, Y, R)
    n_p = percentiles.size
    return pd.DataFrame({
        "year": np.tile(np.repeat(np.array(federation.years), n_regions), n_p),
        "code": np.tile(np.array(federation.codes), n_p * n_years),
        "region": np.tile(np.array(federation.names), n_p * n_years),
        "percentile": np.repeat(percentiles, n_years * n_regions),
        name: bands.ravel(),
    })


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """Draws of a settlement: ``state`` and ``baseline`` have the draw axis first."""

    federation: Federation
    system: System
    state: FiscalState
    baseline: FiscalState
    shocks: np.ndarray
    seed: int | None = None
    measures: tuple[str, ...] = field(default=(
        "resources_per_head", "own_revenue_per_head", "change_per_head",
        "before_equalisation_per_head"))

    def measure(self, name: str) -> np.ndarray:
        """A per-head measure ``(D, Y, R)``.

        ``resources_per_head``; ``own_revenue_per_head``; ``change_per_head``
        (against the baseline); ``before_equalisation_per_head`` (block
        grant after adjustment + own revenue, before any step's transfer).
        """
        state, population = self.state, self.state.population
        if name == "resources_per_head":
            return state.resources / population
        if name == "own_revenue_per_head":
            return state.own_revenue / population
        if name == "change_per_head":
            return (state.resources - self.baseline.resources) / population
        if name == "before_equalisation_per_head":
            return (state.block_grant + state.own_revenue) / population
        raise ConfigurationError(f"unknown measure {name!r}; known: {', '.join(self.measures)}")

    def bands(self, measure: str = "resources_per_head",
              percentiles: Sequence[float] = DEFAULT_PERCENTILES) -> pd.DataFrame:
        """Percentile bands of ``measure`` by year and region (tidy, for fan charts)."""
        cur = self.federation.currency.lower()
        return percentile_bands(self.measure(measure), self.federation, percentiles,
                                name=f"{measure}_{cur}")


def monte_carlo(federation: Federation, system: System, model: ShockModel, *,
                n_draws: int = 1000, seed: int | np.random.Generator | None = 0,
                scale: float = 1.0, start: int = 0, bga: BGAIndexation | None = None,
                baseline: System | None = None) -> MonteCarloResult:
    """Run ``system`` on ``n_draws`` shocked versions of ``federation`` at once.

    Args:
        federation: the (projected) years to simulate.
        model: the shock model (e.g. ``ShockModel.from_history(observed)``).
        seed: seed or Generator; the same seed gives the same draws.
        scale: multiplies every shock (0 = the deterministic run).
        start: index of the first shocked year (earlier years are as given).
        bga: indexed block grant adjustment (see :class:`BGAIndexation`).
        baseline: comparison system (default the status quo with the same grant).
    """
    if model.codes != federation.codes:
        raise ConfigurationError("the shock model was estimated on other regions")
    if model.by == "tax" and model.taxes != federation.taxes:
        raise ConfigurationError("the shock model was estimated on other tax families")
    shocks = model.draw(n_draws, len(federation.years), seed, scale=scale, start=start)
    inputs = shocked_inputs(federation, shocks)
    if baseline is None:
        baseline = System(block_grant=system.block_grant, need_index=system.need_index)
    state = simulate_over_time(inputs, system, federation.years, bga)
    baseline_state = simulate_over_time(inputs, baseline, federation.years, None)
    return MonteCarloResult(federation=federation, system=system, state=state,
                            baseline=baseline_state, shocks=shocks,
                            seed=seed if isinstance(seed, int) else None)
