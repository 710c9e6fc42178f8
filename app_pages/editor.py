"""Scenario editor: YAML with live validation; download the scenario and its results."""

import streamlit as st

from app_pages import _shared as app
from simulator.presentation import options, results, style, tables
from simulator.scenario import ScenarioError, dump_scenario

st.title("Scenario editor")
st.caption("Edit a scenario as YAML. It is checked as you apply changes (Ctrl+Enter, or click "
           "outside the box): every problem is listed with its line, column and field. "
           "`extends: status_quo.yaml` builds on a library scenario by its file name.")

library = app.library()
starts = list(library) or ["starter"]


def start_text(name: str) -> str:
    """A library scenario as self-contained YAML (``extends`` resolved), under
    the file's own header comments."""
    if name not in library:
        return options.STARTER_SCENARIO
    lines = library[name].read_text(encoding="utf-8").splitlines()
    header = [line for line in lines[:next((k for k, line in enumerate(lines)
                                            if not line.startswith("#")), len(lines))]]
    body = dump_scenario(app.library_scenario(name))
    return "\n".join(header) + "\n" + body if header else body


def load_start() -> None:
    st.session_state["e_text"] = start_text(st.session_state["e_start"])


app.seed("e_start", "start", starts)
st.session_state.setdefault("e_start", app.DEFAULT_SCENARIO if app.DEFAULT_SCENARIO in starts
                            else starts[0])
start = st.selectbox("Start from", starts, key="e_start", on_change=load_start,
                     help="Replaces the text below with a library scenario.")
app.share(start=start)
st.session_state.setdefault("e_text", start_text(start))

left, right = st.columns([1, 1], gap="large")
with left:
    text = st.text_area("Scenario (YAML)", key="e_text", height=520)

with right:
    st.subheader("Validation")
    try:
        scenario = app.text_scenario(text, "scenario.yaml")
    except ScenarioError as exc:
        n = len(exc.problems)
        st.error(f"{n} problem{'s' if n != 1 else ''} in the scenario:", icon=":material/error:")
        st.dataframe(tables.problems_table(exc.problems), hide_index=True,
                     key="e_problems")
        st.stop()
    except app.USER_ERRORS as exc:
        app.show_error(exc, "The scenario")
        st.stop()
    years = scenario.years or ["every year of the dataset"]
    st.success(f"Valid: **{scenario.name}** on {scenario.dataset.name}, "
               f"{', '.join(years)}; {len(scenario.steps)} step"
               f"{'s' if len(scenario.steps) != 1 else ''}.", icon=":material/check_circle:")
    try:
        result = app.run(scenario)
        downloads = tables.result_tables(result)
    except app.USER_ERRORS as exc:
        app.show_error(exc, "The scenario is valid but could not run")
        st.stop()
    cur = result.currency
    last = result.federation.years[-1]
    st.subheader(f"Resources per head by region ({cur} per head, {last})")
    regions = results.region_table(downloads["regions"], cur, last)
    st.dataframe(style.number_style(regions), hide_index=True, key="e_regions",
                 height=style.table_height(len(regions)) if len(regions) <= 20
                 else "auto",
                 # a narrow column: short headers, the unit and year are in the heading
                 column_config={c: c.split(" (")[0] for c in regions.columns})

summary = downloads["summary"]
st.subheader(f"System figures ({last})")
figures = results.system_table({scenario.name: summary}, cur, last)
st.dataframe(results.system_table_style(figures), hide_index=True, key="e_summary",
             height=style.table_height(len(figures)))

st.subheader("Downloads")
stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in scenario.name) or "scenario"
notes = [f"Scenario: {scenario.name}", f"Dataset: {scenario.dataset.name}",
         f"Money: {cur}; '_m' columns are {cur} million, '_{cur.lower()}' columns "
         f"{cur} per head", f"Source: {result.federation.source}"]
c1, c2, c3, _ = st.columns([1, 1, 1, 2])
c1.download_button("Scenario (YAML)", dump_scenario(scenario), f"{stem}.yaml",
                   mime="application/x-yaml", key="e_dl_yaml", icon=":material/download:")
c2.download_button("Results (CSV)", downloads["regions"].to_csv(index=False), f"{stem}.csv",
                   mime="text/csv", key="e_dl_csv", icon=":material/download:")
c3.download_button("Results (Excel)", tables.excel_bytes(downloads, notes),
                   f"{stem}.xlsx", key="e_dl_xlsx", icon=":material/download:",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
st.caption("CSV: one row per year and region (money in "
           f"{cur} million, per-head columns in {cur}). Excel: regions, summary and "
           "marginal rates sheets, with notes.")
