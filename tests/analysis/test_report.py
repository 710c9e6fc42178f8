"""The annual report: valid, self-contained HTML with the engine's figures."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pytest

from simulator import metrics
from simulator.analysis import DEFAULT_BENCHMARKS, Benchmark, benchmark_table, build_report
from simulator.cli import main
from simulator.scenario import run_scenario
from simulator.scenario.running import run_on, scenario_federation

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class StrictParser(HTMLParser):
    """html.parser with checks: every element closed in order, one doctype, tables read."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.doctype = 0
        self.tables: dict[str, list[list[str]]] = {}
        self.scripts: list[dict] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_decl(self, decl):
        self.doctype += decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "table":
            self._table = attrs.get("class") or f"table{len(self.tables)}"
            self.tables[self._table] = []
        if tag == "tr":
            self._row = []
        if tag in ("td", "th"):
            self._cell = []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append(f"end tag for void <{tag}>")
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag in ("td", "th") and self._row is not None:
            self._row.append("".join(self._cell or []).strip())
            self._cell = None
        if tag == "tr" and self._table is not None:
            self.tables[self._table].append(self._row)
        if tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(text: str) -> StrictParser:
    parser = StrictParser()
    parser.feed(text)
    parser.close()
    assert parser.errors == [] and parser.stack == [], (parser.errors[:5], parser.stack)
    assert parser.doctype == 1
    return parser


@pytest.fixture(scope="module")
def report(library):
    return build_report(library["statutory_guarantee_90"])


def test_valid_self_contained_html(report):
    parser = parse(report)
    assert len(parser.scripts) >= 3
    assert not any("src" in s for s in parser.scripts)        # nothing fetched: offline
    assert len(re.findall(r"\* plotly\.js v\d", report)) == 1   # the library, embedded once
    assert report.count('class="plotly-graph-div"') == 2        # one year: two charts


def test_region_figures_equal_the_engines(report, library):
    result = run_scenario(library["statutory_guarantee_90"])
    frame = result.by_region()
    rows = parse(report).tables["regions"]
    header, body = rows[0], rows[1:]
    assert header[3] == "Resources (GBP per head)"
    assert [r[1] for r in body] == list(result.federation.names)
    for row, (_, engine) in zip(body, frame.iterrows()):
        assert row[0] == engine["code"]
        assert row[3] == f"{engine['resources_per_head_gbp']:,.0f}"
        assert row[4] == f"{engine['resources_index']:.1f}"
        assert row[5] == f"{engine['baseline_per_head_gbp']:,.0f}"
        assert row[6] == f"{engine['change_per_head_gbp']:+,.0f}"
    summary = result.summary().iloc[0]
    headline = {r[0]: r[1] for r in parse(report).tables["table0"][1:]}
    assert headline["Cost to the centre vs baseline (GBP m)"] == f"{summary['cost_to_centre_gbp_m']:,.0f}"
    assert headline["Gini of resources per head"] == f"{summary['gini_after']:.4f}"


def test_winners_and_losers_sorted_with_totals(report, library):
    result = run_scenario(library["statutory_guarantee_90"])
    frame = result.by_region().sort_values("change_per_head_gbp", ascending=False)
    body = parse(report).tables["winners"][1:]
    assert [r[1] for r in body] == list(frame["region"])
    million = frame["change_per_head_gbp"] * frame["population"] / 1e6
    assert [r[4] for r in body] == [f"{v:+,.0f}" for v in million]


def test_benchmarks_met_or_not(report, library):
    result = run_scenario(library["statutory_guarantee_90"])
    table = benchmark_table(result)
    per_head = result.resources_per_head
    population = result.state.population
    ratio = float(metrics.max_min_ratio(per_head, population)[0])
    assert table.loc[0, "reform"] == pytest.approx(ratio)
    assert table.loc[0, "met"] == (ratio <= 1.5)
    frame = result.by_region()
    assert table.loc[1, "reform"] == pytest.approx(frame["resources_index"].min())
    body = parse(report).tables["bench"][1:]
    assert [r[0] for r in body] == [b.name for b in DEFAULT_BENCHMARKS]
    assert body[1][6] == ("yes" if table.loc[1, "met"] else "NO")
    strict = benchmark_table(result, [Benchmark("ratio", "max_min_ratio", 1.0, True)])
    assert not strict["met"].any()


def test_method_and_provenance(report, library):
    scenario = library["statutory_guarantee_90"]
    assert "FPFAA s.3.2" in report                              # the step's legal reference
    assert "T_i = rate x max(0, S - c_i) x P_i" in report      # its formula, from the docstring
    fed = scenario_federation(scenario)
    assert fed.source.replace("&", "&amp;")[:60] in report
    for title in ("Resources per head by region, 2024-25 (GBP per head)",
                  "Change in resources per head against the baseline, 2024-25 (GBP per head)"):
        assert title in report                                  # unit and year on each chart
    assert report.count("Source: ONS Country and Regional") >= 4


def test_path_over_several_years(library):
    scenario = library["swiss_minimum_guarantee"]
    text = build_report(scenario, years="2022-23:2024-25")
    parser = parse(text)
    years = ["2022-23", "2023-24", "2024-25"]
    assert parser.tables["table0"][0][1:] == years
    result = run_on(scenario, scenario_federation(scenario, years))
    summary = result.summary()
    row = {r[0]: r[1:] for r in parser.tables["table0"][1:]}["Gini of resources per head"]
    assert row == [f"{v:.4f}" for v in summary["gini_after"]]
    assert "index (average = 100), 2022-23 to 2024-25" in text
    assert np.isfinite(summary["gini_after"]).all()


def test_every_library_scenario_reports(library):
    for name in ("status_quo", "needs_based", "german_symmetric"):
        parse(build_report(library[name]))


def test_cli_report(tmp_path, capsys):
    out = tmp_path / "report.html"
    code = main(["report", "statutory_guarantee_90", "--out", str(out), "--min-index", "85"])
    stdout, _ = capsys.readouterr()
    assert code == 0 and f"wrote {out}" in stdout
    text = out.read_text(encoding="utf-8")
    parse(text)
    assert "at least 85" in text and "North East" in text
    for argv, message in ((["--out", str(tmp_path / "r.pdf")], "must end in .html"),
                          (["--out", str(tmp_path / "r2.html"), "--years", "2024-25:2031-32"],
                           "not in the dataset"),
                          (["--out", str(tmp_path / "missing" / "r.html")], "does not exist")):
        code = main(["report", "statutory_guarantee_90", *argv])
        _, err = capsys.readouterr()
        assert code == 2 and message in err and "Traceback" not in err
