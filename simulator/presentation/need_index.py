"""The Need index page: index tables, rank intervals, missions, quadrants."""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .style import GAIN, LOSS, OKABE_ITO

__all__ = ['need_index_table', 'rank_interval_figure', 'mission_figure', 'quadrant_figure',
           'top_share_table', 'top_share_figure']


def need_index_table(frame: pd.DataFrame, missions: Sequence[str], titles: Sequence[str],
                     intervals: pd.DataFrame | None = None) -> pd.DataFrame:
    """``NeedIndex.to_frame()`` with readable headers, sorted by rank; with
    ``RankIntervals.frame``, the median and 5th-95th percentile ranks."""
    table = frame.rename(columns={"code": "Code", "name": "Authority", "group": "Region",
                                  "composite": "Composite need score", "rank": "Rank"})
    table = table.rename(columns={f"{m}_index": f"{t} (score)" for m, t in zip(missions, titles)})
    table["Population (mid-2023)"] = table.pop("population")
    table["Indicators imputed"] = table.pop("n_imputed")
    if intervals is not None:
        extra = intervals.set_index("code")[["rank_median", "rank_low", "rank_high"]]
        table = table.join(extra.rename(columns={
            "rank_median": "Median rank (simulated)", "rank_low": "Rank, 5th percentile",
            "rank_high": "Rank, 95th percentile"}), on="Code")
    return table.sort_values(["Rank", "Code"]).reset_index(drop=True)


def rank_interval_figure(frame: pd.DataFrame, *, first: int = 1, n: int = 30,
                         highlight: str | None = None, lower: float = 5, upper: float = 95):
    """Ranks with their Monte-Carlo interval for authorities ranked ``first``
    to ``first + n - 1`` (``RankIntervals.frame``): a dot at the rank, a bar
    from the ``lower`` to the ``upper`` percentile rank; ``highlight`` (a
    code) in orange and always included."""
    import plotly.graph_objects as go

    ordered = frame.sort_values(["rank", "code"])
    shown = ordered[(ordered["rank"] >= first) & (ordered["rank"] < first + n)]
    if highlight is not None and highlight not in set(shown["code"]):
        shown = pd.concat([shown, ordered[ordered["code"] == highlight]])
    shown = shown.iloc[::-1]
    colours = [LOSS if c == highlight else GAIN for c in shown["code"]]
    labels = [f"{name} ({rank})" for name, rank in zip(shown["name"], shown["rank"])]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=shown["rank_median"], y=labels, mode="markers",
        name=f"Median rank over draws, bar {lower:g}th-{upper:g}th percentile",
        marker=dict(symbol="line-ns-open", size=12, color="#000"),
        error_x=dict(type="data", symmetric=False, array=shown["rank_high"] - shown["rank_median"],
                     arrayminus=shown["rank_median"] - shown["rank_low"], color="#888",
                     thickness=6, width=0),
        customdata=np.column_stack([shown["rank_low"], shown["rank_high"]]),
        hovertemplate=f"%{{y}}<br>median %{{x}}, {lower:g}th-{upper:g}th percentile: "
                      "%{customdata[0]}-%{customdata[1]}<extra></extra>"))
    fig.add_trace(go.Scatter(x=shown["rank"], y=labels, mode="markers", name="Rank (the index)",
                             marker=dict(size=9, color=colours),
                             hovertemplate="%{y}<br>rank %{x}<extra></extra>"))
    fig.update_layout(height=max(360, 22 * len(shown) + 120),
                      xaxis_title="Rank (1 = most need)",
                      legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
                      margin=dict(l=10, r=10, t=40, b=40))
    fig.update_xaxes(rangemode="tozero")
    return fig


def mission_figure(frame: pd.DataFrame, code: str, missions: Sequence[str],
                   titles: Sequence[str], unavailable: Mapping[str, str],
                   all_titles: Mapping[str, str] | None = None):
    """One authority's mission sub-index scores (``NeedIndex.to_frame()``),
    with each unavailable mission listed as 'no data'."""
    import plotly.graph_objects as go

    row = frame.set_index("code").loc[code]
    names = list(titles) + [(all_titles or {}).get(m, m) + " (no data)" for m in unavailable]
    values = [float(row[f"{m}_index"]) for m in missions] + [0.0] * len(unavailable)
    colours = [GAIN if v > 0 else LOSS for v in values[:len(missions)]] + ["#DDDDDD"] * len(
        unavailable)
    fig = go.Figure(go.Bar(
        y=names[::-1], x=values[::-1], orientation="h", marker_color=colours[::-1],
        text=[("n/a" if k >= len(missions) else f"{v:+.2f}") for k, v in enumerate(values)][::-1],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.add_vline(x=0, line=dict(color="#444", width=1))
    fig.update_layout(height=60 * len(names) + 120,
                      xaxis_title="Score (0 = typical; above 0 = more need)",
                      margin=dict(l=10, r=40, t=30, b=40), showlegend=False)
    return fig


_QUADRANT_COLOURS = {"high need, low spend": LOSS, "high need, high spend": OKABE_ITO[3],
                     "low need, low spend": OKABE_ITO[4], "low need, high spend": GAIN}


def quadrant_figure(quadrants: pd.DataFrame, spend: str, *, spend_unit: str,
                    score_unit: str):
    """Need against spending per head (``need_spend_quadrants``), one colour
    per quadrant, dotted lines at the medians the quadrants split on."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for quadrant, colour in _QUADRANT_COLOURS.items():
        part = quadrants[quadrants["quadrant"] == quadrant]
        fig.add_trace(go.Scatter(
            x=part[spend], y=part["composite"], mode="markers", name=f"{quadrant} ({len(part)})",
            marker=dict(color=colour, size=7, line=dict(width=0.5, color="#fff"),
                        symbol="diamond" if quadrant == "high need, low spend" else "circle"),
            text=part["name"], hovertemplate=f"%{{text}}<br>%{{x:,.0f}} {spend_unit}<br>need "
                                             "%{y:.2f}<extra></extra>"))
    fig.add_vline(x=float(np.median(quadrants[spend])), line=dict(color="#666", dash="dot"))
    fig.add_hline(y=float(np.median(quadrants["composite"])), line=dict(color="#666", dash="dot"))
    fig.update_layout(height=480, xaxis_title=spend_unit, yaxis_title=score_unit,
                      legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
                      margin=dict(l=10, r=10, t=40, b=40))
    fig.update_xaxes(tickformat=",.0f")
    return fig


def top_share_table(table: pd.DataFrame, share: float) -> pd.DataFrame:
    """``top_need_share_by_group`` with readable headers (shares in percent)."""
    pct = f"{share:.0%}"
    return pd.DataFrame({
        "Region": table["group"], "Authorities": table["authorities"],
        f"In the top {pct}": table["in_top"],
        f"Share of its authorities in the top {pct} (%)": 100 * table["share_in_top"],
        f"Share of its population in the top {pct} (%)": 100 * table["population_share_in_top"],
    })


def top_share_figure(table: pd.DataFrame, share: float):
    """Horizontal bars: share of each region's authorities in the top ``share``
    of need (from :func:`top_share_table`), labelled 'n of N'."""
    import plotly.graph_objects as go

    pct = f"{share:.0%}"
    column = f"Share of its authorities in the top {pct} (%)"
    frame = table.iloc[::-1]
    fig = go.Figure(go.Bar(
        y=frame["Region"], x=frame[column], orientation="h", marker_color=GAIN,
        text=[f"{a} of {b}" for a, b in zip(frame[f"In the top {pct}"], frame["Authorities"])],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.1f}% (%{text})<extra></extra>"))
    fig.update_layout(height=max(320, 34 * len(frame) + 100),
                      xaxis_title=f"Share of the region's authorities in the top {pct} of need (%)",
                      margin=dict(l=10, r=60, t=20, b=40))
    fig.update_xaxes(ticksuffix="%", range=[0, max(100.0, float(frame[column].max()) * 1.1)])
    return fig
