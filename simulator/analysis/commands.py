"""The ``fiscalsim`` subcommands of policy analysis: ``sweep``, ``solve``, ``report``.

    fiscalsim sweep FILE --param PATH=GRID [--param PATH=GRID] [--out F] [--html F]
    fiscalsim solve FILE --target min-share=0.9 | self-financing | budget=20000
    fiscalsim report FILE --out report.html [--years FIRST:LAST] [--impact-tax vat:5]
                     [--impact-spending "7. Health:1000"]

Registered by :func:`simulator.cli._parser` through :func:`add_commands`;
errors follow the CLI's exit codes (2 for bad arguments, 1 for findings such
as a target that cannot be met).  What the subcommands share with the others
(usage error, tables, paths, safe writes) comes from :mod:`simulator.cli_support`,
so this module never imports :mod:`simulator.cli`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Callable, TextIO

import numpy as np

from .. import cli_support as cli
from ..errors import ConfigurationError

__all__ = ["add_commands", "cmd_sweep", "cmd_solve", "cmd_report", "progress_bar"]

SWEEP_OUTPUTS = (".csv", ".json", ".xlsx")


def _usage(message: str) -> Exception:
    return cli.UsageError(message)


def progress_bar(total: int, stream: TextIO | None = None, width: int = 30,
                 label: str = "points") -> Callable[[int, int], None]:
    """A text progress bar on ``stream`` (stderr): ``[#####-----]  50%  5,000/10,000 points``."""
    stream = stream or sys.stderr
    start = time.perf_counter()

    def show(done: int, total_now: int) -> None:
        filled = int(width * done / max(total_now, 1))
        elapsed = time.perf_counter() - start
        stream.write(f"\r[{'#' * filled}{'-' * (width - filled)}] {100 * done / max(total_now, 1):3.0f}%"
                     f"  {done:,}/{total_now:,} {label}  {elapsed:.1f} s")
        if done >= total_now:
            stream.write("\n")
        stream.flush()

    return show


def _scenario(name: str):
    from ..scenario import load_scenario

    return load_scenario(cli.resolve_scenario_path(name))


# ------------------------------------------------------------------ sweep
def cmd_sweep(args: argparse.Namespace) -> int:
    from .sweep import METRICS, grid_values, parse_parameter, sweep

    scenario = _scenario(args.file)
    grids: dict[str, np.ndarray] = {}
    system = scenario.to_system()
    for item in args.param:
        path, sep, spec = item.partition("=")
        if not sep:
            raise _usage(f"--param {item}: use PATH=GRID, e.g. steps[0].rate=0:1:101")
        try:
            parameter = parse_parameter(path, system)
            grids[parameter.path] = grid_values(spec)
            parameter.check(grids[parameter.path])
        except ConfigurationError as error:
            raise _usage(f"--param {item}: {error}") from None
    if not 1 <= len(grids) <= 2:
        raise _usage("give one or two --param options")
    if args.metric not in METRICS:
        raise _usage(f"--metric {args.metric}: known metrics: {', '.join(METRICS)}")
    if args.chunk_size is not None and args.chunk_size < 1:
        raise _usage(f"--chunk-size {args.chunk_size}: give a number of points of at least 1")
    cli.check_year_option(scenario, args.year)
    from .sweep import MAX_SWEEP_POINTS, sweep_memory_bytes

    points = int(np.prod([len(g) for g in grids.values()], dtype=float))
    if points > MAX_SWEEP_POINTS:
        fed_shape = _scenario_shape(scenario, args.year)
        raise _usage(f"--param: a sweep of {points:,} points is too large (its results alone "
                     f"would take {sweep_memory_bytes(points, *fed_shape, len(grids)) / 1e9:,.1f}"
                     f" GB); the limit is {MAX_SWEEP_POINTS:,} points")
    out = cli.out_path(args.out, SWEEP_OUTPUTS, force=args.force)
    html = _html_out(args.html, "--html", force=args.force)
    points = int(np.prod([len(g) for g in grids.values()]))
    show = args.progress if args.progress is not None else sys.stderr.isatty() and points >= 10_000
    progress = progress_bar(points) if show else None
    start = time.perf_counter()
    if args.dask is not None:
        from .distributed import dask_client

        with dask_client(None if args.dask == "local" else args.dask) as client:
            result = sweep(scenario, grids, year=args.year, chunk_size=args.chunk_size,
                           progress=progress, client=client)
    else:
        result = sweep(scenario, grids, year=args.year, chunk_size=args.chunk_size,
                       progress=progress)
    seconds = time.perf_counter() - start
    fed = result.federation
    cur = fed.currency
    year = fed.years[-1]
    print(f"{scenario.name}: sweep of {' x '.join(grids)} ({points:,} points, {fed.name}, "
          f"{', '.join(fed.years)}) in {seconds:.2f} s")
    if fed.source:
        print(f"source: {fed.source}")
    print()
    frame = result.points()
    frame = frame[frame["year"] == year]
    c = cur.lower()
    columns = [("gini", "Gini", "{:.4f}"), ("max_min_ratio", "Max/min", "{:.3f}"),
               ("min_index", "Min index", "{:.1f}"), ("min_index_code", "Lowest", "{}"),
               (f"cost_to_centre_{c}_m", f"Cost ({cur} m)", "{:,.0f}"),
               (f"horizontal_flows_{c}_m", f"Paid in ({cur} m)", "{:,.0f}")]
    shown = frame if len(frame) <= 25 else frame.iloc[np.unique(
        np.linspace(0, len(frame) - 1, 11).round().astype(int))]
    if len(shown) < len(frame):
        print(f"{len(shown)} of {len(frame)} points, {year} (all in --out):")
    else:
        print(f"System metrics by point, {year}:")
    print(cli.format_table(list(grids) + [h for _, h, _ in columns],
                           [[f"{row[p]:.6g}" for p in grids] + [f.format(row[k]) for k, _, f in columns]
                            for _, row in shown.iterrows()], "r" * (len(grids) + len(columns))))
    column = f"{args.metric}_{c}_m" if f"{args.metric}_{c}_m" in frame.columns else args.metric
    best = frame.loc[frame[column].idxmin() if args.metric != "min_index"
                     else frame[column].idxmax()]
    print(f"\n{'highest' if args.metric == 'min_index' else 'lowest'} {args.metric}: "
          f"{best[column]:,.4g}{f' {cur} m' if column != args.metric else ''} at "
          + ", ".join(f"{p} = {best[p]:.6g}" for p in grids) + f" ({year})")
    if out is not None:
        table = result.by_region() if args.by_region else result.points()
        _write_table(table, out, scenario, fed, force=args.force)
        print(f"wrote {out}")
    if html is not None:
        fig = result.figure(args.metric, year)
        cli.write_output(html, lambda target: fig.write_html(str(target), include_plotlyjs=True,
                                                              full_html=True),
                         force=args.force, option="--html")
        print(f"wrote {html}")
    return cli.OK


def _scenario_shape(scenario, year: str | None) -> tuple[int, int]:
    """(years, regions) a scenario runs on."""
    from ..scenario import scenario_federation

    fed = scenario_federation(scenario, year)
    return len(fed.years), fed.n_regions


def _html_out(out: str | None, option: str, *, force: bool = False) -> Path | None:
    if out is None:
        return None
    path = Path(out)
    if path.suffix.lower() not in (".html", ".htm"):
        raise _usage(f"{option} {out}: the file must end in .html")
    return cli.out_path(out, (".html", ".htm"), force=force, option=option)


def _write_table(table, out: Path, scenario=None, federation=None, *, force: bool = False) -> None:
    meta = None
    if scenario is not None and federation is not None:
        from ..provenance import output_provenance, with_provenance_columns

        meta = output_provenance(scenario, federation)
        table = with_provenance_columns(table, meta)

    def write(target: Path) -> None:
        if out.suffix.lower() == ".csv":
            table.to_csv(target, index=False)
        elif out.suffix.lower() == ".xlsx":
            table.to_excel(target, index=False)
        else:
            table.to_json(target, orient="records", indent=1, double_precision=15)

    cli.write_output(out, write, force=force)
    if meta is not None and out.suffix.lower() == ".csv":
        from ..provenance import write_scenario_sidecar

        write_scenario_sidecar(out, meta)


# ------------------------------------------------------------------ solve
def _target(text: str) -> tuple[str, float | None]:
    kind, sep, value = text.partition("=")
    kind = kind.strip().lower()
    if kind not in ("min-share", "self-financing", "budget"):
        raise _usage(f"--target {text}: use min-share=SHARE (e.g. 0.9), self-financing[=COST_M] "
                     "or budget=COST_M (currency millions a year)")
    if not sep:
        if kind == "self-financing":
            return kind, 0.0
        raise _usage(f"--target {text}: {kind} needs a value, e.g. {kind}="
                     f"{'0.9' if kind == 'min-share' else '20000'}")
    try:
        number = float(value)
    except ValueError:
        raise _usage(f"--target {text}: {value!r} is not a number") from None
    if not np.isfinite(number):
        raise _usage(f"--target {text}: the value must be finite")
    return kind, number


def _bounds(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        low, high = (float(v) for v in text.split(","))
    except ValueError:
        raise _usage(f"--range {text}: use LOW,HIGH, e.g. 0,1") from None
    if not low < high:
        raise _usage(f"--range {text}: LOW must be below HIGH")
    return low, high


def cmd_solve(args: argparse.Namespace) -> int:
    from .solve import best_for_budget, solve_min_share, solve_self_financing
    from .sweep import parse_parameter

    kind, value = _target(args.target)
    bounds = _bounds(args.range)
    scenario = _scenario(args.file)
    cli.check_year_option(scenario, args.year)
    system = scenario.to_system()
    for path in args.parameter or []:
        try:
            parse_parameter(path, system)
        except ConfigurationError as error:
            raise _usage(f"--parameter {path}: {error}") from None
    if kind != "budget" and args.parameter and len(args.parameter) > 1:
        raise _usage(f"--target {kind} solves for one --parameter (got {len(args.parameter)})")
    parameter = args.parameter[0] if args.parameter else None
    if kind == "budget" and bounds is not None:
        raise _usage("--range applies to min-share and self-financing; budget options "
                     "use each parameter's declared range")
    try:
        if kind == "min-share":
            result = solve_min_share(scenario, value, parameter, bounds=bounds, year=args.year)
        elif kind == "self-financing":
            result = solve_self_financing(scenario, parameter, cost=args.cost, target=value,
                                          bounds=bounds, year=args.year)
        else:
            result = best_for_budget(scenario, value, args.parameter or None,
                                     metric=args.metric, year=args.year)
    except ConfigurationError as error:
        if bounds is not None and "out of range" in str(error):
            raise _usage(f"--range {args.range}: {error}") from None
        raise
    print(f"{scenario.name}: {result.target}")
    if result.feasible:
        print(f"answer: {result.parameter} = {result.value:.6g}")
    else:
        print("answer: none (target cannot be met)")
    print(result.reason)
    if result.table is not None:
        cur = "GBP"
        print()
        metric = args.metric
        print(cli.format_table(
            ["Option", "Parameter", "Value", f"Cost ({cur} m)", metric.capitalize(), "Within budget"],
            [[r["option"], r["parameter"], f"{r['value']:.6g}", f"{r['cost_m']:,.0f}",
              f"{r[metric]:.4f}", "yes" if r["feasible"] else "no"]
             for _, r in result.table.iterrows()], "llrrrl"))
    return cli.OK if result.feasible else cli.FINDINGS


# ------------------------------------------------------------------ report
def cmd_report(args: argparse.Namespace) -> int:
    from .report import DEFAULT_BENCHMARKS, Benchmark, build_report

    out = _html_out(args.out, "--out", force=args.force)
    scenario = _scenario(args.file)
    # the scenario's benchmarks (or the defaults), with a flag given replacing the
    # default of the same measure or adding to the scenario's
    flags = [Benchmark(DEFAULT_BENCHMARKS[0].name, "max_min_ratio", args.max_min_ratio, True)
             if args.max_min_ratio is not None else None,
             Benchmark(DEFAULT_BENCHMARKS[1].name, "min_index", args.min_index, False)
             if args.min_index is not None else None]
    if scenario.benchmarks:
        benchmarks = list(scenario.benchmarks) + [f for f in flags if f is not None]
    else:
        benchmarks = [f if f is not None else d for f, d in zip(flags, DEFAULT_BENCHMARKS)]
    flagged = _impact_flags(args.impact_tax, args.impact_spending, scenario)
    if flagged:  # added to the scenario's, so the embedded scenario reproduces them
        scenario = scenario.model_copy(update={"impact_assessments": list(
            scenario.impact_assessments) + flagged})
    try:
        text = build_report(scenario, years=args.years, benchmarks=benchmarks)
    except ConfigurationError as error:
        if args.years is not None and "year" in str(error):
            raise _usage(f"--years {args.years}: {error}") from None
        raise
    cli.write_output(out, lambda target: target.write_text(text, encoding="utf-8"),
                     force=args.force)
    print(f"wrote {out} ({len(text.encode('utf-8')) / 1e6:.1f} MB, self-contained)")
    return cli.OK


def _reason(model, error: dict) -> str:
    """One pydantic error as the scenario loader words it: field, value, allowed range."""
    from ..quantities import written

    loc = ".".join(map(str, error["loc"]))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] in ("less_than_equal", "greater_than_equal", "less_than", "greater_than") \
            and error["loc"]:
        field = model.model_fields[error["loc"][0]]
        bounds = {type(m).__name__.lower(): getattr(m, type(m).__name__.lower())
                  for m in field.metadata if type(m).__name__ in ("Ge", "Le", "Gt", "Lt")}
        low = bounds.get("ge", bounds.get("gt"))
        high = bounds.get("le", bounds.get("lt"))
        unit = (field.json_schema_extra or {}).get("unit", "")
        message = (f"{written(error['input'])} is out of range; allowed: {low:g} to {high:g}"
                   + (f" ({unit})" if unit else ""))
    return f"{loc}: {message}" if loc else message


def _impact_flags(taxes: list[str] | None, spending: list[str] | None, scenario) -> list:
    """``--impact-tax TAX:PCT[:ELASTICITY]`` and ``--impact-spending FUNCTION:AMOUNT`` as
    checked :class:`simulator.scenario.schema.ImpactAssessmentSpec` entries; a malformed
    flag, an unknown tax or function, or one that cannot be assessed on the scenario's
    dataset is a usage error (exit 2) naming the flag."""
    from pydantic import ValidationError

    from ..scenario.schema import ImpactAssessmentSpec
    from .impact import YIELD_CHANGE_RANGE

    wanted: list[tuple[str, str, dict]] = []
    for item in taxes or []:
        parts = item.split(":")
        if len(parts) not in (2, 3) or not parts[0].strip():
            raise _usage(f"--impact-tax {item}: use TAX:PCT or TAX:PCT:ELASTICITY, e.g. "
                         "vat:5 (VAT yield +5%)")
        try:
            numbers = [float(p) for p in parts[1:]]
        except ValueError:
            raise _usage(f"--impact-tax {item}: {':'.join(parts[1:])!r} is not a number "
                         "(use TAX:PCT, e.g. vat:5)") from None
        low, high = (100 * v for v in YIELD_CHANGE_RANGE)
        if not (np.isfinite(numbers[0]) and low <= numbers[0] <= high):
            raise _usage(f"--impact-tax {item}: PCT {parts[1].strip()} is "
                         + ("not a finite number" if not np.isfinite(numbers[0]) else
                            "out of range") + f"; allowed: {low:g} to {high:g} (percent change "
                         "of the yield)")
        entry = {"tax": parts[0].strip(), "yield_change": numbers[0] / 100}
        if len(numbers) == 2:
            entry["elasticity"] = numbers[1]
        wanted.append(("--impact-tax", item, entry))
    for item in spending or []:
        function, sep, amount = item.rpartition(":")
        if not sep or not function.strip():
            raise _usage(f"--impact-spending {item}: use FUNCTION:AMOUNT (currency m a year), "
                         "e.g. \"7. Health:1000\"")
        try:
            value = float(amount)
        except ValueError:
            raise _usage(f"--impact-spending {item}: {amount!r} is not a number (currency m "
                         "a year)") from None
        wanted.append(("--impact-spending", item, {"function": function.strip(),
                                                    "amount": value}))
    if not wanted:
        return []
    from ..data import load_federation
    from .impact import assess, impact_year

    federation = load_federation(scenario.dataset.name, **scenario.dataset.options)
    year = impact_year(scenario, federation)
    out = []
    for option, item, entry in wanted:
        try:
            spec = ImpactAssessmentSpec.model_validate(entry)
        except ValidationError as error:
            reasons = "; ".join(_reason(ImpactAssessmentSpec, e) for e in error.errors())
            raise _usage(f"{option} {item}: {reasons}") from None
        if spec.tax is not None and spec.tax not in federation.taxes:
            from ..scenario.errors import unknown_name

            raise _usage(f"{option} {item}: "
                         + unknown_name("tax family", spec.tax, federation.taxes))
        try:
            assess(federation, spec, year)
        except (ConfigurationError, ValueError, KeyError) as error:
            raise _usage(f"{option} {item}: {error}") from None
        out.append(spec)
    return out


# ------------------------------------------------------------------ roadmap
def cmd_roadmap(args: argparse.Namespace) -> int:
    """Show a scenario's roadmap year by year, or (--within X) solve the fastest phase-in."""
    from ..scenario import dump_scenario
    from ..scenario.roadmap import run_roadmap, solve_roadmap

    scenario = _scenario(args.file)
    if args.within is not None:
        if not 0.0 <= args.within < 1.0:
            raise _usage(f"--within {args.within}: a share between 0 and 1 (0.02 = 2%)")
        if args.out is not None and not args.out.endswith((".yaml", ".yml")):
            raise _usage(f"--out {args.out}: must end in .yaml")
        if scenario.roadmap is not None:
            raise _usage(f"{args.file} already has a roadmap; --within phases in a scenario's "
                         "own devolution")
        solution = solve_roadmap(scenario, args.within, args.steps)
        phase = solution.phase
        print(f"{scenario.name}: fastest phase-in of its devolution keeping every region at "
              f"least {1 - args.within:.1%} of no change in every year (grid of "
              f"{args.steps + 1} shares)")
        print(cli.format_table(["Year", "Share of the reform in force"],
                               [[y, f"{s:.0%}"] for y, s in zip(solution.years, phase.shares)],
                               "lr"))
        full = phase.full_from
        print("in full from " + (solution.years[full] if full is not None else
                                 "no year of the run"))
        if args.out is not None:
            text = dump_scenario(solution.roadmap_scenario())
            out = cli.out_path(args.out, (".yaml", ".yml"), force=args.force)
            cli.write_output(out, lambda target: target.write_text(text, encoding="utf-8"),
                             force=args.force)
            print(f"wrote {args.out}")
        return cli.OK
    if scenario.roadmap is None:
        raise _usage(f"{args.file} has no roadmap: section; give --within X to solve one")
    roadmap = run_roadmap(scenario)
    fed = roadmap.result.federation
    cur = fed.currency
    print(f"{scenario.name}: roadmap over {fed.years[0]} to {fed.years[-1]}")
    print(cli.format_table(["Year", "Stage", "What changes"],
                           [[r.year, str(r.stage), r.change]
                            for r in roadmap.stages_table().itertuples()], "lrl"))
    cumulative = roadmap.cumulative()
    final = cumulative[cumulative["year"] == fed.years[-1]]
    below = roadmap.below_guarantee()
    guarantee = scenario.roadmap.guarantee
    print()
    print(cli.format_table(
        ["Code", "Region", f"Cumulative vs no change ({cur} m)",
         f"First year below {guarantee:.0%}", "Lowest share of no change"],
        [[r.code, r.region, f"{getattr(r, f'cumulative_gain_{cur.lower()}_m'):+,.0f}",
          b.first_year_below or "never", f"{b.lowest_share_of_no_change:.1%}"]
         for r, b in zip(final.itertuples(), below.itertuples())], "llrlr"))
    return cli.OK


# ------------------------------------------------------------------ registration
def add_commands(add: Callable[[str, Callable, str], Any]) -> None:
    """Register ``sweep``, ``solve``, ``report`` and ``roadmap`` with the CLI's ``add`` helper."""
    sub = add("sweep", cmd_sweep, "Run a scenario over a grid of one or two parameters (one "
              "engine call per chunk of points); show system metrics per point.")
    sub.add_argument("file", metavar="FILE")
    sub.add_argument("--param", action="append", required=True, metavar="PATH=GRID",
                     help="parameter and grid: steps[0].rate=0:1:101 (start:stop:count) or "
                     "devolution.income_tax.share=0.25,0.5,1; twice for a 2-D grid")
    sub.add_argument("--metric", default="gini", help="metric for the best point and the chart "
                     "(gini, theil, cv, max_min_ratio, min_index, cost_to_centre, ...)")
    sub.add_argument("--year", help="financial year (default: the scenario's)")
    sub.add_argument("--out", metavar="F", help="write the points (.csv, .json, .xlsx)")
    sub.add_argument("--by-region", action="store_true", help="--out one row per point and "
                     "region instead of per point")
    sub.add_argument("--html", metavar="F", help="write a plotly chart (heat map for 2-D)")
    sub.add_argument("--chunk-size", type=int, metavar="N", help="points per engine call")
    sub.add_argument("--dask", nargs="?", const="local", metavar="ADDRESS",
                     help="run chunks on Dask: a local cluster, or the scheduler at ADDRESS")
    sub.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="progress bar on stderr (default: for 10,000+ points on a terminal)")

    sub = add("solve", cmd_solve, "Solve for a target: the smallest rate giving every region a "
              "minimum share of average resources, a self-financing contribution, or the best "
              "option for a budget.")
    sub.add_argument("file", metavar="FILE")
    sub.add_argument("--target", required=True, help="min-share=0.9 | self-financing[=COST_M] | "
                     "budget=COST_M (currency millions a year)")
    sub.add_argument("--parameter", action="append", metavar="PATH",
                     help="parameter to solve for (default: the first step's rate; for "
                     "self-financing the horizontal_funding share); repeat for budget options")
    sub.add_argument("--range", metavar="LOW,HIGH", help="search range (default: declared range)")
    sub.add_argument("--cost", choices=("steps", "reform"), default="steps",
                     help="self-financing: the steps' net cost to the centre (default) or the "
                     "whole reform's cost against the baseline")
    sub.add_argument("--metric", default="gini", choices=("gini", "theil", "cv", "max_min_ratio"),
                     help="budget: the inequality measure to minimise")
    sub.add_argument("--year", help="financial year (default: the scenario's)")

    sub = add("roadmap", cmd_roadmap, "Show a scenario's roadmap year by year (cumulative "
              "gains against no change, first year below the guarantee), or solve the "
              "fastest phase-in of its devolution within X of no detriment (--within).")
    sub.add_argument("file", metavar="FILE")
    sub.add_argument("--within", type=float, metavar="X", help="solve: keep every region "
                     "at least 1 - X of no change every year (0.02 = 2%%)")
    sub.add_argument("--steps", type=int, default=20, metavar="N",
                     help="solve: grid of N + 1 shares from 0 to 1 (20)")
    sub.add_argument("--out", metavar="F.yaml", help="solve: write the scenario with the "
                     "roadmap found")

    sub = add("report", cmd_report, "Write the annual report of a scenario: one self-contained "
              "HTML file with benchmarks, charts, winners and losers, method and sources.")
    sub.add_argument("file", metavar="FILE")
    sub.add_argument("--out", required=True, metavar="F", help="the HTML file to write")
    sub.add_argument("--years", metavar="FIRST:LAST", help="years for the path (default: the "
                     "scenario's), e.g. 2019-20:2024-25")
    sub.add_argument("--max-min-ratio", type=float, default=None, metavar="X",
                     help="benchmark: highest / lowest resources per head at most X (default "
                     "1.5 unless the scenario declares benchmarks)")
    sub.add_argument("--min-index", type=float, default=None, metavar="X",
                     help="benchmark: lowest region at least X%% of average (default 90 unless "
                     "the scenario declares benchmarks)")
    sub.add_argument("--impact-tax", action="append", metavar="TAX:PCT[:ELASTICITY]",
                     help="also assess the regional impact of a national tax change: the "
                     "family's yield +PCT%% (vat:5); added to the scenario's "
                     "impact_assessments; repeat")
    sub.add_argument("--impact-spending", action="append", metavar="FUNCTION:AMOUNT",
                     help='also assess more national spending on a COFOG function, currency '
                     'm a year ("7. Health:1000"); repeat')
