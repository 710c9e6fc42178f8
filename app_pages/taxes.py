"""Taxes: which taxes suit devolution (simulator.analysis.tax_suitability) and the regional
impact of a national tax or spending change (simulator.analysis.impact)."""

import streamlit as st

from app_pages import _shared as app
from simulator.analysis import impact as impacts
from simulator.analysis import tax_suitability as suit
from simulator.data import uk_itl1
from simulator.data.uk_national import functions
from simulator import presentation
from simulator.presentation import taxes as draw
from simulator.presentation import glossary

st.set_page_config(page_title=glossary.PAGE_TITLES["taxes"])
st.title("Taxes: which suit devolution?")
st.caption("Every tax family of the UK's 12 nations and regions scored on the questions a "
           "commission asks: does it raise enough, is its base spread evenly, is it stable, "
           "does it move with the UK cycle, what would equalising it cost, how mobile is it, "
           "is it already devolved somewhere. Each criterion is computed from the data; the "
           "weights are yours.")

DATASET = "uk_itl1"
fed = app.federation_or_stop(DATASET, north_sea="geographic")
years = list(fed.years)
with st.sidebar:
    st.header("Years and data")
    app.seed("taxes_north_sea", "north_sea", list(uk_itl1.NORTH_SEA_OPTIONS))
    north_sea = st.radio("North Sea revenue", list(uk_itl1.NORTH_SEA_OPTIONS), key="taxes_north_sea",
                         horizontal=True, help="As a tax family by geographic or population "
                         "share, or left out.")
    first, last = st.select_slider("Financial years", years, value=(years[0], years[-1]),
                                   key="taxes_years",
                                   help="Growth criteria need at least 3 years.")
    st.header("Weights")
    st.caption("How much each criterion counts (0 = ignored); only the ratios matter.")
    weights = {c.key: st.slider(c.label, 0.0, 3.0, float(c.weight), 0.25,
                                key=f"taxes_w_{c.key}", help=c.method) for c in suit.CRITERIA}
    with st.expander("Mobility of each base (elasticities)"):
        st.caption("The documented elasticity of a region's base to its own rate; mostly "
                   "judgements (sources in the table below the chart).")
        mobility = {t: st.number_input(draw.label(t), 0.0, 5.0, float(m.elasticity), 0.05,
                                       key=f"taxes_m_{t}")
                    for t, m in suit.MOBILITY.items() if t in fed.taxes}
app.share(north_sea=north_sea)
changed = tuple(sorted((t, e) for t, e in mobility.items() if e != suit.MOBILITY[t].elasticity))

chosen = years[years.index(first):years.index(last) + 1]


@st.cache_resource(show_spinner="Scoring the taxes...", max_entries=32)
def scored(north_sea: str, chosen: tuple[str, ...],
           mobility: tuple[tuple[str, float], ...]) -> suit.Suitability:
    federation = app.federation(DATASET, north_sea=north_sea).select_years(list(chosen))
    return suit.suitability(federation, mobility=dict(mobility))


try:
    result = scored(north_sea, tuple(chosen), changed).with_weights(weights)
except app.USER_ERRORS as exc:
    app.show_error(exc, "The suitability table")
    st.stop()

st.subheader(f"Suitability for devolution, {chosen[0]} to {chosen[-1]}")
st.plotly_chart(draw.suitability_heatmap(result), key="taxes_heatmap")
table = draw.suitability_frame(result)
# rank, tax, score and each criterion with its unit: scrolls sideways by design (the key
# names it for the layout tests)
with st.container(key="taxes_table_frame"):
    st.dataframe(table.drop(columns="tax"), hide_index=True, key="taxes_table",
                 height=presentation.table_height(len(table)),
                 column_config={col: st.column_config.NumberColumn(format="%.3f")
                                for col in table.columns if col not in ("Rank", "tax", "Tax")})
st.caption(f"Values over {chosen[0]} to {chosen[-1]} ({len(chosen)} years). Deflator: "
           f"{result.deflator_note}. UK cycle: {result.cycle_note}. Revenue per head at UK "
           f"rates stands for the base per head. Source: {fed.source}")
cost = result.cost_last_year_m
st.caption(f"Cost of equalising each tax at rate 1 in {chosen[-1]} (GBP m): "
           + ", ".join(f"{draw.label(t)} {cost[t]:,.0f}" for t in result.table().index))

with st.expander("How each criterion is measured"):
    st.markdown("Each criterion is normalised across the taxes to 0-1 by min-max, 1 for the "
                "most suitable value (polarity below); a criterion that cannot be computed "
                "(n/a) scores 0. The score is the weighted mean of the normalised criteria.")
    st.dataframe(draw.methods_frame(result.weights), hide_index=True, key="taxes_methods")
with st.expander("Mobility of each base: the elasticities and their sources"):
    st.dataframe(draw.mobility_frame(mobility), hide_index=True, key="taxes_mobility")
with st.expander("Already devolved somewhere in the UK: powers and legal references"):
    st.dataframe(draw.devolved_frame(), hide_index=True, key="taxes_devolved")

# ------------------------------------------------------------------ impact of a national policy
st.divider()
st.subheader("Regional impact of a national policy")
st.caption("The duty to consider how a national policy affects each region: a change to a "
           "national tax or spending line, its effect per region.")
kind = st.radio("Policy", ["Tax change", "Spending change"], horizontal=True, key="taxes_kind")
year = st.select_slider("Year of the data", years, value=years[-1], key="taxes_impact_year")
try:
    if kind == "Tax change":
        left, middle, right = st.columns(3)
        tax = left.selectbox("Tax family", list(fed.taxes), key="taxes_impact_tax",
                             format_func=draw.label)
        change = middle.number_input("Change in yield at unchanged behaviour (%)", -50.0, 100.0,
                                     5.0, 0.5, key="taxes_impact_change",
                                     help="VAT from 20% to 21% is about +5% of VAT.")
        elasticity = right.number_input("Elasticity of the base", 0.0, 5.0, 0.0, 0.05,
                                        key="taxes_impact_elasticity")
        effect = impacts.tax_change(app.federation(DATASET, north_sea=north_sea), tax,
                                    change / 100, elasticity=elasticity, year=year)
    else:
        left, right = st.columns(2)
        labels = functions()
        function = left.selectbox("COFOG function", labels, index=labels.index("7. Health"),
                                  key="taxes_impact_function")
        amount = right.number_input("More spending (GBP m a year)", -100000.0, 100000.0, 1000.0,
                                    100.0, key="taxes_impact_amount")
        effect = impacts.spending_change(app.federation(DATASET, north_sea=north_sea), function,
                                         amount, year=year)
except app.USER_ERRORS as exc:
    app.show_error(exc, "The impact")
    st.stop()
st.plotly_chart(draw.impact_figure(effect), key="taxes_impact_chart")
st.dataframe(draw.impact_frame(effect), hide_index=True, key="taxes_impact_table",
             column_config={c: st.column_config.NumberColumn(format="%.2f")
                            for c in draw.impact_frame(effect).columns[2:]})
st.caption(f"UK {effect.uk_effect_m:+,.1f} GBP m ({effect.uk_effect_per_head:+,.2f} GBP per "
           f"head), {effect.year}; + the region gains, - it loses. Method: {effect.method} "
           f"{effect.gdhi_note}. Source: {effect.source}")
