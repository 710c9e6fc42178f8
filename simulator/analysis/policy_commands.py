"""The ``fiscalsim`` subcommands ``taxes`` (suitability table) and ``impact`` (regional
impact assessment of a national policy).

    fiscalsim taxes [--years 2005-06:2024-25] [--weight mobility=2 ...] [--methods]
    fiscalsim impact --tax vat --yield-change 5 [--elasticity 0.2] [--year 2024-25]
    fiscalsim impact --function "7. Health" --amount 1000 [--year 2024-25] [--out F.csv]

Registered by :func:`simulator.cli._parser` through :func:`add_policy_commands`.
"""

from __future__ import annotations

import argparse
from typing import Any, Callable

import numpy as np

from .. import cli_support as cli

__all__ = ["add_policy_commands", "cmd_taxes", "cmd_impact", "suitability_rows"]


def _pairs(items: list[str] | None, option: str) -> dict[str, float]:
    """``KEY=NUMBER`` options as a mapping; a malformed one is a usage error."""
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            out[key.strip()] = float(value)
        except ValueError:
            example = "mobility=2" if option == "--weight" else "vat=0.5"
            raise cli.UsageError(f"{option} {item}: use NAME=NUMBER, e.g. {example}") from None
    return out


def _format(key: str, value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    if key in ("yield_share", "equalisation_cost", "volatility_sd", "worst_year"):
        return f"{100 * value:.1f}%"
    return f"{value:.2f}"


def suitability_rows(table) -> tuple[list[str], list[list[str]]]:
    """Headers and text rows of a suitability table (best first)."""
    from .tax_suitability import CRITERIA

    headers = ["Rank", "Tax", "Score"] + [f"{c.label} ({'+' if c.better == 'higher' else '-'})"
                                          for c in CRITERIA]
    rows = [[str(int(r["rank"])), tax, f"{r['score']:.3f}"]
            + [_format(c.key, r[c.key]) for c in CRITERIA] for tax, r in table.iterrows()]
    return headers, rows


def cmd_taxes(args: argparse.Namespace) -> int:
    from ..data import load_federation
    from .report import year_list
    from ..errors import ConfigurationError
    from .tax_suitability import CRITERIA, DEVOLVED, MOBILITY, check_weights, suitability

    fed = load_federation(args.dataset, **({"north_sea": args.north_sea}
                                           if args.dataset == "uk_itl1" else {}))
    years = year_list(args.years, list(fed.years))
    if years is not None:
        fed = fed.select_years(years)
    weights, mobility = _pairs(args.weight, "--weight"), _pairs(args.mobility, "--mobility")
    try:
        check_weights(weights)
    except ConfigurationError as error:
        raise cli.UsageError(f"--weight: {error}") from None
    result = suitability(fed, weights=weights, mobility=mobility)
    table = result.table()
    print(f"Tax suitability for devolution: {fed.name}, {fed.years[0]} to {fed.years[-1]} "
          f"({len(fed.years)} years)")
    if fed.source:
        print(f"source: {fed.source}")
    print(f"deflator: {result.deflator_note}")
    print(f"UK cycle: {result.cycle_note}")
    print()
    headers, rows = suitability_rows(table)
    print(cli.format_table(headers, rows, "rl" + "r" * (len(headers) - 2)))
    print()
    print("(+) higher is more suitable, (-) lower is more suitable; score = weighted mean of the "
          "criteria normalised 0-1 across taxes (1 = most suitable; n/a scores 0)")
    print("weights: " + ", ".join(f"{k}={v:g}" for k, v in result.weights.items()))
    cost = result.cost_last_year_m
    print(f"cost of equalising at rate 1 in {fed.years[-1]} ({fed.currency} m): "
          + ", ".join(f"{t} {cost[t]:,.0f}" for t in table.index))
    if args.methods:
        print("\nMethods")
        for c in CRITERIA:
            print(f"- {c.label} [{c.key}; {c.unit}; {c.better} is better]: {c.method}")
        print("\nMobility of the base (elasticity to a region's own rate)")
        print(cli.format_table(["Tax", "Elasticity", "Basis", "Source"],
                               [[t, f"{m.elasticity:g}", m.basis, m.source]
                                for t, m in MOBILITY.items()], "lrll"))
        print("\nAlready devolved somewhere in the UK")
        print(cli.format_table(["Family", "Tax", "Where", "Since", "Status", "Legal reference"],
                               [[p.family, p.tax, p.where, p.since, p.status, p.reference]
                                for p in DEVOLVED], "llllll"))
    return cli.OK


def cmd_impact(args: argparse.Namespace) -> int:
    from ..data import load_federation
    from ..data.uk_national import functions
    from .impact import spending_change, tax_change

    if args.list_functions:
        print("\n".join(functions()))
        return cli.OK
    if (args.tax is None) == (args.function is None):
        raise cli.UsageError("give either --tax TAX --yield-change PCT or --function F "
                             "--amount M (see --list-functions)")
    out = cli.out_path(args.out, (".csv", ".json"), force=args.force)
    fed = load_federation("uk_itl1")
    if args.tax is not None:
        if args.yield_change is None:
            raise cli.UsageError("--tax needs --yield-change PCT (e.g. 5 for +5%)")
        result = tax_change(fed, args.tax, args.yield_change / 100, elasticity=args.elasticity,
                            year=args.year)
    else:
        if args.amount is None:
            raise cli.UsageError("--function needs --amount M (currency millions a year)")
        result = spending_change(fed, args.function, args.amount, year=args.year)
    cur = result.currency
    c = cur.lower()
    print(f"Regional impact: {result.title}")
    print(f"method: {result.method}")
    print(f"source: {result.source}")
    print()
    print(cli.format_table(
        ["Code", "Region", f"Effect ({cur} m)", f"Per head ({cur})", "Index (UK=100)",
         "% of GDHI per head"],
        [[r["code"], r["region"], f"{r[f'effect_{c}_m']:+,.1f}",
          f"{r[f'effect_per_head_{c}']:+,.2f}", f"{r['index_uk_100']:.0f}",
          f"{r['effect_pct_of_gdhi']:+.3f}" if np.isfinite(r["effect_pct_of_gdhi"]) else "n/a"]
         for _, r in result.frame.iterrows()]))
    print(f"UK: {result.uk_effect_m:+,.1f} {cur} m, {result.uk_effect_per_head:+,.2f} {cur} per "
          f"head; + the region gains, - it loses; {result.gdhi_note}")
    if out is not None:
        frame = result.frame.assign(policy=result.title, year=result.year)
        def write(target):
            if out.suffix.lower() == ".csv":
                frame.to_csv(target, index=False)
            else:
                frame.to_json(target, orient="records", indent=2)

        cli.write_output(out, write, force=args.force)
        print(f"wrote {out}")
    return cli.OK


def add_policy_commands(add: Callable[[str, Callable, str], Any]) -> None:
    """Register ``taxes`` and ``impact`` with the CLI's ``add`` helper."""
    sub = add("taxes", cmd_taxes, "Which taxes suit devolution: every tax family scored on "
              "yield, dispersion, volatility, co-movement, cost of equalising, marginal rate, "
              "mobility and existing devolution, ranked with weights.")
    sub.add_argument("--dataset", default="uk_itl1", help="dataset (default uk_itl1)")
    sub.add_argument("--years", metavar="FIRST:LAST", help="financial years, e.g. "
                     "2005-06:2024-25 (default: all; at least 3)")
    sub.add_argument("--north-sea", default="geographic", choices=("geographic", "population",
                                                                   "excluded"),
                     help="uk_itl1: North Sea revenue as a family by geographic or population "
                     "share, or excluded")
    sub.add_argument("--weight", action="append", metavar="CRITERION=W",
                     help="weight of a criterion (>= 0), e.g. mobility=2; repeat")
    sub.add_argument("--mobility", action="append", metavar="TAX=ELASTICITY",
                     help="override a tax's documented mobility elasticity; repeat")
    sub.add_argument("--methods", action="store_true", help="also print each criterion's "
                     "method, the mobility parameters and the devolved powers")
    sub = add("impact", cmd_impact, "Regional impact of a national tax or spending change: "
              "effect per region in millions, per head, as an index and as a share of GDHI.")
    sub.add_argument("--tax", help="tax family, e.g. vat, income_tax")
    sub.add_argument("--yield-change", type=float, metavar="PCT",
                     help="change of the family's yield at unchanged behaviour, percent")
    sub.add_argument("--elasticity", type=float, default=0.0,
                     help="elasticity of the base to (1 + change) (default 0)")
    sub.add_argument("--function", help='COFOG function as published, e.g. "7. Health"')
    sub.add_argument("--amount", type=float, metavar="M", help="more spending, currency m a year")
    sub.add_argument("--year", help="financial year (default: the latest)")
    sub.add_argument("--out", metavar="F", help="write the table (.csv or .json)")
    sub.add_argument("--list-functions", action="store_true", help="list the COFOG functions")
