"""Need assessments as tidy tables (for the command line and exports)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .factors import FACTORS
from .itl1 import LATEST_YEAR, assess_itl1, funding_against_need, prepare

__all__ = ["itl1_report", "england_la_report"]

ENGLAND = ("TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK")


def itl1_report(year: str = LATEST_YEAR) -> pd.DataFrame:
    """One row per nation and region: need index (100 = UK), relative to England,
    each factor's contribution (index points), today's spending index and the
    funding relative to need."""
    from ..data import uk_itl1

    names = dict(zip(uk_itl1.areas()["code"], uk_itl1.areas()["name"]))
    p = prepare(year)
    a = assess_itl1(year, prepared=p)
    england = np.isin(a.codes, ENGLAND)
    base = (a.need_index * p.population * england).sum() / (p.population * england).sum()
    frame = pd.DataFrame({"code": a.codes, "region": [names[c] for c in a.codes],
                          "need_index": 100 * a.need_index,
                          "relative_to_england": 100 * a.need_index / base})
    for f, factor in enumerate(a.factors):
        frame[f"{FACTORS[factor].title} (points)"] = 100 * a.factor_contributions[f]
    funding = funding_against_need(p, a)
    frame["spending_index"] = funding["spending_index"]
    frame["funded_relative_to_need"] = funding["funded_relative_to_need"]
    return frame


def england_la_report() -> pd.DataFrame:
    """One row per English authority: need index (100 = England) and each block's index."""
    from . import england_la

    p = england_la.prepare()
    a = england_la.assess_england_la(prepared=p)
    frame = pd.DataFrame({"code": a.codes, "authority": p.names, "need_index": 100 * a.need_index})
    for c, category in enumerate(a.categories):
        frame[f"{category}_index"] = 100 * a.index_by_category[c]
    return frame
