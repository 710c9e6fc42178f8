"""The ``fiscalsim`` command.

    fiscalsim validate FILE...                      check scenario files
    fiscalsim run FILE [--year Y] [--out F]         run one scenario (F: .csv, .xlsx, .json)
    fiscalsim compare BASE REFORM [REFORM...]       winners and losers, metrics side by side
    fiscalsim list                                  built-in datasets and library scenarios
    fiscalsim schema [--out F]                      JSON Schema of scenario files
    fiscalsim sweep FILE --param PATH=GRID          metrics over a grid of one or two parameters
    fiscalsim solve FILE --target min-share=0.9     solve for a target (also self-financing, budget=M)
    fiscalsim report FILE --out report.html         the annual report (self-contained HTML)
    fiscalsim taxes [--years A:B] [--weight K=W]    which taxes suit devolution (ranked table)
    fiscalsim impact --tax vat --yield-change 5     regional impact of a national policy

FILE may also name a library scenario (``fiscalsim run status_quo``).
Exit codes: 0 ok, 1 findings (an invalid scenario or one that cannot run),
2 usage error (bad arguments, missing file, unwritable or existing output),
130 interrupted (Ctrl-C).

Output files (``--out``, ``--html``) are written whole or not at all (a temporary
file in the same folder, then renamed); an existing file is replaced only with
``--force``.  ``extends``/``baseline`` names are followed next to the file and in
the scenario library only, unless ``--allow-outside-paths``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .cli_support import (FINDINGS, INTERRUPTED, OK, OUTPUT_FORMATS, USAGE,  # noqa: F401
                          UsageError, check_year_option, format_table, out_path,
                          resolve_scenario_path, write_output)
from .errors import SimulatorError
from .scenario import ScenarioError, load_scenario, run_scenario, scenario_json_schema
from .scenario.library import library_dir, library_scenarios
from .scenario.paths import allow_outside_paths
from .scenario.running import (describe_projection, headline_metrics, metric_label,
                               plan_projection)
from .scenario.schema import Scenario

__all__ = ["main"]

#: Subcommands that write files (they take --force).
WRITERS = ("run", "schema", "sweep", "report", "roadmap", "impact")

# the names the subcommands used before they shared cli_support
_resolve = resolve_scenario_path
_out_path = out_path


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and exit 2
        raise UsageError(f"{message}\n{self.format_usage().strip()}")


def _money(value: float, signed: bool = False) -> str:
    if not np.isfinite(value):
        return "n/a"
    value = round(float(value)) or 0  # no "-0"
    return f"{value:+,d}" if signed and value else f"{value:,d}"


def _metric(key: str, value: float) -> str:
    """A metric: money (keys ending ``_m``) in whole millions, others to 3 decimals;
    ``undefined`` (explained by :func:`_undefined_notes`) where it has no value."""
    if not np.isfinite(value):
        return "undefined"
    return _money(value) if key.endswith("_m") else f"{value:,.3f}"


def _undefined_notes(metrics: pd.DataFrame, cur: str) -> list[str]:
    """One line per undefined metric saying why it has no value."""
    from .metrics import UNDEFINED_REASONS

    notes = []
    for name, values in zip(metrics.index, metrics.to_numpy()):
        if np.isfinite(np.asarray(values, float)).all():
            continue
        base = name.removesuffix("_before").removesuffix("_after")
        reason = next((text for key, text in UNDEFINED_REASONS.items() if base.startswith(key)),
                      "not defined for these values")
        notes.append(f"undefined: {metric_label(name, cur)}: {reason}")
    return notes


def check_finite_results(result) -> None:
    """Refuse results that are not finite numbers (an overflow), naming where."""
    fed = result.federation
    per_head = np.asarray(result.resources_per_head, float).reshape(len(fed.years), -1)
    bad = ~np.isfinite(per_head)
    with np.errstate(over="ignore", invalid="ignore"):
        totals = np.asarray(result.state.resources, float).sum(axis=-1)
    if not bad.any() and not np.isfinite(totals).all():
        raise SimulatorError(
            "the results are not finite numbers: total resources overflow (regions' "
            f"resources per head of up to {np.abs(per_head).max():.3g} {result.currency}); an "
            "amount in the scenario or the data is too large for the arithmetic; nothing is "
            "shown or written")
    if bad.any():
        y, r = np.argwhere(bad)[0]
        raise SimulatorError(
            f"the results are not finite numbers ({per_head[y, r]} resources per head in "
            f"{fed.names[r]} ({fed.codes[r]}), {fed.years[y]}, and {int(bad.sum()) - 1} more): "
            "an amount in the scenario or the data is too large for the arithmetic; nothing "
            "is shown or written")


# ------------------------------------------------------------------ inputs
def _projection_note(scenario: Scenario, year: str | None) -> str | None:
    """What a scenario's projection does in this run, or None if it has none."""
    if scenario.projection is None:
        return None
    if year is not None:
        return (f"note: --year runs the published year {year} only; without --year the "
                f"projection runs ({describe_projection(scenario)})")
    from .data import load_federation

    observed = load_federation(scenario.dataset.name, **scenario.dataset.options)
    return "projection: " + describe_projection(scenario, plan_projection(scenario, observed))


# ------------------------------------------------------------------ commands
def cmd_validate(args: argparse.Namespace) -> int:
    paths = [_resolve(name) for name in args.files]
    failed = 0
    for path in paths:
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            failed += 1
            count = len(error.problems)
            print(f"INVALID {path} ({count} problem{'s' if count != 1 else ''})")
            for problem in error.problems:
                print(f"  {problem}")
            continue
        print(f"ok      {path}: {scenario.name} ({_where(scenario)})")
        for line in _describe(scenario):
            print(f"        {line}")
    if len(paths) > 1:
        print(f"{len(paths)} files: {len(paths) - failed} valid, {failed} invalid")
    return FINDINGS if failed else OK


def _where(scenario: Scenario) -> str:
    options = ", ".join(f"{k}={v}" for k, v in scenario.dataset.options.items())
    year = "all years" if scenario.year is None else ", ".join(scenario.years)
    return f"{scenario.dataset.name}{f' [{options}]' if options else ''}, {year}"


def _describe(scenario: Scenario) -> list[str]:
    """What a scenario does, one line per element, with each step's legal reference."""
    lines = []
    if scenario.devolution:
        parts = []
        for tax, assignment in scenario.devolution.items():
            kind = "devolved" if assignment.own_rate else "assigned"
            parts.append(f"{tax} {assignment.share:.0%} {kind}")
        lines.append("taxes: " + "; ".join(parts))
    else:
        lines.append("taxes: none devolved")
    grant = scenario.block_grant or "none"
    lines.append(f"block grant: {grant} (adjustment: {scenario.block_grant_adjustment})")
    if scenario.need_index is not None:
        need = scenario.need_index if isinstance(scenario.need_index, str) else "inline mapping"
        lines.append(f"need index: {need}")
    for i, step in enumerate(scenario.steps, 1):
        source = "; ".join(s for s in (step.real_system, step.reference) if s)
        lines.append(f"step {i}: {step.type} - {step.display_label}"
                     + (f" [{source}]" if source else ""))
    if isinstance(scenario.baseline, str):
        lines.append(f"baseline: {scenario.baseline}")
    elif scenario.baseline is not None:
        base = scenario.baseline
        taxes = ", ".join(base.devolution) or "nothing devolved"
        lines.append(f"baseline: its own system ({taxes}; block grant {base.block_grant or 'none'}; "
                     f"{len(base.steps)} step{'s' if len(base.steps) != 1 else ''})")
    if scenario.projection is not None:
        lines.append("projection: " + describe_projection(scenario))
    roadmap = getattr(scenario, "roadmap", None)
    if roadmap is not None:
        from .scenario.roadmap import describe_stage as stage_text

        for stage in roadmap.stages:
            lines.append(f"roadmap, year {stage.year}: {stage_text(stage)}")
    for bench in getattr(scenario, "benchmarks", []):
        check = bench.check()
        lines.append(f"benchmark: {bench.name}: {bench.measure}"
                     + (f" of {bench.indicator}" if bench.indicator else "") + f" {check.text}")
    return lines


def cmd_run(args: argparse.Namespace) -> int:
    path = _resolve(args.file)
    out = _out_path(args.out, force=args.force)
    scenario = load_scenario(path)
    check_year_option(scenario, args.year)
    result = run_scenario(scenario, year=args.year)
    check_finite_results(result)
    regions = result.by_region()
    metrics = headline_metrics(result)
    cur = result.currency
    years = result.federation.years
    projected = scenario.projection is not None and args.year is None
    where = (f"{scenario.dataset.name}, {years[0]} (observed) and {years[1]} to {years[-1]} "
             "(projected)" if projected else _where(scenario) if args.year is None
             else f"{scenario.dataset.name}, {args.year}")
    print(f"{scenario.name}: {where}")
    if result.federation.source:
        print(f"source: {result.federation.source}")
    note = _projection_note(scenario, args.year)
    if note:
        print(note)
    if getattr(scenario, "roadmap", None) is not None:
        print("note: --year runs the scenario's first-year settlement, without its roadmap"
              if args.year is not None else
              f"roadmap: {len(scenario.roadmap.stages)} stages (fiscalsim roadmap "
              f"{args.file} shows them year by year)")
    for year in years[-1:] if projected else years:  # a projection: its last year
        label = f"{year}{' (projected)' if projected else ''}"
        rows = regions[regions["year"] == year]
        shown, hidden = _capped_rows(rows, cur)
        if "regions" in scenario.outputs:
            print(f"\nResources per head, {label}"
                  + (f": the {SHOWN_EACH_END} highest and {SHOWN_EACH_END} lowest of "
                     f"{len(rows):,} areas" if hidden else ""))
            print(_region_table(shown, cur, hidden=hidden))
            if not np.isfinite(rows["resources_index"].to_numpy(float)).all():
                print("undefined: Index (avg=100): needs a positive average of resources "
                      "per head (here at most 0, or rounding noise)")
            if hidden:
                print(_hidden_note(rows, cur, hidden, out))
        if "transfers" in scenario.outputs:
            print(f"\nTransfers by step, {label}"
                  + (f": the same {2 * SHOWN_EACH_END} of {len(rows):,} areas" if hidden else ""))
            print(_transfer_table(shown, cur, hidden=hidden))
    if projected and ("regions" in scenario.outputs or "transfers" in scenario.outputs):
        print(f"(every year's regions in --out; {years[0]} is observed, later years projected)")
    if "summary" in scenario.outputs:
        print()
        when = f" ({years[0]} observed, later years projected)" if projected else ""
        print(f"System metrics{when}")
        print(format_table(["Metric"] + [str(c) for c in metrics.columns],
                           [[metric_label(name, cur)] + [_metric(name, v) for v in values]
                            for name, values in zip(metrics.index, metrics.to_numpy())],
                           "l" + "r" * len(metrics.columns)))
        for note in _undefined_notes(metrics, cur):
            print(note)
    _print_income_tax_incidence(scenario, result.federation.codes)
    if out is not None:
        _write(out, scenario, regions, metrics, result.federation, force=args.force)
        print(f"\nwrote {out}")
    return OK


def _print_income_tax_incidence(scenario: Scenario, codes: Sequence[str]) -> None:
    """The incidence tables of the scenario's income-tax schedules, if it has any."""
    from .income_tax.incidence import system_incidence

    tables = system_incidence(scenario, codes)
    if tables is None:
        return
    print(f"\nIncome tax by schedule, {tables.tax_year} (modelled yield, GBP m per year; "
          "shares of tax paid)")
    print(format_table(
        ["Code", "Schedule", "Yield before", "Yield after", "Change", "Top 1% before",
         "Top 1% after", "Top 10% before", "Top 10% after", "Winners", "Losers"],
        [[r.code, r.schedule, f"{r.yield_before_gbp_m:,.0f}", f"{r.yield_after_gbp_m:,.0f}",
          f"{r.change_gbp_m:+,.0f}", f"{r.top1_share_before:.1%}", f"{r.top1_share_after:.1%}",
          f"{r.top10_share_before:.1%}", f"{r.top10_share_after:.1%}",
          f"{r.winners:,.0f}", f"{r.losers:,.0f}"] for r in tables.regions.itertuples()]))
    print(f"\nIncidence by marginal-rate band of taxpayers (their top band today), "
          f"{tables.tax_year} (GBP per taxpayer per year; totals GBP m)")
    print(format_table(
        ["Code", "Band", "Taxpayers", "Tax before", "Tax after", "Change/payer", "Change (m)",
         "Winners", "Losers"],
        [[r.code, r.hmrc_class, f"{r.taxpayers:,.0f}", f"{r.tax_before_gbp_per_payer:,.0f}",
          f"{r.tax_after_gbp_per_payer:,.0f}", f"{r.change_gbp_per_payer:+,.0f}",
          f"{r.change_gbp_m:+,.1f}", f"{r.winners:,.0f}", f"{r.losers:,.0f}"]
         for r in tables.classes.itertuples()]))
    print(f"\nIncidence by decile of taxpayers within each region, {tables.tax_year} "
          "(GBP per taxpayer per year; totals GBP m)")
    print(format_table(
        ["Code", "Decile", "Taxpayers", "Income from", "Tax before", "Tax after",
         "Change/payer", "Change (m)", "Winners", "Losers"],
        [[r.code, r.decile, f"{r.taxpayers:,.0f}", f"{r.income_from_gbp:,.0f}",
          f"{r.tax_before_gbp_per_payer:,.0f}", f"{r.tax_after_gbp_per_payer:,.0f}",
          f"{r.change_gbp_per_payer:+,.0f}", f"{r.change_gbp_m:+,.1f}",
          f"{r.winners:,.0f}", f"{r.losers:,.0f}"] for r in tables.deciles.itertuples()]))


#: ``fiscalsim run`` prints a row per area up to this many areas; beyond it (England's
#: 33,755 neighbourhoods) the SHOWN_EACH_END highest and lowest by resources per head, with
#: a line saying how many are hidden.  ``--out`` always writes every row.
PRINTED_AREAS_LIMIT = 60
SHOWN_EACH_END = 10


def _capped_rows(rows: pd.DataFrame, cur: str) -> tuple[pd.DataFrame, int]:
    """(the rows to print, how many are hidden): all of them up to PRINTED_AREAS_LIMIT,
    else the SHOWN_EACH_END highest and lowest by resources per head (ties by code)."""
    if len(rows) <= PRINTED_AREAS_LIMIT:
        return rows, 0
    # to a millionth of the currency: equal shares that differ by float noise tie, by code
    key = rows[f"resources_per_head_{cur.lower()}"].round(6)
    ordered = rows.assign(_key=key).sort_values(["_key", "code"], ascending=[False, True],
                                                kind="stable").drop(columns="_key")
    shown = pd.concat([ordered.head(SHOWN_EACH_END), ordered.tail(SHOWN_EACH_END)])
    return shown, len(rows) - len(shown)


def _capped_areas(codes: Sequence[str], value: np.ndarray) -> tuple[np.ndarray, int]:
    """(positions of the areas to print, how many are hidden): every area up to
    PRINTED_AREAS_LIMIT, else the SHOWN_EACH_END with the highest and lowest ``value``
    (to a millionth; ties by code)."""
    n = len(codes)
    if n <= PRINTED_AREAS_LIMIT:
        return np.arange(n), 0
    order = np.lexsort((np.asarray(codes), -np.round(np.asarray(value, dtype=float), 6)))
    return np.concatenate([order[:SHOWN_EACH_END], order[-SHOWN_EACH_END:]]), n - 2 * SHOWN_EACH_END


def _with_gap(cells: list[list[str]], hidden: int) -> list[list[str]]:
    """The printed rows with a marker row where ``hidden`` rows are left out."""
    if not hidden:
        return cells
    width = len(cells[0]) if cells else 2
    gap = ["...", f"({hidden:,} areas not shown)"] + [""] * (width - 2)
    return cells[:SHOWN_EACH_END] + [gap] + cells[SHOWN_EACH_END:]


def _hidden_note(rows: pd.DataFrame, cur: str, hidden: int, out: Path | None) -> str:
    """What the hidden rows hold: areas above the baseline and their range per head."""
    change = rows[f"change_per_head_{cur.lower()}"].to_numpy(float)
    scale = np.abs(change).max() if change.size else 0.0
    gained = change[change > 1e-12 * scale] if scale > 0 else change[:0]
    where = f"written to {out}" if out is not None else "--out FILE writes every row"
    text = (f"{hidden:,} of {len(rows):,} areas not shown ({where}). "
            f"{len(gained):,} areas gain against the baseline")
    if gained.size:
        text += (f": {cur} {gained.min():,.2f} to {gained.max():,.2f} per head "
                 f"(median {np.median(gained):,.2f})")
    return text + "."


def _region_table(rows: pd.DataFrame, cur: str, hidden: int = 0) -> str:
    c = cur.lower()
    small = hidden > 0  # neighbourhoods: population in persons, not millions
    return format_table(
        ["Code", "Region" if not small else "Area",
         "Population (m)" if not small else "Population", f"Resources ({cur} per head)",
         "Index (avg=100)", f"Baseline ({cur} per head)", f"Change ({cur} per head)"],
        _with_gap([[r["code"], r["region"],
                    f"{r['population'] / 1e6:,.2f}" if not small else f"{r['population']:,.0f}",
                    _money(r[f"resources_per_head_{c}"]),
                    f"{r['resources_index']:.1f}" if np.isfinite(r["resources_index"])
                    else "undefined",
                    _money(r[f"baseline_per_head_{c}"]),
                    _money(r[f"change_per_head_{c}"], signed=True)]
                   for _, r in rows.iterrows()], hidden))


def _transfer_table(rows: pd.DataFrame, cur: str, hidden: int = 0) -> str:
    suffix = f" ({cur.lower()} m)"
    labels = [col for col in rows.columns if col.endswith(suffix)]
    return format_table(["Code", "Region"] + [f"{col[:-len(suffix)]} ({cur} m)" for col in labels],
                        _with_gap([[r["code"], r["region"]] + [_money(r[col]) for col in labels]
                                   for _, r in rows.iterrows()], hidden))


def _write(out: Path, scenario: Scenario, regions: pd.DataFrame, metrics: pd.DataFrame,
           federation=None, *, force: bool = False) -> None:
    from .provenance import output_provenance, with_provenance_columns, write_scenario_sidecar

    table = metrics.reset_index().rename(columns={"index": "metric"})
    table.columns = [str(c) for c in table.columns]
    meta = output_provenance(scenario, federation if federation is not None
                             else scenario.load_federation())

    def write(target: Path) -> None:
        if out.suffix.lower() == ".csv":  # version and edition per row, scenario beside it
            with_provenance_columns(regions.assign(scenario=scenario.name), meta).to_csv(
                target, index=False)
        elif out.suffix.lower() == ".xlsx":
            with pd.ExcelWriter(target) as writer:
                regions.to_excel(writer, sheet_name="regions", index=False)
                table.to_excel(writer, sheet_name="summary", index=False)
                pd.DataFrame({"field": list(meta), "value": list(meta.values())}).to_excel(
                    writer, sheet_name="provenance", index=False)
        else:
            payload = {"scenario": scenario.name, "dataset": scenario.dataset.name,
                       "years": sorted(set(regions["year"])),
                       "provenance": meta,
                       "regions": json.loads(regions.to_json(orient="records")),
                       "summary": json.loads(table.to_json(orient="records"))}
            target.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")

    write_output(out, write, force=force)
    if out.suffix.lower() == ".csv":
        write_scenario_sidecar(out, meta)


def cmd_compare(args: argparse.Namespace) -> int:
    paths = [_resolve(args.base)] + [_resolve(name) for name in args.reforms]
    scenarios, problems = [], []
    for path in paths:
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as error:
            problems.extend(error.problems)
    if problems:
        raise ScenarioError(problems)
    for scenario in scenarios:
        check_year_option(scenario, args.year)
    base = scenarios[0]
    projecting = args.year is None and any(s.projection is not None for s in scenarios)
    for scenario, path in zip(scenarios[1:], paths[1:]):
        if scenario.dataset != base.dataset:
            raise SimulatorError(f"cannot compare {path} with {paths[0]}: different datasets "
                                 f"({_where(scenario)} vs {_where(base)})")
        if not projecting and args.year is None and scenario.year != base.year:
            raise SimulatorError(f"cannot compare {path} with {paths[0]}: different years "
                                 f"({scenario.year} vs {base.year}); choose one with --year")
    results = [run_scenario(s, year=args.year) for s in scenarios]
    for result in results:
        check_finite_results(result)
    for result, path in zip(results[1:], paths[1:]):
        if result.federation.years != results[0].federation.years:
            raise SimulatorError(
                f"cannot compare {path} with {paths[0]}: different years ({_span(result)} vs "
                f"{_span(results[0])}); give both the same projection, or compare a "
                "published year with --year")
    names = _unique_names([s.name for s in scenarios])
    cur = results[0].currency
    fed = results[0].federation
    base_ph = results[0].resources_per_head.reshape(len(fed.years), fed.n_regions)
    span = _span(results[0]) if projecting else _where(base) if args.year is None else args.year
    print(f"Compared with {names[0]}: {span}")
    for name, scenario in zip(names, scenarios):
        note = _projection_note(scenario, args.year)
        if note:
            print(f"{name}: {note}")
    for y, year in enumerate(fed.years):
        if projecting and y < len(fed.years) - 1:
            continue  # projections: the last year's regions (metrics below are the last year's)
        print()
        print(f"Resources per head, {year}{' (projected)' if projecting else ''} "
              f"({cur} per head; change against {names[0]})")
        headers = ["Code", "Region", f"{names[0]} ({cur})"]
        columns = []
        for name, result in zip(names[1:], results[1:]):
            per_head = result.resources_per_head.reshape(base_ph.shape)[y]
            headers += [f"{name} ({cur})", f"change ({cur})", "change (%)"]
            columns.append((per_head, per_head - base_ph[y]))
        shown, hidden = _capped_areas(fed.codes, columns[0][1] if columns else base_ph[y])
        rows = []
        for i in shown:
            row = [fed.codes[i], fed.names[i], _money(base_ph[y, i])]
            for per_head, change in columns:
                row += [_money(per_head[i]), _money(change[i], signed=True),
                        f"{100 * change[i] / base_ph[y, i]:+.1f}" if base_ph[y, i] != 0
                        else "n/a"]
            rows.append(row)
        if hidden:
            print(f"the {SHOWN_EACH_END} largest and {SHOWN_EACH_END} smallest changes under "
                  f"{names[1] if columns else names[0]} of {fed.n_regions:,} areas")
        print(format_table(headers, _with_gap(rows, hidden)))
        if hidden:
            print(f"{hidden:,} of {fed.n_regions:,} areas not shown (fiscalsim run "
                  "--out FILE writes every row)")
        for name, (_, change) in zip(names[1:], columns):
            print(_winners_losers(name, change, fed.names, cur))
    print()
    print("System metrics" + (f", {fed.years[-1]}" if len(fed.years) > 1 else ""))
    tables = [headline_metrics(r) for r in results]
    metrics = list(dict.fromkeys(m for t in tables for m in t.index))
    rows = [[metric_label(metric, cur)] + [_metric(metric, t.loc[metric].iloc[-1]) if metric in t.index else "n/a"
                        for t in tables] for metric in metrics]
    print(format_table(["Metric"] + names, rows, "l" + "r" * len(names)))
    notes = dict.fromkeys(note for table in tables for note in _undefined_notes(
        table.iloc[:, -1:], cur))
    for note in notes:
        print(note)
    return OK


def _span(result) -> str:
    years = result.federation.years
    return years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"


def _winners_losers(name: str, change: np.ndarray, regions: Sequence[str], cur: str) -> str:
    tolerance = 0.5  # less than half a currency unit per head counts as unchanged
    winners = np.flatnonzero(change > tolerance)
    losers = np.flatnonzero(change < -tolerance)
    text = f"{name}: {len(winners)} gain, {len(losers)} lose, " \
           f"{len(change) - len(winners) - len(losers)} unchanged"
    if len(winners):
        best = int(np.argmax(change))
        text += f"; largest gain {regions[best]} {_money(change[best], True)} {cur}/head"
    if len(losers):
        worst = int(np.argmin(change))
        text += f"; largest loss {regions[worst]} {_money(change[worst], True)} {cur}/head"
    return text


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def cmd_list(args: argparse.Namespace) -> int:
    from .data import list_datasets

    print("Built-in datasets")
    print(format_table(["Name", "Description"], sorted(list_datasets().items()), "ll"))
    print()
    library = library_scenarios()
    print(f"Library scenarios ({library_dir() or 'not found'})")
    rows = []
    for name, path in library.items():
        try:
            scenario = load_scenario(path, check_data=False)
            summary = scenario.description.strip().splitlines()[0] if scenario.description else ""
            rows.append([name, _where(scenario),
                         summary if len(summary) <= 70 else summary[:67].rstrip() + "..."])
        except ScenarioError as error:
            rows.append([name, "INVALID", f"{len(error.problems)} problem(s); run validate"])
    print(format_table(["Name", "Dataset, year", "Description"], rows, "lll"))
    return OK


def cmd_schema(args: argparse.Namespace) -> int:
    text = json.dumps(scenario_json_schema(), indent=2) + "\n"
    if args.out is None:
        sys.stdout.write(text)
        return OK
    out = _out_path(args.out, None, force=args.force)
    write_output(out, lambda target: target.write_text(text, encoding="utf-8"), force=args.force)
    print(f"wrote {args.out}")
    return OK


def cmd_needs(args: argparse.Namespace) -> int:
    """The spending needs assessment (simulator.needs) as a table."""
    from .needs.report import england_la_report, itl1_report

    try:
        frame = england_la_report() if args.level == "england_la" else itl1_report(args.year)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if args.out:
        import os
        import tempfile

        out = Path(args.out)
        if out.suffix.lower() != ".csv":
            raise UsageError(f"--out {args.out}: needs writes .csv")
        try:  # whole file or nothing
            handle, temporary = tempfile.mkstemp(dir=out.resolve().parent, suffix=".tmp")
            with os.fdopen(handle, "w", newline="") as stream:
                frame.to_csv(stream, index=False)
            os.replace(temporary, out)
        except OSError as error:
            raise UsageError(f"--out {args.out}: cannot write: {error.strerror}") from None
        print(f"wrote {args.out}")
        return OK
    text = frame.drop(columns=[c for c in frame.columns if c.endswith("(points)")]) if args.level == "itl1" else frame
    rows = [[f"{v:,.1f}" if isinstance(v, float) else str(v) for v in row] for row in text.itertuples(index=False)]
    what = (f"nations and regions, {args.year} spending mix" if args.level == "itl1"
            else "296 English authorities, council services")
    print(f"Spending need ({what}); 100 = average per head; weights a judgement (docs/needs.md)")
    print(format_table(list(text.columns), rows, "ll" + "r" * (len(text.columns) - 2)))
    return OK


# ------------------------------------------------------------------ entry point
def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="fiscalsim", description="Fiscal devolution and equalisation "
                     "simulator: validate, run and compare scenario files.",
                     epilog="Exit codes: 0 ok, 1 findings, 2 usage error.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, handler: Callable, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        if name != "schema":
            sub.add_argument("--allow-outside-paths", action="store_true",
                             help="follow extends/baseline names outside the scenario's folder "
                             "and the scenario library (default: refuse them)")
        if name in WRITERS:
            sub.add_argument("--force", action="store_true",
                             help="replace an existing output file (default: refuse)")
        return sub

    sub = add("validate", cmd_validate, "Check scenario files; list every problem with its line.")
    sub.add_argument("files", nargs="+", metavar="FILE")
    sub = add("run", cmd_run, "Run one scenario and show resources per head by region.")
    sub.add_argument("file", metavar="FILE")
    sub.add_argument("--year", help="financial year to run, e.g. 2024-25 (default: the "
                     "scenario's year)")
    sub.add_argument("--out", metavar="F", help="also write results to F (.csv, .xlsx or .json)")
    sub = add("compare", cmd_compare, "Compare reforms with a base scenario: winners and "
              "losers per region, system metrics side by side.")
    sub.add_argument("base", metavar="BASE")
    sub.add_argument("reforms", nargs="+", metavar="REFORM")
    sub.add_argument("--year", help="financial year to compare (default: the scenarios' year)")
    add("list", cmd_list, "List built-in datasets and library scenarios.")
    sub = add("schema", cmd_schema, "Write the JSON Schema of scenario files.")
    sub.add_argument("--out", metavar="F", help="write to F instead of standard output")
    sub = add("needs", cmd_needs, "Show the spending needs assessment (representative "
              "expenditure system) by region, or by English authority.")
    sub.add_argument("--level", choices=["itl1", "england_la"], default="itl1")
    sub.add_argument("--year", default="2024-25", help="spending mix year (itl1), e.g. 2024-25")
    sub.add_argument("--out", metavar="F", help="write the table to F (.csv) instead")
    from .analysis.commands import add_commands  # sweep, solve, report

    add_commands(add)
    from .analysis.policy_commands import add_policy_commands  # taxes, impact

    add_policy_commands(add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fiscalsim`` command; return its exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return USAGE
        with allow_outside_paths(bool(getattr(args, "allow_outside_paths", False))):
            return args.handler(args)
    except UsageError as error:
        print(f"fiscalsim: error: {error}", file=sys.stderr)
        return USAGE
    except ScenarioError as error:
        for problem in error.problems:
            print(f"{problem}", file=sys.stderr)
        return FINDINGS
    except SimulatorError as error:
        print(f"fiscalsim: {error}", file=sys.stderr)
        return FINDINGS
    except SystemExit as exit_:  # --help
        return int(exit_.code or 0)
    except KeyboardInterrupt:
        print("\nfiscalsim: interrupted; nothing written (an existing output file is unchanged)",
              file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:  # output piped into `head`
        return OK


if __name__ == "__main__":  # python -m simulator.cli
    sys.exit(main())
