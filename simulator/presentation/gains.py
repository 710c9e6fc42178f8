"""Gains and losses by region: a bar chart and the sentence that says what it shows.

Both read the table of :func:`simulator.presentation.winners_losers` (``code``,
``region`` and one column per run with the engine's change in resources per
head); nothing is computed here but sorting, counting and labelling.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .style import wrap_title

__all__ = ["changing_columns", "gains_losses_figure", "gains_losses_summary"]

#: one colour per run, neither blue nor orange (those mean gain and loss on the maps)
_COLOURS = ["#009E73", "#CC79A7", "#444444", "#999933"]


def changing_columns(table: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """The runs that move some region's resources (a status quo changes nothing)."""
    return [c for c in columns if np.nanmax(np.abs(table[c].to_numpy(float))) > 0.5]


def gains_losses_figure(table: pd.DataFrame, columns: Sequence[str], *, currency: str,
                        year: str, height: int | None = None, extremes: int = 15):
    """Horizontal bars: each region's gain (right) or loss (left) per head under each
    run in ``columns``; regions ordered by the first run's change, largest gain on top.
    With more than ``2 x extremes`` regions, only the ``extremes`` largest gains and
    losses under the first run are drawn (the title says so)."""
    import plotly.graph_objects as go

    order = table.sort_values(columns[0], ascending=True) if columns else table
    unit = f"{currency} per head, {year}"
    subset = ""
    if len(order) > 2 * extremes:
        subset = (f"; the {extremes} largest losses and gains of {len(order)} areas under "
                  f"{columns[0]}")
        order = pd.concat([order.head(extremes), order.tail(extremes)])
    heading = wrap_title(f"Who gains and who loses: change in resources per head ({unit})"
                         + subset, 42)
    lines = heading.count("<br>") + 1
    fig = go.Figure()
    for k, column in enumerate(columns):
        values = order[column].to_numpy(float)
        fig.add_trace(go.Bar(
            y=order["region"], x=values, orientation="h", name=str(column),
            marker_color=_COLOURS[k % len(_COLOURS)],
            customdata=np.where(values >= 0, "gains", "loses"),
            hovertemplate=f"%{{y}} %{{customdata}} %{{x:,.0f}} {unit}<br>under {column}"
                          "<extra></extra>"))
    fig.update_layout(
        barmode="group", height=height or max(360, 34 * len(order) * max(1, len(columns)) // 2
                                              + 140),
        # title and axis title wrapped (plotly never wraps): one line runs past a phone's edge
        title=dict(text=heading, font=dict(size=14), x=0, xanchor="left"),
        xaxis_title=wrap_title(f"Change against the baseline ({unit}); gains right, "
                               "losses left", 26),  # under the bars, beside the names
        legend=dict(orientation="h", yanchor="top", y=-0.14, x=0),
        margin=dict(l=10, r=10, t=20 + 18 * lines, b=110))
    fig.update_xaxes(tickformat=",.0f", zeroline=True, zerolinecolor="#444", zerolinewidth=2)
    fig.update_yaxes(automargin=True)
    return fig


def _money(value: float, currency: str) -> str:
    return f"{'+' if value > 0 else '-'}{currency} {abs(value):,.0f}"


def gains_losses_summary(table: pd.DataFrame, columns: Sequence[str], *, currency: str,
                         year: str) -> str:
    """One sentence per run for readers who cannot see the chart: how many regions
    gain and lose, the largest gain and loss per head, and the year."""
    sentences = []
    total = len(table)
    for column in columns:
        values = table[column].to_numpy(float)
        gain, loss = values > 0.5, values < -0.5
        parts = [f"Under {column}, {int(gain.sum())} of {total} regions gain and "
                 f"{int(loss.sum())} lose ({currency} per head, {year})"]
        if gain.any():
            best = int(np.nanargmax(values))
            parts.append(f"the largest gain is {table['region'].iloc[best]} "
                         f"({_money(values[best], currency)})")
        if loss.any():
            worst = int(np.nanargmin(values))
            parts.append(f"the largest loss is {table['region'].iloc[worst]} "
                         f"({_money(values[worst], currency)})")
        sentences.append("; ".join(parts) + ".")
    return " ".join(sentences) if sentences else (
        f"No region's resources per head change ({year}).")
