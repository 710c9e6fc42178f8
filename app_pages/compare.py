"""Compare: two to four scenarios side by side on the same data and year."""

import streamlit as st

from app_pages import _carry as carry
from app_pages import _shared as app
from simulator import export
from simulator.presentation import gains, glossary, maps, results, style
from simulator.scenario.library import DEFAULT_COMPARISON, comparison_presets, scenario_title


def title(name: str) -> str:
    """A scenario's name on this page: the user's own with a star, library ones in words."""
    return app.scenario_label(name) if app.is_mine(name) else scenario_title(name)


st.set_page_config(page_title=glossary.PAGE_TITLES["compare"])
st.title("Compare scenarios")
st.caption("Each scenario runs on the same dataset and year against its own baseline "
           "(the status quo unless the scenario names another). Your own scenarios (★) "
           "are offered beside the library's.")
STATUS_QUO = "status_quo"

by_dataset, failed = app.library_by_dataset()
if failed:
    with st.expander(f"{len(failed)} library scenario(s) could not be loaded"):
        for name, message in failed.items():
            st.markdown(f"- **{name}**: {message}")
datasets = sorted((d for d, names in by_dataset.items() if len(names) >= 2),
                  key=lambda d: (d != app.DEFAULT_DATASET, d))
added = carry.take_handover(carry.COMPARE)  # "add to comparison" from another page
for dataset, names in by_dataset.items():
    if added in names and dataset in datasets:
        kept = [n for n in st.session_state.get("c_scenarios", []) if n in names and n != added]
        if st.session_state.get("c_dataset") != dataset:
            kept = []
        if not kept:  # against the status quo when the dataset has one
            kept = [STATUS_QUO] if STATUS_QUO in names else [n for n in names if n != added][:1]
        st.session_state["c_dataset"] = dataset
        st.session_state["c_scenarios"] = (kept + [added])[-4:]
        added = None
if added is not None:
    st.warning(f"{app.scenario_label(added)} has no other scenario on its dataset to be "
               "compared with (the teaching federation has none in the library).")
if not datasets:
    st.warning("The scenario library (scenarios/*.yaml) needs at least two scenarios on the "
               "same dataset to compare.")
    st.stop()

app.seed("c_dataset", "dataset", datasets)
st.session_state.setdefault("c_dataset", datasets[0])
top = st.columns([1, 3, 2])
dataset = top[0].selectbox("Dataset", datasets, key="c_dataset", format_func=glossary.dataset_title,
                           help="Only scenarios written for this dataset are offered.")
names = by_dataset[dataset]


def parse_list(text: str) -> list[str]:
    chosen = [n for n in text.split(",") if n]
    if not 2 <= len(chosen) <= 4 or any(n not in names for n in chosen):
        raise ValueError(text)
    return chosen


presets = {label: runs for label, runs in comparison_presets().items()
           if all(n in names for n in runs)}
OWN_CHOICE = "My own choice"


def apply_preset() -> None:
    """A preset chosen: its scenarios replace the picked ones."""
    runs = presets.get(st.session_state["c_preset"])
    if runs:
        st.session_state["c_scenarios"] = list(runs)


app.seed("c_scenarios", "scenarios", parse=parse_list)
if any(n not in names for n in st.session_state.get("c_scenarios", [])):
    del st.session_state["c_scenarios"]  # another dataset was chosen
st.session_state.setdefault("c_scenarios", presets.get(DEFAULT_COMPARISON, names[:3]))
if presets:
    matching = [label for label, runs in presets.items()
                if runs == st.session_state["c_scenarios"]]
    st.session_state["c_preset"] = matching[0] if matching else OWN_CHOICE
    st.selectbox("Ready-made comparison", [OWN_CHOICE, *presets], key="c_preset",
                 on_change=apply_preset,
                 help="Puts a set of scenarios side by side, e.g. the rules of Canada, "
                      "Germany, Australia and Switzerland applied to the UK.")
chosen = top[1].multiselect("Scenarios (two to four)", names, key="c_scenarios",
                            max_selections=4, format_func=title)
fed = app.federation_or_stop(dataset)
year = app.year_slider("c_year", list(fed.years), container=top[2])
mine = [n for n in chosen if app.is_mine(n)]
app.share(dataset=dataset, scenarios=",".join(n for n in chosen if not app.is_mine(n)),
          year=year)
if mine:
    st.caption(":material/link_off: This comparison cannot be linked whole: its link names "
               "library scenarios only, and yours (★) live in this browser session. Share "
               "each of yours from Explore, whose link carries the scenario itself.")

if len(chosen) < 2:
    st.info("Pick at least two scenarios.")
    st.stop()

titles = {name: title(name) for name in chosen}
runs, failed = {}, False
for name in chosen:
    try:
        scenario = app.any_scenario(name)
        runs[titles[name]] = app.run(app.on_data(scenario, dataset,
                                                 dict(scenario.dataset.options), year))
    except app.USER_ERRORS as exc:
        app.show_error(exc, f"Scenario {name!r}")
        failed = True
if failed or len(runs) < 2:
    st.stop()

first = next(iter(runs.values()))
cur = first.currency
unit = style.per_head_label(cur, year)
frames = {name: result.by_region() for name, result in runs.items()}

# ------------------------------------------------------------------ system figures
st.subheader(f"System figures ({year})")
table = results.system_table({n: r.summary() for n, r in runs.items()}, cur, year)
st.dataframe(results.system_table_style(table), hide_index=True, key="c_system",
             height=style.table_height(len(table)),
             # the measure stays in view while the values scroll beside it on a phone
             column_config={"Measure": st.column_config.TextColumn(pinned=True)})
for note in results.undefined_notes(table):
    st.caption(note)

# ------------------------------------------------------------------ winners and losers
st.subheader(f"Winners and losers: change in resources per head ({unit})")
changes = results.winners_losers(frames, cur, year)
value_columns = [c for c in changes.columns if c not in ("code", "region")]
moving = gains.changing_columns(changes, value_columns)
if moving:
    st.plotly_chart(gains.gains_losses_figure(changes, moving, currency=cur, year=year),
                    key="c_gains")
still = [c for c in value_columns if c not in moving]
st.caption(gains.gains_losses_summary(changes, moving, currency=cur, year=year)
           + (f" {', '.join(still)}: no region gains or loses, so no bars." if still else ""))
st.dataframe(style.gain_loss_style(changes, value_columns), hide_index=True,
             key="c_changes", column_config={"code": "Code", "region": "Region"},
             height=style.table_height(len(changes)) if len(changes) <= 20 else "auto")

geojson = app.boundaries(dataset)
if geojson is not None:
    column = f"change_per_head_{cur.lower()}"
    bound = max(float(frame.loc[frame["year"] == year, column].abs().max())
                for frame in frames.values())
    for col, (name, frame) in zip(st.columns(len(frames)), frames.items()):
        with col:
            st.plotly_chart(maps.change_map(
                frame[frame["year"] == year], geojson, column, title=name,
                unit=f"{cur} per head", height=480, bound=bound),
                key=f"c_map_{name}", config=maps.MAP_CONFIG)
            shown = frame[frame["year"] == year]
            st.caption(glossary.range_summary(shown["region"], shown[column],
                                              what=f"Map: change under {name}",
                                              unit=f"{cur} per head", year=year))
    st.caption(f"Blue gains, orange losses; one colour scale for every map ({unit}).")

# ------------------------------------------------------------------ Lorenz
st.subheader(f"Lorenz curves of resources per head ({year})")
this_year = {name: frame[frame["year"] == year] for name, frame in frames.items()}
reference = this_year[titles[chosen[0]]]
curves = {f"Baseline of {titles[chosen[0]]}": results.lorenz_curve(
    reference[f"baseline_per_head_{cur.lower()}"], reference["population"])}
for name, frame in this_year.items():
    curves[name] = results.lorenz_curve(frame[f"resources_per_head_{cur.lower()}"],
                                             frame["population"])
lorenz = results.lorenz_figure(curves, year=year)
st.plotly_chart(lorenz, key="c_lorenz")
st.caption(glossary.lorenz_summary(
    {f"Baseline of {titles[chosen[0]]}": float(runs[titles[chosen[0]]].summary().set_index(
        "year").loc[year, "gini_before"])}
    | {name: float(result.summary().set_index("year").loc[year, "gini_after"])
       for name, result in runs.items()}, year))
st.caption("The further a curve bows below the diagonal, the more unequal resources per head; "
           "the Gini in the system figures is twice the area between them.")

# ------------------------------------------------------------------ downloads
st.subheader("Downloads")
subject = st.selectbox("Carry on with, report on, and put in the files (YAML)", chosen,
                       index=len(chosen) - 1, key="c_subject", format_func=app.scenario_label)
scenarios = {name: app.on_data(scenario, dataset, dict(scenario.dataset.options), year)
             for name, scenario in ((n, app.any_scenario(n)) for n in chosen)}


def comparison_tables():
    tables = {"system figures": table.rename(columns={"": "Figure"}),
              "winners and losers": changes}
    for name, result in runs.items():
        tables[f"regions {name}"] = export.plain_table(
            result.by_region(), cur)
    return tables


carry.actions(app.any_scenario(subject), subject, "c",
              pages=(carry.EXPLORE, carry.OVER_TIME, carry.TARGETS))
carry.downloads("c", tables=comparison_tables, scenario=scenarios[subject],
                federation=first.federation, figure=lorenz,
                stem=f"comparison_{dataset}_{year}",
                notes=(f"Compared: {', '.join(app.scenario_label(n) for n in chosen)}",))
