"""Plain words and chart summaries (simulator.presentation.glossary, .gains, .need_controls):
labels for identifiers, sentences that state the data's extremes, the weights override."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.presentation import gains, glossary, need_controls
from simulator.steps import STEP_TYPES, GapFill


def test_every_step_type_and_page_has_a_plain_label():
    assert set(STEP_TYPES) <= set(glossary.STEP_TYPE_LABELS)
    assert all("_" not in label for label in glossary.STEP_TYPE_LABELS.values())
    assert set(glossary.PAGE_TITLES) == {"explore", "compare", "over_time", "need_index",
                                         "targets", "learn", "editor", "data", "needs",
                                         "neighbourhoods", "taxes", "income_tax"}
    assert len(set(glossary.PAGE_TITLES.values())) == len(glossary.PAGE_TITLES)


def test_parameter_option_metric_and_reason_in_words():
    steps = [GapFill(label="75% gap-fill", rate=0.75)]
    assert glossary.parameter_label("steps[0].rate", steps) == \
        "rate (share of the gap closed) of step 1, 75% gap-fill"
    assert glossary.parameter_label("steps[2].standard.fraction") == \
        "standard, as a share of the average of step 3"
    assert glossary.option_label("Guaranteed share of average resources: share",
                                 "steps[0].standard.fraction") == \
        "Guaranteed share of average resources: standard, as a share of the average"
    assert glossary.metric_label("cost_to_centre_gbp_m", "GBP") == \
        "Cost to the centre against the baseline (GBP m)"
    assert glossary.metric_label("gini_before") == "Gini of resources per head (0 = equal), baseline"
    reason = "rate (steps[0].rate) = 0.99: the lowest region ..."
    assert glossary.plain_reason(reason, "steps[0].rate", steps) == \
        "rate (share of the gap closed) of step 1, 75% gap-fill = 0.99: the lowest region ..."


def test_abbreviations_are_explained_once_each():
    text = glossary.explain_abbreviations("Legal source: FPFAA (R.S.C. 1985 c. F-8) s.3.2")
    assert "FPFAA: Canada's Federal-Provincial Fiscal Arrangements Act" in text
    assert "R.S.C.: Revised Statutes of Canada" in text
    assert glossary.explain_abbreviations("no abbreviation") == "no abbreviation"
    assert "FAG:" not in glossary.explain_abbreviations("FAGx and xFAG")


def test_glossary_covers_the_terms_of_the_issue():
    terms = set(glossary.glossary_table()["Term"])
    for term in ("Equalisation", "Fiscal capacity", "Representative tax system (RTS)",
                 "Gap-fill", "Standard", "Block grant adjustment (BGA)", "Barnett formula",
                 "Relativity", "Levy", "Safety net", "FPFAA"):
        assert term in terms


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=30))
def test_range_summary_names_the_lowest_and_highest(values):
    labels = [f"Area {i}" for i in range(len(values))]
    text = glossary.range_summary(labels, values, what="X", unit="GBP per head", year="2024-25")
    low, high = int(np.argmin(values)), int(np.argmax(values))
    if glossary._number(values[low], "GBP") == glossary._number(values[high], "GBP"):
        assert "in all" in text
    else:
        assert f"{glossary._number(values[low], 'GBP')} in {labels[low]} to " \
               f"{glossary._number(values[high], 'GBP')} in {labels[high]}" in text
    assert "2024-25" in text and f"{len(values)} area" in text


def test_range_summary_counts_missing_values():
    text = glossary.range_summary(["A", "B", "C"], [1.0, np.nan, 3.0], what="Score",
                                  unit="score")
    assert "from 1.00 in A to 3.00 in C, across 2 areas (1 without a value)" in text


def test_gains_summary_counts_winners_and_losers():
    table = pd.DataFrame({"code": ["A", "B", "C"], "region": ["Alpha", "Beta", "Gamma"],
                          "Reform": [120.0, -30.0, 0.0], "Nothing": [0.0, 0.0, 0.0]})
    assert gains.changing_columns(table, ["Reform", "Nothing"]) == ["Reform"]
    text = gains.gains_losses_summary(table, ["Reform"], currency="GBP", year="2024-25")
    assert text == ("Under Reform, 1 of 3 regions gain and 1 lose (GBP per head, 2024-25); "
                    "the largest gain is Alpha (+GBP 120); the largest loss is Beta (-GBP 30).")
    figure = gains.gains_losses_figure(table, ["Reform"], currency="GBP", year="2024-25")
    bars = figure.data[0]
    assert dict(zip(bars.y, bars.x)) == {"Alpha": 120.0, "Beta": -30.0, "Gamma": 0.0}
    assert "GBP per head, 2024-25" in figure.layout.title.text.replace("<br>", " ")


def test_weights_override_keeps_the_rest_and_refuses_unknown_names():
    from simulator.need_index import load_missions

    base = load_missions()
    key = need_controls.weight_key({"growth": 3.0}, {"imd_income_score": 2.0})
    changed = need_controls.missions_with_weights(key)
    assert changed.missions["growth"].weight == 3.0
    income = [i for i in changed.missions["growth"].indicators if i.id == "imd_income_score"]
    assert income[0].weight == 2.0
    for name, mission in base.missions.items():
        if name != "growth":
            assert changed.missions[name] == mission
    with pytest.raises(ValueError, match="unknown mission or indicator 'nope'"):
        need_controls.missions_with_weights(need_controls.weight_key({"nope": 1.0}, {}))
    frame = pd.DataFrame({"group": ["a", "b", "a"]})
    assert len(need_controls.filter_regions(frame, "group", ["a"])) == 2
    assert len(need_controls.filter_regions(frame, "group", [])) == 3


def test_gains_chart_of_many_areas_draws_the_extremes():
    n = 100
    table = pd.DataFrame({"code": [f"A{i}" for i in range(n)],
                          "region": [f"Area {i}" for i in range(n)],
                          "Reform": np.arange(n, dtype=float) - 50})
    figure = gains.gains_losses_figure(table, ["Reform"], currency="GBP", year="2024-25",
                                       extremes=10)
    shown = list(figure.data[0].x)
    assert shown == list(np.arange(10) - 50.0) + list(np.arange(90, 100) - 50.0)
    title = figure.layout.title.text.replace("<br>", " ")  # wrapped for a phone
    assert "10 largest losses and gains of 100 areas" in title
