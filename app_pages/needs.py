"""Needs: the representative expenditure system for the UK's nations and regions
(simulator.needs): assessed spending need by service category, each factor's
contribution, and how far today's funding is from it."""

import numpy as np
import streamlit as st

from app_pages import _shared as app
from simulator import presentation
from simulator.data import uk_itl1
from simulator.needs import DEFAULT_WEIGHTS, FACTORS, LATEST_YEAR, assess_itl1, prepare
from simulator.needs.itl1 import funding_against_need, years as needs_years
from simulator.presentation import needs as draw
from simulator.needs import england_la as la_needs
from simulator.presentation import glossary



def _short(table) -> dict[str, str]:
    """Short headers (the units go in the line above the table), so more columns show."""
    return {c: c.split(" (")[0].replace("Assessed spending per head", "Assessed spending")
            for c in table.columns}


st.set_page_config(page_title=glossary.PAGE_TITLES["needs"])
st.title("Spending needs: nations and regions")
st.caption(
    "A representative expenditure system, as Australia's Commonwealth Grants Commission assesses "
    "expenses: for each service category, the UK average spending per head (the standard, ONS "
    "Country and Regional Public Sector Finances FYE 2025, identifiable expenditure) times the "
    "region's cost drivers (age, deprivation, sparsity, wages), so that the population-weighted "
    "average stays the standard. 100 = UK average need per head. The weights are a judgement "
    "(see docs/needs.md); change them on the left.")

names = dict(zip(uk_itl1.areas()["code"], uk_itl1.areas()["name"]))
years = list(needs_years())
with st.sidebar:
    st.header("Spending mix")
    app.seed("nd_year", "year", years)
    st.session_state.setdefault("nd_year", LATEST_YEAR)
    year = st.selectbox("Financial year of the standards", years, key="nd_year",
                        help="The year whose UK spending per head by category weights the "
                             "categories. The drivers are one edition (population mid-2023).")
    st.header("Weights (a judgement)")
    st.caption("Share of each category's spending that varies with each driver (0 to 1; a "
               "category's weights add up to at most 1, the rest is the same per head).")
    weights = {}
    for category, row in DEFAULT_WEIGHTS.items():
        with st.expander(draw.CATEGORY_TITLES.get(category, category)):
            weights[category] = {
                factor: st.slider(FACTORS[factor].title, 0.0, 1.0, float(value), 0.05,
                                  key=f"nd_w_{category}_{factor}",
                                  help=f"{FACTORS[factor].description}. Source: "
                                       f"{FACTORS[factor].source} ({FACTORS[factor].year}).")
                for factor, value in row.items()}

try:
    prepared = prepare(year)
    assessment = assess_itl1(year, weights, prepared=prepared)
except app.USER_ERRORS as exc:
    app.show_error(exc, "These weights")
    st.stop()

england = np.array([c in ("TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK")
                    for c in assessment.codes])
relative = dict(zip(assessment.codes, draw.relative_to(assessment, prepared.population, england)))
cols = st.columns(4)
for col, code in zip(cols, ("TLL", "TLM", "TLN", "TLI")):
    col.metric(f"{names[code]}: need relative to England", f"{relative[code]:.1f}",
               help="Need index per head relative to England's population-weighted average "
                    "(100 = England). The Holtham Commission (2010) put Wales at about 115.")

table = draw.need_table(assessment, names)
st.subheader(f"Need index by region and category (100 = UK average; spending mix {year})")
st.caption("Need index and each category's index: 100 = UK average; assessed spending: "
           f"GBP per head, {year}.")
# short headers (units in the line above); a column per service category (14 in all): the
# table scrolls sideways inside its frame by design, as the Need index page's do (the
# container's key names it for the layout tests)
with st.container(key="nd_table_frame"):
    st.dataframe(table.round(1), hide_index=True, width="stretch", key="nd_table",
                 height=presentation.table_height(len(table)), column_config=_short(table))

left, right = st.columns([3, 2], gap="medium")
with left:
    frame = draw.contribution_frame(assessment, names, {k: f.title for k, f in FACTORS.items()})
    st.plotly_chart(draw.contributions_figure(frame, year=year), key="nd_contrib")
with right:
    geojson = app.boundaries("uk_itl1")
    st.subheader(f"Need index by region (100 = UK average, {year})")
    if geojson is not None:
        st.plotly_chart(presentation.change_map(
            table.rename(columns={"Code": "code", "Region": "region"}), geojson,
            "Need index (100 = average)", title="Darker = more need per head",
            unit="need index (100 = UK average)", sequential=True, tickformat=".1f"),
            key="nd_map", config=presentation.MAP_CONFIG)

st.plotly_chart(draw.category_figure(assessment, names, year=year), key="nd_categories")

# ---------------------------------------------------------------- funding against need
st.subheader(f"Today's funding against assessed need ({year})")
st.caption("Identifiable expenditure per head relative to the UK average, divided by the need "
           "index (100 = funded exactly at assessed need). The library scenarios show the "
           "same measure as 'need-adjusted index' in Explore and Compare.")
funding = funding_against_need(prepared, assessment)
status = table[["Code", "Region", "Need index (100 = average)"]].assign(**{
    "Spending per head (index, 100 = UK)": funding["spending_index"],
    "Funded relative to need (100 = at need)": funding["funded_relative_to_need"]})
st.dataframe(status.round(1), hide_index=True, width="stretch",
             height=presentation.table_height(len(status)))

# ---------------------------------------------------------------- worked example
st.subheader("The assessment worked through")
c1, c2 = st.columns(2)
app.seed("nd_region", "region", list(assessment.codes))
st.session_state.setdefault("nd_region", "TLL")
code = c1.selectbox("Region", list(assessment.codes), key="nd_region", format_func=names.get)
app.seed("nd_category", "category", list(assessment.categories))
category = c2.selectbox("Category", list(assessment.categories), key="nd_category",
                        format_func=lambda c: draw.CATEGORY_TITLES.get(c, c))
for caption, latex in draw.explain_assessment(assessment, code, category, names,
                                              {k: f.title for k, f in FACTORS.items()}):
    st.markdown(caption)
    st.latex(latex)
st.caption(f"Numbers for {year}'s spending mix, population mid-2023; the contributions of all "
           "categories together make the overall need index above.")

# ---------------------------------------------------------------- English authorities
st.header("English authorities: council services (Fair Funding style)")
st.caption("The same model for the 296 lower-tier authorities (2024 codes, county and district "
           "services together): adult social care (aged 65+, 85+, income deprivation), "
           "children's services (aged 0-17, income deprivation) and a foundation formula "
           "(income deprivation, sparsity), each with an area cost adjustment from median pay. "
           "Drivers: ONS mid-2023 population, IoD 2025 income deprivation, ASHE 2023 pay. Block "
           "sizes and weights are a judgement (docs/needs.md). 100 = England average.")
try:
    la_assessment = la_needs.assess_england_la()
except app.USER_ERRORS as exc:
    app.show_error(exc, "The authorities' needs model")
    st.stop()
la_names = dict(zip(la_needs.prepare().codes, la_needs.prepare().names))
la_table = draw.need_table(la_assessment, la_names)
with st.container():
    la_map = app.hexmap("england_la")
    st.subheader("Need index by authority (100 = England average; population mid-2023)")
    if la_map is not None:
        st.plotly_chart(presentation.change_map(
            la_table.rename(columns={"Code": "code", "Region": "region"}), la_map,
            "Need index (100 = average)", title="Darker = more need per head (hex map)",
            unit="need index (100 = England average)", sequential=True, tickformat=".1f",
            height=600), key="nd_la_map", config=presentation.MAP_CONFIG)
# full width below the map (beside it, its seven columns did not fit at 1440 px)
st.subheader("Every authority")
st.caption("Need index and each service's index: 100 = England average; assessed spending: "
           "GBP per head; population mid-2023.")
la_shown = (la_table.rename(columns={"Region": "Authority"})
            .sort_values("Need index (100 = average)", ascending=False).round(1))
st.dataframe(la_shown, hide_index=True, height=600, key="nd_la_table",
             column_config=_short(la_shown))
