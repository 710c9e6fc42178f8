"""Income tax: a region's bands and rates, its yield, who pays, and the equalisation
consequences (simulator.income_tax through the scenario API; docs/income_tax.md)."""

import streamlit as st

from app_pages import _shared as app
from simulator.income_tax import CODES, YEARS, in_force, load_schedule
from simulator.income_tax.incidence import system_incidence
from simulator.presentation import income_tax as view
from simulator.presentation import glossary

st.set_page_config(page_title=glossary.PAGE_TITLES["income_tax"])
st.title("Income tax by band")
st.caption("Each region's taxpayers follow a synthetic income distribution fitted to HMRC "
           "statistics (ITLS Table 2.2 payers by marginal rate, SPI 2021-22 means and medians); "
           "yields are modelled liabilities, scaled onto the region's CRPSF income-tax revenue "
           "in the engine. Source: HMRC, ONS (OGL v3.0). Method and limits: docs/income_tax.md.")

scenario_name = app.DEFAULT_SCENARIO
try:
    base = app.library_scenario(scenario_name)
    names = dict(zip(app.federation("uk_itl1").codes, app.federation("uk_itl1").names))
except app.USER_ERRORS as exc:
    app.show_error(exc, "The scenario")
    st.stop()

with st.sidebar:
    st.header("Region and year")
    app.seed("it_region", "region", list(CODES))
    code = st.selectbox("Region", list(CODES), key="it_region",
                        format_func=lambda c: f"{names.get(c, c)} ({c})")
    app.seed("it_year", "year", list(YEARS))
    st.session_state.setdefault("it_year", YEARS[-1])
    year = st.select_slider("Tax year", list(YEARS), key="it_year")
    suffix = year.replace("-", "_")
    starts = [in_force(code, year)] + [n for n in (f"ruk_{suffix}", f"scotland_{suffix}")
                                       if n != in_force(code, year)]
    start = st.selectbox("Start from schedule", starts, key="it_start",
                         format_func=lambda name: load_schedule(name).title,
                         help="The first is the schedule in force for the region.")
    behaviour = st.radio("Behaviour", ["static (elasticity 0)", "default elasticities"],
                         key="it_behaviour",
                         help="Elasticity of taxable income by band: 0.1 basic, 0.2 higher, "
                              "0.48 additional (docs/income_tax.md).")

schedule = load_schedule(start)
st.subheader(f"{names.get(code, code)}: bands and rates, {year}")
rates, thresholds = {}, {}
columns = st.columns(len(schedule.bands))
for column, band in zip(columns, schedule.bands):
    with column:
        rate = st.number_input(f"{band.name} rate (%)", 0.0, 100.0, 100 * band.rate, 0.5,
                               key=f"it_rate_{start}_{band.name}")
        if abs(rate / 100 - band.rate) > 1e-12:
            rates[band.name] = rate / 100
        if band.from_ > 0:
            start_at = st.number_input(f"{band.name} from (GBP taxable)", 0.0, 10_000_000.0,
                                       float(band.from_), 100.0,
                                       key=f"it_from_{start}_{band.name}")
            if start_at != band.from_:
                thresholds[band.name] = start_at
allowance = st.number_input("Personal allowance (GBP)", 0.0, 1_000_000.0,
                            float(schedule.personal_allowance.value), 10.0,
                            key=f"it_pa_{start}")
with st.expander("The schedule's bands and legal references"):
    st.dataframe(view.band_table(schedule), hide_index=True)

try:
    chosen = view.with_region_schedule(
        base, code, start, rates=rates, thresholds=thresholds,
        personal_allowance=None if allowance == schedule.personal_allowance.value else allowance,
        elasticity=0.0 if behaviour.startswith("static") else None, tax_year=year)
    plain = view.with_region_schedule(base, code, in_force(code, year), elasticity=0.0,
                                      tax_year=year)
    result, without = app.run(chosen), app.run(plain)
    tables = system_incidence(chosen, result.federation.codes)
except app.USER_ERRORS as exc:
    app.show_error(exc, "These bands")
    st.stop()

summary = tables.regions.iloc[0]
one, two, three, four = st.columns(4)
one.metric(f"Modelled yield, {year}", f"GBP {summary.yield_after_gbp_m:,.0f} m",
           f"{summary.change_gbp_m:+,.0f} m vs in force")
two.metric("Top 1% share of tax", f"{summary.top1_share_after:.1%}",
           f"{100 * (summary.top1_share_after - summary.top1_share_before):+.1f} pts")
three.metric("Top 10% share of tax", f"{summary.top10_share_after:.1%}",
             f"{100 * (summary.top10_share_after - summary.top10_share_before):+.1f} pts")
four.metric("Winners / losers (taxpayers)", f"{summary.winners:,.0f} / {summary.losers:,.0f}")

st.plotly_chart(view.incidence_figure(tables.deciles, names.get(code, code), year),
                key="it_incidence")
st.dataframe(view.incidence_table(tables.deciles), hide_index=True, key="it_deciles")
st.caption(f"By marginal-rate band (the taxpayer's top band under the schedule in force), "
           f"{year}:")
st.dataframe(view.class_table(tables.classes), hide_index=True, key="it_classes")

st.subheader(f"Equalisation consequences, {year} ({app.scenario_label(scenario_name)})")
st.caption("The library scenario with income tax devolved and a 75% gap-fill, run with the "
           "region's schedule and with the schedule in force: own revenue in GBP m, resources "
           f"in GBP per head, {year}.")
st.dataframe(view.equalisation_table(result, without), hide_index=True, key="it_equalisation")
app.share(region=code, year=year)
