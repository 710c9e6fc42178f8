"""Compare: two to four scenarios side by side on the same data and year."""

import streamlit as st

from app_pages import _shared as app
from simulator.presentation import maps, results, style

st.title("Compare scenarios")
st.caption("Each scenario runs on the same dataset and year against its own baseline "
           "(the status quo unless the scenario names another).")

by_dataset, failed = app.library_by_dataset()
if failed:
    with st.expander(f"{len(failed)} library scenario(s) could not be loaded"):
        for name, message in failed.items():
            st.markdown(f"- **{name}**: {message}")
datasets = sorted((d for d, names in by_dataset.items() if len(names) >= 2),
                  key=lambda d: (d != app.DEFAULT_DATASET, d))
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
                            max_selections=4)
fed = app.federation_or_stop(dataset)
year = app.year_slider("c_year", list(fed.years), container=top[2])
app.share(dataset=dataset, scenarios=",".join(chosen), year=year)

if len(chosen) < 2:
    st.info("Pick at least two scenarios.")
    st.stop()

runs, failed = {}, False
for name in chosen:
    try:
        scenario = app.any_scenario(name)
        runs[name] = app.run(app.on_data(scenario, dataset, dict(scenario.dataset.options),
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
             height=style.table_height(len(table)))

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
reference = this_year[chosen[0]]
curves = {f"Baseline of {chosen[0]}": results.lorenz_curve(
    reference[f"baseline_per_head_{cur.lower()}"], reference["population"])}
for name, frame in this_year.items():
    curves[name] = results.lorenz_curve(frame[f"resources_per_head_{cur.lower()}"],
                                             frame["population"])
st.plotly_chart(results.lorenz_figure(curves, year=year), key="c_lorenz")
st.caption("The further a curve bows below the diagonal, the more unequal resources per head; "
           "the Gini in the system figures is twice the area between them.")
