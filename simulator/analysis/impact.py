"""Regional impact assessment of a national policy.

The "duty to consider how policies affected regional outcomes": a change to a
national tax or a national spending line, and its effect on each region, in
currency millions, per head, as an index (UK effect per head = 100) and
relative to the region's gross disposable household income (GDHI) per head.
Sign: + the region's residents gain (a tax cut, more spending), - they lose.

**A tax change** (:func:`tax_change`): a relative change ``p`` in a tax
family's yield at unchanged behaviour (VAT's standard rate from 20% to 21% is
about +5% of VAT; +1p on every income tax rate is the family's yield times
1p over the average rate) and an optional elasticity ``epsilon`` of the base
with respect to (1 + p), as :mod:`simulator.engine.devolution`:

    change in tax paid_i = R_i x ((1 + p) ** (1 - epsilon) - 1)
    effect_i             = - change in tax paid_i

R_i the region's revenue from the family in the year (CRPSF, residence basis).
It assumes the change scales every region's yield alike: a change aimed at one
band (the higher rate alone) falls differently and needs the band data.

**A spending change** (:func:`spending_change`): ``A`` (currency m) more on a
COFOG function, spread by that function's regional shares of identifiable
expenditure in the year (CRPSF FYE 2025 Table 2;
:mod:`simulator.data.uk_national`):

    effect_i = A x E_f,i / sum_j E_f,j

GDHI per head is the same year's where published, else the latest published
year before it (stated in the result); everything is vectorised over regions
(and any leading axes of ``revenue``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ConfigurationError
from ..federation import Federation

__all__ = ["Impact", "tax_change", "spending_change", "tax_effect", "spending_effect",
           "impact_html", "assess", "impact_year", "scenario_impacts", "YIELD_CHANGE_RANGE",
           "ELASTICITY_RANGE", "AMOUNT_RANGE"]

#: Allowed ranges, shared by the functions below and the scenario's
#: ``impact_assessments:`` (:class:`simulator.scenario.schema.ImpactAssessmentSpec`).
YIELD_CHANGE_RANGE = (-0.999999, 10.0)   # relative change of the yield (share)
ELASTICITY_RANGE = (0.0, 5.0)            # elasticity of the base to (1 + p)
AMOUNT_RANGE = (-1e7, 1e7)               # currency m a year


def tax_effect(revenue: np.ndarray, yield_change: float, elasticity: float = 0.0) -> np.ndarray:
    """Effect on each region ``-R_i x ((1 + p) ** (1 - epsilon) - 1)`` (same unit as
    ``revenue``, regions last)."""
    return -np.asarray(revenue, float) * ((1.0 + yield_change) ** (1.0 - elasticity) - 1.0)


def spending_effect(expenditure: np.ndarray, amount: float) -> np.ndarray:
    """``A x E_i / sum_j E_j`` along the last axis."""
    expenditure = np.asarray(expenditure, float)
    return amount * expenditure / expenditure.sum(-1, keepdims=True)


@dataclass(frozen=True, eq=False)
class Impact:
    """Effect of one national policy on each region in one year.

    ``frame``: ``code, region, population, effect_<cur>_m, effect_per_head_<cur>,
    index_uk_100, gdhi_per_head_<cur>, effect_pct_of_gdhi``; ``uk_effect_m``
    the national total; ``method`` the formula and data in words.
    """

    title: str
    year: str
    currency: str
    frame: pd.DataFrame
    uk_effect_m: float
    uk_effect_per_head: float
    method: str
    gdhi_note: str
    source: str


def _check_number(name: str, value, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) \
            or not np.isfinite(value) or not low <= value <= high:
        raise ConfigurationError(f"{name} must be a finite number from {low:g} to {high:g}, "
                                 f"got {value!r}")
    return float(value)


def _one_year(federation: Federation, year: str | None) -> tuple[Federation, str, int]:
    year = federation.years[-1] if year is None else year
    if year not in federation.years:
        raise ConfigurationError(f"year {year!r} is not in the dataset ({federation.years[0]} to "
                                 f"{federation.years[-1]})")
    return federation, year, federation.years.index(year)


def _gdhi(federation: Federation, index: int) -> tuple[np.ndarray, str]:
    """GDHI per head of the year, else the latest published year before it."""
    series = federation.indicators.get("gdhi_per_head")
    if series is None:
        return np.full(federation.n_regions, np.nan), "no GDHI in this dataset"
    published = ~np.isnan(series[:index + 1]).any(-1)
    if not published.any():
        return np.full(federation.n_regions, np.nan), "GDHI not published up to this year"
    last = int(np.flatnonzero(published)[-1])
    used = federation.years[last]
    note = (f"GDHI per head of {used}" if last == index else
            f"GDHI per head of {used}, the latest published (none for {federation.years[index]})")
    return np.asarray(series[last], float), note


def _impact(federation: Federation, index: int, effect_m: np.ndarray, title: str,
            method: str, source: str) -> Impact:
    cur = federation.currency
    c = cur.lower()
    population = np.asarray(federation.population[index], float)
    per_head = effect_m * 1e6 / population
    uk_m = float(effect_m.sum())
    uk_per_head = uk_m * 1e6 / population.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        index_100 = np.where(uk_per_head != 0, 100 * per_head / uk_per_head, np.nan)
    gdhi, note = _gdhi(federation, index)
    frame = pd.DataFrame({
        "code": federation.codes, "region": federation.names, "population": population,
        f"effect_{c}_m": effect_m, f"effect_per_head_{c}": per_head,
        "index_uk_100": index_100, f"gdhi_per_head_{c}": gdhi,
        "effect_pct_of_gdhi": 100 * per_head / gdhi,
    })
    return Impact(title=title, year=federation.years[index], currency=cur, frame=frame,
                  uk_effect_m=uk_m, uk_effect_per_head=uk_per_head, method=method,
                  gdhi_note=note, source=source)


def tax_change(federation: Federation, tax: str, yield_change: float, *,
               elasticity: float = 0.0, year: str | None = None) -> Impact:
    """Regional effect of a national change to tax family ``tax``.

    Args:
        yield_change: relative change of the family's yield at unchanged
            behaviour (0.05 = +5%), -1 < p <= 10.
        elasticity: elasticity of the base with respect to (1 + p), 0..5.
        year: financial year (default: the latest).
    """
    p = _check_number("yield_change", yield_change, *YIELD_CHANGE_RANGE)
    epsilon = _check_number("elasticity", elasticity, *ELASTICITY_RANGE)
    federation, year, index = _one_year(federation, year)
    revenue_m = federation.tax_revenue(tax)[index] / 1e6  # raises for an unknown tax
    effect = tax_effect(revenue_m, p, epsilon)
    sign = "rise" if p > 0 else "cut"
    label = tax.upper() if tax in ("vat", "nics") else tax.replace("_", " ").capitalize()
    title = (f"{label}: yield {100 * p:+g}% at unchanged behaviour"
             + (f", base elasticity {epsilon:g}" if epsilon else "") + f" ({sign}), {year}")
    method = (f"Each region's change in tax paid is its {year} revenue from {label if label.isupper() else label.lower()} times "
              f"((1 + {p:g}) ** (1 - {epsilon:g}) - 1); the effect on the region is minus that "
              "(residents pay it). It assumes the change scales every region's yield alike.")
    method += _devolved_caveat(tax)
    return _impact(federation, index, effect, title, method, federation.source)


def _devolved_caveat(tax: str) -> str:
    """A sentence naming the parts of a family already set by devolved or local
    governments (a UK change does not reach them), or nothing."""
    from .tax_suitability import DEVOLVED

    powers = [p for p in DEVOLVED if p.family == tax and p.status == "in force"]
    if not powers or tax == "other":
        return ""
    parts = "; ".join(f"{p.tax} ({p.where})" for p in powers)
    return (f" Caution: parts of this family are set by devolved or local governments ({parts}); "
            "a UK change does not reach them, so the effect there is overstated.")


def spending_change(federation: Federation, function: str, amount_m: float, *,
                    year: str | None = None) -> Impact:
    """Regional effect of ``amount_m`` (currency m) more national spending on a COFOG
    ``function`` (a label of :func:`simulator.data.uk_national.functions`), spread by
    the function's regional shares of identifiable expenditure in ``year``."""
    from ..data.uk_national import EXPENDITURE_SOURCE, expenditure_by_function

    amount = _check_number("amount", amount_m, *AMOUNT_RANGE)
    federation, year, index = _one_year(federation, year)
    spending = expenditure_by_function(function, year, federation.codes)
    if spending.sum() <= 0 or (spending < 0).any():
        raise ConfigurationError(f"function {function!r} has no positive identifiable spending "
                                 f"in every region in {year}: no regional shares to spread by")
    effect = spending_effect(spending, amount)
    title = f"{function}: {amount:+,g} {federation.currency} m a year, {year}"
    method = (f"The change is spread by each region's share of identifiable expenditure on "
              f"'{function}' in {year} (share_i = E_i / sum E; {EXPENDITURE_SOURCE}). "
              "Non-identifiable spending (most defence, debt interest) has no regional split.")
    return _impact(federation, index, effect, title, method, EXPENDITURE_SOURCE)


def assess(federation: Federation, assessment, year: str | None = None) -> Impact:
    """The :class:`Impact` of one declared assessment (a scenario's
    ``impact_assessments:`` entry, :class:`simulator.scenario.schema.ImpactAssessmentSpec`):
    :func:`tax_change` when it names a ``tax``, else :func:`spending_change`. Its own
    ``year`` wins over ``year`` (the caller's default; None = the latest)."""
    year = assessment.year or year
    if assessment.tax is not None:
        return tax_change(federation, assessment.tax, assessment.yield_change,
                          elasticity=assessment.elasticity, year=year)
    return spending_change(federation, assessment.function, assessment.amount, year=year)


def impact_year(scenario, federation: Federation) -> str | None:
    """The year an assessment of ``scenario`` without its own ``year`` is made in: the
    scenario's last year when it is a published year of ``federation``, else None (the
    latest published)."""
    years = scenario.years
    return years[-1] if years and years[-1] in federation.years else None


def scenario_impacts(scenario, federation: Federation | None = None) -> list[Impact]:
    """The impact of each of the scenario's ``impact_assessments:``, on its dataset with
    every published year (``federation``: that dataset, if loaded already)."""
    if not scenario.impact_assessments:
        return []
    if federation is None:
        from ..data import load_federation

        federation = load_federation(scenario.dataset.name, **scenario.dataset.options)
    year = impact_year(scenario, federation)
    return [assess(federation, a, year) for a in scenario.impact_assessments]


def impact_html(impact: Impact, anchor: str | None = None) -> str:
    """The impact as an HTML section (heading, method, table) for the annual report;
    ``anchor`` the section's id (for a table of contents)."""
    import html

    c = impact.currency.lower()
    cur = impact.currency
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
            r["code"], r["region"], f"{r[f'effect_{c}_m']:+,.1f}",
            f"{r[f'effect_per_head_{c}']:+,.2f}", f"{r['index_uk_100']:.0f}",
            "n/a" if not np.isfinite(r["effect_pct_of_gdhi"]) else
            f"{r['effect_pct_of_gdhi']:+.3f}")) + "</tr>"
        for _, r in impact.frame.iterrows())
    head = "".join(f"<th>{h}</th>" for h in (
        "Code", "Region", f"Effect ({cur} m)", f"Per head ({cur})", "Index (UK = 100)",
        "% of GDHI per head"))
    ident = f" id='{html.escape(anchor, quote=True)}'" if anchor else ""
    return (f"<section class='impact'{ident}><h2>Regional impact: {html.escape(impact.title)}</h2>"
            f"<p>{html.escape(impact.method)} UK total {impact.uk_effect_m:+,.1f} {cur} m "
            f"({impact.uk_effect_per_head:+,.2f} {cur} per head). + the region gains, - it "
            f"loses. {html.escape(impact.gdhi_note)}.</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            f"<p class='source'>Source: {html.escape(impact.source)}</p></section>")
