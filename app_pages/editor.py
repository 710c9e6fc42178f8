"""Scenario editor: YAML with live validation; save, share, download the scenario and its results."""

import streamlit as st

from app_pages import _carry as carry
from app_pages import _shared as app
from simulator import export
from simulator.presentation import glossary, options, results, style, tables
from simulator.scenario import ScenarioError, dump_scenario
from simulator.scenario.share import ShareError, decode_scenario, encode_scenario

st.set_page_config(page_title=glossary.PAGE_TITLES["editor"])
st.title("Scenario editor")
st.caption("Edit a scenario as YAML. It is checked as you apply changes (Ctrl+Enter, or click "
           "outside the box): every problem is listed with its line, column and field. "
           "`extends: status_quo.yaml` builds on a library scenario by its file name.")

library = app.library()
starts = (list(library) or ["starter"]) + [app.MINE + n for n in app.my_scenarios()]


def start_text(name: str) -> str:
    """A library scenario as self-contained YAML (``extends`` resolved), under
    the file's own header comments; one of the user's own as it was saved."""
    if app.is_mine(name):
        return app.my_scenarios().get(name[len(app.MINE):], options.STARTER_SCENARIO)
    if name not in library:
        return options.STARTER_SCENARIO
    lines = library[name].read_text(encoding="utf-8").splitlines()
    header = [line for line in lines[:next((k for k, line in enumerate(lines)
                                            if not line.startswith("#")), len(lines))]]
    body = dump_scenario(app.library_scenario(name))
    return "\n".join(header) + "\n" + body if header else body


def load_start() -> None:
    st.session_state["e_text"] = start_text(st.session_state["e_start"])
    st.session_state.pop("e_last_valid", None)


# A link that carries its text (?s=): the text as the sender had it, validated below like
# anything typed; once per session.
token = st.query_params.get(carry.LINK_PARAM)
if token is not None and st.session_state.get("_adopted") != token:
    st.session_state["_adopted"] = token
    try:
        st.session_state["e_text"] = decode_scenario(token)
    except ShareError as exc:
        app.show_error(exc, "The link's scenario")

app.seed("e_start", "start", starts)
st.session_state.setdefault("e_start", app.DEFAULT_SCENARIO if app.DEFAULT_SCENARIO in starts
                            else starts[0])
start = st.selectbox("Start from", starts, key="e_start", on_change=load_start,
                     format_func=app.scenario_label,
                     help="Replaces the text below with a library scenario or one of yours (★).")
st.session_state.setdefault("e_text", start_text(start))


@st.cache_resource(show_spinner=False, max_entries=16)
def projection_run(text: str):
    """A scenario's own projection (its jump-off year and projected years), as the
    command line runs it (``fiscalsim run``)."""
    from simulator.scenario import run_scenario

    return run_scenario(app.text_scenario(text, "scenario.yaml"))


def show_result(text: str, *, stale: bool) -> None:
    """The results of a valid text: greyed under the problems when it is the last valid
    one (``stale``), so an invalid edit never hides them."""
    scenario = app.text_scenario(text, "scenario.yaml")
    projected = scenario.projection is not None
    try:
        result = projection_run(text) if projected else app.run(scenario)
        downloads = tables.result_tables(result)
    except app.USER_ERRORS as exc:
        app.show_error(exc, "The scenario is valid but could not run")
        return
    cur = result.currency
    last = result.federation.years[-1]
    if projected and not stale:
        from simulator.scenario.running import describe_projection

        st.info(f"**Projection run**: {describe_projection(scenario)}. The figures below are "
                f"for {last}, the last projected year (as `fiscalsim run` gives them).",
                icon=":material/timeline:")
    st.subheader(f"Resources per head by region ({cur} per head, {last})")
    regions = results.region_table(downloads["regions"], cur, last)
    st.dataframe(style.number_style(regions), hide_index=True,
                 key="e_regions_stale" if stale else "e_regions",
                 height=style.table_height(len(regions)) if len(regions) <= 20 else "auto",
                 # a narrow column: short headers, the unit and year are in the heading
                 column_config={c: c.split(" (")[0] for c in regions.columns})
    st.subheader(f"System figures ({last})")
    figures = results.system_table({scenario.name: downloads["summary"]}, cur, last)
    st.dataframe(results.system_table_style(figures), hide_index=True,
                 key="e_summary_stale" if stale else "e_summary",
                 height=style.table_height(len(figures)))
    if stale:
        return
    carry.actions(scenario, None, "e", default_name=scenario.name,
                  pages=(carry.EXPLORE, carry.COMPARE, carry.OVER_TIME, carry.TARGETS))
    st.subheader("Downloads")
    stem = export.file_stem(scenario.name)
    c1, _ = st.columns([1, 4])
    c1.download_button("Scenario (YAML)", text, f"{stem}.yaml", mime="application/x-yaml",
                       key="e_dl_yaml", icon=":material/download:")
    carry.downloads("e", tables=lambda: export.result_download_tables(result),
                    scenario=scenario, federation=result.federation, stem=stem, report=False)


st.markdown("<style>.st-key-e_stale {opacity: 0.45; filter: grayscale(1);}</style>",
            unsafe_allow_html=True)
left, right = st.columns([1, 1], gap="large")
with left:
    text = st.text_area("Scenario (YAML)", key="e_text", height=520)

with right:
    st.subheader("Validation")
    valid = False
    try:
        scenario = app.text_scenario(text, "scenario.yaml")
        valid = True
    except ScenarioError as exc:
        n = len(exc.problems)
        st.error(f"{n} problem{'s' if n != 1 else ''} in the scenario:", icon=":material/error:")
        # a table whose messages wrap: the whole message, "did you mean" included, at any width
        problems = tables.problems_table(exc.problems).astype(object).fillna("")
        st.table(problems.style.hide(axis="index"))
    except app.USER_ERRORS as exc:
        app.show_error(exc, "The scenario")
    if valid:
        years = scenario.years or ["every year of the dataset"]
        note = (" Its `projection:` section is run: the figures are for the projected years."
                if scenario.projection is not None else "")
        st.success(f"Valid: **{scenario.name}** on {scenario.dataset.name}, "
                   f"{', '.join(years)}; {len(scenario.steps)} step"
                   f"{'s' if len(scenario.steps) != 1 else ''}.{note}",
                   icon=":material/check_circle:")
        st.session_state["e_last_valid"] = text
    last_valid = st.session_state.get("e_last_valid")

# The link carries the text as typed (valid or not), so it opens exactly this.
try:
    token = encode_scenario(text)
except ShareError as exc:
    app.share(start=start)
    st.caption(f":material/link_off: This text cannot be linked: {exc}.")
else:
    st.session_state["_adopted"] = token  # our own link: not to be adopted again
    app.share(start=start, s=token)

if valid:
    show_result(text, stale=False)
elif last_valid is not None:
    st.caption("The last valid version's results, greyed: fix the problems above to update "
               "them.")
    with st.container(key="e_stale"):
        show_result(last_valid, stale=True)
