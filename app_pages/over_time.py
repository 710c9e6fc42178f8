"""Over time: a library scenario projected forward, block grant adjustment
methods, Monte-Carlo fan charts and risk sharing (simulator.over_time)."""

import streamlit as st

from app_pages import _carry as carry
from app_pages import _shared as app
from simulator import export
from simulator.presentation import glossary, over_time, results, style
from simulator.over_time import BGA_METHODS, volatility, year_range

st.set_page_config(page_title=glossary.PAGE_TITLES["over_time"])
st.title("Over time: projections, indexation and risk")
st.caption("Each region's tax revenue and population continue their log-linear trends "
           "over the past years: extrapolations, not forecasts. Amounts "
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
if getattr(scenario, "roadmap", None) is not None:
    st.info("This scenario has a roadmap; the sections below run its first-year settlement "
            "(before any stage). Its roadmap, year by year, is in the last section of this "
            "page, in `fiscalsim roadmap` and in the report.")

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
st.caption(glossary.series_summary(by_region, x="year", y=f"resources_per_head_{cur.lower()}",
                                   by="region", what="Resources per head", unit=unit))
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
            "the 75% income-tax gap-fill).")
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
        chosen_column = next((c for c in methods.columns
                              if c.startswith(over_time.bga_label(generic_method))), None)
        if chosen_column is not None:
            st.caption(glossary.range_summary(
                methods["region"], methods[chosen_column],
                what=f"Cumulative gain or loss, {over_time.bga_label(generic_method).lower()}",
                unit=f"{cur} m", year=f"{last} to {end}"))
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
MEASURES = {"change_per_head": "Change in resources per head vs baseline",
            "resources_per_head": "Resources per head"}
measure = cols[3].radio("Measure", list(MEASURES), key="ot_measure",
                        format_func=MEASURES.get,
                        help="The change against the baseline shows the spread of outcomes "
                             "best; resources per head grow so much over the years that the "
                             "bands look thin.")
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
st.caption(glossary.fan_summary(bands, column, what=MEASURES[measure].lower(), unit=unit,
                                year=end))
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
absorbed_column = next(c for c in risk.columns if c.startswith("Share of own shock absorbed"))
st.caption(glossary.range_summary(risk["Region"], risk[absorbed_column],
                                  what="Share of a region's own revenue shock absorbed",
                                  unit="%", year=end))
percent = [c for c in risk.columns if c.endswith("%)")]
st.dataframe(style.number_style(risk, [c for c in risk.columns[2:] if c not in percent])
             .format(style.number_text("{:.1f}"), subset=percent),
             hide_index=True, key="ot_risk_table", height=style.table_height(len(risk)),
             # short headers, every column in view; units in the caption below
             column_config={c: c.split(" (")[0] for c in risk.columns[2:]})
st.caption(f"Share absorbed in %; standard deviations (SD) in {cur} per head; {end}.")
if risk[percent[0]].isna().all():
    st.info("No share absorbed: the scenario devolves no revenue that a shock could move.")

# ------------------------------------------------------------------ 5. mechanisms
from simulator.presentation import mechanisms as mech_draw  # noqa: E402
from simulator.scenario.running import run_on, scenario_federation  # noqa: E402

MECHANISMS = {"barnett_with_needs_floor": "Barnett formula (Wales: needs factor and floor)",
              "business_rates_75_retention": "Business rates retention"}
mech_options = [m for m in MECHANISMS if m in app.library()]
mech_years = (app.library_scenario(st.session_state.get("ot_mech") or mech_options[0]).years
              if mech_options else None) or []
st.subheader("Settlement mechanisms: Barnett and business rates retention"
             + (f", {mech_years[0]} to {mech_years[-1]}" if mech_years else ""))
st.caption("Two library scenarios, Barnett with a needs-based floor and 75% business rates "
           "retention, run over their published years "
           "with the settings below; the change is against the data (identifiable expenditure).")
mech_name = st.radio("Mechanism", mech_options,
                     format_func=MECHANISMS.get, key="ot_mech", horizontal=True)
if mech_name is not None:
    mech_cols = st.columns(4)
    mech_scenario = app.library_scenario(mech_name)
    mech_step = mech_scenario.steps[0]
    if mech_name == "barnett_with_needs_floor":
        wales = mech_step.nations["TLL"]
        factor = mech_cols[0].number_input("Wales needs factor", 0.5, 2.0, wales.needs_factor,
                                           0.01, key="ot_mech_factor")
        floor_on = mech_cols[1].checkbox("Wales floor", True, key="ot_mech_floor_on")
        floor = mech_cols[2].number_input("Floor (relative funding)", 0.5, 2.0,
                                          wales.floor or 1.15, 0.01, key="ot_mech_floor",
                                          disabled=not floor_on)
        comparability = mech_cols[3].slider("Comparability (all nations)", 0.0, 1.0,
                                            wales.comparability, 0.05, key="ot_mech_comp")
        nations = {code: terms.model_copy(update={"comparability": comparability})
                   for code, terms in mech_step.nations.items()}
        nations["TLL"] = nations["TLL"].model_copy(update={
            "needs_factor": factor, "floor": floor if floor_on else None})
        changes = {"nations": nations}
        shown_codes = list(mech_step.nations)
    else:
        share = mech_cols[0].slider("Local share", 0.05, 1.0,
                                    float(mech_scenario.devolution[mech_step.tax].share), 0.05,
                                    key="ot_mech_share")
        levy = mech_cols[1].slider("Levy cap", 0.0, 1.0, mech_step.levy_cap, 0.05,
                                   key="ot_mech_levy")
        net = mech_cols[2].slider("Safety net (share of BFL)", 0.0, 1.0, mech_step.safety_net,
                                  0.005, key="ot_mech_net")
        every = mech_cols[3].number_input("Reset every (years, 0 = never)", 0, 20,
                                          mech_step.reset_every or 0, key="ot_mech_reset")
        changes = {"levy_cap": levy, "safety_net": net, "reset_every": int(every) or None}
        devolution = dict(mech_scenario.devolution)
        devolution[mech_step.tax] = devolution[mech_step.tax].model_copy(update={"share": share})
        mech_scenario = mech_scenario.model_copy(update={"devolution": devolution})
        shown_codes = None
    try:
        varied = mech_scenario.model_copy(update={"steps": [
            type(mech_step).model_validate({**mech_step.model_dump(), **changes})]})
        mech_result = run_on(varied, scenario_federation(varied))
    except app.USER_ERRORS as exc:
        app.show_error(exc, "The mechanism")
    else:
        mech_path = mech_draw.mechanism_path(mech_result, shown_codes)
        mech_cur = mech_result.federation.currency
        st.plotly_chart(mech_draw.mechanism_figure(mech_path, mech_cur, MECHANISMS[mech_name]),
                        key="ot_mech_chart")
        st.dataframe(style.number_style(mech_path), hide_index=True, key="ot_mech_table")
        st.caption(f"{mech_cur} per head of population, by financial year; source: "
                   f"{mech_result.federation.source}.")

# ------------------------------------------------------------------ 6. roadmap
if getattr(scenario, "roadmap", None) is not None:
    from simulator.scenario.roadmap import run_roadmap  # noqa: E402

    try:
        road = run_roadmap(scenario.model_copy(update={"roadmap": scenario.roadmap.model_copy(
            update={"draws": 0})}))
    except app.USER_ERRORS as exc:
        app.show_error(exc, "The roadmap")
    else:
        road_years = road.result.federation.years
        road_cur = road.result.federation.currency
        st.subheader(f"The roadmap of {name}, {road_years[0]} to {road_years[-1]}")
        st.dataframe(road.stages_table(), hide_index=True, key="ot_road_stages")
        road_table = mech_draw.roadmap_table(road)
        st.dataframe(style.number_style(road_table), hide_index=True,
                     key="ot_road_table", height=style.table_height(len(road_table)))
        st.caption(f"Cumulative gain (+) or loss (-) against no change, {road_cur} m summed "
                   f"{road_years[0]} to {road_years[-1]}; the first year each region's resources "
                   f"fall below {scenario.roadmap.guarantee:.0%} of no change (simulator.scenario"
                   ".roadmap; Monte-Carlo bands in the report).")
