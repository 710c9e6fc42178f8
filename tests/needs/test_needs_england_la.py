"""The Fair Funding-style needs model of the 296 English authorities."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.data import england_la
from simulator.needs import england_la as model
from simulator.needs.lookup import need_index_for


def test_covers_every_authority_of_england_la_and_averages_100():
    a = model.assess_england_la()
    assert len(a.codes) == 296
    assert set(england_la.load().codes) <= set(a.codes)
    P = a.population
    np.testing.assert_allclose((a.need_index * P).sum() / P.sum(), 1.0, rtol=1e-12)
    np.testing.assert_allclose((a.assessed * P).sum(-1) / P.sum(), a.standard, rtol=1e-12)


def test_switching_off_area_costs_removes_exactly_their_contribution():
    a = model.assess_england_la()
    f = a.factors.index("area_cost")
    off = {c: {k: v for k, v in row.items() if k != "area_cost"} for c, row in model.DEFAULT_WEIGHTS.items()}
    b = model.assess_england_la(off)
    np.testing.assert_allclose(a.assessed - b.assessed, a.contributions[:, f], atol=1e-12)


def test_need_follows_its_drivers():
    """More income deprivation, more assessed need (all else from the data): the most
    deprived tenth of authorities is assessed above the least deprived tenth."""
    a = model.assess_england_la()
    deprivation = a.ratios[a.factors.index("income_deprivation")]
    order = np.argsort(deprivation)
    tenth = len(order) // 10
    assert a.need_index[order[-tenth:]].mean() > a.need_index[order[:tenth]].mean()


def test_lookup_returns_the_model_in_the_callers_order():
    a = model.assess_england_la()
    codes = list(reversed(a.codes[:5]))
    np.testing.assert_allclose(need_index_for(codes), a.need_index[:5][::-1])
    with pytest.raises(ValueError, match="unknown council service block"):
        model.assess_england_la(standard={"police": 1.0})
