"""Carrying the user's own scenario through the app: save it, send it to
another page, share it by link, download what a page shows.

The session store (``_shared.my_scenarios``: name -> YAML text) holds the
scenarios a user built with Explore's widgets, typed in the editor, uploaded
or opened from a link; every page offers them beside the library (references
``_shared.MINE + name``).  Files and links are built by the public API
(:mod:`simulator.export`, :mod:`simulator.scenario.share`); nothing here
computes a figure.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import streamlit as st

from app_pages import _shared as app
from simulator import export
from simulator.scenario import Scenario, dump_scenario
from simulator.scenario.share import ShareError, encode_scenario, scenario_from_link

#: Where each page's picker lives, so another page can hand it a scenario.
COMPARE, OVER_TIME, TARGETS, EXPLORE = ("app_pages/compare.py", "app_pages/over_time.py",
                                        "app_pages/targets.py", "app_pages/explore.py")
#: Pending hand-overs: page -> session key read (and removed) by that page.
HANDOVER = {COMPARE: "c_add", OVER_TIME: "ot_add", TARGETS: "t_add", EXPLORE: "x_add"}
LINK_PARAM = "s"


# ---------------------------------------------------------------- the store
def save_mine(name: str, text: str) -> str:
    """Keep ``text`` as the user's scenario ``name`` (a new name when that
    name holds another text); returns its reference."""
    store = app.my_scenarios()
    base = " ".join(str(name).split()) or "my scenario"
    name, k = base, 1
    while name in store and store[name] != text:
        k += 1
        name = f"{base} ({k})"
    store[name] = text
    return app.MINE + name


def remove_mine(ref: str) -> None:
    app.my_scenarios().pop(ref[len(app.MINE):], None)


def take_handover(page: str) -> str | None:
    """The scenario another page sent here (once), or None."""
    return st.session_state.pop(HANDOVER[page], None)


def send_to(page: str, ref: str) -> None:
    """Open ``page`` with scenario ``ref`` chosen (or added, on Compare)."""
    st.session_state[HANDOVER[page]] = ref
    st.switch_page(page)


# ---------------------------------------------------------------- links
def adopt_link(widget_key: str) -> str | None:
    """A scenario carried whole by the link (``?s=``): validated like an
    upload, kept in the store and chosen in ``widget_key``; once per session."""
    token = st.query_params.get(LINK_PARAM)
    if token is None or st.session_state.get("_adopted") == token:
        return None
    st.session_state["_adopted"] = token
    try:
        scenario = scenario_from_link(token)
    except app.USER_ERRORS as exc:
        app.show_error(exc, "The link's scenario")
        return None
    from simulator.scenario.share import decode_scenario

    ref = save_mine(scenario.name, decode_scenario(token))
    st.session_state[widget_key] = ref
    return ref


def link_params(ref: str | None, scenario: Scenario | None = None) -> dict[str, str]:
    """Link parameters that reproduce a scenario: a library scenario by name;
    the user's own (or an edited one, ``scenario``) whole, as a token.  When
    it is too large for a link, says so plainly and returns nothing."""
    if scenario is None and ref is not None and not app.is_mine(ref):
        return {"scenario": ref}
    text = (app.my_scenarios().get(ref[len(app.MINE):]) if scenario is None and ref
            else dump_scenario(scenario) if scenario is not None else None)
    if text is None:
        return {}
    try:
        token = encode_scenario(text)
    except ShareError as exc:
        st.caption(f":material/link_off: This view cannot be linked: {exc}.")
        return {}
    st.session_state["_adopted"] = token  # our own link: not a scenario to adopt again
    return {LINK_PARAM: token}


# ---------------------------------------------------------------- actions on a result
def actions(scenario: Scenario, ref: str | None, prefix: str, *,
            default_name: str | None = None, pages: tuple[str, ...] = (COMPARE, OVER_TIME,
                                                                        TARGETS)) -> None:
    """"Save", "add to comparison", "project over time", "solve targets" and
    "report on this" for the scenario shown.  ``ref``: its reference when it
    is exactly a library or stored scenario, else None (it is saved first,
    under the name typed)."""
    with st.container(border=True):
        st.markdown("**Carry this scenario on**")
        if ref is None:
            name = st.text_input("Name for your scenario", default_name or scenario.name,
                                 key=f"{prefix}_save_name", max_chars=80)
        else:
            name = None
        columns = st.columns(len(pages) + 2)
        labels = {EXPLORE: ("Open in Explore", ":material/map:"),
                  COMPARE: ("Add to comparison", ":material/compare_arrows:"),
                  OVER_TIME: ("Project over time", ":material/timeline:"),
                  TARGETS: ("Solve targets", ":material/target:")}

        def target_ref() -> str:
            return ref if ref is not None else save_mine(name, dump_scenario(scenario))

        if ref is None and columns[0].button("Save to my scenarios", key=f"{prefix}_save",
                                             icon=":material/bookmark_add:"):
            saved = target_ref()
            st.toast(f"Saved as {app.scenario_label(saved)}")
        for column, page in zip(columns[1:-1], pages):
            label, icon = labels[page]
            if column.button(label, key=f"{prefix}_to_{page.split('/')[-1][:-3]}", icon=icon):
                send_to(page, target_ref())
        columns[-1].download_button(
            "Report on this (HTML)", data=lambda: export.report_html(scenario),
            file_name=f"{export.file_stem(scenario.name, scenario.year or '')}_report.html",
            mime="text/html", key=f"{prefix}_report_this", icon=":material/description:",
            on_click="ignore")


def manage_store(prefix: str) -> None:
    """The user's own scenarios: rename, remove (in the sidebar)."""
    store = app.my_scenarios()
    if not store:
        return
    with st.sidebar.expander(f"My scenarios ({len(store)})"):
        for name in list(store):
            cols = st.columns([3, 1])
            cols[0].markdown(f"★ {name}")
            if cols[1].button("Remove", key=f"{prefix}_rm_{name}", type="tertiary"):
                remove_mine(app.MINE + name)
                st.rerun()
        st.caption("Kept for this browser session; download a scenario (YAML) to keep it.")


# ---------------------------------------------------------------- downloads
def downloads(prefix: str, *, tables: Callable[[], Mapping[str, Any]] | Mapping[str, Any],
              scenario: Scenario | None, federation: Any = None, figure: Any = None,
              stem: str = "fiscalsim", notes: tuple[str, ...] = (),
              report: bool = True) -> None:
    """A row of downloads: the first table as CSV, every table as Excel, the
    chart (PNG, or its data and an HTML page when images cannot be drawn
    here) and the annual report; each file carries the fiscalsim version,
    the data edition and the scenario (YAML)."""
    about = export.about_lines(scenario, federation, extra=notes)

    def got() -> Mapping[str, Any]:
        return tables() if callable(tables) else tables

    stem = export.file_stem(stem)
    columns = st.columns(5 if figure is not None else 3)
    columns[0].download_button(
        "Table (CSV)", data=lambda: export.csv_bytes(next(iter(got().values())), about, scenario),
        file_name=f"{stem}.csv", mime="text/csv", key=f"{prefix}_dl_csv",
        icon=":material/download:", on_click="ignore")
    columns[1].download_button(
        "Tables (Excel)", data=lambda: export.workbook_bytes(got(), about, scenario),
        file_name=f"{stem}.xlsx", key=f"{prefix}_dl_xlsx", icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore")
    k = 2
    if figure is not None:
        images = export.can_draw_images()
        columns[2].download_button(
            "Chart (PNG)" if images else "Chart (HTML)",
            data=lambda: export.figure_file(figure, about)[0],
            file_name=f"{stem}_chart.{'png' if images else 'html'}",
            mime="image/png" if images else "text/html", key=f"{prefix}_dl_chart",
            icon=":material/image:", on_click="ignore")
        columns[3].download_button(
            "Chart data (CSV)",
            data=lambda: export.csv_bytes(export.figure_data(figure), about, scenario),
            file_name=f"{stem}_chart_data.csv", mime="text/csv", key=f"{prefix}_dl_chartdata",
            icon=":material/download:", on_click="ignore")
        k = 4
    if report and scenario is not None:
        columns[k].download_button(
            "Report (HTML)", data=lambda: export.report_html(scenario),
            file_name=f"{stem}_report.html", mime="text/html", key=f"{prefix}_dl_report",
            icon=":material/description:", on_click="ignore")
    st.caption("Rounded numbers, units in the column names; every file names the fiscalsim "
               "version, the data edition and holds the scenario (YAML) that reproduces it."
               + ("" if figure is None or export.can_draw_images() else
                  " Chart images cannot be drawn on this server, so the chart comes as an "
                  "interactive HTML page (its toolbar saves a PNG) with its data as CSV."))
