"""Projections over years: line charts, fan charts, BGA methods and risk."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..federation import Federation
from .style import GAIN, OKABE_ITO, wrap_title

__all__ = ['BGA_LABELS', 'bga_label', 'over_time_figure', 'fan_chart', 'bga_methods_table',
           'bga_methods_figure', 'absorbed_frame', 'risk_table', 'risk_figure']


#: Lines of many regions: Okabe & Ito without yellow (too pale for a thin line on
#: white) and Paul Tol's dark colours; the second six are also dashed.
_LINE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                 "#000000", "#882255", "#44AA99", "#332288", "#999933", "#777777"]


#: Block grant adjustment indexation methods (simulator.over_time.BGA_METHODS) in words.
BGA_LABELS = {"levels_deduction": "Levels deduction", "comparable_model": "Comparable model",
              "indexed_per_capita": "Indexed per capita", "indexed_deduction": "Indexed deduction"}


def bga_label(method: str) -> str:
    return BGA_LABELS.get(method, method.replace("_", " ").capitalize())


def over_time_figure(by_region: pd.DataFrame, column: str, *, unit: str,
                     first_projected: str | None = None, height: int = 460):
    """One line per region over the years of ``by_region`` (a
    ``Result.by_region()`` frame), ``column`` in ``unit``; a dotted line marks
    the first projected year."""
    import plotly.graph_objects as go

    fig = go.Figure()
    years = list(dict.fromkeys(by_region["year"]))
    for k, (code, frame) in enumerate(by_region.groupby("code", sort=False)):
        name = frame["region"].iloc[0]
        fig.add_trace(go.Scatter(
            x=frame["year"], y=frame[column], mode="lines", name=name,
            line=dict(color=_LINE_COLOURS[k % len(_LINE_COLOURS)], width=2,
                      dash=("solid", "dash")[(k // len(_LINE_COLOURS) + k // 6) % 2]),
            hovertemplate=f"{name}<br>%{{x}}: %{{y:,.0f}} {unit}<extra></extra>"))
    if first_projected in years:
        fig.add_vline(x=years.index(first_projected) - 0.5, line=dict(color="#666", dash="dot"))
        fig.add_annotation(x=years.index(first_projected) - 0.5, y=1.0, yref="paper",
                           text="projected →", showarrow=False, xanchor="left", yanchor="bottom",
                           font=dict(color="#444"))
    fig.update_layout(height=height, yaxis_title=unit, xaxis_title="Financial year",
                      legend=dict(orientation="h", yanchor="top", y=-0.18, x=0),
                      margin=dict(l=10, r=10, t=30, b=40))
    fig.update_xaxes(type="category")
    fig.update_yaxes(tickformat=",.0f")
    return fig


def _wrap(text: str, width: int = 14) -> str:
    """A panel title on two lines when long, so neighbouring titles never overlap."""
    if len(text) <= width or " " not in text:
        return text
    middle = len(text) // 2
    cut = min((k for k, ch in enumerate(text) if ch == " "), key=lambda k: abs(k - middle))
    return text[:cut] + "<br>" + text[cut + 1:]


def fan_chart(bands: pd.DataFrame, value: str, *, unit: str, columns: int = 4,
              central: pd.DataFrame | None = None, row_height: int = 230):
    """Small multiples, one per region: percentile bands over the years.

    ``bands``: tidy ``year, code, region, percentile, <value>``
    (``MonteCarloResult.bands()``).  The outermost percentiles make the
    lightest band, the next pair a darker one, the middle one (the median) a
    line; ``central`` (``year, code, <value>``) adds the run without shocks as
    a dotted line.  (The grid of axes is laid out here rather than with
    ``make_subplots`` and every trace is added at once: the figure is rebuilt
    on each redraw, and that keeps it fast.)
    """
    import plotly.graph_objects as go

    percentiles = sorted(bands["percentile"].unique())
    regions = list(dict.fromkeys(zip(bands["code"], bands["region"])))
    rows = int(np.ceil(len(regions) / columns))
    wide = bands.pivot_table(index=["code", "year"], columns="percentile", values=value,
                             sort=False)
    pairs = [(percentiles[k], percentiles[-1 - k]) for k in range(len(percentiles) // 2)]
    shades = ["rgba(33,102,172,0.18)", "rgba(33,102,172,0.35)", "rgba(33,102,172,0.5)"]
    gap_x, gap_y = 0.05, 0.32 / max(rows, 1)
    width, height = (1 - gap_x * (columns - 1)) / columns, (1 - gap_y * (rows - 1)) / rows
    layout: dict[str, Any] = {}
    titles, traces = [], []
    own = None if central is None else {code: frame for code, frame in central.groupby("code")}
    for n, (code, name) in enumerate(regions):
        row, col = divmod(n, columns)
        axis = "" if n == 0 else str(n + 1)
        x0, y1 = col * (width + gap_x), 1 - row * (height + gap_y)
        layout[f"xaxis{axis}"] = dict(domain=[max(0.0, x0), min(1.0, x0 + width)],
                                      anchor=f"y{axis}", type="category",
                                      nticks=4, tickangle=0, showticklabels=row == rows - 1
                                      or n + columns >= len(regions))
        layout[f"yaxis{axis}"] = dict(domain=[max(0.0, y1 - height), min(1.0, y1)],
                                      anchor=f"x{axis}",
                                      tickformat="~s", nticks=5)  # 14k: short, never collide
        titles.append(dict(text=_wrap(name), x=x0 + width / 2, y=y1, xref="paper", yref="paper",
                           xanchor="center", yanchor="bottom", showarrow=False,
                           font=dict(size=12)))
        frame = {p: wide.loc[code, p].to_numpy(float) for p in percentiles}
        years = list(wide.loc[code].index)
        on = dict(xaxis=f"x{axis}", yaxis=f"y{axis}")
        for k, (low, high) in enumerate(pairs):
            label = f"{low:g}th-{high:g}th percentile"
            traces.append(dict(type="scatter", 
                x=years + years[::-1], y=np.concatenate([frame[high], frame[low][::-1]]),
                fill="toself", fillcolor=shades[k % len(shades)], line=dict(width=0),
                mode="lines", name=label, legendgroup=label, showlegend=n == 0,
                hoverinfo="skip", **on))
        if len(percentiles) % 2:
            middle = percentiles[len(percentiles) // 2]
            traces.append(dict(type="scatter", 
                x=years, y=frame[middle], mode="lines", line=dict(color=GAIN, width=2),
                name=f"{middle:g}th percentile (median)" if middle == 50 else f"{middle:g}th",
                legendgroup="median", showlegend=n == 0,
                customdata=np.column_stack([frame[low] for low, _ in pairs]
                                           + [frame[high] for _, high in pairs]),
                hovertemplate=f"{name} %{{x}}<br>median %{{y:,.0f}} {unit}<br>"
                + "".join(f"{low:g}th-{high:g}th: %{{customdata[{k}]:,.0f}} to "
                          f"%{{customdata[{k + len(pairs)}]:,.0f}}<br>"
                          for k, (low, high) in enumerate(pairs)) + "<extra></extra>",
                **on))
        if own is not None and code in own:
            traces.append(dict(type="scatter", 
                x=list(own[code]["year"]), y=own[code][value].to_numpy(float), mode="lines",
                line=dict(color="#000", width=1, dash="dot"), name="Projection without shocks",
                legendgroup="central", showlegend=n == 0,
                hovertemplate=f"{name} %{{x}}<br>without shocks: %{{y:,.0f}} {unit}"
                              "<extra></extra>", **on))
    # the title wrapped (plotly never wraps one) and held at the top, the panel titles of
    # the first row (up to two lines) in the space below it: nothing overlaps at 390 px
    heading = wrap_title(unit, 42)
    top = 12 + 17 * (heading.count("<br>") + 1) + 40
    total = row_height * rows + 70 + top
    return go.Figure(data=traces, layout=dict(
        **layout, annotations=titles, height=total,
        margin=dict(l=10, r=10, t=top, b=60),  # (12 px clear above: plotly ignores pad here)
        title=dict(text=heading, font=dict(size=13), x=0, xanchor="left", y=1 - 12 / total,
                   yref="container", yanchor="top"),
        legend=dict(orientation="h", yanchor="top", y=-0.04, x=0)))


def bga_methods_table(frame: pd.DataFrame, currency: str, year: str) -> pd.DataFrame:
    """Cumulative gain (+) or loss (-) against the centre by region (rows) and
    method (columns) up to ``year``, from ``compare_methods_frame`` (currency
    millions, summed from the first year of ``frame`` to ``year``: say from
    when where the table is shown; columns ``Levels deduction (GBP m to 2039-40)``)."""
    cur = currency.lower()
    rows = frame[frame["year"] == year]
    table = rows.pivot_table(index=["code", "region"], columns="method",
                             values=f"cumulative_gain_{cur}_m", sort=False)
    methods = [m for m in BGA_LABELS if m in table.columns] + [
        m for m in table.columns if m not in BGA_LABELS]
    table = table[methods].rename(columns=lambda m: f"{bga_label(m)} ({currency} m to {year})")
    table.columns.name = None
    return table.reset_index()


def bga_methods_figure(table: pd.DataFrame, *, chosen: str | None, unit: str,
                       height: int | None = None):
    """Grouped bars per region, one per method (:func:`bga_methods_table`);
    the ``chosen`` method solid, the others paler."""
    import plotly.graph_objects as go

    methods = [c for c in table.columns if c not in ("code", "region")]
    fig = go.Figure()
    for k, column in enumerate(methods):
        method = column.split(" (")[0]
        picked = chosen is None or method == bga_label(chosen)
        fig.add_trace(go.Bar(
            y=table["region"][::-1], x=table[column][::-1], orientation="h", name=method,
            marker=dict(color=OKABE_ITO[k % len(OKABE_ITO)], opacity=1.0 if picked else 0.45,
                        line=dict(color="#000", width=1.2 if picked and chosen else 0)),
            hovertemplate=f"%{{y}}<br>{method}: %{{x:,.0f}} {unit}<extra></extra>"))
    fig.update_layout(barmode="group", height=height or max(420, 58 * len(table) + 120),
                      xaxis_title=_wrap(unit, 24),  # two lines: fits a phone's width
                      legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
                      margin=dict(l=10, r=10, t=40, b=40))
    fig.update_xaxes(tickformat=",.0f", zeroline=True, zerolinecolor="#444")
    return fig


def absorbed_frame(shares: np.ndarray, federation: Federation) -> pd.DataFrame:
    """``absorbed_share`` output ``(years, regions)`` as a tidy frame
    ``year, code, region, share_absorbed`` (a share, 0-1)."""
    shares = np.asarray(shares, float)
    n_years, n_regions = shares.shape
    return pd.DataFrame({"year": np.repeat(np.array(federation.years), n_regions),
                         "code": np.tile(np.array(federation.codes), n_years),
                         "region": np.tile(np.array(federation.names), n_years),
                         "share_absorbed": shares.ravel()})


def risk_table(absorbed: pd.DataFrame, volatility: pd.DataFrame, currency: str, year: str
               ) -> pd.DataFrame:
    """One year of the risk-sharing figures by region: share of an own shock
    absorbed (:func:`absorbed_frame`) and the volatility of resources per head
    before and after equalisation (``simulator.over_time.volatility``)."""
    cur = currency.lower()
    a = absorbed[absorbed["year"] == year].set_index("code")
    v = volatility[volatility["year"] == year].set_index("code")
    return pd.DataFrame({
        "Region": a["region"],
        f"Share of own shock absorbed ({year}, %)": 100 * a["share_absorbed"],
        f"SD before equalisation ({currency} per head, {year})": v[f"sd_before_{cur}"],
        f"SD after equalisation ({currency} per head, {year})": v[f"sd_after_{cur}"],
        f"Volatility reduction ({year}, %)": 100 * v["reduction"],
    }).reset_index().rename(columns={"code": "Code"})


def risk_figure(table: pd.DataFrame, year: str, currency: str):
    """Two panels from :func:`risk_table`: share of an own shock absorbed (%)
    and standard deviation of resources per head before and after."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    share = f"Share of own shock absorbed ({year}, %)"
    before = f"SD before equalisation ({currency} per head, {year})"
    after = f"SD after equalisation ({currency} per head, {year})"
    # one panel above the other: side by side, their titles and region labels collide on
    # a phone
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.1,
                        subplot_titles=[f"Share of a region's own shock<br>absorbed (%, {year})",
                                        f"Volatility of resources per head<br>({currency} per "
                                        f"head, {year})"])
    y = table["Region"][::-1]
    fig.add_trace(go.Bar(y=y, x=table[share][::-1], orientation="h", marker_color=GAIN,
                         name="Absorbed", showlegend=False,
                         hovertemplate="%{y}<br>%{x:.1f}% of its own shock absorbed"
                                       "<extra></extra>"), row=1, col=1)
    for label, column, colour in (("Before equalisation", before, "#999999"),
                                  ("After equalisation", after, OKABE_ITO[1])):
        fig.add_trace(go.Bar(y=y, x=table[column][::-1], orientation="h", name=label,
                             marker_color=colour,
                             hovertemplate=f"%{{y}}<br>{label}: SD %{{x:,.0f}} {currency} per "
                                           f"head<extra></extra>"), row=2, col=1)
    fig.update_layout(barmode="group", height=max(560, 64 * len(table) + 200),
                      legend=dict(orientation="h", yanchor="top", y=-0.06, x=0),
                      margin=dict(l=10, r=10, t=50, b=40))
    fig.update_annotations(font_size=13)
    # few, short tick labels: the panels are narrow on a phone
    fig.update_xaxes(ticksuffix="%", nticks=4, row=1, col=1)
    fig.update_xaxes(tickformat="~s", nticks=4, row=2, col=1)
    return fig
