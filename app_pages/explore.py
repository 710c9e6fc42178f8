"""Explore: one scenario on one year, with its key options on widgets."""

import streamlit as st

from app_pages import _carry as carry
from app_pages import _shared as app
from simulator import export
from simulator.presentation import glossary, maps, options, results, style
from simulator.presentation import needs as needs_presentation

st.set_page_config(page_title=glossary.PAGE_TITLES["explore"])
st.title("Explore a settlement")

# ------------------------------------------------------------------ scenario
OPTION_PREFIX = "x_opt_"
DATA_KEYS = ("x_dataset", "x_year", *(f"x_{o}" for opts in app.DATASET_OPTIONS.values()
                                       for o in opts))
UPLOAD = "Upload a YAML file"


def reset_options() -> None:
    """A new scenario: its own options replace the widgets' and the link's."""
    for key in [k for k in st.session_state if k.startswith(OPTION_PREFIX) or k in DATA_KEYS]:
        del st.session_state[key]
    st.query_params.clear()


library = app.library()
carry.adopt_link("x_scenario")  # a link that carries its scenario whole (?s=)
handed = carry.take_handover(carry.EXPLORE)
choices = (list(library) or ["starter"]) + [app.MINE + n for n in app.my_scenarios()]
if handed in choices:
    reset_options()
    st.session_state["x_scenario"] = handed
sources = choices + [UPLOAD]
app.seed("x_scenario", "scenario", choices)
st.session_state.setdefault("x_scenario", app.DEFAULT_SCENARIO if app.DEFAULT_SCENARIO in choices
                            else choices[0])
with st.columns([2, 3])[0]:  # main area: reachable at 390 px (sidebar collapsed)
    chosen = st.selectbox("Scenario", sources, key="x_scenario", on_change=reset_options,
                          format_func=lambda n: n if n == UPLOAD else app.scenario_label(n),
                          help="A scenario from the library (scenarios/*.yaml), one of "
                               "yours (★: saved here, from the editor or a link), or your own "
                               "file. A real-system preset or a local-authority scenario "
                               "switches to its own dataset.")
    upload = None
    if chosen == UPLOAD:
        upload = st.file_uploader("Scenario file (YAML)", type=["yaml", "yml"],
                                  key="x_upload", on_change=reset_options,
                                  help="`extends:` may name a library scenario by its file "
                                       "name, e.g. `extends: status_quo.yaml`.")

try:
    if chosen == UPLOAD:
        if upload is None:
            st.info("Upload a scenario file (YAML) in the sidebar, or pick one from the library. "
                    "The Scenario editor page shows the format.")
            st.stop()
        base = app.text_scenario(app.upload_text(upload), upload.name)
    elif app.is_mine(chosen):
        base = app.any_scenario(chosen)
    elif library:
        base = app.library_scenario(chosen)
    else:
        base = app.text_scenario(options.STARTER_SCENARIO, "starter")
except app.USER_ERRORS as exc:
    app.show_error(exc, "The scenario")
    st.stop()

# ------------------------------------------------------------------ dataset and year
names = app.dataset_names()
app.seed("x_dataset", "dataset", names)
st.session_state.setdefault("x_dataset", base.dataset.name if base.dataset.name in names
                            else names[0])
with st.sidebar:
    st.header("Data")
    dataset = st.selectbox("Dataset", names, key="x_dataset", format_func=glossary.dataset_title,
                           help="The scenario's own dataset is chosen first.")
    st.caption(app.dataset_description(dataset))
    # the scenario's own dataset options (e.g. a data vintage), some of them on widgets
    data_options = dict(base.dataset.options) if base.dataset.name == dataset else {}
    for option, values in app.DATASET_OPTIONS.get(dataset, {}).items():
        key = f"x_{option}"
        app.seed(key, option, values)
        own_value = data_options.get(option)
        st.session_state.setdefault(key, own_value if own_value in values else values[0])
        data_options[option] = st.radio(option.replace("_", " ").capitalize(), values, key=key,
                                        horizontal=True)
    fed = app.federation_or_stop(dataset, **data_options)
    year = app.year_slider("x_year", list(fed.years),
                           default=base.years[-1] if base.years else None)

# ------------------------------------------------------------------ key options
own = options.key_options(base)
taxes = list(fed.taxes)


def parse_taxes(text: str) -> list[str]:
    wanted = [part.split(":")[0] for part in text.split(",") if part]
    if any(t not in taxes for t in wanted):
        raise ValueError(text)
    return wanted


def parse_shares(text: str) -> dict[str, float]:
    return {tax: float(share) for tax, share in (p.split(":") for p in text.split(",") if p)}


K = OPTION_PREFIX
app.seed(K + "taxes", "taxes", parse=parse_taxes)
st.session_state.setdefault(K + "taxes", [t for t in own["devolution"] if t in taxes])
url_shares = {}
if "taxes" in st.query_params:
    try:
        url_shares = parse_shares(st.query_params["taxes"])
    except ValueError:
        url_shares = {}


def equalisation_widgets() -> tuple[float, float]:
    """The rate and standard of the scenario's first gap-fill or symmetric step."""
    app.seed(K + "rate", "rate", parse=float)
    st.session_state.setdefault(K + "rate", float(own["rate"] or 0.0))
    st.session_state[K + "rate"] = min(1.0, max(0.0, st.session_state[K + "rate"]))
    rate = st.slider("Equalisation rate (share of the gap closed)", 0.0, 1.0, step=0.05,
                     key=K + "rate",
                     help="Of the scenario's first gap-fill or symmetric step; without "
                          "one, a rate above 0 adds a gap-fill.")
    app.seed(K + "fraction", "fraction", parse=float)
    st.session_state.setdefault(K + "fraction", float(own["standard_fraction"]))
    st.session_state[K + "fraction"] = min(1.5, max(0.5, st.session_state[K + "fraction"]))
    fraction = st.slider(f"Standard: share of the {own['standard_kind'].replace('_', ' ')}",
                         0.5, 1.5, step=0.01, key=K + "fraction",
                         disabled=not own["has_standard"],
                         help="The per-head level the gap is measured against "
                              "(1 = the average; 0.9 = 90% of it)." if own["has_standard"]
                         else "The scenario's symmetric step always equalises towards "
                              "the average.")
    return rate, fraction


st.caption(f"**{app.scenario_label(base.name) if base.name in app.library() else base.name}**: "
           f"{base.description or 'no description'}")
with st.container(border=True):
    st.markdown("**Key options** (start from the scenario's own values)")
    col_tax, col_eq = st.columns([3, 2], gap="large")
    with col_tax:
        devolved = st.multiselect("Taxes devolved", taxes, key=K + "taxes",
                                  format_func=style.tax_label)
        shares = {}
        # no empty columns: on a phone they stack into blank space
        share_columns = st.columns(min(3, len(devolved))) if devolved else []
        for k, tax in enumerate(devolved):
            key = f"{K}share_{tax}"
            if key not in st.session_state:
                value = url_shares.get(tax, own["devolution"].get(tax, 1.0))
                st.session_state[key] = min(1.0, max(0.0, float(value)))
            with share_columns[k % len(share_columns)]:
                shares[tax] = st.slider(f"{style.tax_label(tax)}: share devolved",
                                        0.0, 1.0, step=0.05, key=key)
    with col_eq:
        if own["own_mechanism"]:
            # the scenario equalises by its own steps: Explore's rate is not its mechanism
            rate = fraction = None
            st.markdown("**Equalisation: the scenario's own rule**")
            st.caption("This scenario equalises by its own steps: "
                       + "; ".join(f"**{label}**" for label in own["own_mechanism"])
                       + ". Their settings are kept as written (Explore's equalisation rate "
                         "and standard are not this rule, so they are not offered); change "
                         "them in the Scenario editor.")
        else:
            rate, fraction = equalisation_widgets()
        app.seed(K + "guarantee", "guarantee", parse=lambda v: v == "1")
        st.session_state.setdefault(K + "guarantee", own["guarantee"])
        guarantee = st.toggle("Minimum guarantee", key=K + "guarantee",
                              help="Lifts regions below the floor index to the target index "
                                   "(Switzerland's resource equalisation).")
        floor = None
        if guarantee and own["target_index"] is not None:
            top = float(own["target_index"]) - 0.5
            app.seed(K + "floor", "floor", parse=float)
            st.session_state.setdefault(K + "floor", float(own["floor_index"]))
            st.session_state[K + "floor"] = min(top, max(0.0, st.session_state[K + "floor"]))
            floor = st.slider(f"Guarantee floor (index, average = 100; target "
                              f"{own['target_index']:g})", 0.0, top, step=0.5,
                              key=K + "floor")

# ------------------------------------------------------------------ run
try:
    scenario = options.with_key_options(
        app.on_data(base, dataset, data_options, year), devolution=shares, rate=rate,
        standard_fraction=fraction, guarantee=guarantee, floor_index=floor)
    result = app.run(scenario)
    summary = result.summary()
    by_region = result.by_region()
except app.USER_ERRORS as exc:
    app.show_error(exc, "This combination of options")
    st.stop()

# ------------------------------------------------------------------ link
# A library scenario: its name and the options (short, readable). Anything else (an
# upload, one of the user's own, a link's): the whole scenario as shown, so the link
# reproduces exactly these figures.
if chosen in library:
    app.share(scenario=chosen, dataset=dataset, year=year, **data_options,
              taxes=",".join(f"{t}:{shares[t]:g}" for t in devolved),
              rate=None if rate is None else f"{rate:g}",
              fraction=None if fraction is None else f"{fraction:g}", guarantee=int(guarantee),
              floor=None if floor is None else f"{floor:g}")
else:
    app.share(**carry.link_params(None, scenario))

cur = result.currency
unit = style.per_head_label(cur, year)
exact = chosen != UPLOAD and scenario == app.on_data(base, dataset, data_options, year)

# ------------------------------------------------------------------ system figures
cards = results.summary_metrics(summary, cur, year)
for row in (cards[:3], cards[3:]):
    for column, card in zip(st.columns(3), row):
        column.metric(card["label"], card["value"], card["delta"],
                      delta_color=card["delta_color"], help=card["help"], border=True)

# ------------------------------------------------------------------ regions
this_year = by_region[by_region["year"] == year]
n_regions = len(this_year)
#: datasets with hundreds of areas show the largest gains and losses in the bar charts
SHOWN = 20
codes = (maps.extremes(this_year, f"change_per_head_{cur.lower()}", SHOWN)
         if n_regions > 2 * SHOWN else None)
left, right = st.columns([3, 2], gap="medium")
with left:
    st.subheader(f"Resources per head, before and after ({unit})")
    if codes is not None:
        st.caption(f"The {SHOWN} largest and the {SHOWN} smallest changes per head of "
                   f"{n_regions} areas; the table below lists every area.")
    resources_fig = results.resources_figure(result, year, codes=codes)
    st.plotly_chart(resources_fig, key="x_resources")
    st.caption(glossary.result_summary(result, year))
    if scenario.steps:
        st.caption(glossary.explain_abbreviations(
            "Steps: " + "; ".join(step.display_label for step in scenario.steps) + "."))
with right:
    hexes = app.hexmap(dataset)
    kind = "Boundaries"
    if hexes is not None:
        kind = st.radio("Map", ["Hex map", "Boundaries"], key="x_map_kind", horizontal=True,
                        help="Hex map: every area the same size, so small urban ones show.")
    geojson = hexes if kind == "Hex map" else app.boundaries(dataset)
    st.subheader(f"Change in resources per head ({unit})")
    if geojson is not None:
        st.plotly_chart(maps.change_map(
            this_year, geojson, f"change_per_head_{cur.lower()}",
            title="Blue gains, orange losses", unit=f"{cur} per head", height=620),
            key="x_map", config=maps.MAP_CONFIG)
        st.caption(glossary.range_summary(
            this_year["region"], this_year[f"change_per_head_{cur.lower()}"],
            what="Change in resources per head", unit=f"{cur} per head", year=year))
    else:
        st.info("No map for this dataset (it ships no boundaries).")

table = results.region_table(by_region, cur, year)
change = [c for c in table.columns if c.startswith("Change")]
st.markdown(f"**Resources per head by region** ({unit}; index: average = 100)")
st.dataframe(style.gain_loss_style(table, change).format(
                 "{:,.0f}", subset=[c for c in table.columns[1:] if c not in change]),
             hide_index=True, key="x_table",
             height=style.table_height(len(table)) if len(table) <= 20 else "auto",
             # short headers (the unit and year are in the line above), so every column shows
             column_config={c: c.split(" (")[0] for c in table.columns[1:]})

need_table = needs_presentation.need_adjusted_table(by_region, year)
if need_table is not None:
    st.subheader(f"Funding against assessed need ({year})")
    st.caption("Resources per head relative to the average, divided by assessed spending need "
               "(the spending needs model: see the Needs page): 100 = funded exactly at need.")
    st.markdown("**Need and funding against need by region** (index: 100 = UK average need, "
                f"or funded exactly at need; {year})")
    st.dataframe(need_table.round(1), hide_index=True, key="x_need_table",
                 height=style.table_height(len(need_table)) if len(need_table) <= 20
                 else "auto",
                 # short headers (the unit and year are in the line above), so every column shows
                 column_config={c: c.split(" (")[0].replace("Funded relative to need",
                                                           "Funded vs need")
                                for c in need_table.columns[1:]})

st.subheader(f"Marginal equalisation rates ({year})")
st.caption("Of an extra pound of a region's own devolved tax base, the share it loses: through "
           "the block grant adjustment, its own rates, or each transfer. 0 = it keeps the pound.")
try:
    rates = result.marginal_equalisation_rates()
except app.USER_ERRORS as exc:
    st.info(f"No marginal rates: {app.error_text(exc)}")
else:
    if codes is not None:
        st.caption(f"The same {2 * SHOWN} areas as the bar chart above.")
    st.plotly_chart(results.marginal_rates_figure(rates, year, codes=codes),
                    key="x_rates")
    shown_rates = rates[rates["year"] == year]
    st.caption(glossary.range_summary(
        shown_rates["region"], 100 * shown_rates["marginal_equalisation_rate"],
        what="Share of an extra pound of own tax base lost", unit="%", year=year))

# ------------------------------------------------------------------ carry on, download
carry.actions(scenario, chosen if exact and chosen in choices and chosen != "starter" else None,
              "x", default_name=f"{base.name} (my version)")
st.subheader("Downloads")
carry.downloads("x", tables=lambda: export.result_download_tables(result), scenario=scenario,
                federation=result.federation, figure=resources_fig,
                stem=f"{scenario.name}_{year}", report=False)
carry.manage_store("x")
