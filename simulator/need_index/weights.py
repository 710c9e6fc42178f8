"""Weights of indicators within a mission and of missions in the composite.

* ``equal``: every component the same weight, ``w_k = 1 / K``.
* ``given``: the weights written in the missions YAML, rescaled to sum 1.
* ``pca``: principal-components weights (OECD/JRC Handbook, section 6.1):
  the squared loadings of the first principal component of the correlation
  matrix of the normalised components, ``w_k = v_k^2`` with ``v`` the unit
  eigenvector of the largest eigenvalue (so ``sum w = 1``).  This is the
  single-factor case of the Handbook's procedure (no rotation, one factor):
  components that move with the common factor weigh more, a component
  uncorrelated with the rest can get a weight near zero.  If the largest
  eigenvalue is repeated, the squared loadings are averaged over its
  eigenspace (basis-free, so the weights do not depend on the order of areas).  The weights depend on
  the data, so (unlike equal or given weights) the composite is not guaranteed
  to rise with every indicator under ``pca``.
* Dirichlet draws around chosen weights for Monte-Carlo uncertainty:
  ``w ~ Dirichlet(c w0)``, mean ``w0``, variance ``w0 (1 - w0) / (c + 1)``;
  a zero weight stays zero.
"""

from __future__ import annotations

import numpy as np

from ..errors import ConfigurationError

__all__ = ["Weighting", "WEIGHTINGS", "equal_weights", "rescale_weights", "pca_weights",
           "dirichlet_weights"]

WEIGHTINGS: tuple[str, ...] = ("equal", "given", "pca")
Weighting = str


def equal_weights(n: int) -> np.ndarray:
    """``(n,)`` weights of ``1 / n``."""
    if n < 1:
        raise ConfigurationError("equal weights need at least one component")
    return np.full(n, 1.0 / n)


def rescale_weights(weights: np.ndarray) -> np.ndarray:
    """Non-negative weights rescaled to sum 1 along the last axis."""
    weights = np.asarray(weights, dtype=float)
    if (weights < 0).any() or not np.isfinite(weights).all():
        raise ConfigurationError("weights must be finite and non-negative")
    total = weights.sum(axis=-1, keepdims=True)
    if (total <= 0).any():
        raise ConfigurationError("weights must not all be zero")
    return weights / total


def pca_weights(scores: np.ndarray) -> np.ndarray:
    """Squared first-component loadings of ``scores`` ``(..., K, A)`` -> ``(..., K)``.

    The correlation matrix is taken over areas; a constant component has zero
    correlation with everything (weight 0 unless all are constant, then equal).
    """
    scores = np.asarray(scores, dtype=float)
    k = scores.shape[-2]
    if k == 1:
        return np.ones(scores.shape[:-1])
    centred = scores - scores.mean(axis=-1, keepdims=True)
    sd = np.sqrt((centred ** 2).mean(axis=-1, keepdims=True))
    varies = sd > 1e-12 * np.abs(scores).max(axis=-1, keepdims=True)
    standard = np.divide(centred, sd, out=np.zeros_like(centred), where=varies)
    correlation = standard @ np.swapaxes(standard, -1, -2) / scores.shape[-1]   # (..., K, K)
    values, vectors = np.linalg.eigh(correlation)
    # squared loadings on the largest eigenvalue; if it is repeated the component is
    # not identified, so average over its eigenspace (the projector's diagonal / dim)
    largest = values[..., -1:]
    tied = values >= largest - 1e-8 * np.maximum(1.0, np.abs(largest))
    weights = (vectors ** 2 * tied[..., None, :]).sum(axis=-1) / tied.sum(axis=-1, keepdims=True)
    degenerate = weights.sum(axis=-1, keepdims=True) == 0
    return np.where(degenerate, 1.0 / k, weights / np.where(degenerate, 1.0, weights.sum(
        axis=-1, keepdims=True)))


def dirichlet_weights(rng: np.random.Generator, base: np.ndarray, concentration: float,
                      draws: int) -> np.ndarray:
    """``draws`` Dirichlet weight vectors around ``base`` (last axis), ``(draws, *base.shape)``.

    Uses Gamma draws ``g_k ~ Gamma(c w0_k)``, ``w = g / sum g``, so several weight
    vectors (one per mission, rows of ``base``) are drawn at once; components
    with ``w0_k = 0`` stay 0.
    """
    if not concentration > 0:
        raise ConfigurationError(f"concentration must be > 0, got {concentration}")
    base = rescale_weights(base)
    gamma = rng.standard_gamma(concentration * np.broadcast_to(base, (draws, *base.shape)))
    total = gamma.sum(axis=-1, keepdims=True)
    # a row whose gammas all underflow to 0 keeps its base weights
    return np.where(total > 0, gamma / np.where(total > 0, total, 1.0), base)
