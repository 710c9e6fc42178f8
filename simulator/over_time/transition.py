"""Transition paths: phasing a reform in, and periodic resets.

Real systems rarely move from one settlement to another overnight, and the
baselines they fix at the start are re-set from time to time:

- **Phase-in** (Australia's 2018 GST reform, CGC Act s.16AB: a five-year even
  transition blending old and new relativities; Germany's 2020 reform):
  in year t of an N-year transition a weight ``w_t = min(1, (t - start + 1) / N)``
  (0 before ``start``) blends the two settlements::

      resources_t = (1 - w_t) x baseline_t + w_t x reform_t

- **Resets** (England's business rates retention, where growth above the
  baseline is redistributed at each reset; the periodic re-basing of block
  grant adjustments): in a reset year a baseline B is moved towards the
  current value V by the share ``s`` (1 = full reset, 0.5 = half the gap)::

      B_reset = (1 - s) x B_carried + s x V

  and carried (indexed) until the next reset.

Arrays keep years on axis -2 and regions last (leading axes: draws); a
schedule is a boolean vector over the year axis.
"""

from __future__ import annotations

import numpy as np

from ..errors import ConfigurationError

__all__ = ["reset_schedule", "last_reset_index", "restart_index", "phase_in_weights", "phase_in", "with_transition"]


def reset_schedule(n_years: int, every: int | None, first: int = 0) -> np.ndarray:
    """Boolean ``(n_years,)`` vector, True in the years a baseline is re-set.

    ``first`` is the index of the first reset; then every ``every`` years.
    ``every=None`` means no reset after ``first``.

    >>> reset_schedule(7, 3).astype(int).tolist()
    [1, 0, 0, 1, 0, 0, 1]
    """
    if n_years < 1:
        raise ConfigurationError(f"reset_schedule needs at least one year (got {n_years})")
    if every is not None and every < 1:
        raise ConfigurationError(f"resets 'every' must be at least 1 year (got {every})")
    if not 0 <= first < n_years:
        raise ConfigurationError(
            f"first reset index {first} is outside the {n_years} years of the run")
    years = np.arange(n_years)
    if every is None:
        return years == first
    return (years >= first) & ((years - first) % every == 0)


def last_reset_index(resets: np.ndarray) -> np.ndarray:
    """For each year, the index of the latest reset at or before it ``(Y,)``.

    Years before the first reset point at year 0 (treated as the original
    baseline).  A cumulative maximum, no loop.
    """
    resets = np.asarray(resets, dtype=bool)
    return np.maximum.accumulate(np.where(resets, np.arange(resets.size), 0))


def restart_index(anchors: np.ndarray, resets: np.ndarray | None) -> np.ndarray:
    """Index of the latest restart at or before each year ``(Y,)``.

    A path restarts in its ``anchors`` (e.g. the base year and the years
    before it) and in the years flagged by ``resets`` (a boolean vector over
    the same years, or None).
    """
    anchors = np.asarray(anchors, dtype=bool)
    if resets is not None:
        resets = np.asarray(resets, dtype=bool)
        if resets.shape != anchors.shape:
            raise ConfigurationError(f"resets must be a boolean vector over the {anchors.size} "
                                     f"years, got shape {resets.shape}")
        anchors = anchors | resets
    return last_reset_index(anchors)


def phase_in_weights(n_years: int, transition_years: int, start: int = 0) -> np.ndarray:
    """Weight of the reform in each year, ``(n_years,)``, rising evenly to 1.

    ``w_t = clip((t - start + 1) / N, 0, 1)``: with ``N = 5`` and ``start = 0``
    the weights are 0.2, 0.4, 0.6, 0.8, 1, 1, ...  ``N = 1`` switches at once.
    """
    if transition_years < 1:
        raise ConfigurationError(
            f"transition_years must be at least 1 (got {transition_years})")
    if start < 0:
        raise ConfigurationError(f"transition start must be >= 0 (got {start})")
    t = np.arange(n_years)
    return np.clip((t - start + 1) / transition_years, 0.0, 1.0)


def phase_in(baseline: np.ndarray, reform: np.ndarray, transition_years: int,
             start: int = 0) -> np.ndarray:
    """Blend ``baseline`` into ``reform`` over ``transition_years``.

        X_t = (1 - w_t) x baseline_t + w_t x reform_t,  w_t = phase_in_weights

    Args:
        baseline, reform: arrays ``(..., Y, R)`` (years on axis -2).
        transition_years: N, the number of years to reach the reform in full.
        start: index of the first year of the transition.
    """
    baseline, reform = np.broadcast_arrays(np.asarray(baseline, float), np.asarray(reform, float))
    if baseline.ndim < 2:
        raise ConfigurationError("phase_in needs arrays with a year axis (years, regions)")
    weights = phase_in_weights(baseline.shape[-2], transition_years, start)[:, None]
    return (1.0 - weights) * baseline + weights * reform


def with_transition(state, baseline, transition_years: int, start: int = 0,
                    label: str = "Transition"):
    """Phase a reform in: add a transfer that keeps each region on the blended path.

        T_t = (1 - w_t) x (resources_baseline,t - resources_reform,t)

    so resources become ``(1 - w_t) x baseline + w_t x reform``; the centre
    pays (or keeps) the difference.  ``state`` and ``baseline`` are final
    :class:`~simulator.state.FiscalState` of the reform and of the baseline,
    with years on axis -2.
    """
    reform = state.resources
    if reform.ndim < 2:
        raise ConfigurationError("a transition needs a multi-year run (years on axis -2)")
    weights = phase_in_weights(reform.shape[-2], transition_years, start)[:, None]
    amount = (1.0 - weights) * (baseline.resources - reform)
    return state.with_transfer(state.unique_label(label), amount)
