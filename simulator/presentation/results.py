"""Figures and tables of one run or of several systems side by side (Explore, Compare)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ..metrics import UNDEFINED_REASONS
from ..federation import Federation
from ..state import FiscalState
from .style import OKABE_ITO, _TRANSFER_COLOURS, per_head_label, source_colours

__all__ = ['resource_components', 'resources_figure', 'winners_losers', 'system_table',
           'system_table_style', 'undefined_notes', 'region_table', 'lorenz_curve', 'lorenz_figure',
           'summary_metrics', 'marginal_rates_figure']


def resource_components(state: FiscalState, federation: Federation, year: str | None = None
                        ) -> dict[str, np.ndarray]:
    """Resources per head by source for one year: source -> ``(R,)`` array.

    Sources are ``Block grant``, ``Own revenue`` and one per step transfer, in
    the order applied (currency per head of the reporting population).  The
    sum over sources is the engine's resources per head.
    """
    years = list(federation.years)
    index = years.index(year) if year is not None else len(years) - 1

    def pick(array: np.ndarray) -> np.ndarray:  # (years, R) -> (R,)
        return np.broadcast_to(array, state.population.shape)[index]

    population = pick(state.population)
    parts = [("Block grant", state.block_grant), ("Own revenue", state.own_revenue)]
    return {source: pick(amount) / population for source, amount in parts + list(state.transfers)}


def resources_figure(result: Any, year: str | None = None, *, height: int | None = None,
                     codes: Sequence[str] | None = None,
                     labels: tuple[str, str] = ("Before", "After")):
    """Horizontal bars per region, 'before' (baseline) and 'after' (the system),
    stacked by source of resources (block grant, own revenue, each transfer).

    ``labels``: the names of the two bars (e.g. ``("Today (status quo)", "After
    the mechanism")`` where "before" could be mistaken for another stage).

    ``codes``: only these regions, in this order from the top (e.g.
    :func:`extremes` of a dataset with hundreds of areas); default all."""
    import plotly.graph_objects as go

    fed = result.federation
    year = year or fed.years[-1]
    before = resource_components(result.baseline, fed, year)
    after = resource_components(result.state, fed, year)
    names = list(fed.names)
    if codes is not None:
        keep = np.array([fed.codes.index(c) for c in codes], dtype=int)
        before = {k: v[keep] for k, v in before.items()}
        after = {k: v[keep] for k, v in after.items()}
        names = [names[k] for k in keep]
    sources = list(dict.fromkeys([*before, *after]))
    colours = source_colours(sources)
    names = names[::-1]
    n = len(names)
    # y is a two-level category axis: region, then Before/After (``labels``)
    y = [[name for name in names for _ in (0, 1)], list(labels) * n]
    zero = np.zeros(n)
    traces = []
    for source in sources:
        pair = np.column_stack([before.get(source, zero)[::-1], after.get(source, zero)[::-1]])
        traces.append(go.Bar(
            y=y, x=pair.ravel(), name=source, orientation="h", marker_color=colours[source],
            hovertemplate=f"%{{y}}<br>{source}: %{{x:,.0f}} {fed.currency} per head, {year}"
                          "<extra></extra>"))
    fig = go.Figure(traces)
    fig.update_layout(
        barmode="relative", height=height or max(360, 44 * n + 120),
        xaxis_title=per_head_label(fed.currency, year), legend_title_text="Source",
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
        margin=dict(l=10, r=10, t=40, b=40))
    # short tick labels (10k, 15k) and at most 6, so they never collide on a phone
    fig.update_xaxes(tickformat="~s", nticks=6, zeroline=True, zerolinecolor="#444")
    return fig


def winners_losers(frames: Mapping[str, pd.DataFrame], currency: str, year: str) -> pd.DataFrame:
    """Change in resources per head by region for several runs, side by side.

    ``frames`` maps a scenario name to its ``Result.by_region()`` frame; the
    columns (named by scenario) are the engine's ``change_per_head`` in
    ``currency`` per head for ``year``: say so where the table is shown.
    """
    cur = currency.lower()
    table = None
    for name, frame in frames.items():
        frame = frame[frame["year"] == year]
        column = frame.set_index(["code", "region"])[f"change_per_head_{cur}"].rename(name)
        table = column.to_frame() if table is None else table.join(column)
    return table.reset_index()


def system_table(summaries: Mapping[str, pd.DataFrame], currency: str, year: str
                 ) -> pd.DataFrame:
    """System figures of several runs side by side: one row per metric of
    ``Result.summary()``, indexed by its column name, with a readable
    ``Measure`` (unit and year) and one column per run."""
    from ..scenario.running import metric_label

    columns = {}
    for name, summary in summaries.items():
        row = summary[summary["year"] == year].drop(columns="year").iloc[0]
        columns[name] = row.astype(float)
    table = pd.DataFrame(columns)
    table.insert(0, "Measure", [f"{metric_label(key, currency)}, {year}" for key in table.index])
    return table


def system_table_style(table: pd.DataFrame):
    """A Styler showing each row of :func:`system_table` in its own format:
    money with thousands separators, shares in percent, indices to 4 places; a
    measure with no value (e.g. a Theil index with a region at 0) reads "undefined",
    never "nan" (the reasons: :data:`simulator.metrics.UNDEFINED_REASONS`)."""
    style = table.style
    runs = [c for c in table.columns if c != "Measure"]
    for key in table.index:
        if key.endswith("_m"):
            fmt = "{:,.0f}"
        elif key == "capacity_gap_closed":
            fmt = "{:.1%}"
        elif key.startswith("max_min_ratio"):
            fmt = "{:.3f}"
        else:
            fmt = "{:.4f}"
        style = style.format(fmt, subset=pd.IndexSlice[[key], runs], na_rep="undefined")
    return style



def undefined_notes(table: pd.DataFrame) -> list[str]:
    """One sentence per measure of a :func:`system_table` that has no value for
    some scenario, saying why (a data grid shows a missing number as a blank or
    "None"; the page says what it means instead)."""
    runs = [c for c in table.columns if c != "Measure"]
    notes = []
    for key in table.index:
        missing = [run for run in runs if not np.isfinite(float(table.at[key, run]))]
        if not missing:
            continue
        stem = key.removesuffix("_before").removesuffix("_after")
        stem = {"capacity_gap_closed": "share_of_gap_closed"}.get(stem, stem)
        reason = next((text for name, text in UNDEFINED_REASONS.items()
                       if stem.startswith(name)), "not defined for these values")
        notes.append(f"{table.at[key, 'Measure']}: undefined for {', '.join(missing)} "
                     f"({reason}).")
    return notes

def region_table(by_region: pd.DataFrame, currency: str, year: str) -> pd.DataFrame:
    """The engine's per-region result for one year, with readable headers and units."""
    cur = currency.lower()
    frame = by_region[by_region["year"] == year]
    columns = {
        "region": "Region",
        f"baseline_per_head_{cur}": f"Before ({currency} per head, {year})",
        f"resources_per_head_{cur}": f"After ({currency} per head, {year})",
        f"change_per_head_{cur}": f"Change ({currency} per head, {year})",
        "resources_index": f"Index after (average = 100, {year})",
    }
    return frame[list(columns)].rename(columns=columns).reset_index(drop=True)


def lorenz_curve(per_head: np.ndarray, population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Population-weighted Lorenz curve of an amount per head across regions.

    Regions sorted by per-head amount; returns the cumulative population share
    and the cumulative share of the total, both starting at 0 and ending at 1.
    (The Gini reported elsewhere is the engine's; this only draws the curve.)
    """
    per_head = np.asarray(per_head, float)
    population = np.asarray(population, float)
    order = np.argsort(per_head)
    pop = population[order]
    amount = per_head[order] * pop
    x = np.concatenate([[0.0], np.cumsum(pop) / pop.sum()])
    y = np.concatenate([[0.0], np.cumsum(amount) / amount.sum()])
    return x, y


def lorenz_figure(curves: Mapping[str, tuple[np.ndarray, np.ndarray]], *, year: str,
                  height: int = 420):
    """Lorenz curves of resources per head, one line per scenario."""
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="Equal per head",
                             line=dict(color="#999", dash="dot")))
    for k, (name, (x, y)) in enumerate(curves.items()):
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name=name,
                                 line=dict(color=OKABE_ITO[k % len(OKABE_ITO)], width=2)))
    fig.update_layout(
        height=height, xaxis_title=f"Cumulative share of population ({year})",
        yaxis_title=f"Cumulative share of resources ({year})",
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
        margin=dict(l=10, r=10, t=40, b=40))
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    return fig


def summary_metrics(summary: pd.DataFrame, currency: str, year: str) -> list[dict[str, Any]]:
    """Headline figures of one year of ``Result.summary()`` for ``st.metric``.

    Each item: ``key`` (the summary column's stem), ``label`` (short, with the
    year), ``value`` (text with its unit), ``delta`` (change from the baseline
    for inequality measures, else None), ``delta_color`` ("inverse": a fall is
    good) and ``help`` (what the figure means).
    """
    cur = currency.lower()
    row = summary[summary["year"] == year].iloc[0]
    items = [{
        "key": "cost_to_centre", "label": f"Cost to the centre, {year}",
        "value": f"{currency} {row[f'cost_to_centre_{cur}_m']:,.0f} m",
        "delta": None, "delta_color": "off",
        "help": f"Change in the centre's net outlay on the regions against the baseline, "
                f"{currency} million a year (grants after adjustment, steps' payments, "
                "devolved revenue forgone).",
    }]
    for key, label, digits, meaning in (
            ("gini", "Gini", 3, "0 = equal resources per head in every region"),
            ("theil", "Theil index", 4, "0 = equal; more sensitive to the extremes"),
            ("cv", "Coefficient of variation", 3, "standard deviation / mean"),
            ("max_min_ratio", "Highest / lowest", 2, "highest over lowest region")):
        after, before = float(row[f"{key}_after"]), float(row[f"{key}_before"])
        help_text = (f"{label} of resources per head across regions, population-weighted "
                     f"(a ratio, no unit; {meaning}).")
        if not np.isfinite(after):  # never shown as a number (nan): say why instead
            reason = next((text for stem, text in UNDEFINED_REASONS.items()
                           if key.startswith(stem)), "not defined for these values")
            items.append({"key": key, "label": f"{label}, {year}", "value": "undefined",
                          "delta": None, "delta_color": "off",
                          "help": f"{help_text} Undefined here: {reason}."})
            continue
        items.append({
            "key": key, "label": f"{label}, {year}", "value": f"{after:.{digits}f}",
            "delta": (f"{after - before:+.{digits}f} vs baseline {before:.{digits}f}"
                      if np.isfinite(before) else "baseline undefined"),
            "delta_color": "inverse" if np.isfinite(before) else "off",
            "help": help_text,
        })
    closed = float(row["capacity_gap_closed"])
    items.append({
        "key": "capacity_gap_closed", "label": f"Capacity gap closed, {year}",
        "value": f"{100 * closed:.1f}%" if np.isfinite(closed) else "n/a (no gap)",
        "delta": None, "delta_color": "off",
        "help": "Share of the regions' fiscal-capacity gap below the national average per "
                "head that the steps close (percent); n/a when there is no gap (e.g. "
                "nothing devolved).",
    })
    return items


def marginal_rates_figure(rates: pd.DataFrame, year: str, *, height: int | None = None,
                          codes: Sequence[str] | None = None):
    """Marginal equalisation rates by region for one year: bars split by the
    channel through which an extra pound of own revenue is lost (columns
    ``lost_via_*`` of ``Result.marginal_equalisation_rates()``), with the
    total rate as a marker.  ``codes``: only these regions, in this order."""
    import plotly.graph_objects as go

    frame = rates[rates["year"] == year]
    if codes is not None:
        frame = frame.set_index("code").loc[list(codes)].reset_index()
    frame = frame.iloc[::-1]
    channels = [c for c in frame.columns if c.startswith("lost_via")]
    fig = go.Figure()
    for k, column in enumerate(channels):
        name = column.replace("lost_via_", "").replace("lost_via: ", "").replace("_", " ")
        name = name[:1].upper() + name[1:]
        fig.add_trace(go.Bar(y=frame["region"], x=frame[column], name=name, orientation="h",
                             marker_color=_TRANSFER_COLOURS[k % len(_TRANSFER_COLOURS)],
                             hovertemplate=f"%{{y}}<br>{name}: %{{x:.1%}}<extra></extra>"))
    fig.add_trace(go.Scatter(y=frame["region"], x=frame["marginal_equalisation_rate"],
                             mode="markers", name="Marginal equalisation rate",
                             marker=dict(symbol="diamond", size=10, color="#000"),
                             hovertemplate="%{y}<br>rate: %{x:.1%}<extra></extra>"))
    fig.update_layout(
        barmode="relative", height=height or max(320, 30 * len(frame) + 140),
        # two lines: one would run past a phone's screen
        xaxis_title=f"Share of an extra pound of own<br>tax base lost ({year})",
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
        margin=dict(l=10, r=10, t=40, b=40))
    fig.update_xaxes(tickformat=".0%")
    values = frame[channels + ["marginal_equalisation_rate"]].to_numpy(float)
    if not np.nanmax(np.abs(values), initial=0.0) > 1e-6:  # zero up to rounding noise
        fig.update_xaxes(range=[-0.05, 1.0])
    return fig
