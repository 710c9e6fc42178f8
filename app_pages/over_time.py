"""Over time: a library scenario projected forward, block grant adjustment
methods, Monte-Carlo fan charts and risk sharing (simulator.over_time)."""

import streamlit as st

from app_pages import _carry as carry
from app_pages import _shared as app
from simulator import export
from simulator.presentation import over_time, results, style
from simulator.over_time import BGA_METHODS, volatility, year_range

st.title("Over time: projections, indexation and risk")
st.caption("Each region's tax revenue and population continue their log-linear trends "
           "(simulator.over_time.project_federation): extrapolations, not forecasts. Amounts "
           "are in cash terms of each year.")

# ------------------------------------------------------------------ scenario
SCENARIO_KEYS = ("ot_until", "ot_window", "ot_method", "ot_regions")
carry.adopt_link("ot_scenario")  # a link carrying the user's scenario whole
by_dataset, failed = app.library_by_dataset()
#: datasets with enough published years for a trend and a shock model
usable = {}
for dataset, names in by_dataset.items():
    try:
        years = app.federation(dataset).years
    except app.USER_ERRORS:
        continue
    if len(years) >= 3:
        usable.update({name: dataset for name in names})
choices = sorted(usable, key=lambda n: (n != app.DEFAULT_SCENARIO, n))
if not choices:
    st.warning("No library scenario runs on a dataset with at least three published years, "
               "which a projection needs (the UK's ITL1 regions have 26).")
    st.stop()


def reset() -> None:
    """Another scenario: its own projection settings replace the widgets'."""
    for key in SCENARIO_KEYS:
        st.session_state.pop(key, None)
    st.query_params.clear()


handed = carry.take_handover(carry.OVER_TIME)  # "project over time" from another page
if handed is not None and handed not in choices:
    st.warning(f"{app.scenario_label(handed)} cannot be projected: its dataset has fewer than "
               "three published years (a trend needs them).")
elif handed is not None:
    reset()
    st.session_state["ot_scenario"] = handed
app.seed("ot_scenario", "scenario", choices)
st.session_state.setdefault("ot_scenario", choices[0])
with st.columns([2, 3])[0]:  # main area: reachable at 390 px (sidebar collapsed)
    name = st.selectbox("Scenario", choices, key="ot_scenario", on_change=reset,
                        format_func=app.scenario_label,
                        help="Library scenarios and yours (★) on a dataset with several "
                             "published years.")
try:
    key = app.scenario_key(name)
    scenario = app.keyed_scenario(key)
    history = app.observed(key)
except app.USER_ERRORS as exc:
    app.show_error(exc, "The scenario")
    st.stop()
st.caption(f"**{app.scenario_label(name)}**: {scenario.description or 'no description'}")
system = scenario.to_system()
own = getattr(scenario, "projection", None)  # the scenario's own projection settings, if any

# ------------------------------------------------------------------ projection settings
last = history.years[-1]
futures = year_range(last, 25)
default_until = str(getattr(own, "end_year", None) or "2039-40")
default_window = int(getattr(own, "window", None) or 10)
with st.sidebar:
    st.header("Projection")
    app.seed("ot_until", "until", futures)
    st.session_state.setdefault("ot_until", default_until if default_until in futures
                                else futures[min(14, len(futures) - 1)])
    until = st.select_slider(f"Project from {last} to", futures, key="ot_until")
    top = len(history.years)
    app.seed("ot_window", "window", list(range(2, top + 1)), parse=int)
    st.session_state.setdefault("ot_window", min(max(default_window, 2), top))
    window = st.slider("Trend window (most recent published years)", 2, top, key="ot_window",
                       help=f"The trends are fitted to the last N years up to {last}.")
    with st.expander("Growth overrides (replace the trends)"):
        revenue_on = st.checkbox("Revenue per head grows at", key="ot_rev_on")
        revenue = st.number_input("Revenue per head, % a year (every tax)", -10.0, 10.0, 2.0,
                                  0.5, key="ot_rev", disabled=not revenue_on)
        population_on = st.checkbox("Population grows at", key="ot_pop_on")
        population = st.number_input("Population, % a year", -5.0, 5.0, 0.5, 0.1, key="ot_pop",
                                     disabled=not population_on)
        names = dict(zip(history.names, history.codes))
        picked = st.multiselect("For the regions (none = every region)", list(names),
                                key="ot_regions", disabled=not (revenue_on or population_on))
    st.header("Block grant adjustment")
    indexed = app.indexes_grant(system)
    wanted = str(getattr(own, "block_grant_indexation", None) or "indexed_per_capita")
    # With its own projection the scenario may keep a static adjustment (re-measured yearly).
    method_choices = list(BGA_METHODS) + (["static"] if own is not None else [])
    app.seed("ot_method", "method", method_choices)
    st.session_state.setdefault("ot_method", wanted if wanted in method_choices
                                else "indexed_per_capita")
    method = st.selectbox("Indexation of the deduction", method_choices, key="ot_method",
                          format_func=lambda m: "Static (re-measured each year)"
                          if m == "static" else over_time.bga_label(m),
                          disabled=not indexed,
                          help=f"From {last} (the base year: the deduction equals the region's "
                               "revenue) on." if indexed else
                          "The scenario has no block grant adjustment to index (nothing "
                          "devolved, no grant, or no adjustment).")

projection = (until, int(window), revenue / 100 if revenue_on else None,
              population / 100 if population_on else None,
              tuple(names[n] for n in picked))
app.share(**carry.link_params(name), until=until, window=window, method=method)
# The generic projection (trends, the chosen indexation): sections 2 to 4, and section 1
# when the scenario has no projection section of its own.
generic_method = method if indexed and method != "static" else None
changes: dict = {}
if own is not None:
    # The scenario's own projection runs as the file says; the widgets moved from the
    # file's values override its fields.
    if until != own.end_year:
        changes["end_year"] = until
    if int(window) != own.window:
        changes["window"] = int(window)
    if indexed and method != own.block_grant_indexation:
        changes["block_grant_indexation"] = method
        if method == "static":  # resets and comparator index an adjustment only
            changes.update(reset_every=None, comparator=None)
    codes = [names[n] for n in picked] or list(history.codes)
    if revenue_on:
        changes["overrides"] = {**own.overrides, **{c: revenue / 100 for c in codes}}
    if population_on:
        changes["population_growth"] = (population / 100 if not picked
                                         else {c: population / 100 for c in codes})
try:
    fed = app.projected(key, *projection)
    if own is not None:
        import json

        variant = app.projection_variant(key, json.dumps(changes, sort_keys=True))
        result = app.own_projection_run(key, json.dumps(changes, sort_keys=True))
    else:
        result = app.over_time_run(key, projection, generic_method)
    by_region = result.by_region()
except app.USER_ERRORS as exc:
    app.show_error(exc, "This projection")
    st.stop()
if own is not None:
    from simulator.scenario.running import describe_projection

    overridden = ", ".join(sorted(changes)) or "none"
    st.info(f"**This scenario has its own projection section**, which section 1 runs as "
            f"the file sets it (growth rule, resets, comparator, transition): "
            f"{describe_projection(variant)}. Settings overridden by this page's widgets: "
            f"{overridden}; every other projection setting comes from the file. Sections 2 "
            "to 4 use the page's trend projection and indexation.",
            icon=":material/description:")

cur = fed.currency
first, end = fed.years[1], fed.years[-1]
shown = result.federation  # section 1's years (the scenario's own jump-off year, if set)
unit = f"{cur} per head"
st.caption(f"Data: {shown.source}.")

# ------------------------------------------------------------------ 1. projection
st.subheader(f"Resources per head by region, {shown.years[0]} to {shown.years[-1]} "
             f"({unit}, cash)")
projection_fig = over_time.over_time_figure(
    by_region, f"resources_per_head_{cur.lower()}", unit=unit,
    first_projected=shown.years[1])
st.plotly_chart(projection_fig, key="ot_projection")
table = results.region_table(by_region, cur, shown.years[-1])
change = [c for c in table.columns if c.startswith("Change")]
st.dataframe(style.gain_loss_style(table, change).format(
                 "{:,.0f}", subset=[c for c in table.columns[1:] if c not in change]),
             hide_index=True, key="ot_table", height=style.table_height(len(table)))
carry.actions(scenario, name, "ot", pages=(carry.EXPLORE, carry.COMPARE, carry.TARGETS))
carry.downloads("ot", tables=lambda: {"projection": export.plain_table(by_region, cur)},
                scenario=variant if own is not None else scenario, federation=shown,
                figure=projection_fig, stem=f"{scenario.name}_{shown.years[0]}_{shown.years[-1]}",
                notes=(f"Projected {shown.years[1]} to {shown.years[-1]}: trends fitted to the "
                       f"last {window} published years (extrapolations, not forecasts)",))
if own is not None:
    st.caption(f"Before: the baseline (today's settlement) in {shown.years[-1]}; after: the "
               "scenario with its own projection (see above).")
else:
    st.caption(f"Before: the baseline (today's settlement) in {end}; after: the scenario, "
               + (f"its deduction indexed from {last} by the "
                  f"{over_time.bga_label(method).lower()} method." if indexed
                  else "its block grant adjustment as in the scenario (no indexation)."))

# ------------------------------------------------------------------ 2. block grant adjustment
st.subheader(f"Block grant adjustment: cumulative gain or loss against the centre, "
             f"{last} to {end} ({cur} m)")
if not indexed:
    st.info("This scenario devolves no tax against a block grant adjustment, so there is no "
            "deduction to index. Pick a scenario that devolves a tax (e.g. "
            "income_tax_gap_fill_75).")
else:
    st.caption("Each devolved tax's deduction starts at the region's own revenue in "
               f"{last}, then follows the rest of the country's revenue: levels deduction "
               "(its cash change, by population share), comparable model (the same times "
               "relative revenue per head), indexed per capita (its growth per head and the "
               "region's population), indexed deduction (its total growth). Gain = own "
               "revenue less the deduction, summed over the years.")
    try:
        methods = over_time.bga_methods_table(app.bga_comparison(key, projection), cur, end)
    except app.USER_ERRORS as exc:
        app.show_error(exc, "The comparison of methods")
    else:
        st.plotly_chart(over_time.bga_methods_figure(
            methods, chosen=generic_method, unit=f"{cur} m, cumulative {last} to {end}"),
            key="ot_methods")
        value_columns = [c for c in methods.columns if c not in ("code", "region")]
        st.dataframe(style.gain_loss_style(methods, value_columns), hide_index=True,
                     key="ot_methods_table", height=style.table_height(len(methods)),
                     column_order=["region", *value_columns],
                     # short headers (the unit is in the caption) so every column shows
                     column_config={"region": "Region",
                                    **{c: c.split(" (")[0] for c in value_columns}})
        st.caption(f"Cumulative gain (+, blue) or loss (-, orange) against the centre, "
                   f"{cur} m summed over {last} to {end}.")

# ------------------------------------------------------------------ 3. Monte-Carlo
st.subheader("Uncertainty: Monte-Carlo fan charts")
st.caption("Correlated shocks to each region's revenue growth, drawn from the deviations "
           f"observed {history.years[0]} to {last} (including recessions and the pandemic), "
           "accumulate year after year around the projection.")
cols = st.columns([2, 1, 2, 2])
DRAWS = [100, 200, 500, 1000]
app.seed("ot_draws", "draws", DRAWS, parse=int)
st.session_state.setdefault("ot_draws", 200)
draws = cols[0].select_slider("Number of draws", DRAWS, key="ot_draws")
app.seed("ot_seed", "seed", parse=int)
st.session_state.setdefault("ot_seed", 42)
seed = int(cols[1].number_input("Seed", 0, 1_000_000, step=1, key="ot_seed"))
by = cols[2].radio("Shocks", ["tax", "total"], key="ot_by", horizontal=True,
                   format_func={"tax": "by tax and region", "total": "by region"}.get)
MEASURES = {"resources_per_head": "Resources per head",
            "change_per_head": "Change in resources per head vs baseline"}
measure = cols[3].radio("Measure", list(MEASURES), key="ot_measure",
                        format_func=MEASURES.get)
try:
    draws_result = app.monte_carlo_run(key, projection, generic_method, draws,
                                       seed, by)
    bands = draws_result.bands(measure)
except app.USER_ERRORS as exc:
    app.show_error(exc, "The Monte-Carlo run")
    st.stop()
column = f"{measure}_{cur.lower()}"
st.plotly_chart(over_time.fan_chart(bands, column,
                                       unit=f"{MEASURES[measure]} ({unit}, cash)",
                                       central=by_region[["year", "code", column]],
                                       columns=3),  # three panels a row read at 390 px too
                key="ot_fan")
final = bands[bands["year"] == end].pivot_table(index=["code", "region"], columns="percentile",
                                                values=column, sort=False)
final.columns = [f"{p:g}th percentile ({unit}, {end})" for p in final.columns]
final = final.reset_index().rename(columns={"code": "Code", "region": "Region"})
st.markdown(f"**Percentiles across the draws** ({unit}, {end})")
st.dataframe(style.number_style(final), hide_index=True, key="ot_bands",
             height=style.table_height(len(final)),
             column_config={c: c.split(" (")[0] for c in final.columns[2:]})
st.caption(f"{MEASURES[measure]} in {end} across {draws} draws (seed {seed}).")

# ------------------------------------------------------------------ 4. risk sharing
st.subheader(f"Risk sharing ({end})")
st.caption("Share absorbed: of a 1% fall in one region's own revenue (alone, from "
           f"{first} on), the part the settlement makes up (0% = the region bears it all). "
           "Volatility: the standard deviation of resources per head across the draws, before "
           "equalisation (grant after adjustment + own revenue) and after.")
try:
    risk = over_time.risk_table(app.absorbed(key, projection, generic_method),
                                   volatility(draws_result), cur, end)
except app.USER_ERRORS as exc:
    app.show_error(exc, "The risk-sharing figures")
    st.stop()
st.plotly_chart(over_time.risk_figure(risk, end, cur), key="ot_risk")
percent = [c for c in risk.columns if c.endswith("%)")]
st.dataframe(style.number_style(risk, [c for c in risk.columns[2:] if c not in percent])
             .format(style.number_text("{:.1f}"), subset=percent),
             hide_index=True, key="ot_risk_table", height=style.table_height(len(risk)),
             # short headers, every column in view; units in the caption below
             column_config={c: c.split(" (")[0] for c in risk.columns[2:]})
st.caption(f"Share absorbed in %; standard deviations (SD) in {cur} per head; {end}.")
if risk[percent[0]].isna().all():
    st.info("No share absorbed: the scenario devolves no revenue that a shock could move.")
