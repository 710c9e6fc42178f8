"""The Targets page: solved cards and budget tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ['solve_cards', 'budget_table', 'with_contribution_step']


def solve_cards(result: Any, kind: str, currency: str, year: str, metric: str = "gini"
                ) -> list[dict[str, str]]:
    """Headline figures of a ``SolveResult`` for ``st.metric``: the answer and
    what it achieves, with units and the year.  ``kind``: ``min_share``,
    ``self_financing`` or ``budget`` (``metric``: the one minimised)."""
    parameter = result.parameter or "-"
    answer = "not reachable" if result.value is None else f"{result.value:.4g}"
    cards = [{"label": f"Answer: {parameter}", "value": answer,
              "help": "The parameter value that meets the target (a rate or share, 0-1; an "
                      "index for a guarantee target)."}]
    if kind == "min_share":
        cards.append({"label": f"Lowest region, % of average ({year})",
                      "value": ("n/a" if result.achieved is None
                                else f"{100 * result.achieved:.1f}%"),
                      "help": "At the answer, or the best reachable if the target cannot be met."})
    elif kind == "self_financing":
        cards.append({"label": f"Centre's net cost ({currency} m a year, {year})",
                      "value": "n/a" if result.achieved is None
                      else f"{currency} {result.achieved:,.0f} m",
                      "help": "At the answer, or the lowest reachable if it cannot be met."})
        paid = result.details.get("paid_in_m")
        if paid is not None:
            cards.append({"label": f"Paid in by regions ({currency} m a year, {year})",
                          "value": f"{currency} {paid:,.0f} m",
                          "help": "What contributing regions pay in (horizontal flows)."})
    else:
        cards[0]["help"] = (f"Best option: {result.details.get('option', '-')}. "
                            + cards[0]["help"])
        cards.append({"label": f"{_METRIC_NAMES.get(metric, metric)} of resources per head "
                               f"({year})",
                      "value": "n/a" if result.achieved is None else f"{result.achieved:.4f}",
                      "help": f"Against {result.details.get('baseline', float('nan')):.4f} in "
                              "the baseline (a ratio, no unit)."})
        cost = result.details.get("cost_m")
        cards.append({"label": f"Cost to the centre ({currency} m a year, {year})",
                      "value": "n/a" if cost is None else f"{currency} {cost:,.0f} m",
                      "help": "Against the baseline, at the answer."})
    return cards


_METRIC_NAMES = {"gini": "Gini", "theil": "Theil index", "cv": "Coefficient of variation",
                 "max_min_ratio": "Highest / lowest"}


def budget_table(table: pd.DataFrame, currency: str, metric: str, year: str) -> pd.DataFrame:
    """``SolveResult.table`` of ``best_for_budget`` with readable headers."""
    return table.rename(columns={
        "option": "Option", "parameter": "Parameter", "value": "Best value",
        "cost_m": f"Cost to the centre ({currency} m a year, {year})",
        metric: f"{_METRIC_NAMES.get(metric, metric)} ({year})", "feasible": "Within budget"})


def with_contribution_step(scenario: Any) -> tuple[Any, bool]:
    """The scenario with a ``horizontal_funding`` step (regions above the
    national average pay a share of the centre's cost of the earlier steps)
    appended if it has none; and whether one was added.  A configuration
    change for the self-financing solver, not a result."""
    if any(getattr(s, "type", None) == "horizontal_funding" for s in scenario.steps):
        return scenario, False
    from ..steps import STEP_TYPES

    step = STEP_TYPES["horizontal_funding"](label="Contribution of strong regions")
    return scenario.model_copy(update={"steps": [*scenario.steps, step]}), True
