"""The Data page: where each region's tax revenue comes from."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from ..federation import Federation
from .style import _cycle, per_head_label, tax_label

__all__ = ['revenue_table', 'revenue_figure']


def revenue_table(federation: Federation, year: str) -> pd.DataFrame:
    """Revenue per head by region (rows) and tax (columns) for one year, with a
    total column; values from :meth:`Federation.to_frame`."""
    cur = federation.currency.lower()
    frame = federation.to_frame()
    frame = frame[frame["year"] == year]
    table = frame.pivot_table(index=["code", "region"], columns="tax",
                              values=f"revenue_per_head_{cur}", sort=False)
    table = table[[t for t in federation.taxes if t in table.columns]]
    table.columns = [tax_label(t) for t in table.columns]
    table["Total"] = table.sum(axis=1)
    order = {code: i for i, code in enumerate(federation.codes)}
    table = table.sort_index(level="code", key=lambda s: s.map(order))
    return table.reset_index()


def revenue_figure(federation: Federation, year: str, *, height: int | None = None,
                   codes: Sequence[str] | None = None):
    """Revenue per head by region, stacked by tax family, for one year
    (``codes``: only these regions, in this order from the top)."""
    import plotly.graph_objects as go

    table = revenue_table(federation, year)
    if codes is not None:
        table = table.set_index("code").loc[list(codes)].reset_index()
    taxes = [c for c in table.columns if c not in ("code", "region", "Total")]
    fig = go.Figure()
    regions = table["region"][::-1]
    for k, tax in enumerate(taxes):
        fig.add_trace(go.Bar(
            y=regions, x=table[tax][::-1], name=tax, orientation="h",
            marker_color=_cycle(k),
            hovertemplate=f"%{{y}}<br>{tax}: %{{x:,.0f}} {federation.currency} per head, {year}"
                          "<extra></extra>"))
    fig.update_layout(
        barmode="relative", height=height or max(380, 34 * len(regions) + 160),
        xaxis_title=per_head_label(federation.currency, year), legend_title_text="Tax",
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
        margin=dict(l=10, r=10, t=40, b=40))
    fig.update_xaxes(tickformat=",.0f")
    return fig
