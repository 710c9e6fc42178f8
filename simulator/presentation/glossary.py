"""Plain words for the screen: labels for step types, parameters and metrics, a glossary
of the terms a teacher would use, and one-sentence summaries of charts for readers who
cannot see them.

Nothing here computes policy.  Labels turn the engine's identifiers
(``steps[0].rate``, ``capacity_gap_closed``, ``source_gap_fill``) into words; the
summaries only sort and count the numbers a chart already shows.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["STEP_TYPE_LABELS", "FIELD_LABELS", "METRIC_LABELS", "GLOSSARY", "step_type_label",
           "field_label", "metric_label", "parameter_label", "option_label", "plain_solve_cards",
           "plain_reason",
           "glossary_table", "range_summary", "lorenz_summary", "series_summary", "fan_summary",
           "PAGE_TITLES", "ABBREVIATIONS", "explain_abbreviations", "extra_formulas",
           "mapping_table", "result_summary", "DATASET_TITLES", "dataset_title"]

#: Step type (the YAML ``type``) -> what it is called on screen.
STEP_TYPE_LABELS: dict[str, str] = {
    "gap_fill": "Gap-fill to a standard",
    "symmetric": "Symmetric equalisation (strong regions pay weak ones)",
    "weight_population": "Weighted inhabitants",
    "minimum_guarantee": "Minimum guarantee",
    "needs_pool": "Pool shared by need (relativities)",
    "change_limits": "Limits on year-to-year change (floor damping)",
    "no_worse_off": "No-worse-off guarantee",
    "horizontal_funding": "Contribution of strong regions",
    "fixed_pool": "Adjustment to a fixed total",
    "lagged": "Moving average of past years",
    "source_gap_fill": "Gap-fill by revenue source",
    "capacity_cap": "Fiscal capacity cap",
    "family_equalisation": "Equalisation by tax family",
    "targeted_fund": "Fund targeted at the highest need",
    "barnett": "Barnett formula (population share of England's spending changes)",
    "business_rates_retention": "Business rates retention (tariffs, top-ups, levy, safety net)",
    "expenditure_need": "Pool shared by assessed spending need",
    "fiscal_equalisation": "Full fiscal equalisation (capacity and spending need)",
    "needs_floor": "Needs-based floor for one region",
    "neighbourhood_fund": "Fund for the neediest neighbourhoods",
}

#: A step parameter (its field path inside a step) -> plain words.
FIELD_LABELS: dict[str, str] = {
    "rate": "rate (share of the gap closed)",
    "standard.fraction": "standard, as a share of the average",
    "standard.kind": "standard",
    "fraction": "standard, as a share of the average",
    "target_index": "guaranteed level (index, average = 100)",
    "floor_index": "floor (index, average = 100)",
    "marginal_rate_at_floor": "share withdrawn at the floor",
    "share": "share paid by strong regions",
    "ratio_to_centre": "strong regions' payment per unit the centre pays",
    "amount": "size of the pool",
    "pool_per_head": "pool per head",
    "relativity_floor": "lowest relativity",
    "population_threshold": "population share that switches the cap",
    "amount_per_head": "total per head",
    "inclusion": "share of each revenue source counted",
}

#: Metric key (of ``Result.summary()``, without currency suffix) -> plain words.
METRIC_LABELS: dict[str, str] = {
    "cost_to_centre": "Cost to the centre against the baseline",
    "paid_by_centre": "Paid by the centre in the equalisation steps",
    "horizontal_flows": "Paid in by contributing regions",
    "gini": "Gini of resources per head (0 = equal)",
    "theil": "Theil index of resources per head (0 = equal)",
    "cv": "Coefficient of variation of resources per head",
    "max_min_ratio": "Highest / lowest resources per head",
    "min_index": "Lowest region, % of average",
    "capacity_gap_before": "Capacity gap below the average, before the steps",
    "capacity_gap_after": "Capacity gap below the average, after the steps",
    "capacity_gap_closed": "Share of the capacity gap closed",
}

#: Page -> browser tab title (each page sets its own).
PAGE_TITLES: dict[str, str] = {
    "explore": "Explore a settlement · fiscalsim",
    "compare": "Compare scenarios · fiscalsim",
    "over_time": "Over time · fiscalsim",
    "need_index": "Need index · fiscalsim",
    "targets": "Targets · fiscalsim",
    "learn": "Learn · fiscalsim",
    "editor": "Scenario editor · fiscalsim",
    "data": "Data · fiscalsim",
    "needs": "Spending needs · fiscalsim",
    "neighbourhoods": "Neighbourhoods · fiscalsim",
    "taxes": "Taxes · fiscalsim",
    "income_tax": "Income tax by band · fiscalsim",
}

#: Term -> plain definition: every term a teacher meets on these pages.
GLOSSARY: dict[str, str] = {
    "Equalisation": "Moving money between regions (or from the centre to some regions) so that "
                    "they can offer similar public services, whatever their own tax base.",
    "Horizontal equalisation": "Richer regions pay poorer ones directly; the centre pays "
                               "nothing (Germany's Zu- und Abschlaege).",
    "Vertical equalisation": "The centre pays the regions out of its own revenue (Canada's "
                             "Equalization).",
    "Devolution (of a tax)": "Handing a tax, or a share of it, to the regions: they keep what "
                             "it raises in their area, and may set its rate if given that power.",
    "Own revenue": "What a region's devolved taxes raise in that region.",
    "Fiscal capacity": "What a region could raise from its devolved taxes at the national "
                       "average rates: its tax base, not its tax effort.",
    "Representative tax system (RTS)": "The way fiscal capacity is measured: each tax's national "
                                       "average rate applied to each region's base.",
    "Capacity gap": "How far a region's fiscal capacity per head falls below the standard.",
    "Standard": "The level equalisation aims at, usually the national average per head (or "
                "the average of some regions, or a share of the average).",
    "Gap-fill": "The centre pays a region part or all of its capacity gap below the standard "
                "(Canada's Equalization fills 100%).",
    "Symmetric equalisation": "Regions below the standard receive and those above pay, the "
                              "same share of their distance either way; it sums to zero.",
    "Minimum guarantee": "Every region is lifted to at least a set share of the average "
                         "(Switzerland: 86.5 on an index where the average is 100).",
    "Resource index": "A region's capacity per head as a percentage of the average (100).",
    "Relativity": "Australia's number for each state: its share of the GST pool per head "
                  "relative to an equal share (1 = equal per head; above 1 = more).",
    "Relativity floor": "The lowest relativity any state may get (0.75 from 2024-25).",
    "Needs pool": "A fixed sum shared among regions by need and capacity (Australia's GST).",
    "Need index": "A region's spending need per head relative to the average (1 = average), "
                  "from indicators such as age, deprivation and sparsity.",
    "Block grant": "The money the centre gives a region to spend as it chooses (today: its "
                   "identifiable public spending).",
    "Block grant adjustment (BGA)": "The cut in a region's block grant when a tax is devolved, "
                                    "so the centre is not out of pocket.",
    "Levels deduction": "A block grant adjustment equal to what the tax raised in the region "
                        "in the year it was devolved.",
    "Indexation": "How the block grant adjustment grows in later years (with the UK's revenue "
                  "per head, with the comparable spending, ...).",
    "Indexed per capita": "The adjustment grows with the rest of the UK's revenue per head, "
                          "adjusted for the region's population (Scotland since 2016).",
    "Comparable model": "The adjustment grows with the comparable UK tax, like the Barnett "
                        "formula in reverse.",
    "Barnett formula": "How the UK government's spending changes pass to Scotland, Wales and "
                       "Northern Ireland: their population share of the change in comparable "
                       "English spending.",
    "Fiscal framework": "The agreement setting a devolved nation's tax powers, block grant "
                        "adjustment and borrowing (e.g. Scotland 2016).",
    "Reset": "Setting the block grant adjustment back to the region's actual revenue, so "
             "accumulated gains or losses start again from zero.",
    "Levy": "A charge on regions whose revenue grows fast (England's business rates "
            "retention: a share of growth above the baseline goes to the centre).",
    "Safety net": "A guarantee that a region's revenue never falls more than a set share below "
                  "its baseline (England's business rates retention: 92.5%).",
    "Tariff and top-up": "Business rates retention: regions above their baseline need pay a "
                         "tariff, those below receive a top-up.",
    "No-worse-off guarantee": "A promise that no region gets less than under the old rules "
                              "(Australia, 2018-2030).",
    "Fiscal capacity cap": "Canada: equalization may not lift a province above the fiscal "
                           "capacity of the lowest province that receives none.",
    "Fixed envelope": "Canada: Equalization's total is fixed (growing with GDP) and the "
                      "formula's payments are scaled to it by an equal amount per head.",
    "Natural resources (50% inclusion)": "Canada counts a province's resource revenue at 50% "
                                         "or 0%, whichever gives it more.",
    "Zu- und Abschlaege": "Germany: surcharges for weak Laender and deductions for strong ones, "
                          "63% of the gap to the average; they sum to zero.",
    "Allgemeine BEZ": "Germany's general supplementary federal grants: the Bund fills 80% of "
                      "what remains below 99.75% of the average.",
    "Weighted inhabitants": "Germany counts each inhabitant of a city state as 1.35, as city "
                            "states need more per head.",
    "Horizontal funding": "Strong regions pay part of what the centre spends on equalisation "
                          "(Switzerland: two thirds of the Confederation's share).",
    "Status quo": "Today's settlement: nothing devolved, every region funded by its block "
                  "grant. Every reform is measured against it unless it says otherwise.",
    "Baseline": "What a result is compared with: usually the status quo.",
    "Resources per head": "What a region has to spend per resident: block grant after "
                          "adjustment, plus own revenue, plus transfers.",
    "Gini coefficient": "Inequality of resources per head between regions, weighted by "
                        "population: 0 is perfect equality, 1 is one region having all.",
    "Theil index": "Another measure of inequality (0 = equal), more sensitive to the top.",
    "Coefficient of variation": "The spread of resources per head divided by their average.",
    "Lorenz curve": "Regions lined up from poorest to richest per head: the share of people "
                    "against the share of resources; the diagonal is equality.",
    "Monte-Carlo simulation": "Running the projection many times with random shocks to see the "
                              "range of outcomes.",
    "Fan chart": "A chart of a projection with shaded bands: the middle line is the median, "
                 "the bands the range in which most of the simulated outcomes fall.",
    "Percentile": "The value below which that share of the outcomes falls (the 90th percentile: "
                  "90% are lower).",
    "Transition": "Phasing a reform in over several years instead of all at once.",
    "Tax family": "A group of taxes treated together (e.g. council tax with Northern Ireland's "
                  "domestic rates).",
    "ITL1 region": "The UK's 12 top-level statistical areas: the nine English regions, "
                   "Wales, Scotland and Northern Ireland.",
    "CRPSF": "ONS Country and Regional Public Sector Finances: the official UK revenue and "
             "spending by region used here.",
    "GDHI": "Gross disposable household income: what households have to spend or save.",
    "FPFAA": "Canada's Federal-Provincial Fiscal Arrangements Act, the law of Equalization.",
    "FAG": "Germany's Finanzausgleichsgesetz, the law of the equalisation among the Laender.",
    "FiLaG": "Switzerland's federal law on fiscal and cost equalisation (NFA).",
    "NFA": "Neugestaltung des Finanzausgleichs: Switzerland's equalisation system since 2008.",
    "FFR Act": "Australia's Federal Financial Relations Act 2009, which shares the GST.",
    "CGC": "Australia's Commonwealth Grants Commission, which recommends the relativities.",
}


def step_type_label(step_type: str) -> str:
    """``source_gap_fill`` -> ``Gap-fill by revenue source``."""
    return STEP_TYPE_LABELS.get(step_type, step_type.replace("_", " ").capitalize())


def field_label(field: str) -> str:
    """``standard.fraction`` -> ``standard, as a share of the average``."""
    return FIELD_LABELS.get(field, field.split(".")[-1].replace("_", " "))


def metric_label(key: str, currency: str | None = None) -> str:
    """``cost_to_centre_gbp_m`` -> ``Cost to the centre against the baseline (GBP m)``;
    ``gini_before`` -> ``Gini of resources per head (0 = equal), baseline``."""
    unit = ""
    if currency and key.endswith(f"_{currency.lower()}_m"):
        key, unit = key[: -len(currency) - 3], f" ({currency} m)"
    when = ""
    for suffix, text in (("_before", ", baseline"), ("_after", "")):
        if key.endswith(suffix) and key not in METRIC_LABELS:
            key, when = key[: -len(suffix)], text
    return METRIC_LABELS.get(key, key.replace("_", " ").capitalize()) + when + unit


_PATH = re.compile(r"^steps\[(\d+)\]\.(.+)$")


def parameter_label(path: str | None, steps: Sequence[Any] = ()) -> str:
    """``steps[0].rate`` -> ``rate (share of the gap closed) of step 1, 75% gap-fill``:
    the parameter in words, with the step's number and label."""
    if not path:
        return "-"
    match = _PATH.match(path)
    if match is None:
        return field_label(path)
    index, field = int(match.group(1)), match.group(2)
    label = ""
    if index < len(steps):
        step = steps[index]
        label = getattr(step, "display_label", None) or step_type_label(getattr(step, "type", ""))
    return f"{field_label(field)} of step {index + 1}" + (f", {label}" if label else "")


def option_label(name: str, parameter: str | None = None) -> str:
    """A solver option ``"75% gap-fill: standard.fraction"`` in words; the field is
    read from ``parameter`` (``steps[0].standard.fraction``) when given."""
    head, _, field = name.rpartition(": ")
    if not head:
        return name
    match = _PATH.match(parameter or "")
    return f"{head}: {field_label(match.group(2) if match else field)}"


def plain_reason(reason: str, parameter: str | None, steps: Sequence[Any] = ()) -> str:
    """A solver's reason with the parameter path (``rate (steps[0].rate)``) in words."""
    if not parameter:
        return reason
    match = _PATH.match(parameter)
    words = parameter_label(parameter, steps)
    if match:
        field = match.group(2).split(".")[-1]
        reason = reason.replace(f"{field} ({parameter})", words)
    return reason.replace(f" ({parameter})", f" ({words})").replace(parameter, words)


def plain_solve_cards(cards: list[dict[str, str]], parameter: str | None,
                      steps: Sequence[Any] = ()) -> list[dict[str, str]]:
    """:func:`simulator.presentation.solve_cards` with the parameter path in words."""
    if not parameter:
        return cards
    words = parameter_label(parameter, steps)
    out = []
    for card in cards:
        card = dict(card)
        card["label"] = card["label"].replace(f"Answer: {parameter}", f"Answer: {words}")
        card["help"] = card["help"].replace(parameter, words)
        out.append(card)
    return out


def glossary_table(terms: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``Term, Meaning`` sorted by term, for the Learn page."""
    terms = GLOSSARY if terms is None else terms
    return pd.DataFrame({"Term": list(terms), "Meaning": list(terms.values())}
                        ).sort_values("Term", key=lambda s: s.str.lower()).reset_index(drop=True)


# ------------------------------------------------------------------ chart summaries
def _number(value: float, unit: str) -> str:
    """A number as the sentence shows it: money with its currency and thousands
    separators, a percentage to one place, anything else to two places (the unit is
    named once, in the sentence, not after every number)."""
    value = 0.0 if abs(value) < 5e-10 else float(value)
    code = unit.split(" ")[0]
    if code in ("GBP", "EUR", "CAD", "AUD", "CHF", "USD"):
        sign = "-" if value < 0 else ""
        suffix = " m" if unit.split(" ")[1:2] == ["m"] else ""
        return f"{sign}{code} {abs(value):,.0f}{suffix}"
    if unit.startswith("%"):
        return f"{value:.1f}%"
    return f"{value:,.2f}"


def range_summary(labels: Sequence[str], values: Sequence[float], *, what: str, unit: str,
                  year: str | None = None) -> str:
    """One sentence: ``what`` ranges from the lowest (who) to the highest (who), in
    ``unit`` and ``year``, over how many; NaNs are left out and counted."""
    values = np.asarray(values, float)
    labels = list(labels)
    known = np.isfinite(values)
    when = f", {year}" if year else ""
    if not known.any():
        return f"{what}: no values to show{when}."
    low = int(np.nanargmin(np.where(known, values, np.nan)))
    high = int(np.nanargmax(np.where(known, values, np.nan)))
    if _number(values[low], unit) == _number(values[high], unit):
        return (f"{what} ({unit}{when}) is {_number(values[low], unit)} in all "
                f"{int(known.sum())} areas.")
    text = (f"{what} ({unit}{when}) ranges from {_number(values[low], unit)} in {labels[low]} "
            f"to {_number(values[high], unit)} in {labels[high]}, across {int(known.sum())} "
            f"{'areas' if known.sum() != 1 else 'area'}")
    if (~known).any():
        text += f" ({int((~known).sum())} without a value)"
    return text + "."


def series_summary(frame: pd.DataFrame, *, x: str, y: str, by: str, what: str, unit: str
                   ) -> str:
    """A line chart in one sentence: for each line ``by``, ``y`` from the first ``x`` to
    the last; the lines with the largest rise and fall are named."""
    frame = frame.dropna(subset=[y]).sort_values(x)
    if frame.empty:
        return f"{what}: no values to show."
    ends = frame.groupby(by, sort=False)[y].agg(["first", "last"])
    first_x, last_x = frame[x].iloc[0], frame[x].iloc[-1]
    change = ends["last"] - ends["first"]
    up, down = change.idxmax(), change.idxmin()
    return (f"{what} ({unit}), {first_x} to {last_x}, {len(ends)} lines: the largest rise is "
            f"{up} ({_number(ends.loc[up, 'first'], unit)} to "
            f"{_number(ends.loc[up, 'last'], unit)}), "
            f"the largest fall or smallest rise {down} ({_number(ends.loc[down, 'first'], unit)} "
            f"to {_number(ends.loc[down, 'last'], unit)}).")


def lorenz_summary(ginis: Mapping[str, float], year: str) -> str:
    """The Lorenz chart in one sentence: the Gini of each curve, most equal first."""
    ordered = sorted(ginis.items(), key=lambda kv: kv[1])
    parts = ", ".join(f"{name} {value:.3f}" for name, value in ordered)
    return (f"Lorenz curves of resources per head, {year}: Gini coefficients (0 = equal) "
            f"{parts}; the most equal is {ordered[0][0]}.")


def fan_summary(bands: pd.DataFrame, value: str, *, what: str, unit: str, year: str,
                low: float | None = None, high: float | None = None) -> str:
    """The fan chart in one sentence: in ``year``, the regions with the widest and the
    narrowest band between the ``low`` and ``high`` percentiles (default the outermost)."""
    frame = bands[bands["year"] == year]
    if frame.empty:
        return f"No simulated values for {year}."
    percentiles = sorted(frame["percentile"].unique())
    low = percentiles[0] if low is None else low
    high = percentiles[-1] if high is None else high
    wide = frame.pivot_table(index="region", columns="percentile", values=value, sort=False)
    width = wide[high] - wide[low]
    widest, narrowest = width.idxmax(), width.idxmin()

    def band(region: str) -> str:
        return (f"{_number(wide.loc[region, low], unit)} to "
                f"{_number(wide.loc[region, high], unit)}")

    return (f"Fan chart of {what} ({unit}): in {year} the {low:g}th-{high:g}th percentile "
            f"band is widest "
            f"for {widest} ({band(widest)}) and narrowest for {narrowest} ({band(narrowest)}), "
            f"across {len(wide)} regions.")


#: Abbreviations shown on screen (legal sources, data) -> what they stand for.
ABBREVIATIONS: dict[str, str] = {
    "FPFAA": "Canada's Federal-Provincial Fiscal Arrangements Act",
    "FAG": "Germany's Finanzausgleichsgesetz (fiscal equalisation law)",
    "FiLaG": "Switzerland's federal law on fiscal and cost equalisation",
    "FiLaV": "Switzerland's ordinance on fiscal and cost equalisation",
    "FFR Act": "Australia's Federal Financial Relations Act",
    "CGC": "Australia's Commonwealth Grants Commission",
    "BEZ": "Germany's supplementary federal grants",
    "NFA": "Switzerland's fiscal equalisation system",
    "RTS": "representative tax system",
    "BGA": "block grant adjustment",
    "CRPSF": "ONS Country and Regional Public Sector Finances",
    "GDHI": "gross disposable household income",
    "R.S.C.": "Revised Statutes of Canada",
    "SR": "Swiss systematic collection of federal law",
}


def explain_abbreviations(text: str) -> str:
    """``text`` followed by what each abbreviation in it stands for, e.g.
    ``"... FPFAA s.3.2"`` -> ``"... FPFAA s.3.2 (FPFAA: Canada's Federal-...)"``."""
    found = [(short, long) for short, long in ABBREVIATIONS.items()
             if re.search(rf"(?<![\w.]){re.escape(short)}(?![\w])", text)]
    if not found:
        return text
    return text + " (" + "; ".join(f"{short}: {long}" for short, long in found) + ")"


def extra_formulas(step: Any, currency: str) -> list[tuple[str, str]]:
    """Formulas of step options that :func:`simulator.presentation.step_formulas` does not
    show yet: a needs pool funded by an equal per-head share (``funding: equal_per_head``)."""
    if getattr(step, "type", None) == "needs_pool" and getattr(step, "funding", "centre") \
            == "equal_per_head":
        return [("The pool replaces an equal per-head share of it, so the step sums to zero: "
                 "each region gains or loses what its relativity moves.",
                 r"T_i = G_i - \text{pool} \times \frac{P_i}{\sum_j P_j}")]
    return []


def mapping_table(template: Any) -> pd.DataFrame:
    """A real-system template's mapping of the UK's taxes onto its bases, in words."""
    from . import tax_label

    return pd.DataFrame({
        "Base in the real system": [template.bases[b] for b in template.uk_mapping],
        "UK taxes standing for it": [", ".join(tax_label(t) for t in taxes)
                                     for taxes in template.uk_mapping.values()],
        "Why": [template.uk_notes[b] for b in template.uk_mapping],
    })


def result_summary(result: Any, year: str, *, what: str = "Resources per head") -> str:
    """A resources-per-head chart of a run in one sentence: the range after, and before
    (the baseline), from ``Result.by_region()``."""
    cur = result.currency
    frame = result.by_region()
    frame = frame[frame["year"] == year]
    after = range_summary(frame["region"], frame[f"resources_per_head_{cur.lower()}"],
                          what=what, unit=f"{cur} per head", year=year)
    before = frame[f"baseline_per_head_{cur.lower()}"].to_numpy(float)
    low, high = int(np.argmin(before)), int(np.argmax(before))
    return (after[:-1] + f"; in the baseline from {_number(before[low], cur)} in "
            f"{frame['region'].iloc[low]} to {_number(before[high], cur)} in "
            f"{frame['region'].iloc[high]}.")


#: Built-in dataset -> its name on screen.
DATASET_TITLES: dict[str, str] = {
    "uk_itl1": "UK (12 regions)",
    "england_la": "England (296 councils)",
    "canada_2025_26": "Canada 2025-26",
    "australia_2025_26": "Australia 2025-26",
    "germany_2024": "Germany 2024",
    "switzerland_teaching": "Swiss cantons (teaching)",
    "teaching": "Teaching (5 regions)",
}


def dataset_title(name: str) -> str:
    """``uk_itl1`` -> ``UK: 12 nations and regions``."""
    return DATASET_TITLES.get(name, name.replace("_", " ").capitalize())
