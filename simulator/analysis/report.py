"""The annual report: one self-contained HTML page for a scenario.

Sections: headline figures, benchmarks (the scenario's ``benchmarks:`` or the
defaults; each met or not within its tolerance, with its gap, and over the years),
outcome benchmarks with each indicator's progress between vintages, the roadmap
(stages, cumulative gains against no change, first year below the guarantee, risk
bands) when the scenario has one, resources per head by region, winners and losers,
the regional impact of each national policy in the scenario's
``impact_assessments:`` (a tax or spending change; reporting only), the path over
the years, method (each step's formula from its docstring and its
legal reference), data provenance, and the resolved scenario with the fiscalsim
version and data edition (:func:`scenario_from_report` reads it back).  Every number comes from the engine (``Result.by_region`` and
``Result.summary``); every chart states its unit, year and source.  plotly.js
is embedded once, so the file opens offline.

A scenario with a ``projection`` reports its projected path (the jump-off
year and the projected years, :func:`simulator.scenario.running.run_projection`);
with ``years=`` the published years given run as they are and the projection is
noted, not applied (as ``fiscalsim run --year``).

>>> html = build_report(load_scenario("scenarios/statutory_guarantee_90.yaml"))
"""

from __future__ import annotations

import html
import inspect
from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..benchmarks import MEASURES, BenchmarkCheck, evaluate, format_value, met
from ..engine import Result
from ..provenance import data_edition, fiscalsim_version
from ..errors import ConfigurationError
from ..scenario import Scenario
from ..scenario.running import (describe_projection, headline_metrics, metric_label,
                                plan_projection, run_on, run_projection, scenario_federation)

__all__ = ["Benchmark", "DEFAULT_BENCHMARKS", "build_report", "benchmark_table", "year_list"]

GAIN, LOSS = "#2166AC", "#B35806"   # colour-blind safe blue / orange (as the app)
BEFORE, AFTER = "#999999", "#0072B2"


@dataclass(frozen=True)
class Benchmark:
    """A target for regional disparity of resources per head (the CLI's flags).

    ``metric``: a fiscal measure of :data:`simulator.benchmarks.MEASURES`
    (``max_min_ratio``, ``min_index``, ``gini``); ``at_most`` True when the value
    must not exceed ``target``; ``tolerance`` the margin within which it counts as
    met (None: the measure's default). A scenario's ``benchmarks:`` section gives
    the same and more (outcome measures, years).
    """

    name: str
    metric: str
    target: float
    at_most: bool
    tolerance: float | None = None

    def check(self) -> BenchmarkCheck:
        return BenchmarkCheck(self.name, self.metric, self.target,
                              "at_most" if self.at_most else "at_least", self.tolerance)

    def value(self, per_head: np.ndarray, population: np.ndarray) -> np.ndarray:
        """The benchmark's measure per year ``(Y,)``."""
        spec = MEASURES.get(self.metric)
        if spec is None or spec.kind != "fiscal":
            raise ConfigurationError(f"unknown benchmark metric {self.metric!r}; known: "
                                     + ", ".join(k for k, m in MEASURES.items()
                                                 if m.kind == "fiscal"))
        return spec.compute(per_head, population, None)

    def met(self, value: np.ndarray) -> np.ndarray:
        check = self.check()
        return met(value, self.target, check.how, check.tol)

    @property
    def text(self) -> str:
        return self.check().text


DEFAULT_BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark("Highest / lowest resources per head", "max_min_ratio", 1.5, True),
    Benchmark("Lowest resources per head, index (average = 100)", "min_index", 90.0, False),
)


def _checks(benchmarks) -> list[BenchmarkCheck]:
    out = []
    for bench in benchmarks:
        if isinstance(bench, BenchmarkCheck):
            out.append(bench)
        else:  # Benchmark or a scenario's BenchmarkSpec
            out.append(bench.check())
    return out


def year_list(spec: str | Sequence[str] | None, available: Sequence[str]) -> list[str] | None:
    """Years from ``"2019-20:2024-25"`` (inclusive range of the dataset's years), a
    comma list, or a sequence; None stays None."""
    if spec is None:
        return None
    if isinstance(spec, str):
        if ":" in spec:
            first, _, last = (part.strip() for part in spec.partition(":"))
            missing = [y for y in (first, last) if y not in available]
            if missing:
                raise ConfigurationError(f"year {missing[0]!r} is not in the dataset "
                                         f"({available[0]} to {available[-1]})")
            i, j = available.index(first), available.index(last)
            if j < i:
                raise ConfigurationError(f"year range {spec!r} runs backwards")
            return list(available[i:j + 1])
        spec = [part.strip() for part in spec.split(",") if part.strip()]
    years = [str(y) for y in spec]
    missing = [y for y in years if y not in available]
    if missing:
        raise ConfigurationError(f"year {missing[0]!r} is not in the dataset "
                                 f"({available[0]} to {available[-1]})")
    return years


# ------------------------------------------------------------------ pieces
def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _money(value: float, signed: bool = False) -> str:
    if not np.isfinite(value):
        return "n/a"
    return f"{value:+,.0f}" if signed else f"{value:,.0f}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric_from: int = 2,
           caption: str | None = None, css: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(f'<td class="num">{_e(c)}</td>' if i >= numeric_from else f"<td>{_e(c)}</td>"
                        for i, c in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    return (f'<table class="{css}">{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _figure(fig, source: str) -> str:
    """A plotly figure as a div (plotly.js is in the page head), with its source."""
    fig.update_layout(template="plotly_white", margin={"l": 10, "r": 10, "t": 60, "b": 90},
                      annotations=list(fig.layout.annotations) + [dict(
                          text=f"Source: {source}"[:160], xref="paper", yref="paper", x=0,
                          y=0, yanchor="top", yshift=-62, showarrow=False, xanchor="left",
                          font={"size": 10})])
    return fig.to_html(full_html=False, include_plotlyjs=False,
                       config={"displaylogo": False, "responsive": True})


def benchmark_table(result: Result, benchmarks: Sequence[Any] = DEFAULT_BENCHMARKS
                    ) -> pd.DataFrame:
    """One row per benchmark and year (or outcome vintage): target (text), tolerance,
    baseline and reform values, met or not within the tolerance, and the gap
    (:func:`simulator.benchmarks.evaluate`)."""
    table = evaluate(result, _checks(benchmarks))
    return table.assign(target_value=table["target"], target=table["target_text"],
                        reform=table["value"])


# ------------------------------------------------------------------ report
def build_report(scenario: Scenario, *, years: str | Sequence[str] | None = None,
                 benchmarks: Sequence[Any] | None = None,
                 title: str | None = None) -> str:
    """The scenario's annual report as one self-contained HTML page (a string).

    Args:
        years: years for the path (``"2019-20:2024-25"``, a list); default the
            scenario's years.
        benchmarks: targets shown as met or not (:class:`Benchmark`, a scenario's
            ``BenchmarkSpec`` or :class:`simulator.benchmarks.BenchmarkCheck`); default
            the scenario's ``benchmarks:``, or :data:`DEFAULT_BENCHMARKS` if it has none.
        title: page title (default: the scenario's name).
    """
    import plotly.graph_objects as go
    from plotly.offline import get_plotlyjs

    from ..data import load_federation

    projection = None  # (plan, text) when the projection runs
    roadmap = None     # RoadmapResult when the scenario's roadmap runs
    if years is not None:
        all_years = load_federation(scenario.dataset.name, **scenario.dataset.options).years
        years = year_list(years, all_years)
    if scenario.projection is not None and years is None:
        observed = load_federation(scenario.dataset.name, **scenario.dataset.options)
        plan = plan_projection(scenario, observed)
        projection = plan, describe_projection(scenario, plan)
    if scenario.roadmap is not None and years is None:
        from ..scenario.roadmap import run_roadmap

        roadmap = run_roadmap(scenario)
        result = roadmap.result
    elif projection is not None:
        result = run_projection(scenario, observed)
    else:
        result = run_on(scenario, scenario_federation(scenario, years))
    fed = result.federation
    cur = fed.currency
    c = cur.lower()
    last = fed.years[-1]
    regions = result.by_region()
    latest = regions[regions["year"] == last].reset_index(drop=True)
    summary = result.summary()
    source = fed.source or fed.name
    name = title or scenario.name

    parts: list[str] = []
    add = parts.append

    # ---- headline
    add(f"<h1>{_e(name)}: annual report</h1>")
    if scenario.description:
        add(f"<p class=lead>{_e(scenario.description.strip())}</p>")
    span = last if len(fed.years) == 1 else f"{fed.years[0]} to {last}"
    add(f"<p class=meta>Dataset <b>{_e(fed.name)}</b>, {_e(span)}; {fed.n_regions} regions; "
        f"money in {cur} (per head: {cur} per person; totals: {cur} million a year). "
        f"Generated by fiscalsim {_e(fiscalsim_version())} on {date.today().isoformat()}.</p>")
    add(f"<p class=meta>Data edition: {_e(data_edition(fed))}. The resolved scenario is "
        "embedded at the end of this page (<a href=\"#reproduce\">Reproduce this report</a>), "
        "so the report can be re-run from itself.</p>")
    add(f"<p class=meta>Source: {_e(source)}</p>")
    if projection is not None:
        add(f"<p class=meta>Projection: {_e(projection[1])}. Projected years are "
            "extrapolations, not forecasts.</p>")
    metrics_table = headline_metrics(result)
    add("<h2 id=headline>Headline figures</h2>")
    add(_table(["Measure"] + [str(y) for y in metrics_table.columns],
               [[metric_label(key, cur)] + [_metric_text(key, v) for v in values]
                for key, values in zip(metrics_table.index, metrics_table.to_numpy())],
               numeric_from=1, caption=f"System figures by year ({cur} m = {cur} million a year). "
               f"Source: {source}"))

    # ---- benchmarks
    if benchmarks is None:
        benchmarks = list(scenario.benchmarks) or list(DEFAULT_BENCHMARKS)
    bench = benchmark_table(result, benchmarks)
    fiscal = bench[bench["kind"] == "fiscal"]
    outcome = bench[bench["kind"] == "outcome"]
    add("<h2 id=benchmarks>Benchmarks for regional disparity</h2>")
    source_note = ("declared in the scenario (<code>benchmarks:</code>)" if scenario.benchmarks
                   and benchmarks == list(scenario.benchmarks) else "the report's defaults")
    add("<p>Targets for the spread of resources per head between regions (population-weighted "
        f"average = 100), {source_note}. Each is checked for the baseline and for this "
        "scenario; a target counts as met within its stated tolerance, and values are shown "
        "at the precision compared. The gap is how far the value falls short of the target "
        "(0 when met).</p>")
    add(_table(["Benchmark", "Target", "Year", "Baseline", "Met (baseline)", "This scenario",
                "Met", "Gap"],
               [[r.benchmark, r.target, r.year, format_value(r.baseline, r.tolerance),
                 "yes" if r.met_baseline else "no", format_value(r.reform, r.tolerance),
                 "yes" if r.met else "NO", format_value(r.gap, r.tolerance)]
                for r in fiscal.itertuples()], numeric_from=3, css="bench"))
    if len(fed.years) > 1 and len(fiscal):
        fig = go.Figure()
        for name_, rows in fiscal.groupby("benchmark", sort=False):
            fig.add_trace(go.Scatter(x=rows["year"], y=rows["reform"], name=f"{name_}",
                                     mode="lines+markers"))
            fig.add_trace(go.Scatter(x=rows["year"], y=rows["target_value"],
                                     name=f"{name_}: target", mode="lines",
                                     line={"dash": "dot"}))
        fig.update_layout(title=f"Benchmarks over time, {fed.years[0]} to {last} (each in "
                                "its own unit: ratio or index, average = 100)",
                          xaxis_title="financial year", yaxis_title="value (measure's unit)",
                          height=420)
        add(_figure(fig, source))
    if len(outcome):
        add(_outcomes_section(result, outcome, scenario))

    if roadmap is not None:
        add(_roadmap_section(roadmap, source))
    elif scenario.roadmap is not None:
        add("<p class=note>This scenario sets a roadmap, which is not applied to the published "
            "years chosen; without <code>--years</code> the report follows the roadmap.</p>")

    # ---- regions
    shown = f"{last} (projected)" if projection is not None else last
    add(f"<h2 id=regions>Resources per head by region, {_e(shown)}</h2>")
    add(_table(["Code", "Region", "Population (m)", f"Resources ({cur} per head)",
                "Index (avg = 100)", f"Baseline ({cur} per head)", f"Change ({cur} per head)"],
               [[r["code"], r["region"], f"{r['population'] / 1e6:,.2f}",
                 _money(r[f"resources_per_head_{c}"]), f"{r['resources_index']:.1f}",
                 _money(r[f"baseline_per_head_{c}"]), _money(r[f"change_per_head_{c}"], True)]
                for _, r in latest.iterrows()], css="regions",
               caption=f"{last}; {cur} per head of population. Source: {source}"))
    order = latest.sort_values(f"resources_per_head_{c}")
    fig = go.Figure([
        go.Bar(y=order["region"], x=order[f"baseline_per_head_{c}"], name="Baseline",
               orientation="h", marker_color=BEFORE),
        go.Bar(y=order["region"], x=order[f"resources_per_head_{c}"], name=scenario.name,
               orientation="h", marker_color=AFTER)])
    fig.update_layout(barmode="group", height=60 + 38 * len(order),
                      title=f"Resources per head by region, {last} ({cur} per head)",
                      xaxis_title=f"{cur} per head, {last}")
    add(_figure(fig, source))

    # ---- winners and losers
    change = latest[f"change_per_head_{c}"].to_numpy()
    add(f"<h2 id=winners>Winners and losers, {_e(shown)}</h2>")
    gain, lose = latest[change > 0.5], latest[change < -0.5]
    add(f"<p>{len(gain)} region{'s' if len(gain) != 1 else ''} gain, {len(lose)} lose and "
        f"{len(latest) - len(gain) - len(lose)} are unchanged (within {cur} 0.50 per head) "
        "against the baseline.</p>")
    ranked = latest.assign(change=change).sort_values("change", ascending=False)
    add(_table(["Code", "Region", f"Change ({cur} per head)", "Change (%)",
                f"Change ({cur} m a year)"],
               [[r["code"], r["region"], _money(r["change"], True),
                 f"{100 * r['change'] / r[f'baseline_per_head_{c}']:+.1f}",
                 _money(r["change"] * r["population"] / 1e6, True)]
                for _, r in ranked.iterrows()], css="winners",
               caption=f"Against the baseline, {last}. Source: {source}"))
    ascending = ranked.iloc[::-1]
    fig = go.Figure(go.Bar(y=ascending["region"], x=ascending["change"], orientation="h",
                           marker_color=[GAIN if v > 0 else LOSS for v in ascending["change"]]))
    fig.update_layout(height=60 + 32 * len(order),
                      title=f"Change in resources per head against the baseline, {last} "
                            f"({cur} per head)", xaxis_title=f"{cur} per head, {last}")
    add(_figure(fig, source))

    # ---- regional impact assessments of national policies (the scenario's
    # impact_assessments:, one section each; reporting only)
    if scenario.impact_assessments:
        from .impact import scenario_impacts

        for i, impact in enumerate(scenario_impacts(scenario), 1):
            add(impact_section(impact, f"impact-{i}"))

    # ---- path over the years
    add("<h2 id=path>The path over the years</h2>")
    if projection is not None:
        add(f"<p class=note>The path runs from the observed year {_e(projection[0].jump_off)} "
            f"through the projected years to {_e(last)}; method in docs/over_time.md.</p>")
    elif scenario.projection is not None:
        add("<p class=note>This scenario sets a projection, which is not applied to the "
            "published years chosen; without <code>years=</code> (<code>--years</code>) the "
            "report shows the projected path.</p>")
    if len(fed.years) > 1:
        fig = go.Figure()
        for code, region in zip(fed.codes, fed.names):
            rows = regions[regions["code"] == code]
            fig.add_trace(go.Scatter(x=rows["year"], y=rows["resources_index"], name=region,
                                     mode="lines+markers"))
        fig.update_layout(title=f"Resources per head by region, index (average = 100), "
                                f"{fed.years[0]} to {last}", yaxis_title="index (average = 100)",
                          xaxis_title="financial year", height=460)
        add(_figure(fig, source))
        fig = go.Figure([
            go.Scatter(x=summary["year"], y=summary["gini_before"], name="Baseline",
                       line_color=BEFORE),
            go.Scatter(x=summary["year"], y=summary["gini_after"], name=scenario.name,
                       line_color=AFTER)])
        fig.update_layout(title=f"Gini of resources per head, {fed.years[0]} to {last} "
                                "(0 = equal per head)", yaxis_title="Gini coefficient",
                          xaxis_title="financial year", height=360)
        add(_figure(fig, source))
    else:
        add(f"<p>The scenario runs one year ({_e(last)}). A report over several years "
            "(<code>years=</code>, or <code>fiscalsim report --years FIRST:LAST</code>) "
            "shows the path of each region and of the Gini.</p>")

    # ---- method
    add("<h2 id=method>Method</h2>")
    add(_method(scenario, cur))

    # ---- provenance
    add("<h2 id=data>Data provenance</h2>")
    add(_provenance(fed))

    add("<h2 id=reproduce>Reproduce this report</h2>")
    add(_reproduce(scenario, fed))

    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(name)}: annual report</title>\n<style>{_CSS}</style>\n"
            f"<script type=\"text/javascript\">{get_plotlyjs()}</script>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def _metric_text(key: str, value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    if key.endswith("_m"):
        return f"{value:,.0f}"
    if key == "capacity_gap_closed":
        return f"{value:.1%}"
    return f"{value:.4f}"


def _method(scenario: Scenario, cur: str) -> str:
    from ..engine import System

    out = []
    if scenario.devolution:
        rows = [[tax, f"{a.share:.0%}", "yes" if a.own_rate else "no (assigned)",
                 f"{a.rate_change}" if a.own_rate else "", f"{a.base_elasticity:g}"]
                for tax, a in scenario.devolution.items()]
        out.append(_table(["Tax family", "Share devolved", "Own rate", "Rate change",
                           "Base elasticity"], rows, numeric_from=1, caption="Tax assignment"))
    else:
        out.append("<p>No tax is devolved.</p>")
    out.append(f"<p>Block grant: <b>{_e(scenario.block_grant or 'none')}</b>, adjusted "
               f"<b>{_e(scenario.block_grant_adjustment)}</b>. Need index: "
               f"<b>{_e(scenario.need_index if isinstance(scenario.need_index, str) or scenario.need_index is None else 'inline mapping')}</b>.</p>")
    out.append(f"<pre class=doc>{_e(inspect.cleandoc(System.__doc__ or ''))}</pre>")
    if not scenario.steps:
        out.append("<p>No equalisation step.</p>")
    for i, step in enumerate(scenario.steps):
        cls = type(step)
        out.append(f"<h3>Step {i + 1}: {_e(step.display_label)} (<code>{_e(step.type)}</code>)</h3>")
        if cls.real_system or cls.reference:
            out.append(f"<p>Real system: {_e(cls.real_system or 'n/a')}. Legal reference: "
                       f"<b>{_e(cls.reference or 'n/a')}</b>.</p>")
        rows = []
        for field_name, field in cls.model_fields.items():
            if field_name in ("type", "label"):
                continue
            extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
            value = getattr(step, field_name)
            if hasattr(value, "model_dump"):
                value = value.model_dump(exclude_none=True)
            rows.append([field_name, value, extra.get("unit", ""), field.description or ""])
        out.append(_table(["Parameter", "Value", "Unit", "Meaning"], rows, numeric_from=9))
        out.append(f"<pre class=doc>{_e(inspect.cleandoc(cls.__doc__ or ''))}</pre>")
    baseline = scenario.baseline
    out.append("<p>Baseline: " + _e("the status quo (nothing devolved, no steps, the same "
                                    "block grant)" if baseline is None else
                                    f"{baseline}" if isinstance(baseline, str) else
                                    "its own system (see the scenario file)") + ".</p>")
    return "\n".join(out)


def _provenance(fed) -> str:
    from ..data import list_datasets

    description = list_datasets().get(fed.name, "")
    rows = [["population", fed.units.get("population", "persons")],
            ["revenue", fed.units.get("revenue", fed.currency)]]
    rows += [[k, v] for k, v in fed.units.items() if k not in ("population", "revenue")]
    return "\n".join([
        f"<p>Dataset <b>{_e(fed.name)}</b>: {_e(description)}</p>",
        f"<p>Source: {_e(fed.source)}</p>",
        f"<p>Years used: {_e(', '.join(fed.years))}. Tax families: {_e(', '.join(fed.taxes))}.</p>",
        _table(["Series", "Unit and source"], rows, numeric_from=9, caption="Units"),
        "<p>Resources per head are divided by the reporting population; per-head measures "
        "inside equalisation formulas use the equalisation population. Averages are "
        "population-weighted. See the dataset's PROVENANCE.md for tables, editions and "
        "licence.</p>",
    ])


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:1000px;margin:auto;padding:1.5em;background:#fff}
h1{font-size:1.7em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em;width:100%}
th,td{border-bottom:1px solid #e5e5e5;padding:.3em .5em;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
caption{caption-side:bottom;text-align:left;color:#666;font-size:.85em;padding-top:.3em}
.meta,.note{color:#555;font-size:.9em}.lead{font-size:1.1em}
pre.doc{background:#f5f5f5;padding:.8em;white-space:pre-wrap;font-size:.85em}
"""


# ---------------------------------------------------------------- regional impact assessment
# (a section of its own, kept apart from the rest of the report: see simulator/analysis/impact.py)
def impact_section(impact, anchor: str | None = None) -> str:
    """A regional impact assessment of a national policy (an
    :class:`simulator.analysis.impact.Impact`) as an HTML section of the annual
    report: effect per region in currency m, per head, as an index (UK = 100) and
    as a share of GDHI per head, with the method and source; ``anchor`` its id."""
    from .impact import impact_html

    return impact_html(impact, anchor)

# ------------------------------------------------------------------ reproducibility
SCENARIO_SCRIPT_ID = "fiscalsim-scenario"


def _reproduce(scenario: Scenario, fed) -> str:
    from ..scenario import dump_scenario

    text = dump_scenario(scenario)
    # a YAML script block the browser does not run; "</" cannot end it early
    embedded = text.replace("</", "<\\/")
    return "\n".join([
        f"<p>fiscalsim {_e(fiscalsim_version())}; data {_e(data_edition(fed))}. Save the "
        "scenario below as <code>scenario.yaml</code> and run <code>fiscalsim report "
        "scenario.yaml --out report.html</code> (or read it back with "
        "<code>simulator.analysis.report.scenario_from_report</code>).</p>",
        f"<pre class=doc id=scenario-yaml>{_e(text)}</pre>",
        f'<script type="application/x-yaml" id="{SCENARIO_SCRIPT_ID}">{embedded}</script>',
    ])


def scenario_from_report(html_text: str) -> Scenario:
    """The resolved scenario embedded in a report (see :func:`build_report`)."""
    import re

    from ..scenario import parse_scenario

    match = re.search(rf'<script type="application/x-yaml" id="{SCENARIO_SCRIPT_ID}">(.*?)'
                      r"</script>", html_text, re.S)
    if match is None:
        raise ConfigurationError("no embedded scenario in this report")
    return parse_scenario(match.group(1).replace("<\\/", "</"), name="report")


def _outcomes_section(result: Result, outcome: pd.DataFrame, scenario: Scenario) -> str:
    """Outcome benchmarks: met or not by vintage, and each indicator's progress by region."""
    from ..data.outcomes import OUTCOME_VINTAGES, outcome_progress, vintage_mapping

    fed = result.federation
    mapping = vintage_mapping()
    first, second = OUTCOME_VINTAGES
    out = ["<h2 id=outcomes>Outcome benchmarks: regional inequalities in opportunity</h2>",
           "<p>Outcome indicators from ONS's subnational indicators, two vintages (editions "
           f"{first} and {second}; each region's value is the population-weighted mean of its "
           "local authorities; see simulator/data/outcomes/PROVENANCE.md). The periods covered "
           "differ by indicator and are stated below.</p>"]
    out.append(_table(
        ["Benchmark", "Indicator", "Target", "Vintage", "Earlier vintage", "Value", "Met",
         "Gap"],
        [[r.benchmark, _outcome_indicator(scenario, r.benchmark), r.target, r.year,
          format_value(r.baseline, r.tolerance), format_value(r.reform, r.tolerance),
          "yes" if r.met else "NO", format_value(r.gap, r.tolerance)]
         for r in outcome.itertuples()], numeric_from=4, css="outcome-bench"))
    seen = []
    for bench in scenario.benchmarks:
        if bench.indicator is None or bench.indicator in seen:
            continue
        seen.append(bench.indicator)
        spec = mapping.loc[bench.indicator]
        progress = outcome_progress(bench.indicator, fed.codes, fed.names)
        out.append(f"<h3>{_e(bench.indicator)}: {_e(spec['unit'])}, "
                   f"{'higher' if spec['higher_is_better'] else 'lower'} is better</h3>")
        out.append(f"<p class=note>{first} vintage: {_e(spec['name_2022'])} "
                   f"({_e(spec['period_2022'])}); {second} vintage: {_e(spec['name_2024'])} "
                   f"({_e(spec['period_2024'])}). {_e(spec['note'])}</p>")
        out.append(_table(
            ["Code", "Region", f"{first} ({spec['unit']})", f"{second} ({spec['unit']})",
             "Change", "Improved"],
            [[r.code, r.region, _num(getattr(r, f"value_{first}")),
              _num(getattr(r, f"value_{second}")), _num(r.change, signed=True),
              "n/a" if pd.isna(r.improved) else ("yes" if r.improved else "no")]
             for r in progress.itertuples()], css=f"progress-{bench.indicator}"))
    return "\n".join(out)


def _outcome_indicator(scenario: Scenario, name: str) -> str:
    for bench in scenario.benchmarks:
        if bench.name == name:
            return bench.indicator or ""
    return ""


def _num(value: float, signed: bool = False) -> str:
    if value is None or not np.isfinite(value):
        return "n/a"
    return f"{value:+,.2f}" if signed else f"{value:,.2f}"


def _roadmap_section(roadmap, source: str) -> str:
    """Stages by year, cumulative gains against no change, the first year below the
    guarantee, and risk bands (when the roadmap draws)."""
    import plotly.graph_objects as go

    fed = roadmap.result.federation
    cur = fed.currency
    c = cur.lower()
    first, last = fed.years[0], fed.years[-1]
    guarantee = roadmap.scenario.roadmap.guarantee
    out = ["<h2 id=roadmap>The roadmap</h2>",
           "<p>Each stage is in force from its year; every year's figures come from the "
           "settlement in force that year (simulator.over_time.roadmap). No change = the "
           "baseline in every year.</p>"]
    stages = roadmap.stages_table()
    out.append(_table(["Year", "Stage", "What changes"],
                      [[r.year, r.stage, r.change] for r in stages.itertuples()],
                      numeric_from=9, css="roadmap-stages"))
    cumulative = roadmap.cumulative()
    column = f"cumulative_gain_{c}_m"
    final = cumulative[cumulative["year"] == last]
    below = roadmap.below_guarantee()
    out.append(f"<h3>Cumulative gain or loss against no change, {first} to {last}</h3>")
    out.append(_table(
        ["Code", "Region", f"Cumulative ({cur} m, {first} to {last})",
         f"First year below {guarantee:.0%} of no change", "Lowest share of no change"],
        [[r.code, r.region, _money(getattr(r, column), True),
          b.first_year_below or "never", f"{b.lowest_share_of_no_change:.1%}"]
         for r, b in zip(final.itertuples(), below.itertuples())],
        css="roadmap-cumulative",
        caption=f"{cur} million, summed over the years; resources per head against no change. "
                f"Source: {source}"))
    fig = go.Figure()
    for code, region in zip(fed.codes, fed.names):
        rows = cumulative[cumulative["code"] == code]
        fig.add_trace(go.Scatter(x=rows["year"], y=rows[column], name=region,
                                 mode="lines+markers"))
    fig.update_layout(title=f"Cumulative gain or loss against no change, {first} to {last} "
                            f"({cur} m)", yaxis_title=f"{cur} m (cumulative)",
                      xaxis_title="financial year", height=440)
    out.append(_figure(fig, source))
    if roadmap.bands is not None:
        bands = roadmap.bands
        value = f"resources_per_head_{c}"
        draws = roadmap.scenario.roadmap.draws
        end = bands[bands["year"] == last].pivot_table(index=["code", "region"],
                                                       columns="percentile", values=value,
                                                       sort=False).reset_index()
        percentiles = [p for p in end.columns if isinstance(p, float)]
        out.append(f"<h3>Risk: resources per head in {last} across {draws} draws</h3>")
        out.append(_table(["Code", "Region"] + [f"{p:g}th percentile ({cur} per head)"
                                                for p in percentiles],
                          [[r["code"], r["region"]] + [_money(r[p]) for p in percentiles]
                           for _, r in end.iterrows()], css="roadmap-bands",
                          caption=f"{cur} per head, {last}; correlated revenue shocks estimated "
                                  f"from the published years (seed "
                                  f"{roadmap.scenario.roadmap.seed}). Source: {source}"))
        fig = go.Figure()
        low, high = min(percentiles), max(percentiles)
        for code, region in zip(fed.codes, fed.names):
            rows = bands[bands["code"] == code].pivot_table(index="year", columns="percentile",
                                                            values=value)
            fig.add_trace(go.Scatter(x=list(rows.index), y=rows[50.0] if 50.0 in rows else
                                     rows[percentiles[len(percentiles) // 2]], name=region,
                                     mode="lines", error_y={"type": "data", "symmetric": False,
                                     "array": (rows[high] - rows.get(50.0, rows[high])).tolist(),
                                     "arrayminus": (rows.get(50.0, rows[low]) - rows[low]).tolist()}))
        fig.update_layout(title=f"Resources per head with {low:g}th-{high:g}th percentile "
                                f"bands, {first} to {last} ({cur} per head)",
                          yaxis_title=f"{cur} per head", xaxis_title="financial year",
                          height=460)
        out.append(_figure(fig, source))
    return "\n".join(out)
