"""Drawing helpers for the settlement mechanisms section of the Over time page
(Barnett, business rates retention): tables and a path chart from a Result."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from .style import wrap_title

__all__ = ["mechanism_path", "mechanism_figure", "roadmap_table"]


def mechanism_path(result, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Resources per head by year of the chosen regions: the scenario, the data (the
    baseline) and the change, in currency per head (:meth:`Result.by_region`), with
    readable column names that carry the unit."""
    frame = result.by_region()
    cur = result.federation.currency
    c = cur.lower()
    if codes:
        frame = frame[frame["code"].isin(list(codes))]
    return frame[["year", "code", "region", f"resources_per_head_{c}", f"baseline_per_head_{c}",
                  f"change_per_head_{c}"]].rename(columns={
        "year": "Year", "code": "Code", "region": "Region",
        f"resources_per_head_{c}": f"Resources ({cur} per head)",
        f"baseline_per_head_{c}": f"Data ({cur} per head)",
        f"change_per_head_{c}": f"Change ({cur} per head)"}).reset_index(drop=True)


def mechanism_figure(path: pd.DataFrame, currency: str, title: str):
    """Line chart: change in resources per head against the baseline, by year and region."""
    import plotly.graph_objects as go

    column = f"Change ({currency} per head)"
    fig = go.Figure()
    for region, rows in path.groupby("Region", sort=False):
        fig.add_trace(go.Scatter(x=rows["Year"], y=rows[column], name=region,
                                 mode="lines+markers"))
    years = list(path["Year"].unique())
    span = f"{years[0]} to {years[-1]}" if years else ""
    # wrapped (plotly never wraps a title): on a 390 px phone one line runs past the edge
    text = wrap_title(f"{title}: change in resources per head against the data, {span} "
                      f"({currency} per head)", 42)
    lines = text.count("<br>") + 1
    fig.update_layout(title=dict(text=text, font=dict(size=13), x=0, xanchor="left"),
                      yaxis_title=f"{currency} per head", xaxis_title="financial year",
                      template="plotly_white", height=400 + 17 * lines,
                      margin=dict(t=30 + 17 * lines))
    return fig


def roadmap_table(roadmap) -> pd.DataFrame:
    """Per region at the roadmap's last year: cumulative gain against no change (currency
    m), the first year below the guarantee and the lowest share of no change (%)."""
    fed = roadmap.result.federation
    cur = fed.currency
    last = fed.years[-1]
    cumulative = roadmap.cumulative()
    cumulative = cumulative[cumulative["year"] == last].drop(columns="year")
    below = roadmap.below_guarantee()
    table = cumulative.merge(below, on=["code", "region"])
    guarantee = roadmap.scenario.roadmap.guarantee
    return pd.DataFrame({
        "Code": table["code"], "Region": table["region"],
        f"Cumulative vs no change ({cur} m, {fed.years[0]} to {last})":
            table[f"cumulative_gain_{cur.lower()}_m"],
        f"First year below {guarantee:.0%} of no change": table["first_year_below"].fillna("never"),
        "Lowest share of no change (%)": 100.0 * table["lowest_share_of_no_change"]})
