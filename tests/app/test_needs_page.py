"""Needs page: the table and metrics equal simulator.needs's assessment; moving a weight
slider changes the result as the model says."""

import numpy as np
import pytest

from simulator.data import uk_itl1
from simulator.needs import DEFAULT_WEIGHTS, assess_itl1, prepare
from simulator.needs import england_la as la_model
from simulator.presentation.needs import relative_to

from app_helpers import assert_ok, frame_with, metric, number, open_page


def check(at, weights, year="2024-25"):
    a = assess_itl1(year, weights)
    table = frame_with(at, "Need index (100 = average)").set_index("Code")
    assert list(table.index) == list(a.codes)
    np.testing.assert_allclose(table["Need index (100 = average)"], (100 * a.need_index).round(1))
    england = np.array([c.startswith("TL") and c < "TLL" for c in a.codes])
    relative = dict(zip(a.codes, relative_to(a, prepare(year).population, england)))
    assert number(metric(at, "Wales").value) == pytest.approx(round(relative["TLL"], 1))


def test_default_page_shows_the_model(library):
    at = open_page("needs")
    assert_ok(at)
    check(at, DEFAULT_WEIGHTS)
    assert len(at.get("plotly_chart")) == 4  # contributions, map, categories, authorities' map
    la = frame_with(at, "Authority").set_index("Code")
    truth = la_model.assess_england_la()
    assert len(la) == 296
    np.testing.assert_allclose(la.loc[list(truth.codes), "Need index (100 = average)"],
                               (100 * truth.need_index).round(1))
    funded = frame_with(at, "Funded relative to need (100 = at need)")
    assert len(funded) == 12
    # the worked example (Wales, health by default) ends with the model's numbers
    a = assess_itl1()
    c, i = a.categories.index("health"), a.codes.index("TLL")
    assert f"{a.assessed[c, i]:,.0f}" in at.latex[-2].value
    assert f"{100 * a.index_by_category[c, i]:.1f}" in at.latex[-1].value


def test_weights_update_the_result(library):
    at = open_page("needs")
    at.slider(key="nd_w_health_very_old").set_value(0.4).run()
    assert_ok(at)
    weights = {c: dict(r) for c, r in DEFAULT_WEIGHTS.items()}
    weights["health"]["very_old"] = 0.4
    check(at, weights)
    # too much weight for one category: a clear message, no traceback
    at.slider(key="nd_w_health_older").set_value(0.9).run()
    assert not at.exception
    assert any("at most 1" in e.value for e in at.error)


def test_learn_page_explains_the_assessment(library):
    at = open_page("learn")
    assert_ok(at)
    a = assess_itl1()
    c, i = a.categories.index("health"), a.codes.index("TLL")
    assert any(f"{a.assessed[c, i]:,.0f}" in x.value for x in at.latex)
    assert any(f"{100 * a.need_index[i]:.1f}" in m.value for m in at.markdown)


def test_explore_shows_funding_against_need(library):
    at = open_page("explore", scenario="needs_based")
    assert_ok(at)
    table = frame_with(at, "Funded relative to need, after (100 = at need, 2024-25)")
    np.testing.assert_allclose(table["Funded relative to need, after (100 = at need, 2024-25)"],
                               100.0, atol=0.05)
    assert len(table) == 12
