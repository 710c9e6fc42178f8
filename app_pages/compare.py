"""Compare: two to four scenarios side by side on the same data and year."""

import streamlit as st

from app_pages import _carry as carry
from app_pages import _shared as app
from simulator import export
from simulator.presentation import maps, results, style

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
dataset = top[0].selectbox("Dataset", datasets, key="c_dataset",
                           help="Only scenarios written for this dataset are offered.")
names = by_dataset[dataset]


def parse_list(text: str) -> list[str]:
    chosen = [n for n in text.split(",") if n]
    if not 2 <= len(chosen) <= 4 or any(n not in names for n in chosen):
        raise ValueError(text)
    return chosen


app.seed("c_scenarios", "scenarios", parse=parse_list)
if any(n not in names for n in st.session_state.get("c_scenarios", [])):
    del st.session_state["c_scenarios"]  # another dataset was chosen
st.session_state.setdefault("c_scenarios", names[:3])
chosen = top[1].multiselect("Scenarios (two to four)", names, key="c_scenarios",
                            max_selections=4, format_func=app.scenario_label)
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

runs, failed = {}, False
for name in chosen:
    try:
        scenario = app.any_scenario(name)
        runs[app.scenario_label(name) if app.is_mine(name) else name] = app.run(app.on_data(scenario, dataset, dict(scenario.dataset.options),
                                            year))
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

# ------------------------------------------------------------------ winners and losers
st.subheader(f"Winners and losers: change in resources per head ({unit})")
changes = results.winners_losers(frames, cur, year)
value_columns = [c for c in changes.columns if c not in ("code", "region")]
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
    st.caption(f"Blue gains, orange losses; one colour scale for every map ({unit}).")

# ------------------------------------------------------------------ Lorenz
st.subheader(f"Lorenz curves of resources per head ({year})")
this_year = {name: frame[frame["year"] == year] for name, frame in frames.items()}
first_name = next(iter(this_year))
reference = this_year[first_name]
curves = {f"Baseline of {first_name}": results.lorenz_curve(
    reference[f"baseline_per_head_{cur.lower()}"], reference["population"])}
for name, frame in this_year.items():
    curves[name] = results.lorenz_curve(frame[f"resources_per_head_{cur.lower()}"],
                                             frame["population"])
lorenz = results.lorenz_figure(curves, year=year)
st.plotly_chart(lorenz, key="c_lorenz")
st.caption("The further a curve bows below the diagonal, the more unequal resources per head; "
           "the Gini in the system figures is twice the area between them.")

# ------------------------------------------------------------------ downloads
st.subheader("Downloads")
subject = st.selectbox("Carry on with, report on, and put in the files (YAML)", chosen,
                       index=len(chosen) - 1, key="c_subject", format_func=app.scenario_label)
scenarios = {name: app.on_data(app.any_scenario(name), dataset,
                               dict(app.any_scenario(name).dataset.options), year)
             for name in chosen}


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
