"""Files a result can be downloaded as, each carrying what reproduces it.

Every file says which fiscalsim version made it, which data edition it ran on
and the resolved scenario (YAML): CSV files as ``#`` header lines above the
table, workbooks as ``about`` and ``scenario`` sheets, figures as a caption
(HTML) or a side file.  Tables get plain column names with their unit and
year (``Resources per head (GBP, 2024-25)``) and numbers rounded to what the
data supports (money in millions to 0.1, per head to 1, shares and indices to
3-4 significant places), so a spreadsheet shows what the screen shows.

Nothing here computes policy: the numbers come from a
:class:`~simulator.engine.result.Result` (or any tidy frame) and are only
renamed, rounded and written.
"""

from __future__ import annotations

import functools
import io
import re
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

__all__ = ["about_lines", "can_draw_images", "plain_table", "csv_bytes", "workbook_bytes", "figure_file",
           "figure_data", "result_download_tables", "report_html", "file_stem"]

#: Plain names of the engine's columns (``{cur}`` is the currency, e.g. GBP).
_NAMES = {
    "year": "Financial year", "code": "Code", "region": "Region", "population": "Population",
    "fiscal_capacity_{c}_m": "Fiscal capacity ({cur} m)",
    "own_revenue_{c}_m": "Own revenue ({cur} m)",
    "block_grant_{c}_m": "Block grant ({cur} m)",
    "resources_{c}_m": "Resources ({cur} m)",
    "resources_per_head_{c}": "Resources per head ({cur})",
    "resources_index": "Resources per head (index, average = 100)",
    "baseline_per_head_{c}": "Baseline resources per head ({cur})",
    "change_per_head_{c}": "Change in resources per head ({cur})",
    "cost_to_centre_{c}_m": "Cost to the centre ({cur} m)",
    "paid_by_centre_{c}_m": "Paid by the centre ({cur} m)",
    "horizontal_flows_{c}_m": "Paid between regions ({cur} m)",
    "gini_before": "Gini before", "gini_after": "Gini after",
    "theil_before": "Theil index before", "theil_after": "Theil index after",
    "cv_before": "Coefficient of variation before", "cv_after": "Coefficient of variation after",
    "max_min_ratio_before": "Highest / lowest before",
    "max_min_ratio_after": "Highest / lowest after",
    "capacity_gap_before_{c}_m": "Capacity gap before ({cur} m)",
    "capacity_gap_after_{c}_m": "Capacity gap after ({cur} m)",
    "capacity_gap_closed": "Share of the capacity gap closed",
    "marginal_equalisation_rate": "Marginal equalisation rate (share of an extra unit lost)",
    "kept_per_unit": "Kept of an extra unit of own tax base",
    "lost_via_block_grant": "Lost through the block grant adjustment",
    "lost_via_own_rates": "Lost through own rates",
}


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("fiscalsim")
    except Exception:  # not installed (a source checkout): the package's own version
        import simulator

        return getattr(simulator, "__version__", "unknown")


def about_lines(scenario: Any = None, federation: Any = None, *,
                extra: Sequence[str] = ()) -> list[str]:
    """What reproduces a file: fiscalsim version, data edition, scenario, notes."""
    from datetime import date

    lines = [f"Made with fiscalsim {_version()} on {date.today().isoformat()}"]
    if scenario is not None:
        dataset = scenario.dataset
        options = ", ".join(f"{k}={v}" for k, v in dataset.options.items())
        lines.append(f"Scenario: {scenario.name}")
        lines.append(f"Dataset: {dataset.name}" + (f" ({options})" if options else ""))
    if federation is not None and getattr(federation, "source", None):
        lines.append(f"Data edition: {federation.source}")
    lines.extend(extra)
    if scenario is not None:
        lines.append("The scenario (YAML) is below (CSV) or in the 'scenario' sheet (Excel); "
                     "save it as a .yaml file and run `fiscalsim run` to reproduce these figures")
    return lines


def _plain_name(column: str, currency: str) -> str:
    c, cur = currency.lower(), currency
    for raw, plain in _NAMES.items():
        if column == raw.format(c=c):
            return plain.format(cur=cur)
    match = re.fullmatch(r"(.+) \((\w+) m\)", column)  # a step's column: "75% gap-fill (gbp m)"
    if match and match.group(2).lower() == c:
        return f"{match.group(1)} ({cur} m)"
    if column.startswith("lost_via: "):
        return f"Lost through {column[len('lost_via: '):]}"
    return column.replace("_", " ").capitalize() if column.islower() else column


def _rounding(name: str) -> int | None:
    """Decimals for a plainly named column; None leaves it as it is."""
    if name.endswith(" m)"):
        return 1
    if "per head" in name and "index" not in name:
        return 0
    if name == "Population":
        return 0
    if "index" in name and "average = 100" in name:
        return 2
    return 4


def plain_table(frame: pd.DataFrame, currency: str, *, year_in_names: bool = False
                ) -> pd.DataFrame:
    """``frame`` with plain column names (units in brackets) and rounded numbers."""
    names = {c: _plain_name(str(c), currency) for c in frame.columns}
    table = frame.rename(columns=names)
    if year_in_names and "Financial year" in table and table["Financial year"].nunique() == 1:
        year = str(table["Financial year"].iloc[0])
        table = table.drop(columns="Financial year").rename(
            columns=lambda c: c[:-1] + f", {year})" if c.endswith(")") else c)
    for column in table.columns:
        if pd.api.types.is_float_dtype(table[column]):
            decimals = _rounding(str(column))
            if decimals is not None:
                table[column] = table[column].round(decimals)
                if decimals == 0:
                    table[column] = table[column].astype("Int64")
    return table


def _yaml_of(scenario: Any) -> str:
    from .scenario import dump_scenario

    return dump_scenario(scenario)


def csv_bytes(table: pd.DataFrame, about: Iterable[str] = (), scenario: Any = None) -> bytes:
    """CSV (UTF-8) with ``#`` header lines: ``about`` then the scenario's YAML."""
    lines = [f"# {line}" for line in about]
    if scenario is not None:
        lines.append("# ---- scenario (YAML) ----")
        lines.extend(f"# {line}" for line in _yaml_of(scenario).splitlines())
        lines.append("# ---- end of scenario ----")
    head = "\n".join(lines) + ("\n" if lines else "")
    return (head + table.to_csv(index=False)).encode("utf-8")


def workbook_bytes(tables: Mapping[str, pd.DataFrame], about: Iterable[str] = (),
                   scenario: Any = None) -> bytes:
    """An .xlsx workbook: one sheet per table, then ``about`` and ``scenario`` sheets."""
    buffer = io.BytesIO()
    used: set[str] = {"about", "scenario"}
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables.items():
            title = _sheet_name(str(name), used)
            frame.to_excel(writer, sheet_name=title, index=False)
            sheet = writer.sheets[title]
            for k, column in enumerate(frame.columns):  # readable widths
                width = min(60, max(10, len(str(column)) + 2))
                sheet.column_dimensions[sheet.cell(row=1, column=k + 1).column_letter].width = width
        pd.DataFrame({"About this file": list(about)}).to_excel(writer, sheet_name="about",
                                                                  index=False)
        if scenario is not None:
            pd.DataFrame({"Scenario (YAML), one line per row": _yaml_of(scenario).splitlines()}
                         ).to_excel(writer, sheet_name="scenario", index=False)
    return buffer.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    """A valid, unused Excel sheet name (31 characters, none of []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip(" '")[:31] or "table"
    title, k = base, 1
    while title.lower() in {u.lower() for u in used}:
        k += 1
        title = f"{base[:27]} ({k})"
    used.add(title)
    return title


def result_download_tables(result: Any) -> dict[str, pd.DataFrame]:
    """A run's tables with plain names and rounded numbers: ``regions``,
    ``summary`` and, when something is devolved, ``marginal rates``."""
    from .errors import SimulatorError

    currency = result.currency
    tables = {"regions": plain_table(result.by_region(), currency),
              "summary": plain_table(result.summary(), currency)}
    try:
        tables["marginal rates"] = plain_table(result.marginal_equalisation_rates(), currency)
    except SimulatorError:
        pass
    return tables


def figure_data(fig: Any) -> pd.DataFrame:
    """The numbers a plotly figure draws, one row per point: trace, x, y (and
    the location and value of a map)."""
    rows = []
    for trace in fig.data:
        name = getattr(trace, "name", None) or trace.type
        if getattr(trace, "locations", None) is not None and getattr(trace, "z", None) is not None:
            rows.extend({"series": name, "location": loc, "value": z}
                        for loc, z in zip(trace.locations, trace.z))
            continue
        xs = getattr(trace, "x", None)
        ys = getattr(trace, "y", None)
        if xs is None and ys is None:
            continue
        xs = list(xs) if xs is not None else [None] * len(ys)
        ys = list(ys) if ys is not None else [None] * len(xs)
        rows.extend({"series": name, "x": x, "y": y} for x, y in zip(xs, ys))
    return pd.DataFrame(rows)


@functools.lru_cache(maxsize=1)
def can_draw_images() -> bool:
    """Whether charts can be saved as PNG here: the optional ``kaleido``
    package and a Chromium/Chrome it can drive."""
    import importlib.util
    import os
    import shutil

    if importlib.util.find_spec("kaleido") is None:
        return False
    return bool(os.environ.get("BROWSER_PATH") or any(
        shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome", "chrome")))


def figure_file(fig: Any, about: Iterable[str] = ()) -> tuple[bytes, str, str]:
    """A chart as a file: ``(bytes, extension, mime)``.

    A PNG when plotly can render images here (the optional ``kaleido``
    package and a Chromium); otherwise a self-contained HTML page of the
    interactive figure (it opens offline and saves as an image from its
    toolbar), with ``about`` as its caption.
    """
    try:
        if not can_draw_images():
            raise RuntimeError("no image export here")
        png = fig.to_image(format="png", width=1200, height=int(fig.layout.height or 600),
                           scale=1)
        return png, "png", "image/png"
    except Exception:  # kaleido or a browser missing: the figure as HTML instead
        pass
    caption = "".join(f"<p style='font:12px sans-serif;color:#444'>{_escape(line)}</p>"
                      for line in about)
    html = fig.to_html(include_plotlyjs=True, full_html=True)
    html = html.replace("</body>", caption + "</body>", 1)
    return html.encode("utf-8"), "html", "text/html"


def _escape(text: str) -> str:
    import html

    return html.escape(str(text))


def report_html(scenario: Any) -> str:
    """The annual report of a scenario on its year (simulator.analysis.build_report)."""
    from .analysis import build_report

    return build_report(scenario)


def file_stem(name: str, *parts: str) -> str:
    """A safe file name stem: letters, digits, ``-`` and ``_`` only."""
    text = "_".join([name, *[p for p in parts if p]])
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text) or "fiscalsim"
