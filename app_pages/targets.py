"""Targets: solve a library scenario for a policy target, and its annual report
(simulator.analysis: solve_min_share, solve_self_financing, best_for_budget,
build_report)."""

import re

import pandas as pd
import streamlit as st

from app_pages import _carry as carry
from app_pages import _shared as app
from simulator.presentation import style, targets
from simulator import export
from simulator.analysis import default_options
from simulator.presentation import glossary

st.set_page_config(page_title=glossary.PAGE_TITLES["targets"])
st.title("Targets: solve for a goal")
st.caption("The engine tries the whole range of a setting, then narrows down to the answer: "
           "the value returned meets the target, a hair less does not. When a target cannot "
           "be met, the reason says why.")

# ------------------------------------------------------------------ scenario and year
carry.adopt_link("t_scenario")  # a link carrying the user's scenario whole
choices = list(app.library()) + [app.MINE + n for n in app.my_scenarios()]
if not choices:
    st.warning("The scenario library (scenarios/*.yaml) is empty.")
    st.stop()
app.seed("t_scenario", "scenario", choices)
st.session_state.setdefault("t_scenario", app.DEFAULT_SCENARIO if app.DEFAULT_SCENARIO in choices
                            else choices[0])


def reset() -> None:
    for key in ("t_year", "t_param"):
        st.session_state.pop(key, None)
    st.query_params.clear()


handed = carry.take_handover(carry.TARGETS)  # "solve targets" from another page
if handed in choices:
    reset()
    st.session_state["t_scenario"] = handed
with st.columns([2, 3])[0]:  # main area: reachable at 390 px (sidebar collapsed)
    name = st.selectbox("Scenario", choices, key="t_scenario", on_change=reset,
                        format_func=app.scenario_label,
                        help="Runs on its own dataset; a real-system preset switches to its "
                             "country's data.")
try:
    key = app.scenario_key(name)
    base = app.keyed_scenario(key)
    years = list(app.federation(base.dataset.name, **base.dataset.options).years)
except app.USER_ERRORS as exc:
    app.show_error(exc, "The scenario")
    st.stop()
with st.sidebar:
    app.seed("t_year", "year", years)
    own_year = base.years[-1] if base.years else None
    st.session_state.setdefault("t_year", own_year if own_year in years else years[-1])
    year = (st.select_slider("Financial year", years, key="t_year") if len(years) > 1
            else st.session_state["t_year"])
    if len(years) == 1:
        st.caption(f"Financial year: {year} (the dataset's only year)")
st.caption(f"**{app.scenario_label(name)}** on {glossary.dataset_title(base.dataset.name)}, "
           f"{year}: {base.description or 'no description'}")
cur = app.federation(base.dataset.name, **base.dataset.options).currency


def show(result, kind: str, metric: str = "gini", steps=()) -> None:
    """The answer, what it achieves and, when infeasible, why (``steps``: the steps
    the answer's parameter belongs to, to name it in words)."""
    cards = glossary.plain_solve_cards(
        targets.solve_cards(result, kind, cur, year, metric), result.parameter, steps)
    for column, card in zip(st.columns(3), cards):
        column.metric(card["label"], card["value"], help=card["help"], border=True)
    reason = glossary.plain_reason(result.reason, result.parameter, steps)
    if result.feasible:
        st.success(f"**{result.target}**: {reason}.", icon=":material/check_circle:")
    else:
        st.warning(f"**{result.target}**: {reason}.", icon=":material/block:")


# ------------------------------------------------------------------ (a) minimum share
st.subheader(f"Smallest rate (or other parameter) so every region reaches a share of "
             f"average resources per head ({year})")
levers = [o for o in default_options(app.target_scenario(key, year)) if o.steps is None]
cols = st.columns([1, 2])
app.seed("t_share", "share", parse=int)
if "t_share" not in st.session_state and levers:
    # open on a reachable target: 90% of average, or the best the first lever reaches
    try:
        probe = app.solve(key, year, "min_share", share=0.9, parameter=levers[0].parameter)
    except app.USER_ERRORS:
        probe = None
    if probe is not None and not probe.feasible and probe.achieved is not None:
        st.session_state["t_share"] = max(50, int(100 * probe.achieved))
st.session_state.setdefault("t_share", 90)
st.session_state["t_share"] = min(110, max(50, int(st.session_state["t_share"])))
share = cols[0].slider("Every region at least (% of average resources per head)", 50, 110,
                       key="t_share")
if not levers:
    st.info("This scenario has no step with a numeric parameter (a rate, a standard, a "
            "guarantee) to solve for; pick another scenario.")
else:
    labels = {o.parameter: o.name for o in levers}
    app.seed("t_param", "parameter", list(labels))
    parameter = cols[1].selectbox("Parameter solved for", list(labels), key="t_param",
                                  format_func=lambda p: glossary.option_label(labels[p], p))
    try:
        show(app.solve(key, year, "min_share", share=share / 100, parameter=parameter),
             "min_share", steps=base.steps)
    except app.USER_ERRORS as exc:
        app.show_error(exc, "This target")

# ------------------------------------------------------------------ (b) self-financing
st.subheader(f"Self-financing contribution rate ({year})")
with_step, added = targets.with_contribution_step(base)
if added:
    st.caption("The scenario has no contribution step, so one is added after its steps: "
               "regions above the national average per head pay a uniform share of their "
               "excess towards the centre's cost of the earlier steps (horizontal funding).")
cols = st.columns([1, 2])
COSTS = {"steps": "the steps' net cost", "reform": "the reform's cost against the baseline"}
cost = cols[0].radio("Cost to cover", list(COSTS), key="t_cost", format_func=COSTS.get)
target = cols[1].number_input(f"Cost left to the centre ({cur} m a year)", -1e6, 1e6, 0.0,
                              100.0, key="t_target")
if added and not base.steps:
    st.info("This scenario has no transfers for regions to finance (no steps); pick one with "
            "an equalisation step.")
else:
    try:
        show(app.solve(key, year, "self_financing", cost=cost, target=float(target)),
             "self_financing", steps=with_step.steps)
    except app.USER_ERRORS as exc:
        app.show_error(exc, "This target")

# ------------------------------------------------------------------ (c) best for a budget
st.subheader(f"Best option for a budget ({year})")
cols = st.columns([1, 2])
app.seed("t_budget", "budget", parse=float)
st.session_state.setdefault("t_budget", 1000.0)
budget = cols[0].number_input(f"Budget: cost to the centre ({cur} m a year)", -1e6, 1e7,
                              step=100.0, key="t_budget")
METRICS = {"gini": "Gini", "theil": "Theil index", "cv": "Coefficient of variation",
           "max_min_ratio": "Highest / lowest"}
metric = cols[1].selectbox("Inequality of resources per head to minimise", list(METRICS),
                           key="t_metric", format_func=METRICS.get)
solved = {}  # the tables shown, for download
try:
    best = app.solve(key, year, "budget", budget=float(budget), metric=metric)
except app.USER_ERRORS as exc:
    app.show_error(exc, "This budget")
else:
    own = [o.name for o in default_options(app.target_scenario(key, year)) if o.steps is None]
    show(best, "budget", metric, steps=base.steps if best.details.get("option") in own else ())
    table = targets.budget_table(best.table, cur, metric, year)
    table["Option"] = [glossary.option_label(o, p) for o, p in zip(table["Option"],
                                                                   table["Parameter"])]
    table["Parameter"] = table["Parameter"].map(glossary.parameter_label)
    solved["best for the budget"] = table  # (the download keeps the parameter in full)
    # on screen the option already names its parameter: only the step it sits in is added,
    # and the headers are short (unit and year in the line above), so every column shows
    shown = table.drop(columns="Parameter")
    shown.insert(1, "Step", [f"step {int(m.group(1)) + 1}" if m else "-" for m in
                             (re.match(r"steps\[(\d+)\]", p or "") for p in
                              best.table["parameter"])])
    st.markdown(f"**Each option at its best value** (cost to the centre in {cur} m a year; "
                f"{METRICS[metric]} of resources per head; {year})")
    st.dataframe(shown, hide_index=True, key="t_options",
                 height=style.table_height(len(shown)),
                 column_config={
                     "Best value": st.column_config.NumberColumn(format="%.4g"),
                     f"Cost to the centre ({cur} m a year, {year})":
                         st.column_config.NumberColumn("Cost to the centre", format="%,.0f"),
                     f"{METRICS[metric]} ({year})": st.column_config.NumberColumn(
                         METRICS[metric], format="%.4f")})
    st.caption("Each option: the scenario's own levers, or a mechanism replacing its steps; "
               "'Best value' is the value that minimises the inequality within the budget "
               "(or, if none fits, the cheapest); 'Step': the step of the scenario (or of the "
               "mechanism replacing its steps) whose parameter is set.")

app.share(**carry.link_params(name), year=year, share=share, budget=f"{budget:g}")

# ------------------------------------------------------------------ report
st.subheader("Annual report")
st.caption("One self-contained HTML page: headline figures, the settlement by region, "
           "benchmarks, method and data sources.")
st.download_button("Download the annual report (HTML)",
                   data=lambda: app.report_html(key, year),
                   file_name=f"{export.file_stem(base.name, year)}_report.html",
                   mime="text/html",
                   icon=":material/download:", key="t_report", on_click="ignore")

carry.actions(base, name, "t", pages=(carry.EXPLORE, carry.COMPARE, carry.OVER_TIME))
st.subheader("Downloads")
carry.downloads("t", tables=lambda: solved or {"nothing solved": pd.DataFrame()},
                scenario=app.target_scenario(key, year),
                federation=app.federation(base.dataset.name, **base.dataset.options),
                stem=f"{base.name}_{year}_targets", report=False,
                notes=(f"Budget {budget:g} {cur} m a year; inequality minimised: {metric}",))
