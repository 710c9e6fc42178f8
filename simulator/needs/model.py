"""The representative expenditure model (the core, vectorised; no data reading here).

For each service category c, region i and cost driver (disability) f:

    r_f,i   = x_f,i / xbar_f,        xbar_f = sum_i P_i x_f,i / sum_i P_i
    A_c,i   = s_c x (1 + sum_f w_c,f x (r_f,i - 1))          (per head)
    K_c,f,i = s_c x w_c,f x (r_f,i - 1)                        (factor contribution)

``x_f,i`` is the driver per head in region i (the share of people aged 5-18,
a deprivation score, a pay level...), ``r`` its ratio to the population-weighted
average, ``s_c`` the standard (the national average spending per head in the
category) and ``w_c,f`` the weight: the share of the category's spending that
varies with that driver (a judgement, see :mod:`simulator.needs.factors`).
Because the population-weighted mean of every ``r_f`` is exactly 1, the
population-weighted mean of ``A_c`` is exactly ``s_c`` without any rescaling
(the normalisation is built in), and each factor's contribution ``K_c,f`` is
additive: switching a factor off (``w = 0``) removes exactly ``K_c,f``.  With
weights >= 0 whose sum per category is at most 1, ``A >= s_c x (1 - sum w) >= 0``.

The need index of region i in category c is ``A_c,i / s_c`` (mean 1 over the
population) and overall ``sum_c A_c,i / sum_c s_c``.  This is the
Commonwealth Grants Commission's "assessment by category" in its additive
form (CGC, *Report on GST Revenue Sharing Relativities*, vol. 2, 2020 review:
assessed expenses = national average spending per capita x disabilities).

Shapes: regions on the last axis; drivers ``(..., F, R)``, weights
``(..., C, F)``, standards ``(..., C)``, population ``(..., R)``; any leading
axes (years, draws, sweep points) broadcast.  No loop over regions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Assessment", "assess", "relative_to_average"]


def relative_to_average(values: np.ndarray, population: np.ndarray) -> np.ndarray:
    """``x / (sum P x / sum P)`` along the last axis: population-weighted mean exactly 1.

    ``values`` ``(..., F, R)`` or ``(..., R)``, ``population`` ``(..., R)``.
    A driver whose average is 0 (nobody has it) gives ratio 1 everywhere.
    """
    values = np.asarray(values, dtype=float)
    population = np.asarray(population, dtype=float)
    if values.ndim > population.ndim:
        population = population[..., None, :]
    mean = (values * population).sum(-1, keepdims=True) / population.sum(-1, keepdims=True)
    safe = np.where(mean > 0, mean, 1.0)
    return np.where(mean > 0, values / safe, 1.0)


@dataclass(frozen=True, eq=False)
class Assessment:
    """A needs assessment.  Per-head amounts are in the currency of ``standard``.

    Attributes:
        codes, categories, factors: labels of the region, category and factor axes.
        population: ``(..., R)``.
        standard: national average spending per head by category ``(..., C)``.
        weights: ``(..., C, F)``.
        ratios: driver ratios to the average ``(..., F, R)``.
        contributions: ``(..., C, F, R)`` per head (sum over F = assessed - standard).
        assessed: assessed spending per head ``(..., C, R)``.
    """

    codes: tuple[str, ...]
    categories: tuple[str, ...]
    factors: tuple[str, ...]
    population: np.ndarray
    standard: np.ndarray
    weights: np.ndarray
    ratios: np.ndarray
    contributions: np.ndarray
    assessed: np.ndarray

    @property
    def index_by_category(self) -> np.ndarray:
        """Assessed / standard per category ``(..., C, R)`` (population-weighted mean 1)."""
        standard = self.standard[..., None]
        return self.assessed / np.where(standard > 0, standard, 1.0)

    @property
    def assessed_total(self) -> np.ndarray:
        """Assessed spending per head, all categories ``(..., R)``."""
        return self.assessed.sum(-2)

    @property
    def need_index(self) -> np.ndarray:
        """Overall need index ``(..., R)``: assessed / standard over all categories (mean 1)."""
        return self.assessed_total / self.standard.sum(-1)[..., None]

    @property
    def factor_contributions(self) -> np.ndarray:
        """Each factor's contribution to the overall index ``(..., F, R)`` (sums to index - 1)."""
        return self.contributions.sum(-3) / self.standard.sum(-1)[..., None, None]


def assess(population: np.ndarray, drivers: np.ndarray, standard: np.ndarray,
           weights: np.ndarray, *, codes=(), categories=(), factors=()) -> Assessment:
    """Assessed spending per head by category and region (see the module formula).

    Args:
        population: persons ``(..., R)``.
        drivers: the drivers per head ``(..., F, R)`` (any scale: only ratios matter).
        standard: average spending per head by category ``(..., C)``.
        weights: ``(..., C, F)``, each >= 0, each category's sum <= 1.

    Raises:
        ValueError: a negative or non-finite weight, a category whose weights sum
            above 1, or a negative or non-finite driver or population.
    """
    population = np.asarray(population, dtype=float)
    drivers = np.asarray(drivers, dtype=float)
    standard = np.asarray(standard, dtype=float)
    weights = np.asarray(weights, dtype=float)
    if not np.isfinite(weights).all() or (weights < 0).any():
        raise ValueError("needs weights must be finite and >= 0")
    if (weights.sum(-1) > 1 + 1e-12).any():
        raise ValueError("each category's needs weights must sum to at most 1 "
                         "(the share of its spending that varies with the drivers)")
    if not np.isfinite(drivers).all() or (drivers < 0).any():
        raise ValueError("needs drivers must be finite and >= 0")
    if not np.isfinite(population).all() or (population < 0).any() or (population.sum(-1) <= 0).any():
        raise ValueError("population must be finite, >= 0 and not all 0")
    ratios = relative_to_average(drivers, population)
    contributions = (standard[..., :, None, None] * weights[..., :, :, None]
                     * (ratios[..., None, :, :] - 1.0))
    assessed = standard[..., :, None] + contributions.sum(-2)
    return Assessment(tuple(codes), tuple(categories), tuple(factors), population, standard,
                      weights, ratios, contributions, assessed)
