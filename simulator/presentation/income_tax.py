"""Drawing and scenario editing for the Income tax page (app_pages/income_tax.py).

Nothing here computes tax: :func:`with_region_schedule` writes a region's schedule
choice into a scenario (validated by the scenario schema); the yields, incidence and
resources come from :mod:`simulator.income_tax` and the engine, and are only labelled
(unit and year) and drawn here.
"""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd
import plotly.graph_objects as go

from ..scenario.schema import Scenario
from .style import wrap_title

__all__ = ["with_region_schedule", "incidence_figure", "incidence_table", "equalisation_table",
           "band_table", "class_table", "GAIN", "LOSS"]

GAIN, LOSS = "#2166ac", "#e66101"  # colour-blind safe blue / orange (ColorBrewer)


def with_region_schedule(scenario: Scenario, code: str, schedule: str,
                         rates: Mapping[str, float] | None = None,
                         thresholds: Mapping[str, float] | None = None,
                         personal_allowance: float | None = None,
                         elasticity: float | None = None, tax_year: str | None = None) -> Scenario:
    """``scenario`` with income tax devolved (own rates) and region ``code`` on
    ``schedule`` with band-by-band changes; other settings kept.  Validated."""
    from ..engine import TaxDevolution

    entry: dict[str, Any] = {"schedule": schedule}
    if rates:
        entry["rates"] = dict(rates)
    if thresholds:
        entry["thresholds"] = dict(thresholds)
    if personal_allowance is not None:
        entry["personal_allowance"] = personal_allowance
    current = scenario.devolution.get("income_tax")
    share = 1.0 if current is None else current.share
    devolution = dict(scenario.devolution)
    devolution["income_tax"] = TaxDevolution(  # validated here: schedule, bands, ranges
        share=share, own_rate=True, schedules={code: entry},
        taxable_income_elasticity=elasticity)
    update: dict[str, Any] = {"devolution": devolution, "baseline": None}
    if tax_year is not None:
        update["year"] = tax_year
    return scenario.model_copy(update=update)


def band_table(schedule) -> pd.DataFrame:
    """A schedule's bands: name, rate (%), from (GBP of taxable income), class, reference."""
    return pd.DataFrame({
        "Band": [b.name for b in schedule.bands],
        "Rate (%)": [100 * b.rate for b in schedule.bands],
        "From (GBP taxable income)": [b.from_ for b in schedule.bands],
        "HMRC class": [b.hmrc_class for b in schedule.bands],
        "Legal reference": [b.reference for b in schedule.bands]})


def incidence_table(deciles: pd.DataFrame) -> pd.DataFrame:
    """The incidence by decile with labelled columns (GBP per taxpayer per year, GBP m)."""
    return pd.DataFrame({
        "Decile": deciles["decile"].to_numpy(),
        "Taxpayers": deciles["taxpayers"].round().to_numpy(),
        "Income from (GBP)": deciles["income_from_gbp"].round().to_numpy(),
        "Tax before (GBP/payer)": deciles["tax_before_gbp_per_payer"].round(1).to_numpy(),
        "Tax after (GBP/payer)": deciles["tax_after_gbp_per_payer"].round(1).to_numpy(),
        "Change (GBP/payer)": deciles["change_gbp_per_payer"].round(1).to_numpy(),
        "Change (GBP m)": deciles["change_gbp_m"].round(2).to_numpy(),
        "Winners": deciles["winners"].round().to_numpy(),
        "Losers": deciles["losers"].round().to_numpy()})


def incidence_figure(deciles: pd.DataFrame, region: str, tax_year: str) -> go.Figure:
    """Change in tax per taxpayer by decile of the region's taxpayers."""
    change = deciles["change_gbp_per_payer"].to_numpy()
    figure = go.Figure(go.Bar(
        x=[f"D{d}" for d in deciles["decile"]], y=change,
        marker_color=[LOSS if c > 0 else GAIN for c in change],
        hovertemplate="%{x}: %{y:+,.0f} GBP per taxpayer per year<extra></extra>"))
    figure.update_layout(
        title=wrap_title(f"{region}: change in income tax by decile of taxpayers, {tax_year}",
                         42),
        xaxis_title="Decile of taxpayers by total income",
        yaxis_title=f"GBP per taxpayer per year ({tax_year})", height=380,
        margin=dict(l=10, r=10, t=70, b=10))
    return figure


def equalisation_table(with_schedule, without) -> pd.DataFrame:
    """Own revenue and resources per head by region, with and without the schedule
    (two engine results of the same scenario), GBP m (to 0.1) and GBP per head (whole
    pounds; the change to 0.1)."""
    a, b = with_schedule.by_region(), without.by_region()
    return pd.DataFrame({
        "Code": a["code"].to_numpy(), "Region": a["region"].to_numpy(),
        "Own revenue change (GBP m)": (a["own_revenue_gbp_m"] - b["own_revenue_gbp_m"]).to_numpy(),
        "Resources without (GBP per head)": b["resources_per_head_gbp"].to_numpy(),
        "Resources with (GBP per head)": a["resources_per_head_gbp"].to_numpy(),
        "Change (GBP per head)": (a["resources_per_head_gbp"]
                                  - b["resources_per_head_gbp"]).to_numpy()}).round(
        {"Own revenue change (GBP m)": 1, "Resources without (GBP per head)": 0,
         "Resources with (GBP per head)": 0, "Change (GBP per head)": 1})


def class_table(classes: pd.DataFrame) -> pd.DataFrame:
    """Incidence by HMRC marginal-rate band (the payer's top band under the schedule in
    force), labelled (GBP per taxpayer per year, GBP m)."""
    return pd.DataFrame({
        "Marginal-rate band today": classes["hmrc_class"].to_numpy(),
        "Taxpayers": classes["taxpayers"].round().to_numpy(),
        "Tax before (GBP/payer)": classes["tax_before_gbp_per_payer"].round(1).to_numpy(),
        "Tax after (GBP/payer)": classes["tax_after_gbp_per_payer"].round(1).to_numpy(),
        "Change (GBP/payer)": classes["change_gbp_per_payer"].round(1).to_numpy(),
        "Change (GBP m)": classes["change_gbp_m"].round(2).to_numpy(),
        "Winners": classes["winners"].round().to_numpy(),
        "Losers": classes["losers"].round().to_numpy()})
