"""Drawing helpers for the settlement mechanisms section of the Over time page
(Barnett, business rates retention): tables and a path chart from a Result."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

__all__ = ["mechanism_path", "mechanism_figure"]


def mechanism_path(result, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Resources per head by year of the chosen regions: the scenario, the baseline and
    the change (currency per head), from :meth:`Result.by_region`."""
    frame = result.by_region()
    cur = result.federation.currency.lower()
    if codes:
        frame = frame[frame["code"].isin(list(codes))]
    return frame[["year", "code", "region", f"resources_per_head_{cur}",
                  f"baseline_per_head_{cur}", f"change_per_head_{cur}"]].reset_index(drop=True)


def mechanism_figure(path: pd.DataFrame, currency: str, title: str):
    """Line chart: change in resources per head against the baseline, by year and region."""
    import plotly.graph_objects as go

    column = f"change_per_head_{currency.lower()}"
    fig = go.Figure()
    for region, rows in path.groupby("region", sort=False):
        fig.add_trace(go.Scatter(x=rows["year"], y=rows[column], name=region,
                                 mode="lines+markers"))
    years = list(path["year"].unique())
    span = f"{years[0]} to {years[-1]}" if years else ""
    fig.update_layout(title=f"{title}: change in resources per head against the data, {span} "
                            f"({currency} per head)", yaxis_title=f"{currency} per head",
                      xaxis_title="financial year", template="plotly_white", height=420)
    return fig
