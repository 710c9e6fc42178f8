"""Data: the built-in revenue per head by region and tax, with units and provenance."""

import streamlit as st

from app_pages import _carry as carry
from app_pages import _shared as app
from simulator.presentation import glossary, maps, revenue, style

st.set_page_config(page_title=glossary.PAGE_TITLES["data"])
st.title("Data")
st.caption("Revenue raised in each region, per head, by tax family: what a region would "
           "bring to a devolved budget.")

names = app.dataset_names()
app.seed("data_dataset", "dataset", names)
dataset = st.selectbox("Dataset", names, key="data_dataset", format_func=glossary.dataset_title)
st.caption(app.dataset_description(dataset))
options = {}
for option, choices in app.DATASET_OPTIONS.get(dataset, {}).items():
    app.seed(f"data_{option}", option, choices)
    options[option] = st.radio(option.replace("_", " ").capitalize(), choices, horizontal=True,
                               key=f"data_{option}",
                               help="How North Sea oil and gas revenue is attributed to regions.")

fed = app.federation_or_stop(dataset, **options)
year = app.year_slider("data_year", list(fed.years))
app.share(dataset=dataset, year=year, **options)

one_year = app.federation_year(dataset, year, **options)
unit = style.per_head_label(fed.currency, year)
st.subheader(f"Revenue per head by region and tax ({unit})")
table = revenue.revenue_table(one_year, year)
codes = None
if len(table) > 40:  # hundreds of areas: the extremes in the chart, every area in the table
    codes = maps.extremes(table, "Total", 20)
    st.caption(f"The 20 highest and the 20 lowest totals per head of {len(table)} areas; the "
               "table below lists every area.")
revenue_fig = revenue.revenue_figure(one_year, year, codes=codes)
st.plotly_chart(revenue_fig, key="data_chart")
st.caption(glossary.range_summary(table["region"], table["Total"],
                                  what="Revenue per head, all taxes",
                                  unit=f"{fed.currency} per head", year=year))

money_columns = [c for c in table.columns if c not in ("code", "region")]
if len(table) <= 20:
    # a few regions: a plain table whose headers wrap, so every tax shows at 1440 px
    st.markdown(f"**Revenue per head by tax** ({unit})")
    st.table(style.number_style(table).hide(axis="index").hide(subset=["code"], axis="columns")
             .relabel_index(["Region", *money_columns], axis="columns"))
else:
    st.dataframe(
        style.number_style(table), hide_index=True, key="data_table", height="auto",
        column_config={"code": "Code", "region": "Region",
                       **{c: f"{c} ({fed.currency}/head)" for c in money_columns}})
st.caption(f"Units: {fed.currency} per head of resident population, financial year {year}. "
           f"Source: {fed.source or 'see provenance below'}")

carry.downloads("data", tables=lambda: {"revenue per head": table.rename(columns={
                    "code": "Code", "region": "Region",
                    **{c: f"{c} ({fed.currency} per head, {year})" for c in money_columns}}
                    ).round(0)},
                scenario=None, federation=one_year, figure=revenue_fig,
                stem=f"{dataset}_revenue_{year}", report=False,
                notes=(f"Dataset: {dataset}" + "".join(f", {k}={v}" for k, v in options.items()),))

text = app.provenance(dataset)
if text:
    with st.expander("Provenance: where these figures come from"):
        st.markdown(text)
