"""England's business rates retention (BRR), 2013 scheme.

Councils keep a *local share* (50% in 2013) of the business rates (NNDR)
collected in their area.  At the start of the scheme (and at each *reset*)
the government fixes for each council (Local Government Finance Act 2012,
Sch. 7B; SI 2013/737; DCLG, *Business rates retention: policy statement*):

- its **baseline funding level** BFL_k (its assessed need, from the
  settlement funding assessment), and
- its **business rates baseline** BRB_k (its local share of rates at the
  start);
- a **tariff** (BRB > BFL) or **top-up** (BRB < BFL),
  ``T_k = BRB_k - BFL_k``, fixed between resets and uprated by the
  business rates multiplier index ``u_t``;
- a **levy rate** ``L_k = min(0.5, max(0, 1 - BFL_k / BRB_k))``: the share
  of growth a tariff council pays back (capped at 50%; top-up councils pay
  none).

Then each year t (k the latest reset, ``g_t = u_t / u_k``)::

    retained_t   = local_share x NNDR_t - T_k x g_t        (after tariff/top-up)
    BFL_t        = BFL_k x g_t
    growth_t     = retained_t - BFL_t                       (= local share - BRB_k g_t)
    levy_t       = L_k x max(0, growth_t)
    safety_net_t = max(0, 0.925 x BFL_t - retained_t)       (7.5% below BFL)
    income_t     = retained_t - levy_t + safety_net_t

so no council's income falls below 92.5% of its (uprated) baseline funding
level, and the levy never takes more than half of its growth.

**Resets** re-measure the baseline: ``BRB_k = (1 - s) x BRB_carried + s x
local share_k`` (s = 1 full reset: all growth since the last reset goes back
into the pot; s < 1 partial).  Unless new baseline funding levels are given
(a new needs assessment), the aggregate growth taken back is shared out in
proportion to the carried BFLs: ``BFL_k = BFL_carried x (1 + sum(BRB_k -
BRB_carried) / sum(BFL_carried))`` (never below 0), so tariffs and top-ups
still net to the same total.

Arrays: years on axis -2, councils last; leading axes (draws) broadcast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ConfigurationError
from .transition import restart_index

__all__ = ["BusinessRatesResult", "business_rates_retention", "levy_rate",
           "LEVY_RATE_CAP", "SAFETY_NET_THRESHOLD", "LOCAL_SHARE_2013"]

#: Maximum levy rate on growth (SI 2013/737).
LEVY_RATE_CAP = 0.5
#: Safety net: income is topped up to this share of the baseline funding level.
SAFETY_NET_THRESHOLD = 0.925
#: Local share of business rates retained by councils in the 2013 scheme.
LOCAL_SHARE_2013 = 0.5


def levy_rate(baseline_funding_level, business_rates_baseline, cap: float = LEVY_RATE_CAP) -> np.ndarray:
    """``L = min(cap, max(0, 1 - BFL / BRB))`` (0 for top-up councils)."""
    bfl = np.asarray(baseline_funding_level, dtype=float)
    brb = np.asarray(business_rates_baseline, dtype=float)
    return np.minimum(cap, np.maximum(0.0, 1.0 - bfl / brb))


@dataclass(frozen=True)
class BusinessRatesResult:
    """Every quantity of the scheme by year and council, ``(..., Y, R)``.

    ``tariff`` is positive for a tariff, negative for a top-up;
    ``levy_account`` is the centre's net levy minus safety net ``(..., Y)``.
    """

    local_share: np.ndarray
    business_rates_baseline: np.ndarray
    baseline_funding_level: np.ndarray
    tariff: np.ndarray
    levy_rate: np.ndarray
    retained: np.ndarray
    growth: np.ndarray
    levy: np.ndarray
    safety_net: np.ndarray
    income: np.ndarray

    @property
    def levy_account(self) -> np.ndarray:
        return self.levy.sum(axis=-1) - self.safety_net.sum(axis=-1)

    def to_frame(self, codes, years) -> pd.DataFrame:
        """Tidy table (no leading axes): one row per year and council, money as given."""
        if self.income.ndim != 2:
            raise ConfigurationError("to_frame needs a single run (years, councils); "
                                     "take one draw first")
        n_years, n_councils = self.income.shape
        columns = {"year": np.repeat(np.asarray(years), n_councils),
                   "code": np.tile(np.asarray(codes), n_years)}
        for name in ("local_share", "business_rates_baseline", "baseline_funding_level", "tariff",
                     "levy_rate", "retained", "growth", "levy", "safety_net", "income"):
            columns[name] = getattr(self, name).ravel()
        return pd.DataFrame(columns)


def business_rates_retention(
    rates_collected,
    baseline_funding_level,
    *,
    business_rates_baseline=None,
    local_share: float = LOCAL_SHARE_2013,
    uprating=None,
    resets=None,
    reset_share: float = 1.0,
    new_baseline_funding_level=None,
    levy_cap: float = LEVY_RATE_CAP,
    safety_net: float = SAFETY_NET_THRESHOLD,
) -> BusinessRatesResult:
    """Run the retention scheme over the years (formulas in the module docstring).

    Args:
        rates_collected: business rates collected in each council's area
            ``(..., Y, R)``.
        baseline_funding_level: BFL at the start (year 0) ``(..., R)``.
        business_rates_baseline: BRB at the start ``(..., R)``; default the
            local share of year-0 rates.
        local_share: share of rates kept locally (0.5 in 2013; 0.75 and
            1.0 in later pilots).
        uprating: multiplier index ``u_t`` ``(Y,)`` (1 in year 0), default 1.
        resets: boolean ``(Y,)``, years in which baselines are re-set.
        reset_share: 1 = full reset, between 0 and 1 = partial.
        new_baseline_funding_level: ``(..., Y, R)`` BFLs to use at resets
            (rows of other years ignored); default redistributes the
            aggregate growth pro rata to the carried BFLs.
        levy_cap: maximum levy rate (0.5).
        safety_net: threshold as a share of BFL (0.925).
    """
    collected = np.asarray(rates_collected, dtype=float)
    if collected.ndim < 2:
        raise ConfigurationError("rates_collected needs a year axis: shape (..., years, councils)")
    if not 0.0 < local_share <= 1.0:
        raise ConfigurationError(f"local_share must be in (0, 1] (got {local_share})")
    if not 0.0 <= reset_share <= 1.0:
        raise ConfigurationError(f"reset_share must be between 0 and 1 (got {reset_share})")
    if not 0.0 <= levy_cap <= 1.0:
        raise ConfigurationError(f"levy_cap must be between 0 and 1 (got {levy_cap})")
    if not 0.0 <= safety_net <= 1.0:
        raise ConfigurationError(f"safety_net must be between 0 and 1 (got {safety_net})")
    kept = local_share * collected
    shape = kept.shape
    n_years = shape[-2]
    uprating = np.ones(n_years) if uprating is None else np.asarray(uprating, dtype=float)
    if uprating.shape != (n_years,) or np.any(uprating <= 0):
        raise ConfigurationError(
            f"uprating must be a positive index with one value per year ({n_years})")
    last = restart_index(np.arange(n_years) == 0, resets)

    leading = shape[:-2] + shape[-1:]
    brb = np.zeros(shape)
    bfl = np.zeros(shape)
    brb[..., 0, :] = kept[..., 0, :] if business_rates_baseline is None else np.broadcast_to(
        np.asarray(business_rates_baseline, float), leading)
    bfl[..., 0, :] = np.broadcast_to(np.asarray(baseline_funding_level, float), leading)
    if np.any(brb[..., 0, :] <= 0) or np.any(bfl[..., 0, :] < 0):
        raise ConfigurationError("business rates baselines must be > 0 and baseline funding "
                                 "levels >= 0")
    if new_baseline_funding_level is not None:
        new_bfl = np.broadcast_to(np.asarray(new_baseline_funding_level, float), shape)
    for k in np.flatnonzero(last == np.arange(n_years))[1:]:  # recursion over reset years only
        previous = last[k - 1]
        growth_factor = uprating[k] / uprating[previous]
        carried_brb = brb[..., previous, :] * growth_factor
        carried_bfl = bfl[..., previous, :] * growth_factor
        brb[..., k, :] = (1.0 - reset_share) * carried_brb + reset_share * kept[..., k, :]
        if new_baseline_funding_level is not None:
            bfl[..., k, :] = new_bfl[..., k, :]
        else:
            pot = (brb[..., k, :] - carried_brb).sum(axis=-1, keepdims=True)
            total = carried_bfl.sum(axis=-1, keepdims=True)
            scale = np.where(total > 0, pot / np.where(total > 0, total, 1.0), 0.0)
            bfl[..., k, :] = carried_bfl * np.maximum(0.0, 1.0 + scale)

    factor = (uprating / uprating[last])[:, None]
    baseline = brb[..., last, :] * factor
    funding_level = bfl[..., last, :] * factor
    tariff = baseline - funding_level
    rate = levy_rate(bfl[..., last, :], brb[..., last, :], levy_cap)
    retained = kept - tariff
    growth = retained - funding_level
    levy = rate * np.maximum(0.0, growth)
    net = np.maximum(0.0, safety_net * funding_level - retained)
    return BusinessRatesResult(
        local_share=kept, business_rates_baseline=baseline, baseline_funding_level=funding_level,
        tariff=tariff, levy_rate=rate, retained=retained, growth=growth, levy=levy,
        safety_net=net, income=retained - levy + net)
