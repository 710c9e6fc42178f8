"""Synthetic taxable-income distributions of taxpayers, one per ITL1 region and year.

Parametric form (per region ``r`` and tax year ``y``), for total income ``x`` of
income-tax payers (SPI "total income", all above the personal allowance ``a``):

- body (``x <= x_p = GBP 100,000``): a lognormal shifted to start at ``a``,
  ``G(x) = Phi((ln(x - a) - mu) / sigma)``, scaled to hold ``1 - tau`` of payers:
  ``F(x) = (1 - tau) G(x) / G(x_p)``;
- tail (``x > x_p``): Pareto, ``1 - F(x) = tau (x / x_p) ** -alpha``, with the UK
  ``alpha`` of the year from HMRC ITLS Table 2.5: the mean income above
  GBP 100,000, ``m``, gives ``alpha = m / (m - x_p)`` (the Pareto mean identity,
  so the tail's income, where most of the tax is, is kept).

Calibration (``fit``): ``tau`` from the region's additional-rate payers,
``tau = share_add * (x_add / x_p) ** alpha`` (``x_add`` the income at which its
schedule's additional class starts); ``mu`` and ``sigma`` for 2021-22 by
weighted least squares (scipy ``least_squares``, all regions at once) on the
basic-rate share (weight 10), the SPI median and the SPI mean (weight 1 each);
later years (HMRC projections) keep the region's 2021-22 ``sigma`` and solve
``mu`` for the year's basic-rate share exactly (vectorised bisection).  See
``docs/income_tax.md`` for residuals and limits.

Quantile representation: a fixed grid of ``Q`` cells in probability (steps of
0.005 to 0.99, then 32 cells geometric in ``1 - u`` down to ``1e-6``, then the
last cell), each represented by its mean income (4-point Gauss-Legendre; the
last cell by the exact Pareto mean), so deciles and the top 1% are whole cells.
``IncomeDistribution.income`` has shape ``(R, Q)``, regions before quantiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import optimize, special

from ..errors import ConfigurationError
from .schedules import Schedule, in_force, load_schedule, stack

__all__ = ["IncomeDistribution", "fitted", "grid", "tail_alpha", "calibration_table",
           "YEARS", "CODES", "DATA", "TAIL_START"]

DATA = Path(__file__).resolve().parents[1] / "data" / "uk_income_tax"
CODES = ("TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK", "TLL", "TLM", "TLN")
YEARS = ("2021-22", "2022-23", "2023-24", "2024-25")
SPI_YEAR = "2021-22"
TAIL_START = 100_000.0
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(4)


@lru_cache(maxsize=None)
def grid() -> tuple[np.ndarray, np.ndarray]:
    """Cell edges ``(Q + 1,)`` in probability and cell masses ``(Q,)``."""
    body = np.linspace(0.0, 0.99, 199)
    tail = 1.0 - np.geomspace(0.01, 1e-6, 33)[1:]
    edges = np.concatenate([body, tail, [1.0]])
    return edges, np.diff(edges)


def _read(name: str) -> pd.DataFrame:
    try:
        return pd.read_csv(DATA / name)
    except FileNotFoundError:
        raise ConfigurationError(f"income-tax data file {name} not found in {DATA}") from None


@lru_cache(maxsize=None)
def tail_alpha(tax_year: str) -> float:
    """UK Pareto index above GBP 100,000 from ITLS Table 2.5 for ``tax_year``."""
    ranges = _read("uk_income_ranges.csv")
    top = ranges[(ranges["tax_year"] == tax_year) & (ranges["income_range_lower_gbp"] >= TAIL_START)]
    if top.empty:
        raise ConfigurationError(f"no UK income ranges for {tax_year}")
    mean = top["total_income_gbp_m"].sum() * 1e6 / (top["taxpayers_thousands"].sum() * 1e3)
    return float(mean / (mean - TAIL_START))


def _income_at_taxable(taxable: np.ndarray, schedules: list[Schedule]) -> np.ndarray:
    """Total income at which taxable income reaches ``taxable`` (inverse of x - allowance(x))."""
    arrays = stack(schedules)
    a, thr, r = arrays.allowance, arrays.taper_threshold, arrays.taper_rate
    x = taxable + a  # full allowance
    tapered = (taxable + a + r * thr) / (1.0 + r)  # in the taper zone
    x = np.where(x > thr, tapered, x)
    return np.where(x >= thr + a / np.where(r > 0, r, np.inf), taxable, x)


def _targets(tax_year: str) -> dict[str, np.ndarray]:
    counts = _read("taxpayers_by_marginal_rate.csv")
    rows = counts[counts["tax_year"] == tax_year].set_index("code")
    if len(rows) == 0:
        raise ConfigurationError(f"no taxpayer counts for {tax_year}; calibrated years: "
                                 f"{', '.join(YEARS)}")
    rows = rows.loc[list(CODES)]
    total = rows[["basic_thousands", "higher_thousands", "additional_thousands"]].sum(axis=1)
    schedules = [load_schedule(in_force(c, tax_year)) for c in CODES]
    thresholds = {cls: np.array([s.class_thresholds()[cls] for s in schedules])
                  for cls in ("higher", "additional")}
    return {
        "taxpayers": rows["all_thousands"].to_numpy() * 1e3,
        "basic": (rows["basic_thousands"] / total).to_numpy(),
        "additional": (rows["additional_thousands"] / total).to_numpy(),
        "x_higher": _income_at_taxable(thresholds["higher"], schedules),
        "x_additional": _income_at_taxable(thresholds["additional"], schedules),
        "allowance": stack(schedules).allowance,
    }


@dataclass(frozen=True)
class Params:
    """Per-region parameters, each ``(R,)``."""

    shift: np.ndarray
    mu: np.ndarray
    sigma: np.ndarray
    tau: np.ndarray
    alpha: float

    def _g(self, x):
        y = np.maximum(np.asarray(x, float) - self.shift, 1e-300)
        return special.ndtr((np.log(y) - self.mu) / self.sigma)

    def cdf(self, x) -> np.ndarray:
        """``F(x)`` for ``x`` broadcasting against ``(R,)``."""
        x = np.asarray(x, float)
        body = (1.0 - self.tau) * self._g(x) / self._g(TAIL_START)
        tail = 1.0 - self.tau * (np.maximum(x, TAIL_START) / TAIL_START) ** -self.alpha
        return np.where(x <= TAIL_START, body, tail)

    def quantile(self, u) -> np.ndarray:
        """``Q(u)``, ``u`` of shape ``(..., R)`` or broadcasting to it."""
        u = np.asarray(u, float)
        inner = np.clip(u * self._g(TAIL_START) / (1.0 - self.tau), 1e-300, 1 - 1e-16)
        body = self.shift + np.exp(self.mu + self.sigma * special.ndtri(inner))
        tail = TAIL_START * (np.clip(1.0 - u, 1e-300, None) / self.tau) ** (-1.0 / self.alpha)
        return np.where(u <= 1.0 - self.tau, body, tail)

    def mean(self) -> np.ndarray:
        y_p = TAIL_START - self.shift
        z = (np.log(y_p) - self.mu) / self.sigma
        body = self.shift + np.exp(self.mu + self.sigma ** 2 / 2) * special.ndtr(z - self.sigma) \
            / special.ndtr(z)
        tail = TAIL_START * self.alpha / (self.alpha - 1.0)
        return (1.0 - self.tau) * body + self.tau * tail

    def cells(self) -> np.ndarray:
        """Mean income of each grid cell, ``(R, Q)``."""
        edges, mass = grid()
        lo, hi = edges[:-2], edges[1:-1]
        u = (lo + hi)[:, None] / 2 + (hi - lo)[:, None] / 2 * _GL_NODES[None, :]  # (Q-1, 4)
        values = self.quantile(u[:, :, None])  # (Q-1, 4, R)
        inner = (values * _GL_WEIGHTS[None, :, None]).sum(1) / 2  # (Q-1, R)
        last = self.quantile(edges[-2]) * self.alpha / (self.alpha - 1.0)  # (R,)
        return np.concatenate([inner.T, last[:, None]], axis=1)


def _solve_mu(shift, sigma, tau, alpha, x_higher, basic) -> np.ndarray:
    """``mu`` with ``F(x_higher) = basic`` for every region (vectorised bisection)."""
    lo, hi = np.full(shift.shape, 0.0), np.full(shift.shape, 14.0)
    for _ in range(80):
        mid = (lo + hi) / 2
        f = Params(shift, mid, sigma, tau, alpha).cdf(x_higher)
        lo, hi = np.where(f > basic, mid, lo), np.where(f > basic, hi, mid)
    return (lo + hi) / 2


def _solve_body(shift, sigma, x_higher, x_additional, basic, additional):
    """``(mu, tau)`` when the additional class starts inside the body (below ``x_p``):
    ``G(x_h) / G(x_a) = basic / (1 - additional)`` fixes ``mu``, then ``tau``."""
    want = basic / (1.0 - additional)
    lo, hi = np.full(shift.shape, 0.0), np.full(shift.shape, 14.0)
    ones = np.ones_like(shift)
    for _ in range(80):
        mid = (lo + hi) / 2
        p = Params(shift, mid, sigma, 0.0 * ones, 2.0)
        ratio = p._g(x_higher) / np.maximum(p._g(x_additional), 1e-300)
        lo, hi = np.where(ratio > want, mid, lo), np.where(ratio > want, hi, mid)
    mu = (lo + hi) / 2
    p = Params(shift, mu, sigma, 0.0 * ones, 2.0)
    tau = 1.0 - basic * p._g(TAIL_START) / p._g(x_higher)
    return mu, tau


@dataclass(frozen=True)
class IncomeDistribution:
    """The fitted distributions of one tax year: ``income (R, Q)``, ``mass (Q,)``,
    ``taxpayers (R,)``, with the parameters and the calibration targets."""

    tax_year: str
    codes: tuple[str, ...]
    income: np.ndarray
    mass: np.ndarray
    taxpayers: np.ndarray
    params: Params
    targets: dict


def _spi() -> pd.DataFrame:
    return _read("spi_income_by_region.csv").set_index("code").loc[list(CODES)]


@lru_cache(maxsize=None)
def _sigma_2021() -> tuple[np.ndarray, np.ndarray, dict]:
    """``(mu, sigma)`` of 2021-22 fitted to basic share, SPI median and mean."""
    t = _targets(SPI_YEAR)
    spi = _spi()
    median, mean = spi["total_income_median_gbp"].to_numpy(), spi["total_income_mean_gbp"].to_numpy()
    alpha = tail_alpha(SPI_YEAR)
    tau = t["additional"] * (t["x_additional"] / TAIL_START) ** alpha
    n = len(CODES)

    def residuals(theta):
        p = Params(t["allowance"], theta[:n], theta[n:], tau, alpha)
        return np.concatenate([10 * (p.cdf(t["x_higher"]) / t["basic"] - 1),
                               p.quantile(0.5) / median - 1, p.mean() / mean - 1])

    start = np.concatenate([np.log(median - t["allowance"]), np.full(n, 0.8)])
    bounds = (np.concatenate([np.full(n, 5.0), np.full(n, 0.05)]),
              np.concatenate([np.full(n, 13.0), np.full(n, 3.0)]))
    sparsity = np.tile(np.eye(n), (3, 2))
    fit = optimize.least_squares(residuals, start, bounds=bounds, jac_sparsity=sparsity,
                                 x_scale="jac", xtol=1e-12, ftol=1e-12)
    return fit.x[:n], fit.x[n:], {"cost": float(fit.cost), "status": int(fit.status)}


@lru_cache(maxsize=None)
def fitted(tax_year: str) -> IncomeDistribution:
    """The fitted distributions of ``tax_year`` (one of :data:`YEARS`), cached."""
    if tax_year not in YEARS:
        raise ConfigurationError(f"income distributions are calibrated for {', '.join(YEARS)}, "
                                 f"not {tax_year!r}")
    t = _targets(tax_year)
    alpha = tail_alpha(tax_year)
    tau = t["additional"] * (t["x_additional"] / TAIL_START) ** alpha
    mu, sigma, _ = _sigma_2021()
    if tax_year != SPI_YEAR:
        mu = _solve_mu(t["allowance"], sigma, tau, alpha, t["x_higher"], t["basic"])
    inside = t["x_additional"] < TAIL_START  # e.g. Scotland's advanced rate from GBP 75,000
    if inside.any():
        mu_in, tau_in = _solve_body(t["allowance"], sigma, t["x_higher"], t["x_additional"],
                                    t["basic"], t["additional"])
        mu, tau = np.where(inside, mu_in, mu), np.where(inside, tau_in, tau)
    params = Params(t["allowance"], mu, sigma, tau, alpha)
    _, mass = grid()
    income = params.cells()
    for array in (income, mass, t["taxpayers"]):
        array.flags.writeable = False
    return IncomeDistribution(tax_year, CODES, income, mass, t["taxpayers"], params, t)


def calibration_table(tax_year: str) -> pd.DataFrame:
    """Targets and fitted values per region: payer shares by class (from the fitted
    CDF), and for 2021-22 the SPI median and mean; relative errors."""
    d = fitted(tax_year)
    t, p = d.targets, d.params
    basic = p.cdf(t["x_higher"])
    additional = 1.0 - p.cdf(t["x_additional"])
    n = d.taxpayers
    table = pd.DataFrame({
        "code": CODES,
        "basic_target_thousands": t["basic"] * n / 1e3, "basic_fit_thousands": basic * n / 1e3,
        "higher_target_thousands": (1 - t["basic"] - t["additional"]) * n / 1e3,
        "higher_fit_thousands": (1 - basic - additional) * n / 1e3,
        "additional_target_thousands": t["additional"] * n / 1e3,
        "additional_fit_thousands": additional * n / 1e3,
    })
    if tax_year == SPI_YEAR:
        spi = _spi()
        table["median_target_gbp"] = spi["total_income_median_gbp"].to_numpy()
        table["median_fit_gbp"] = p.quantile(0.5)
        table["mean_target_gbp"] = spi["total_income_mean_gbp"].to_numpy()
        table["mean_fit_gbp"] = p.mean()
    return table
