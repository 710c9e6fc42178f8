"""Drawing for the Needs page: need index tables, factor contributions, categories.

Tables and figures only; the numbers come from :mod:`simulator.needs`.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from .style import wrap_title

__all__ = ["CATEGORY_TITLES", "need_table", "contribution_frame", "contributions_figure",
           "category_figure", "relative_to"]

CATEGORY_TITLES = {
    "health": "Health", "education": "Education", "social_protection": "Social protection",
    "public_order_safety": "Public order and safety", "housing_community": "Housing and community",
    "transport": "Transport", "other_economic_affairs": "Other economic affairs",
    "environment": "Environment", "recreation_culture": "Recreation and culture",
    "general_public_services": "General public services",
    "adult_social_care": "Adult social care", "childrens_services": "Children's services",
    "foundation": "Foundation formula",
}


def _title(name: str) -> str:
    return CATEGORY_TITLES.get(name, name.replace("_", " ").capitalize())


def need_table(assessment, names: Mapping[str, str], currency: str = "GBP") -> pd.DataFrame:
    """One row per region: overall need index (100 = average), assessed spending per head,
    and the index of each category."""
    a = assessment
    frame = pd.DataFrame({
        "Code": a.codes,
        "Region": [names.get(c, c) for c in a.codes],
        "Need index (100 = average)": 100 * a.need_index,
        f"Assessed spending per head ({currency})": a.assessed_total,
    })
    for c, category in enumerate(a.categories):
        frame[f"{_title(category)} (index)"] = 100 * a.index_by_category[c]
    return frame


def relative_to(assessment, population: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Need index relative to the population-weighted mean of the masked regions (x 100)."""
    need = assessment.need_index
    base = (need * population * mask).sum() / (population * mask).sum()
    return 100 * need / base


def contribution_frame(assessment, names: Mapping[str, str], factor_titles: Mapping[str, str]
                       ) -> pd.DataFrame:
    """Long frame: region, factor, contribution to the overall index (index points)."""
    a = assessment
    points = 100 * a.factor_contributions  # (F, R)
    return pd.DataFrame({
        "code": np.tile(a.codes, len(a.factors)),
        "region": np.tile([names.get(c, c) for c in a.codes], len(a.factors)),
        "factor": np.repeat([factor_titles.get(f, f) for f in a.factors], len(a.codes)),
        "points": points.ravel(),
    })


def contributions_figure(frame: pd.DataFrame, *, year: str, height: int = 460):
    """Stacked bars: each factor's contribution to each region's need index (points from 100)."""
    import plotly.express as px

    order = (frame.groupby("region", sort=False)["points"].sum().sort_values(ascending=False).index)
    fig = px.bar(frame, x="region", y="points", color="factor", barmode="relative",
                 category_orders={"region": list(order)},
                 labels={"points": "index points (100 = average)", "region": "", "factor": "Factor"},
                 title=wrap_title(f"Factor contributions to need (index points from 100; "
                                  f"{year} mix)", 42))
    totals = frame.groupby("region", sort=False)["points"].sum().reindex(order)
    fig.add_scatter(x=list(order), y=totals.to_numpy(), mode="markers", name="Total",
                    marker=dict(color="black", symbol="diamond", size=8))
    # upright region names never overlap; the title wrapped for a phone
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=70, b=10), legend_title_text="",
                      xaxis_tickangle=-90)
    return fig


def category_figure(assessment, names: Mapping[str, str], *, year: str, height: int = 460):
    """Heatmap: need index by category (rows) and region (columns), 100 = average."""
    import plotly.graph_objects as go

    a = assessment
    z = 100 * a.index_by_category
    fig = go.Figure(go.Heatmap(
        z=z, x=[names.get(c, c) for c in a.codes], y=[_title(c) for c in a.categories],
        colorscale="RdBu_r", zmid=100, texttemplate="%{z:.0f}",
        colorbar=dict(title=dict(text="index (100 = average)", side="top")),
        hovertemplate="%{y}, %{x}: %{z:.1f}<extra></extra>"))
    fig.update_layout(title=wrap_title(f"Need index by service category (100 = UK average; "
                                       f"spending mix {year})", 42),
                      height=height, margin=dict(l=10, r=10, t=70, b=10), xaxis_tickangle=-90)
    return fig


def explain_assessment(assessment, code: str, category: str, names: Mapping[str, str],
                       factor_titles: Mapping[str, str], currency: str = "GBP"
                       ) -> list[tuple[str, str]]:
    """The assessment of one region and category with its numbers substituted:
    (caption, LaTeX) pairs, the numbers taken from ``assessment``."""
    a = assessment
    c, i = a.categories.index(category), a.codes.index(code)
    s = float(a.standard[c])
    used = [f for f in range(len(a.factors)) if a.weights[c, f] > 0]
    region, title = names.get(code, code), _title(category)
    terms = " + ".join(f"{a.weights[c, f]:.2f}\\times({a.ratios[f, i]:.3f}-1)" for f in used) or "0"
    parts = [
        (f"**Standard**: UK average spending per head on {title.lower()}",
         f"s = {s:,.0f}\\ \\text{{{currency} per head}}"),
        (f"**Ratios** of {region}'s drivers to the UK average (population-weighted mean 1): "
         + ", ".join(f"{factor_titles.get(a.factors[f], a.factors[f])} {a.ratios[f, i]:.3f}"
                     for f in used), r"r_f = x_f / \bar{x}_f"),
        ("**Assessed spending** = standard x (1 + weighted sum of the ratios' gaps from 1)",
         f"A = {s:,.0f}\\times(1 + {terms}) = {float(a.assessed[c, i]):,.0f}"),
        (f"**Need index** for {title.lower()} (100 = UK average)",
         f"100\\times A / s = {100 * float(a.assessed[c, i]) / s:.1f}"),
    ]
    return parts


def need_adjusted_table(by_region: pd.DataFrame, year: str) -> pd.DataFrame | None:
    """Resources per head against assessed need, before and after (``Result.by_region``'s
    need columns, one year), or None when no needs model covers the regions."""
    if "need_adjusted_index" not in by_region:
        return None
    frame = by_region[by_region["year"] == year]
    columns = {
        "region": "Region",
        "assessed_need_index": f"Assessed need (100 = average, {year})",
        "baseline_need_adjusted_index": f"Funded relative to need, before (100 = at need, {year})",
        "need_adjusted_index": f"Funded relative to need, after (100 = at need, {year})",
    }
    return frame[list(columns)].rename(columns=columns).reset_index(drop=True)
