"""Who pays: the change in income tax by decile of taxpayers within each region.

For each region and decile of its taxpayers (by total income, whole cells of
the quantile grid): taxpayers, income range, mean income, tax per taxpayer
under the schedule in force and under the new one (at incomes after the
behavioural response, if any), the change per taxpayer and in total, and the
number of winners (pay less) and losers (pay more).  Per region: the yield
before and after and the share of tax paid by the top 1% and top 10%.
All regions at once: sums over cells with ``np.add.reduceat`` on the quantile
axis, no loop over regions.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .distribution import CODES, grid
from .liability import elasticity_array, liability, payer_class, respond
from .model import RegionSchedules
from .schedules import CLASSES, Schedule

__all__ = ["incidence", "IncidenceTables", "system_incidence"]

_TOLERANCE = 0.5  # GBP per taxpayer per year: smaller changes are neither win nor loss


class IncidenceTables:
    """``deciles``: one row per region and decile; ``classes``: one row per region and
    HMRC marginal-rate class (basic, higher, additional) of the payer's top band under the
    schedule in force; ``regions``: one row per region."""

    def __init__(self, deciles: pd.DataFrame, regions: pd.DataFrame, tax_year: str,
                 classes: pd.DataFrame | None = None):
        self.deciles, self.regions, self.tax_year = deciles, regions, tax_year
        self.classes = classes


def _decile_starts() -> np.ndarray:
    edges, _ = grid()
    return np.searchsorted(edges[:-1], np.arange(10) / 10, side="left")


def incidence(chosen: Mapping[str, Schedule], codes: Sequence[str] = CODES,
              elasticity=0.0) -> IncidenceTables:
    """Incidence of moving the regions in ``chosen`` (code -> schedule) from the
    schedule in force; regions not chosen are left out of the tables."""
    rs = RegionSchedules(codes, chosen)
    d = rs.sub()
    e = elasticity_array(elasticity)
    old_income = d.income
    new_income = respond(old_income, rs.old, rs.new, e) if e.any() else old_income
    old_tax = liability(old_income, rs.old)
    new_tax = liability(new_income, rs.new)
    change = new_tax - old_tax
    payers = d.mass * d.taxpayers[:, None]  # (R, Q)
    starts = _decile_starts()
    edges, _ = grid()

    def by_decile(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, starts, axis=-1)  # (R, 10)

    n = by_decile(payers)
    old_total, new_total = by_decile(old_tax * payers), by_decile(new_tax * payers)
    winners = by_decile(payers * (change < -_TOLERANCE))
    losers = by_decile(payers * (change > _TOLERANCE))
    mean_income = by_decile(old_income * payers) / n
    low = d.params.quantile(np.arange(10)[:, None] / 10).T  # (R, 10) lower income limits
    picked = np.array([c in chosen for c in rs.codes])
    r_idx, k_idx = np.nonzero(np.broadcast_to(picked[:, None], n.shape))
    deciles = pd.DataFrame({
        "code": np.array(rs.codes)[r_idx], "decile": k_idx + 1,
        "taxpayers": n[r_idx, k_idx],
        "income_from_gbp": low[r_idx, k_idx], "mean_income_gbp": mean_income[r_idx, k_idx],
        "tax_before_gbp_per_payer": (old_total / n)[r_idx, k_idx],
        "tax_after_gbp_per_payer": (new_total / n)[r_idx, k_idx],
        "change_gbp_per_payer": ((new_total - old_total) / n)[r_idx, k_idx],
        "change_gbp_m": ((new_total - old_total) / 1e6)[r_idx, k_idx],
        "winners": winners[r_idx, k_idx], "losers": losers[r_idx, k_idx],
    })
    top10 = edges[:-1] >= 0.9 - 1e-12
    top1 = edges[:-1] >= 0.99 - 1e-12
    before = (old_tax * payers).sum(-1)
    after = (new_tax * payers).sum(-1)
    regions = pd.DataFrame({
        "code": np.array(rs.codes)[picked], "schedule": np.array(rs.names_new)[picked],
        "yield_before_gbp_m": before[picked] / 1e6, "yield_after_gbp_m": after[picked] / 1e6,
        "change_gbp_m": (after - before)[picked] / 1e6,
        "top1_share_before": ((old_tax * payers)[:, top1].sum(-1) / before)[picked],
        "top1_share_after": ((new_tax * payers)[:, top1].sum(-1) / after)[picked],
        "top10_share_before": ((old_tax * payers)[:, top10].sum(-1) / before)[picked],
        "top10_share_after": ((new_tax * payers)[:, top10].sum(-1) / after)[picked],
        "winners": winners.sum(-1)[picked], "losers": losers.sum(-1)[picked],
    })
    klass = payer_class(old_income, rs.old)  # (R, Q)
    by_class = {name: np.stack([(values * (klass == c)).sum(-1) for c in range(len(CLASSES))],
                               axis=-1)  # (R, 3): a loop over the 3 classes
                for name, values in (("n", payers), ("old", old_tax * payers),
                                     ("new", new_tax * payers),
                                     ("win", payers * (change < -_TOLERANCE)),
                                     ("lose", payers * (change > _TOLERANCE)))}
    r_idx, c_idx = np.nonzero(np.broadcast_to(picked[:, None], by_class["n"].shape))
    n_cls = by_class["n"][r_idx, c_idx]
    with np.errstate(invalid="ignore", divide="ignore"):
        classes = pd.DataFrame({
            "code": np.array(rs.codes)[r_idx], "hmrc_class": np.array(CLASSES)[c_idx],
            "taxpayers": n_cls,
            "tax_before_gbp_per_payer": by_class["old"][r_idx, c_idx] / n_cls,
            "tax_after_gbp_per_payer": by_class["new"][r_idx, c_idx] / n_cls,
            "change_gbp_per_payer": (by_class["new"] - by_class["old"])[r_idx, c_idx] / n_cls,
            "change_gbp_m": (by_class["new"] - by_class["old"])[r_idx, c_idx] / 1e6,
            "winners": by_class["win"][r_idx, c_idx], "losers": by_class["lose"][r_idx, c_idx],
        })
    return IncidenceTables(deciles, regions, rs.tax_year, classes)


def system_incidence(system, codes: Sequence[str]) -> IncidenceTables | None:
    """Incidence of the income-tax schedules of a system (engine ``System`` or scenario
    ``SystemSpec``); None when it has none."""
    from .model import resolve_schedules

    for assignment in system.devolution.values():
        if getattr(assignment, "has_schedule", False):
            chosen = resolve_schedules(codes, assignment.schedule, assignment.schedules)
            return incidence(chosen, codes, assignment.taxable_income_elasticity)
    return None
