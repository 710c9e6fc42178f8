"""The Learn page: a teaching federation and each step's formula with its numbers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..federation import Federation
from ..state import FiscalState
from .revenue import revenue_table
from .style import _tex_text, tex_money, tex_people

__all__ = ['teaching_federation', 'federation_table', 'learn_table', 'explain_devolution',
           'explain_step', 'step_formulas', 'validation_sections']


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
