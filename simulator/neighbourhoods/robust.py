"""Robust selection: how likely each neighbourhood is to be selected when the
indicators are noisy and the weights are a choice.

Uses the rank-uncertainty machinery of the composite need index
(:mod:`simulator.need_index.uncertainty`): the same normalisations
(:func:`~simulator.need_index.normalise.normalise`), the same Dirichlet weights
around the chosen ones (:func:`~simulator.need_index.weights.dirichlet_weights`,
concentration c: mean w0, variance w0 (1 - w0) / (c + 1)) and the same
weighted arithmetic aggregation.  In each draw d:

    z_k,i  = normalised indicator k (method drawn uniformly from ``normalisations``)
    x_k,i  = z_k,i + sigma_k e_d,k,i,   e ~ N(0, 1),  sigma_k = noise x sd_i(z_k)
    w_d    ~ Dirichlet(c w0)
    C_d,i  = sum_k w_d,k x_k,i
    S_d    = the ``places`` areas of highest C_d (rule ``top_n``), or the areas in
             the top decile of both noisy measures (rule ``both_top_decile``,
             two measures, no weights)

and the selection probability of area i is the share of draws with i in S_d.
An area with probability near 1 or 0 is a safe call; near 0.5 it is knife-edge.

Draws run in chunks along a leading axis (no loop over areas); the chunk is
sized so the working arrays stay under ``memory_mb``.  Top-N uses
``np.argpartition`` (linear in N), not a full sort.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np

from ..errors import ConfigurationError
from .allocation import select_both_top_decile, select_top_n
from ..need_index.normalise import NORMALISATIONS, normalise
from ..need_index.weights import dirichlet_weights

__all__ = ["SelectionProbability", "selection_probability", "chunk_size"]

#: float32 arrays of shape (chunk, N) alive at once per measure (gathered scores,
#: noise), plus the composite, its partitioned copy and the masks (conservative)
_ARRAYS_PER_MEASURE = 2
_ARRAYS_FIXED = 4
_BYTES = 4


@dataclass(frozen=True, eq=False)
class SelectionProbability:
    """Per area: the share of draws in which it is selected, and the run's settings."""

    probability: np.ndarray         # (N,)
    base_selected: np.ndarray       # (N,) bool: selected without noise, own weights, zscore
    draws: int
    chunk: int
    peak_bytes: int                 # the working arrays of one chunk (estimate)

    def knife_edge(self, low: float = 0.2, high: float = 0.8) -> np.ndarray:
        """Areas whose selection is uncertain: low < probability < high."""
        return (self.probability > low) & (self.probability < high)


def chunk_size(n_areas: int, n_measures: int, memory_mb: float) -> int:
    """Draws per chunk so that the working float64 arrays fit ``memory_mb``."""
    per_draw = _BYTES * n_areas * (_ARRAYS_PER_MEASURE * n_measures + _ARRAYS_FIXED)
    return max(1, int(memory_mb * 1e6 // per_draw))


def _top_mask(values: np.ndarray, count: int) -> np.ndarray:
    """True for the ``count`` largest entries of each row: the count-th largest value by
    ``np.partition`` (linear in N), then one comparison; values tied with it at the
    cut-off are all selected (with noise, ties have probability ~0)."""
    n = values.shape[-1]
    kth = np.partition(values, n - count, axis=-1)[..., n - count:n - count + 1]
    return values >= kth


def selection_probability(measures: Sequence[np.ndarray], weights: Sequence[float] | None = None,
                          *, rule: Literal["top_n", "both_top_decile"] = "top_n",
                          places: int | None = None, draws: int = 1000, noise: float = 0.1,
                          concentration: float = 20.0,
                          normalisations: Sequence[str] = ("zscore",),
                          seed: int | None = 0, memory_mb: float = 64.0,
                          signs: Sequence[float] | None = None) -> SelectionProbability:
    """Probability that each area is selected, over ``draws`` noisy draws.

    Args:
        measures: K indicators, each ``(N,)`` (higher = more need unless
            ``signs`` says -1).
        weights: chosen weights w0 (default equal); drawn around with
            Dirichlet concentration ``concentration`` (``inf`` or 0 noise on
            weights: pass ``concentration=float('inf')`` to keep them).
        rule: ``top_n`` (``places`` highest composite) or ``both_top_decile``
            (exactly two measures: top decile of each).
        noise: indicator noise as a share of each normalised indicator's
            standard deviation (0 = none).
        normalisations: methods drawn uniformly per draw (``zscore``,
            ``minmax``, ``rank``, ``distance``).
        memory_mb: budget for one chunk's working arrays.
    """
    values = np.stack([np.asarray(m, dtype=float) for m in measures])   # (K, N)
    k, n = values.shape
    if not np.isfinite(values).all():
        raise ConfigurationError("selection_probability: every measure must be finite")
    if not 1 <= draws <= 100_000:
        raise ConfigurationError(f"draws must be between 1 and 100000, got {draws}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ConfigurationError(f"noise must be >= 0, got {noise}")
    unknown = [m for m in normalisations if m not in NORMALISATIONS]
    if unknown or not normalisations:
        raise ConfigurationError(f"unknown normalisation {unknown[:1]}; choose from "
                                 f"{', '.join(NORMALISATIONS)}")
    if rule == "top_n":
        if places is None or not 1 <= places <= n:
            raise ConfigurationError(f"rule 'top_n' needs places between 1 and {n}")
    elif rule == "both_top_decile":
        if k != 2:
            raise ConfigurationError("rule 'both_top_decile' takes exactly two measures")
    else:
        raise ConfigurationError(f"unknown rule {rule!r}")
    w0 = np.full(k, 1.0 / k) if weights is None else np.asarray(weights, dtype=float)
    if w0.shape != (k,) or not (np.isfinite(w0).all() and (w0 >= 0).all() and w0.sum() > 0):
        raise ConfigurationError("weights: one finite weight >= 0 per measure, positive sum")
    w0 = w0 / w0.sum()
    sign = np.ones(k) if signs is None else np.asarray(signs, dtype=float)

    rng = np.random.default_rng(seed)
    stack = np.stack([normalise(values, sign, m) for m in normalisations])   # (M, K, N)
    sd = stack.std(axis=-1, keepdims=True)                                  # (M, K, 1)
    # the draws work in float32 (half the memory and time; a normalised score of
    # order 1 keeps ~7 significant digits, far below the noise)
    stack32, sd32 = stack.astype(np.float32), sd.astype(np.float32)
    decile = int(np.ceil(n / 10))

    def select(x: np.ndarray, w: np.ndarray) -> np.ndarray:
        """x (D, K, N), w (D, K) -> selected (D, N)."""
        if rule == "top_n":
            composite = np.einsum("dk,dkn->dn", w.astype(np.float32), x)
            return _top_mask(composite, places)
        return _top_mask(x[:, 0], decile) & _top_mask(x[:, 1], decile)

    # the chosen selection: first normalisation, own weights, no noise, exact ties rule
    if rule == "top_n":
        base = select_top_n(w0 @ stack[0], places) > 0
    else:
        base = select_both_top_decile(stack[0, 0], stack[0, 1]) > 0
    chunk = min(draws, chunk_size(n, k, memory_mb))
    counts = np.zeros(n, dtype=np.int64)
    vary = np.isfinite(concentration)
    for start in range(0, draws, chunk):
        d = min(chunk, draws - start)
        method = rng.integers(len(normalisations), size=d)
        x = stack32[method]                                                  # (d, K, N)
        if noise > 0:
            e = rng.standard_normal((d, k, n), dtype=np.float32)
            e *= (noise * sd32[method])
            e += x
            x = e
        w = dirichlet_weights(rng, w0, concentration, d) if vary else np.broadcast_to(w0, (d, k))
        counts += select(x, w).sum(axis=0)
    peak = _BYTES * chunk * n * (_ARRAYS_PER_MEASURE * k + _ARRAYS_FIXED)
    return SelectionProbability(probability=counts / draws, base_selected=base, draws=draws,
                                chunk=chunk, peak_bytes=peak)
