"""Presentation helpers for front ends: palette, tidy frames and plotly figures.

Nothing here computes policy: every number comes from the engine (a
:class:`~simulator.engine.result.Result`, a :class:`~simulator.state.FiscalState`
or a :class:`~simulator.federation.Federation`) and is only reshaped, labelled
with its unit and year, and drawn.  The exceptions are documented where they
stand: :func:`lorenz_curve` (a descriptive statistic for a chart),
:func:`teaching_federation` (a made-up five-region federation for the Learn
page), :func:`with_key_options` and :func:`with_contribution_step` (edit a
system's settings, never its results), :func:`hex_geojson` (the geometry of a
hex map) and :func:`explain_step`, which reads a step's inputs from the
engine state to substitute them into its documented formula (the result shown
beside them is always the engine's).

Colours are colour-blind safe: gains blue and losses orange (a blue/orange
diverging scale, after ColorBrewer PuOr/RdBu), categories from Okabe & Ito.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..federation import Federation
from ..state import FiscalState

__all__ = [
    # palette and labels
    "GAIN", "LOSS", "NEUTRAL", "DIVERGING", "OKABE_ITO", "source_colours", "tax_label",
    "money", "per_head_label", "tex_money", "tex_people",
    # figures and tables of results
    "resource_components", "resources_figure", "change_map", "geojson_data_url", "MAP_CONFIG",
    "lorenz_curve", "lorenz_figure", "marginal_rates_figure", "summary_metrics",
    "winners_losers", "region_table", "system_table", "system_table_style", "number_style",
    "gain_loss_style", "table_height", "result_tables", "excel_bytes", "problems_table",
    # data page
    "revenue_table", "revenue_figure",
    # explore page options
    "key_options", "with_key_options", "STARTER_SCENARIO",
    # learn page
    "teaching_federation", "federation_table", "learn_table", "explain_devolution",
    "explain_step",
    # many areas and hex maps
    "SEQUENTIAL", "extremes", "geojson_with_codes", "hex_geojson",
    # over time
    "BGA_LABELS", "bga_label", "over_time_figure", "fan_chart", "bga_methods_table",
    "bga_methods_figure", "absorbed_frame", "risk_table", "risk_figure", "number_text",
    # need index
    "need_index_table", "rank_interval_figure", "mission_figure", "quadrant_figure",
    "top_share_table", "top_share_figure",
    # targets
    "solve_cards", "budget_table", "with_contribution_step",
    # real systems
    "step_formulas", "validation_sections",
]

# ---------------------------------------------------------------- palette
#: Gains (blue) and losses (orange): distinguishable with every common
#: colour-vision deficiency.
GAIN = "#2166AC"
LOSS = "#B35806"
NEUTRAL = "#F7F7F7"
#: Sequential scale, low (near white) -> high (dark blue), after ColorBrewer PuBu:
#: one hue, so it reads the same with every colour-vision deficiency.
SEQUENTIAL = [[0.0, "#F1EEF6"], [0.25, "#BDC9E1"], [0.5, "#74A9CF"], [0.75, "#2B8CBE"],
              [1.0, "#045A8D"]]
#: Diverging scale, losses (orange) -> 0 (near white) -> gains (blue).
DIVERGING = [[0.0, LOSS], [0.25, "#F1A340"], [0.5, NEUTRAL], [0.75, "#67A9CF"], [1.0, GAIN]]
#: Okabe & Ito's eight colours (black last).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000"]
_BLOCK_GRANT, _OWN_REVENUE = "#999999", "#009E73"
_TRANSFER_COLOURS = ["#0072B2", "#E69F00", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

TAX_LABELS = {
    "income_tax": "Income tax", "capital_gains_tax": "Capital gains tax", "nics": "NICs",
    "vat": "VAT", "corporation_tax": "Corporation tax", "fuel_duties": "Fuel duties",
    "business_rates": "Business rates", "council_tax": "Council tax",
    "property_transaction_taxes": "Property transaction taxes",
    "alcohol_tobacco": "Alcohol and tobacco duties", "vehicle_excise": "Vehicle excise duty",
    "other": "Other taxes", "north_sea": "North Sea revenue",
}


def tax_label(tax: str) -> str:
    """Human name of a tax family (``income_tax`` -> ``Income tax``)."""
    return TAX_LABELS.get(tax, tax.replace("_", " ").capitalize())


def source_colours(sources: Sequence[str]) -> dict[str, str]:
    """Colour of each resource source: block grant grey, own revenue green,
    transfers in Okabe-Ito order."""
    colours, k = {}, 0
    for source in sources:
        if source == "Block grant":
            colours[source] = _BLOCK_GRANT
        elif source == "Own revenue":
            colours[source] = _OWN_REVENUE
        else:
            colours[source] = _TRANSFER_COLOURS[k % len(_TRANSFER_COLOURS)]
            k += 1
    return colours


# ---------------------------------------------------------------- formatting
_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "CAD": "C$", "AUD": "A$", "CHF": "CHF "}


def money(value: float, currency: str = "GBP") -> str:
    """``£1,234`` / ``£2.50 bn`` / ``£350 m``; large amounts in m or bn."""
    if value is None or not np.isfinite(value):
        return "n/a"
    symbol = _SYMBOLS.get(currency, currency + " ")
    sign = "-" if value < 0 else ""
    size = abs(float(value))
    if size >= 1e9:
        body = f"{size / 1e9:,.2f} bn"
    elif size >= 1e7:
        body = f"{size / 1e6:,.0f} m"
    elif size >= 1e6:
        body = f"{size / 1e6:,.1f} m"
    else:
        body = f"{size:,.0f}"
    return f"{sign}{symbol}{body}"


def per_head_label(currency: str, year: str) -> str:
    """Axis/column label of an amount per head: ``GBP per head, 2024-25``."""
    return f"{currency} per head, {year}"


# ---------------------------------------------------------------- teaching data
def teaching_federation() -> Federation:
    """Five made-up regions, one year, three taxes: small enough to follow by hand.

    Round numbers (population in millions, revenue per head in whole pounds) so
    every formula on the Learn page can be checked with a pencil.
    ``identifiable_expenditure`` is today's grant (GBP, total) and
    ``need_index`` a per-head need index; tax and indicator names follow the
    UK dataset so library scenarios run on it.
    """
    codes = ["N", "E", "S", "W", "C"]
    names = ["Northmoor", "Eastvale", "Southport", "Westfield", "Capital"]
    population = np.array([2.0, 3.0, 5.0, 4.0, 6.0]) * 1e6
    per_head = {  # GBP per head
        "income_tax": [1_500, 2_000, 2_500, 3_000, 5_000],
        "vat": [2_000, 2_200, 2_400, 2_600, 3_000],
        "council_tax": [400, 500, 600, 700, 1_000],
    }
    revenue = np.stack([np.array(v, float) * population for v in per_head.values()])
    spending = np.array([12_000, 11_000, 10_500, 10_000, 10_000], float) * population
    need = np.array([1.20, 1.10, 1.00, 0.95, 0.90])
    return Federation(
        name="teaching", codes=codes, names=names, nations=["Teaching"] * 5,
        years=["2024-25"], population=population[None, :], taxes=list(per_head),
        revenue=revenue[None, :, :], indicators={"identifiable_expenditure": spending[None, :],
                                                 "need_index": need[None, :]},
        units={"identifiable_expenditure": "GBP", "need_index": "index (mean 1)",
               "population": "persons", "revenue": "GBP"},
        currency="GBP", source="Made-up teaching federation (round numbers, not real data).")


# ---------------------------------------------------------------- results
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
    fig.update_xaxes(tickformat=",.0f", zeroline=True, zerolinecolor="#444")
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


def number_style(table: pd.DataFrame, columns: Sequence[str] | None = None,
                 fmt: str = "{:,.0f}"):
    """A pandas Styler showing ``columns`` (default: every numeric column) as
    ``fmt`` (whole units with thousands separators); the data keep full precision."""
    if columns is None:
        columns = table.select_dtypes("number").columns
    return table.style.format(fmt, subset=list(columns))


def table_height(rows: int) -> int:
    """Pixel height of an ``st.dataframe`` showing ``rows`` rows without scrolling."""
    return 35 * (rows + 1) + 3


def gain_loss_style(table: pd.DataFrame, columns: Sequence[str]):
    """A pandas Styler colouring ``columns`` blue (gain) or orange (loss)."""
    def colour(value: float) -> str:
        if not isinstance(value, (int, float)) or not np.isfinite(value) or value == 0:
            return ""
        return f"color: {GAIN if value > 0 else LOSS}; font-weight: 600"

    return table.style.map(colour, subset=list(columns)).format("{:,.0f}", subset=list(columns))


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
    money with thousands separators, shares in percent, indices to 4 places."""
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
        style = style.format(fmt, subset=pd.IndexSlice[[key], runs])
    return style


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


def geojson_data_url(geojson: Mapping) -> str:
    """The GeoJSON as a ``data:`` URL, which plotly.js loads like any URL.

    A figure then carries one string instead of thousands of coordinate
    lists, so building and sending a map on each redraw costs next to
    nothing (plotly copies and validates a GeoJSON dict on every figure).
    """
    import base64
    import json

    text = json.dumps(geojson, separators=(",", ":"))
    return "data:application/geo+json;base64," + base64.b64encode(text.encode()).decode()


#: plotly config for maps.  A geo map fetches a world topology from
#: cdn.plot.ly for base layers, even when (as here) it draws only its own
#: GeoJSON with every base layer hidden; an empty topology, as a data URL
#: (plotly appends "<name>.json", which lands in the URL's #fragment), lets
#: maps draw offline and without a third-party request.
MAP_CONFIG = {"topojsonURL": 'data:application/json,{"type":"Topology","objects":{},'
                             '"arcs":[]}#', "displaylogo": False}


def change_map(frame: pd.DataFrame, geojson: Mapping | str, value: str, *, title: str,
               unit: str, height: int = 460, bound: float | None = None,
               sequential: bool = False, tickformat: str = ",.0f"):
    """Choropleth of ``frame[value]`` by ``frame['code']`` on a diverging
    blue (gain) / orange (loss) scale centred on zero, symmetric to ``bound``
    (default: the largest absolute value; pass one bound to compare maps).
    ``sequential=True``: a light-to-dark :data:`SEQUENTIAL` scale from the
    lowest to the highest value instead (e.g. need).
    ``geojson``: features with property ``code``, as a dict or a URL (see
    :func:`geojson_data_url`; :func:`hex_geojson` for a hex map)."""
    import plotly.graph_objects as go

    values = frame[value].to_numpy(dtype=float)
    if sequential:
        finite = values[np.isfinite(values)]
        zmin, zmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        scale = SEQUENTIAL
    else:
        if bound is None:
            bound = float(np.nanmax(np.abs(values))) if len(values) else 1.0
        bound = bound if bound > 0 else 1.0
        zmin, zmax, scale = -bound, bound, DIVERGING
    many = len(values) > 50
    fig = go.Figure(go.Choropleth(
        geojson=geojson, locations=frame["code"], z=values, featureidkey="properties.code",
        text=frame["region"], colorscale=scale, zmin=zmin, zmax=zmax,
        marker_line_color="#777" if many else "#555", marker_line_width=0.3 if many else 0.5,
        colorbar=dict(title=dict(text=unit, side="top"), tickformat=tickformat,
                      orientation="h", y=-0.02, yanchor="top", len=0.9, thickness=14),
        hovertemplate="%{text}<br>%{z:" + tickformat + "} " + unit + "<extra></extra>"))
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(title=title, height=height, margin=dict(l=0, r=0, t=40, b=70))
    return fig


# ---------------------------------------------------------------- inequality
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


# ---------------------------------------------------------------- data page
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


#: Tax families: Okabe & Ito's seven colours, then Paul Tol's wine, teal, indigo
#: and olive, grey (12th: "other" in the UK data) and black (North Sea).
_TAX_COLOURS = OKABE_ITO[:7] + ["#882255", "#44AA99", "#332288", "#999933", "#999999",
                                "#000000"]


def _cycle(k: int) -> str:
    return _TAX_COLOURS[k % len(_TAX_COLOURS)]


# ---------------------------------------------------------------- key options
#: Step types whose ``rate`` and ``standard`` are "the equalisation rate" and
#: "the standard" of a system's key options (the first such step counts).
EQUALISING_TYPES = ("gap_fill", "symmetric")
GUARANTEE_TYPE = "minimum_guarantee"


def _first(steps: Sequence[Any], types: Sequence[str]) -> tuple[int | None, Any]:
    """Index and step of the first of ``steps`` whose type is in ``types``."""
    for k, step in enumerate(steps):
        if getattr(step, "type", None) in types:
            return k, step
    return None, None


def key_options(system: Any) -> dict[str, Any]:
    """The options the Explore page exposes, read from a system (or scenario).

    ``devolution`` (tax -> share); ``rate``, ``standard_kind`` and
    ``standard_fraction`` of the first gap-fill or symmetric step (rate None
    without one; ``has_standard`` False when that step has no standard); ``guarantee`` (a minimum guarantee step is present) and its
    ``floor_index`` and ``target_index``.
    """
    _, step = _first(system.steps, EQUALISING_TYPES)
    standard = getattr(step, "standard", None)
    _, guarantee = _first(system.steps, (GUARANTEE_TYPE,))
    from ..steps import STEP_TYPES

    defaults = STEP_TYPES[GUARANTEE_TYPE].model_fields if GUARANTEE_TYPE in STEP_TYPES else {}
    default = {k: defaults[k].default for k in ("floor_index", "target_index") if k in defaults}
    return {
        "devolution": {tax: d.share for tax, d in system.devolution.items()},
        "rate": getattr(step, "rate", None),
        "has_standard": step is None or standard is not None,
        "standard_kind": getattr(standard, "kind", "national_average"),
        "standard_fraction": getattr(standard, "fraction", 1.0),
        "guarantee": guarantee is not None,
        "floor_index": getattr(guarantee, "floor_index", default.get("floor_index")),
        "target_index": getattr(guarantee, "target_index", default.get("target_index")),
    }


def _rebuild(model: Any, **changes: Any) -> Any:
    """A validated copy of a frozen pydantic model with some fields changed."""
    return type(model).model_validate({**model.model_dump(), **changes})


def with_key_options(system: Any, *, devolution: Mapping[str, float] | None = None,
                     rate: float | None = None, standard_fraction: float | None = None,
                     guarantee: bool | None = None, floor_index: float | None = None) -> Any:
    """``system`` (a System or a Scenario) with the Explore page's options applied.

    - ``devolution``: tax -> share; taxes left out (or at 0) are no longer
      devolved; a tax already devolved keeps its other settings.
    - ``rate`` / ``standard_fraction``: set on the first gap-fill or symmetric
      step; without one, a rate above 0 adds a gap-fill to the national
      average (times ``standard_fraction``) before the other steps.
    - ``guarantee``: False removes minimum guarantee steps; True keeps the
      first (or appends one with the step's defaults), with ``floor_index``.

    The copy is validated, so an inconsistent choice raises a pydantic
    ``ValidationError`` naming the field.
    """
    changes: dict[str, Any] = {}
    if devolution is not None:
        changes["devolution"] = {
            tax: (_rebuild(system.devolution[tax], share=share) if tax in system.devolution
                  else {"share": share})
            for tax, share in devolution.items() if share > 0}
    steps = list(system.steps)
    index, step = _first(system.steps, EQUALISING_TYPES)
    if step is not None:
        update: dict[str, Any] = {}
        if rate is not None:
            update["rate"] = rate
        if standard_fraction is not None and hasattr(step, "standard"):
            update["standard"] = _rebuild(step.standard, fraction=standard_fraction)
        steps[index] = _rebuild(step, **update)
    elif rate:
        from ..steps import GapFill

        steps.insert(0, GapFill(rate=rate, standard={"fraction": standard_fraction or 1.0}))
    if guarantee is not None:
        index, step = _first(steps, (GUARANTEE_TYPE,))
        if not guarantee:
            steps = [s for s in steps if getattr(s, "type", None) != GUARANTEE_TYPE]
        else:
            update = {} if floor_index is None else {"floor_index": floor_index}
            if step is None:
                from ..steps import STEP_TYPES

                steps.append(STEP_TYPES[GUARANTEE_TYPE].model_validate(update))
            else:
                steps[index] = _rebuild(step, **update)
    changes["steps"] = steps
    fields = {name: getattr(system, name) for name in type(system).model_fields}
    return type(system).model_validate({**fields, **changes})


# ---------------------------------------------------------------- system figures
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
        items.append({
            "key": key, "label": f"{label}, {year}", "value": f"{after:.{digits}f}",
            "delta": f"{after - before:+.{digits}f} vs baseline {before:.{digits}f}",
            "delta_color": "inverse",
            "help": f"{label} of resources per head across regions, population-weighted "
                    f"(a ratio, no unit; {meaning}).",
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
        xaxis_title=f"Share of an extra {'pound'} of own tax base lost ({year})",
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
        margin=dict(l=10, r=10, t=40, b=40))
    fig.update_xaxes(tickformat=".0%")
    values = frame[channels + ["marginal_equalisation_rate"]].to_numpy(float)
    if not np.nanmax(np.abs(values), initial=0.0) > 1e-6:  # zero up to rounding noise
        fig.update_xaxes(range=[-0.05, 1.0])
    return fig


#: The scenario the editor starts from when the library is empty.
STARTER_SCENARIO = """\
name: income_tax_gap_fill_75
description: >-
  Income tax fully devolved; the centre fills 75% of each region's per-head
  capacity gap below the UK average.
dataset:
  name: uk_itl1
  options:
    north_sea: geographic
year: 2024-25
devolution:
  income_tax: 1.0
block_grant: identifiable_expenditure
block_grant_adjustment: per_capita
steps:
  - type: gap_fill
    rate: 0.75
    standard: national_average
"""


# ---------------------------------------------------------------- learn page
def tex_money(value: float, currency: str = "GBP") -> str:
    r"""LaTeX for an amount: ``\pounds 1{,}500``, ``\pounds 3.60\,\text{bn}``; minus sign kept."""
    symbol = {"GBP": r"\pounds", "EUR": r"\text{€}", "USD": r"\$"}.get(currency,
                                                                       rf"\text{{{currency} }}")
    text = money(value, currency).replace(_SYMBOLS.get(currency, currency + " "), "")
    text = text.replace(",", "{,}").replace(" bn", r"\,\text{bn}").replace(" m", r"\,\text{m}")
    sign = "-" if text.startswith("-") else ""
    return f"{sign}{symbol}\\,{text.lstrip('-')}"


def tex_people(value: float) -> str:
    r"""LaTeX for a population: ``2.0\,\text{m}``."""
    number = f"{value / 1e6:,.1f}".replace(",", "{,}")
    return rf"{number}\,\text{{m}}"


def _one(array: np.ndarray, index: int) -> float:
    """Region ``index`` of a single-year engine array ``(1, R)`` or ``(R,)``."""
    return float(np.asarray(array, float).reshape(-1, np.shape(array)[-1])[-1, index])


def _row(array: np.ndarray) -> np.ndarray:
    return np.asarray(array, float).reshape(-1, np.shape(array)[-1])[-1]


def federation_table(federation: Federation, year: str) -> pd.DataFrame:
    """A federation at a glance for one year: population, revenue per head by
    tax, and each indicator (per head where it is an amount in currency)."""
    cur = federation.currency
    y = list(federation.years).index(year)
    table = revenue_table(federation, year).drop(columns="Total")
    table = table.rename(columns={t: f"{t} ({cur}/head)" for t in table.columns[2:]})
    table.insert(2, "Population (m)", federation.population[y] / 1e6)
    for name, values in federation.indicators.items():
        unit = federation.units.get(name, "")
        if unit.startswith(cur) and "per head" not in unit:
            table[f"{name.replace('_', ' ').capitalize()} ({cur}/head)"] = (
                values[y] / federation.population[y])
        else:
            table[f"{name.replace('_', ' ').capitalize()} ({unit or 'value'})"] = values[y]
    return table


def learn_table(before: FiscalState, after: FiscalState, federation: Federation,
                measure: str = "capacity") -> pd.DataFrame:
    """Per-region numbers around one step of a single-year run, per head.

    ``before`` is the state after devolution and the block grant adjustment (and
    any earlier step) but before the mechanism, not today's settlement; the
    columns say so.  The step's own transfer is the last one of ``after`` (none
    for a step that only reweights the population).
    """
    cur = federation.currency
    population = _row(before.population)
    added = after.transfers[len(before.transfers):]
    transfer = sum((_row(a) for _, a in added), np.zeros_like(population))
    return pd.DataFrame({
        "Region": federation.names,
        "Population (m)": population / 1e6,
        f"Measure before the mechanism ({cur}/head)": _row(before.measure(measure)) / population,
        f"Transfer of the mechanism ({cur}/head)": transfer / population,
        f"Resources after devolution, before the mechanism ({cur}/head)":
            _row(before.resources) / population,
        f"Resources after the mechanism ({cur}/head)": _row(after.resources) / population,
    })


def explain_devolution(state: FiscalState, federation: Federation, tax: str, share: float,
                       index: int) -> list[tuple[str, str]]:
    """The devolution step for region ``index``: capacity, block grant
    adjustment (per capita) and resources, with the engine's numbers.

    Meant for the teaching federation (no tax base, no own rates), where
    capacity equals the devolved revenue and L, the revenue the centre gives
    up, is the sum of capacities.
    """
    cur = federation.currency
    P = _one(state.population, index)
    P_total = float(_row(state.population).sum())
    capacity = _one(state.fiscal_capacity, index)
    revenue = float(federation.tax_revenue(tax)[-1, index])
    grant = _one(state.baseline_resources, index)
    adjusted = _one(state.block_grant, index)
    lost = float(_row(state.fiscal_capacity).sum())
    own = _one(state.own_revenue, index)
    return [
        ("Fiscal capacity: the devolved share $s$ of the tax raised at common rates, $R_i$ "
         "(no tax base is known here, so capacity equals revenue).",
         rf"C_i = s \times R_i = {share:g} \times {tex_money(revenue, cur)} = "
         rf"{tex_money(capacity, cur)}"),
        ("Block grant adjustment, per capita: the centre recovers the revenue $L$ it gives up "
         "in equal amounts per head.",
         rf"BGA_i = L \times \frac{{P_i}}{{\sum_j P_j}} = {tex_money(lost, cur)} \times "
         rf"\frac{{{tex_people(P)}}}{{{tex_people(P_total)}}} = "
         rf"{tex_money(grant - adjusted, cur)}"),
        ("Resources: today's grant $G_i$ less the adjustment, plus own revenue.",
         rf"G_i - BGA_i + \text{{own}}_i = {tex_money(grant, cur)} - "
         rf"{tex_money(grant - adjusted, cur)} + {tex_money(own, cur)} = "
         rf"{tex_money(_one(state.resources, index), cur)} \;"
         rf"({tex_money(_one(state.resources, index) / P, cur)}\text{{ per head}})"),
    ]


def explain_step(step: Any, before: FiscalState, after: FiscalState, federation: Federation,
                 index: int) -> list[tuple[str, str]]:
    """The step's formula for region ``index`` with the numbers substituted.

    Inputs (standards, measures, populations) are read from the engine state
    before the step, using the step's own public methods where it has them;
    the result on the right is the engine's transfer.  Returns (caption,
    LaTeX) pairs; an empty list for a step type without a worked example.
    """
    cur = federation.currency
    kind = getattr(step, "type", "")
    P_eq = _one(before.equalisation_population, index)
    P = _one(before.population, index)
    own_transfer = after.transfers[len(before.transfers):]
    T = sum(_one(a, index) for _, a in own_transfer) if own_transfer else 0.0
    m = lambda v: tex_money(v, cur)  # noqa: E731
    result = rf"T_i = {m(T)} \;({m(T / P)}\text{{ per head}})"
    measure = before.measure(getattr(step, "measure", "capacity"))
    c = _one(measure, index) / P_eq
    if kind == "gap_fill":
        S = _one(step.standard.per_head(before, measure), 0)
        return [("Standard $S$ (per head) and the region's measure $c_i$ (per head).",
                 rf"S = {m(S)}, \quad c_i = {m(c)}, \quad P_i = {tex_people(P_eq)}"),
                ("Transfer: a share of the gap below the standard.",
                 rf"T_i = \text{{rate}} \times \max(0,\, S - c_i) \times P_i = {step.rate:g} "
                 rf"\times \max(0,\, {m(S)} - {m(c)}) \times {tex_people(P_eq)}"),
                ("Engine result.", result)]
    if kind == "symmetric":
        S = _one(before.national_per_head(measure), 0)
        return [("Average $S$ (per head) and the region's measure $c_i$ (per head).",
                 rf"S = \frac{{\sum_j c_j P_j}}{{\sum_j P_j}} = {m(S)}, \quad c_i = {m(c)}"),
                ("Transfer: a share of the distance to the average, both ways (sums to zero).",
                 rf"T_i = \text{{rate}} \times (S - c_i) \times P_i = {step.rate:g} \times "
                 rf"({m(S)} - {m(c)}) \times {tex_people(P_eq)}"),
                ("Engine result.", result)]
    if kind == "minimum_guarantee":
        avg = _one(before.national_per_head(measure), 0)
        ri = 100.0 * c / avg
        points = float(step.top_up_points(np.array([ri]))[0])
        return [("Resource index: the measure per head against the average (= 100).",
                 rf"RI_i = 100 \times \frac{{c_i}}{{c_{{avg}}}} = 100 \times "
                 rf"\frac{{{m(c)}}}{{{m(avg)}}} = {ri:.1f}"),
                ("Top-up in index points: to the target below the floor, progressive above it.",
                 rf"s(RI) = \begin{{cases}} {step.target_index:g} - RI & RI < {step.floor_index:g}"
                 rf"\\ {step.top_up_at_floor:g}\left(\frac{{100 - RI}}{{100 - "
                 rf"{step.floor_index:g}}}\right)^{{{step.exponent:.3f}}} & RI < 100 \\ 0 & "
                 rf"\text{{otherwise}} \end{{cases}} \Rightarrow s({ri:.1f}) = {points:.2f}"),
                ("Transfer: those index points of the average, per head.",
                 rf"T_i = \frac{{s(RI_i)}}{{100}} \times c_{{avg}} \times P_i = "
                 rf"\frac{{{points:.2f}}}{{100}} \times {m(avg)} \times {tex_people(P_eq)}"),
                ("Engine result.", result)]
    if kind == "needs_pool":
        total = float(_row(before.equalisation_population).sum())
        pool = step.amount if step.amount is not None else step.pool_per_head * total
        need = _one(before.need_index, index)
        return [("The pool and the region's need index $n_i$ and measure $c_i$ (per head).",
                 rf"\text{{pool}} = {m(pool)}, \quad n_i = {need:.2f}, \quad c_i = {m(c)}"),
                ("Relativity: assessed spending at the average standard less own capacity, "
                 "against the average grant per head $g_{avg}$; then the pool is shared by "
                 "relativity times population.",
                 r"r_i = \max\!\left(0, \frac{n_i E - c_i}{g_{avg}}\right), \quad "
                 r"G_i = \text{pool} \times \frac{r_i P_i}{\sum_j r_j P_j}"),
                ("Engine result (relativity implied by the grant: $r_i = G_i / (P_i\\, g_{avg})$ "
                 "when no relativity is clipped).",
                 rf"G_i = {m(T)} \;({m(T / P)}\text{{ per head}}), \quad g_{{avg}} = "
                 rf"{m(pool / total)}")]
    if kind == "no_worse_off":
        B, R = _one(before.baseline_resources, index), _one(before.resources, index)
        return [("Top up any region below its baseline resources $B_i$.",
                 rf"T_i = \max(0,\, B_i - R_i) = \max(0,\, {m(B)} - {m(R)})"),
                ("Engine result.", result)]
    if kind == "change_limits":
        B, R = _one(before.baseline_resources, index), _one(before.resources, index)
        bounded = "R_i"
        if step.floor_change is not None:
            bounded = rf"\max({bounded},\, {1 + step.floor_change:g} B_i)"
        if step.cap_change is not None:
            bounded = rf"\min({bounded},\, {1 + step.cap_change:g} B_i)"
        return [("Keep resources between a floor and a cap relative to the baseline $B_i$.",
                 rf"R'_i = {bounded}, \quad R_i = {m(R)}, \; B_i = {m(B)}"),
                ("Engine result: resources after the step.",
                 rf"R'_i = {m(_one(after.resources, index))} \;(T_i = {m(T)})")]
    if kind == "horizontal_funding":
        cost = float(np.asarray(before.centre_paid_by_steps).reshape(-1)[-1])
        return [("The centre's net cost $C$ of the earlier steps; strong regions pay $F$ of it.",
                 rf"C = {m(cost)}, \quad F = \text{{share}} \times \max(0, C) = "
                 rf"{getattr(step, 'share', 1.0):g} \times {m(max(0.0, cost))}"),
                ("Each region above the standard pays the same share $u$ of its excess.",
                 r"e_i = \max(0,\, x_i - S) \times P_i, \quad u = \min\!\left(1, "
                 r"\frac{F}{\sum_j e_j}\right), \quad T_i = -u \times e_i"),
                ("Engine result.", result)]
    if kind == "fixed_pool":
        total = float(_row(before.equalisation_population).sum())
        pool = step.amount if step.amount is not None else step.amount_per_head * total
        formula = sum(float(_row(a).sum()) for _, a in before.transfers)
        return [("Scale the earlier transfers (total $\\sum T$) to the fixed pool $A$.",
                 rf"A = {m(pool)}, \quad \textstyle\sum T = {m(formula)}, \quad "
                 rf"\sum_i a_i = A - \sum T = {m(pool - formula)}"),
                ("Engine result: the region's adjustment.", rf"a_i = {m(T)} \;"
                 rf"({m(T / P)}\text{{ per head}})")]
    if kind == "weight_population":
        weight = step.weights.get(federation.codes[index], 1.0)
        P_after = _one(after.equalisation_population, index)
        return [("Later per-head formulas count the region's inhabitants with a weight.",
                 rf"P^{{eq}}_i = w_i \times P_i = {weight:g} \times {tex_people(P)} = "
                 rf"{tex_people(P_after)}")]
    return []


# ---------------------------------------------------------------- downloads
def result_tables(result: Any) -> dict[str, pd.DataFrame]:
    """The tables of a run, for download: ``regions`` (``by_region``),
    ``summary`` and, when something is devolved, ``marginal_rates``."""
    from ..errors import SimulatorError

    tables = {"regions": result.by_region(), "summary": result.summary()}
    try:
        tables["marginal_rates"] = result.marginal_equalisation_rates()
    except SimulatorError:
        pass
    return tables


def excel_bytes(tables: Mapping[str, pd.DataFrame], notes: Sequence[str] = ()) -> bytes:
    """An .xlsx workbook with one sheet per table (and a ``notes`` sheet)."""
    import io

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
        if notes:
            pd.DataFrame({"notes": list(notes)}).to_excel(writer, sheet_name="notes", index=False)
    return buffer.getvalue()


def problems_table(problems: Iterable[Any]) -> pd.DataFrame:
    """Scenario problems (``ScenarioError.problems``) as a table: line, column, field, message."""
    return pd.DataFrame(
        [{"Line": p.line, "Column": p.column, "Field": p.path or "(file)", "Message": p.message}
         for p in problems], columns=["Line", "Column", "Field", "Message"])


# ---------------------------------------------------------------- many areas, hex maps
def extremes(frame: pd.DataFrame, column: str, n: int = 20) -> list[str]:
    """Codes of the ``n`` largest values of ``frame[column]`` then the ``n``
    smallest (largest first; ties by code), or every code when there are at
    most ``2 n`` rows.  For charts of datasets with hundreds of areas."""
    ordered = frame.sort_values([column, "code"], ascending=[False, True])
    codes = list(ordered["code"])
    return codes if len(codes) <= 2 * n else codes[:n] + codes[-n:]


def geojson_with_codes(geojson: Mapping, key: str) -> dict:
    """A copy of ``geojson`` whose features carry property ``code`` (the maps'
    key) taken from property ``key`` (e.g. ONS ``areacd``)."""
    features = [{**feature, "properties": {**feature["properties"],
                                           "code": feature["properties"][key]}}
                for feature in geojson["features"]]
    return {**geojson, "features": features}


def hex_geojson(hexes: pd.DataFrame, size: float = 0.1) -> dict:
    """A hex map as GeoJSON polygons, so :func:`change_map` draws it like a map.

    ``hexes`` has ``code``, ``name``, ``x``, ``y``: pointy-top hex centres
    one unit apart along a row (e.g. ``england_la.hexmap_frame()``).  The
    layout is scaled by ``size`` degrees and placed at the equator, where a
    map projection leaves small shapes undistorted.  Rings run clockwise, as
    plotly's geo maps expect.
    """
    radius = size / np.sqrt(3.0)
    angles = np.deg2rad([90.0, 30.0, -30.0, -90.0, -150.0, 150.0, 90.0])  # clockwise, closed
    x = hexes["x"].to_numpy(float) * size
    y = (hexes["y"].to_numpy(float) - float(hexes["y"].mean())) * size
    features = []
    for code, name, cx, cy in zip(hexes["code"], hexes["name"], x, y):
        ring = [[round(float(cx + radius * np.cos(a)), 6), round(float(cy + radius * np.sin(a)), 6)]
                for a in angles]
        features.append({"type": "Feature", "properties": {"code": code, "name": name},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------- over time
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
        layout[f"xaxis{axis}"] = dict(domain=[x0, x0 + width], anchor=f"y{axis}", type="category",
                                      nticks=4, tickangle=0, showticklabels=row == rows - 1
                                      or n + columns >= len(regions))
        layout[f"yaxis{axis}"] = dict(domain=[y1 - height, y1], anchor=f"x{axis}",
                                      tickformat=",.0f")
        titles.append(dict(text=name, x=x0 + width / 2, y=y1, xref="paper", yref="paper",
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
    return go.Figure(data=traces, layout=dict(
        **layout, annotations=titles, height=row_height * rows + 120,
        margin=dict(l=10, r=10, t=50, b=60),
        title=dict(text=unit, font=dict(size=13), x=0, xanchor="left"),
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
                      xaxis_title=unit, legend=dict(orientation="h", yanchor="bottom", y=1.01,
                                                    x=0),
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


def number_text(fmt: str = "{:,.0f}", missing: str = "n/a"):
    """A formatter for a Styler: ``fmt``, ``missing`` for NaN, and never a
    minus sign on a value that rounds to zero (rounding noise such as -1e-14)."""
    def text(value: float) -> str:
        if value is None or not np.isfinite(value):
            return missing
        shown = fmt.format(value)
        return shown[1:] if shown.startswith("-") and not any(c in "123456789"
                                                             for c in shown) else shown
    return text


def risk_figure(table: pd.DataFrame, year: str, currency: str):
    """Two panels from :func:`risk_table`: share of an own shock absorbed (%)
    and standard deviation of resources per head before and after."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    share = f"Share of own shock absorbed ({year}, %)"
    before = f"SD before equalisation ({currency} per head, {year})"
    after = f"SD after equalisation ({currency} per head, {year})"
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=[f"Share of a region's own shock absorbed (%, {year})",
                                        f"Volatility of resources per head ({currency} per "
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
                                           f"head<extra></extra>"), row=1, col=2)
    fig.update_layout(barmode="group", height=max(380, 40 * len(table) + 140),
                      legend=dict(orientation="h", yanchor="bottom", y=1.08, x=0.55),
                      margin=dict(l=10, r=10, t=70, b=30))
    fig.update_xaxes(ticksuffix="%", row=1, col=1)
    fig.update_xaxes(tickformat=",.0f", row=1, col=2)
    return fig


# ---------------------------------------------------------------- need index
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


# ---------------------------------------------------------------- targets
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


# ---------------------------------------------------------------- real systems
def _tex_text(text: str) -> str:
    return text.replace("_", r"\_").replace("%", r"\%").replace("&", r"\&")


def step_formulas(step: Any, currency: str) -> list[tuple[str, str]]:
    """A real system's step as (caption, LaTeX) pairs: the formula of the
    step's docstring with the step's own parameters written in.  Empty for a
    step type without one (show its docstring instead)."""
    kind = getattr(step, "type", "")
    m = lambda v: tex_money(v, currency)  # noqa: E731
    if kind == "source_gap_fill":
        options = [", ".join(f"\\theta_{{\\text{{{_tex_text(s)}}}}} = {v:g}" for s, v in o.items())
                   or r"\text{every source } 1" for o in step.inclusion]
        return [
            ("Per-head gap of region $i$ under an inclusion option $\\theta$ (share of each "
             "revenue source $s$ counted; $S_s$ the standard, $c_{is}$ the region's capacity "
             "per head).", r"g_i(\theta) = \sum_s \theta_s \,(S_s - c_{is})"),
            ("Options compared (sources not named count fully).",
             r"\quad;\quad ".join(rf"\theta^{{{k + 1}}}:\ {o}" for k, o in enumerate(options))),
            ("Each region is paid its best option, never less than nothing.",
             rf"T_i = {step.rate:g} \times \max\!\left(0,\ \max_k g_i(\theta^k)\right) \times P_i")]
    if kind == "capacity_cap":
        lowest = r"X = \min_{j:\, r_j = 0} b_j"
        average = r"X = \frac{\sum_{j \in K} e_j P_j}{\sum_{j \in K} P_j}"
        rule = {"lowest_non_recipient": ("the lowest equalised capacity of a non-recipient",
                                         lowest),
                "recipients_average": ("the recipients' average equalised capacity "
                                       "(recomputed without regions capped to zero)", average)}
        rows = [("Transfers $t_i$ of the capped steps and capacity $b_i$ before them "
                 "(per head); a reference transfer $r_i$ defines the recipients and their "
                 "equalised capacity:", r"e_i = b_i + r_i")]
        if step.comparison == "by_population":
            rows.append((f"Comparison level: if recipients hold less than "
                         f"{step.population_threshold:.0%} of the population, the lowest "
                         "non-recipient's; otherwise the recipients' average.",
                         lowest + r"\quad \text{or} \quad " + average))
        else:
            text, formula = rule.get(step.comparison, (step.comparison, "X"))
            rows.append((f"Comparison level: {text}.", formula))
        rows.append(("A recipient gives back what lifts it above $X$, never more than it "
                     "receives.", r"C_i = -\min\!\left(T_i,\ \max(0,\ b_i + t_i - X) \times "
                     r"P_i\right)"))
        return rows
    if kind == "fixed_pool":
        pool = (m(step.amount) if step.amount is not None
                else rf"{m(step.amount_per_head)} \times \sum_i P_i")
        rows = [("The transfers $T_i$ of the earlier steps are adjusted by $a_i$ so they "
                 "total the fixed pool $A$.", rf"\sum_i (T_i + a_i) = A = {pool}")]
        if step.method == "equal_per_head":
            rows += [("Pool below the formula total: an equal per-head reduction $D$, at most "
                      "each region's own receipt per head $t_i$.",
                      r"a_i = -P_i \min(\max(0, t_i),\ D), \quad \sum_i P_i \min(t_i^+, D) = "
                      r"\sum_i T_i - A"),
                     ("Pool above it: receivers get $D$ per head more (others up to the "
                      "greatest receiver's measure $C$).",
                      r"a_i = P_i D \ \text{(receivers)}, \quad P_i \max(0,\ C + D - E_i)\ "
                      r"\text{(others)}")]
        else:
            rows.append(("Receipts scaled by one factor.",
                         r"a_i = (A - \textstyle\sum T) \frac{\max(0, T_i)}{\sum_j \max(0, T_j)}"))
        return rows
    if kind == "needs_pool":
        pool = (m(step.amount) if step.amount is not None
                else rf"{m(step.pool_per_head)} \times \sum_i P_i")
        rows = [("The pool is shared by relativity $r_i$ times population.",
                 rf"G_i = \text{{pool}} \times \frac{{r_i P_i}}{{\sum_j r_j P_j}}, \quad "
                 rf"\text{{pool}} = {pool}")]
        if step.relativities:
            given = r",\ ".join(f"\\text{{{_tex_text(c)}}}\\ {v:g}"
                                for c, v in step.relativities.items())
            rows.append(("Relativities as determined (given).", rf"r = \{{{given}\}}"))
        else:
            rows.append(("Relativities by horizontal fiscal equalisation: assessed spending "
                         "at the average standard $n_i E$ less own capacity $c_i$, against the "
                         "average grant per head.",
                         r"r_i = \max\!\left(0, \frac{n_i E - c_i}{g_{avg}}\right)"))
        if step.relativity_floor is not None:
            rows.append(("Every relativity raised to the floor before sharing.",
                         rf"r_i \leftarrow \max(r_i,\ {step.relativity_floor:g})"))
        return rows
    if kind == "family_equalisation":
        inclusion = r",\ ".join(f"\\theta_{{\\text{{{_tex_text(f)}}}}} = {s.inclusion:g}"
                                for f, s in step.families.items())
        rows = [("Measure: each tax family $f$ counted at its inclusion share.",
                 rf"F_i = \sum_f \theta_f c_{{if}}, \quad {inclusion}"),
                ("Standard need: each family's yield spread on its weighted inhabitants "
                 "$W_{if} = w_{if} P_i$.",
                 r"A_i = \sum_f \frac{\sum_j \theta_f c_{jf}}{\sum_j W_{jf}} W_{if}")]
        weighted = sorted({f"{c}\\ {w:g}" for s in step.families.values()
                           for c, w in (s.weights or {}).items()})
        if weighted:
            rows.append(("Inhabitant weights $w$ (1 where not listed).",
                         r"w:\ " + r",\ ".join(f"\\text{{{_tex_text(x)}}}" for x in weighted)))
        if step.mode == "symmetric":
            rows.append(("Symmetric: a share of the distance to the standard, both ways (sums "
                         "to zero).", rf"T_i = {step.rate:g} \times (A'_i - M_i)"))
        else:
            rows.append(("Gap-fill: a share of the gap below a fraction of the standard; the "
                         "centre pays.", rf"T_i = {step.rate:g} \times \max(0,\ "
                                         rf"{step.fraction:g} A_i - M_i)"))
        return rows
    if kind == "minimum_guarantee":
        return [("Resource index: the measure per head against the average (= 100).",
                 r"RI_i = 100 \times \frac{c_i}{c_{avg}}"),
                ("Top-up in index points: to the target below the floor, progressive above.",
                 rf"s(RI) = \begin{{cases}} {step.target_index:g} - RI & RI < "
                 rf"{step.floor_index:g} \\ {step.top_up_at_floor:g}\left(\frac{{100 - RI}}"
                 rf"{{100 - {step.floor_index:g}}}\right)^{{{step.exponent:.4f}}} & RI < 100 "
                 r"\\ 0 & \text{otherwise} \end{cases}"),
                ("Transfer: those index points of the average, per head.",
                 r"T_i = \frac{s(RI_i)}{100} \times c_{avg} \times P_i")]
    if kind == "horizontal_funding":
        if step.ratio_to_centre is not None:
            share = (rf"F = \rho\,(C - F), \ \rho = {step.ratio_to_centre:.4g} \Rightarrow "
                     rf"F = {step.ratio_to_centre / (1 + step.ratio_to_centre):.4g} \times "
                     r"\max(0, C)")
        else:
            share = rf"F = {step.share:g} \times \max(0, C)"
        return [("Amount financed by strong regions, from the centre's net cost $C$ of the "
                 "earlier steps.", share),
                ("Each region above the standard pays the same share $u$ of its excess.",
                 r"e_i = \max(0,\ x_i - S) P_i, \quad u = \min\!\left(1, \frac{F}{\sum_j e_j}"
                 r"\right), \quad T_i = -u\, e_i")]
    return []


def validation_sections(markdown: str) -> dict[str, str]:
    """``docs/validation.md`` split by preset: scenario name -> its section
    (heading and tables, as markdown).  The name is read from the section's
    ``Preset `scenarios/<name>.yaml``` line."""
    import re

    sections: dict[str, str] = {}
    for block in re.split(r"(?m)^## ", markdown)[1:]:
        found = re.search(r"scenarios/([A-Za-z0-9_]+)\.yaml", block)
        if found:
            title, _, body = block.strip().partition("\n")
            sections[found.group(1)] = f"**{title.strip()}**\n\n{body.strip()}"
    return sections
