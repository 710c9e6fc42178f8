"""Drawing for the Taxes page: the suitability heat table, its methods and judgements,
and the regional impact of a national policy.

Nothing here computes a criterion or an effect: the numbers come from
:mod:`simulator.analysis.tax_suitability` and :mod:`simulator.analysis.impact`
and are only labelled (unit, years) and drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .style import wrap_title

__all__ = ["label", "criterion_column", "suitability_frame", "suitability_heatmap", "methods_frame",
           "mobility_frame", "devolved_frame", "impact_frame", "impact_figure"]

#: criteria shown as percentages (the API holds shares)
_PERCENT = ("yield_share", "volatility_sd", "worst_year", "equalisation_cost")


def label(tax: str) -> str:
    from . import tax_label

    return tax_label(tax)


def criterion_column(criterion: Any) -> str:
    """A criterion's column heading with its unit and polarity."""
    unit = "%" if criterion.key in _PERCENT else criterion.unit
    arrow = "higher better" if criterion.better == "higher" else "lower better"
    return f"{criterion.label} ({unit}; {arrow})"


def suitability_frame(result: Any) -> pd.DataFrame:
    """The ranked table: rank, tax, score and every criterion's raw value (shares as %),
    best first; the numbers are ``result.table()``'s."""
    from ..analysis.tax_suitability import CRITERIA

    table = result.table()
    frame = pd.DataFrame({"Rank": table["rank"].to_numpy(), "tax": table.index,
                          "Tax": [label(t) for t in table.index],
                          "Score (0-1)": table["score"].to_numpy()})
    for criterion in CRITERIA:
        values = table[criterion.key].to_numpy(float)
        frame[criterion_column(criterion)] = 100 * values if criterion.key in _PERCENT else values
    return frame


def suitability_heatmap(result: Any, *, height: int | None = None):
    """Heat table: rows taxes (best first), columns criteria; colour = normalised score
    (0 least, 1 most suitable), text = the raw value."""
    import plotly.graph_objects as go

    from . import SEQUENTIAL
    from ..analysis.tax_suitability import CRITERIA

    table = result.table()
    scores = result.scores.loc[table.index]
    z = np.column_stack([scores[[c.key for c in CRITERIA]].to_numpy(), table["score"]])
    text = []
    for tax in table.index:
        row = []
        for c in CRITERIA:
            value = table.loc[tax, c.key]
            row.append("n/a" if not np.isfinite(value) else
                       f"{100 * value:.1f}%" if c.key in _PERCENT else f"{value:.2f}")
        row.append(f"{table.loc[tax, 'score']:.3f}")
        text.append(row)
    columns = [c.label + (" (+)" if c.better == "higher" else " (-)") for c in CRITERIA]
    columns.append("Weighted score")
    rows = [f"{int(table.loc[t, 'rank'])}. {label(t)}" for t in table.index]
    fig = go.Figure(go.Heatmap(
        z=z, x=columns, y=rows, text=text, texttemplate="%{text}", colorscale=SEQUENTIAL,
        zmin=0, zmax=1, colorbar={"title": "score<br>(1 = most<br>suitable)"},
        hovertemplate="%{y}<br>%{x}: %{text}<br>normalised score %{z:.2f}<extra></extra>"))
    years = result.years
    fig.update_layout(
        # wrapped (plotly never wraps a title) and held at the top; upright criteria names
        # never overlap
        title={"text": f"Suitability for devolution, {years[0]} to {years[-1]}<br><sup>"
                       + wrap_title("colour: each criterion's score 0-1 across taxes (1 = most "
                                    "suitable); text: its value", 50) + "</sup>",
               "y": 1 - 12 / (height or 34 * len(rows) + 290), "yref": "container",
               "yanchor": "top"},  # 12 px clear above (plotly ignores pad here)
        yaxis={"autorange": "reversed"}, xaxis={"side": "top", "tickangle": -90},
        height=height or 34 * len(rows) + 290, margin={"l": 10, "r": 10, "t": 260, "b": 10})
    return fig


def methods_frame(weights: dict[str, float]) -> pd.DataFrame:
    """Each criterion: label, unit, polarity, weight used and method."""
    from ..analysis.tax_suitability import CRITERIA

    return pd.DataFrame({"Criterion": [c.label for c in CRITERIA],
                         "Unit": [c.unit for c in CRITERIA],
                         "Better": [c.better for c in CRITERIA],
                         "Weight": [weights[c.key] for c in CRITERIA],
                         "Method": [c.method for c in CRITERIA]})


def mobility_frame(mobility: dict[str, float] | None = None) -> pd.DataFrame:
    from ..analysis.tax_suitability import MOBILITY

    return pd.DataFrame({"Tax": [label(t) for t in MOBILITY],
                         "Elasticity": [(mobility or {}).get(t, m.elasticity)
                                        for t, m in MOBILITY.items()],
                         "Basis": [m.basis for m in MOBILITY.values()],
                         "Source": [m.source for m in MOBILITY.values()]})


def devolved_frame() -> pd.DataFrame:
    from ..analysis.tax_suitability import DEVOLVED

    return pd.DataFrame({"Family": [label(p.family) for p in DEVOLVED],
                         "Tax": [p.tax for p in DEVOLVED], "Where": [p.where for p in DEVOLVED],
                         "Power": [p.power for p in DEVOLVED], "Since": [p.since for p in DEVOLVED],
                         "Status": [p.status for p in DEVOLVED],
                         "Legal reference": [p.reference for p in DEVOLVED]})


def impact_frame(impact: Any) -> pd.DataFrame:
    """The impact's table with display headings (units and year)."""
    c, cur, year = impact.currency.lower(), impact.currency, impact.year
    frame = impact.frame
    return pd.DataFrame({
        "Code": frame["code"], "Region": frame["region"],
        f"Effect ({cur} m, {year})": frame[f"effect_{c}_m"],
        f"Per head ({cur}, {year})": frame[f"effect_per_head_{c}"],
        "Index (UK = 100)": frame["index_uk_100"],
        "% of GDHI per head": frame["effect_pct_of_gdhi"]})


def impact_figure(impact: Any, *, height: int | None = None):
    """Effect per head by region, gains blue and losses orange."""
    import plotly.graph_objects as go

    from . import GAIN, LOSS

    c = impact.currency.lower()
    per_head = impact.frame[f"effect_per_head_{c}"].to_numpy(float)
    fig = go.Figure(go.Bar(
        x=per_head, y=impact.frame["region"], orientation="h",
        marker_color=[GAIN if v >= 0 else LOSS for v in per_head],
        hovertemplate="%{y}: %{x:+,.2f} " + impact.currency + " per head<extra></extra>"))
    fig.add_vline(x=impact.uk_effect_per_head, line_dash="dot",
                  annotation_text=f"UK {impact.uk_effect_per_head:+,.2f}")
    heading = wrap_title(f"{impact.title}: effect per head ({impact.currency})", 42)
    top = 12 + 17 * (heading.count("<br>") + 1) + 30  # the title, then the UK line's label
    fig.update_layout(title={"text": heading, "y": 1 - 12 / (height or 420),
                             "yref": "container", "yanchor": "top"},  # 12 px clear above
                      xaxis_title=wrap_title(f"{impact.currency} per head, {impact.year} "
                                             "(+ gain, - loss)", 30),
                      yaxis={"autorange": "reversed"}, height=height or 420,
                      margin={"l": 10, "r": 10, "t": top, "b": 40})
    return fig
