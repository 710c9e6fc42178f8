"""Need index: the mission composite of England's 296 local authorities, its
rank uncertainty, missions, quadrants and regional shares (simulator.need_index)."""

import streamlit as st

from app_pages import _carry as carry
from app_pages import _shared as app
from simulator.need_index import load_missions
from simulator.presentation import glossary, maps, need_controls, need_index, style
from simulator.need_index import (AGGREGATIONS, NORMALISATIONS, WEIGHTINGS,
                                  need_spend_quadrants, quadrant_counts,
                                  top_need_share_by_group)

st.set_page_config(page_title=glossary.PAGE_TITLES["need_index"])
st.title("Need index: England's local authorities")
try:
    fed = app.federation(app.LA_DATASET)
except app.USER_ERRORS as exc:
    app.show_error(exc, "The local authority dataset")
    st.stop()
year = fed.years[-1]
st.caption(f"{len(fed.codes)} lower-tier authorities (2023 codes), dataset year {year}. The "
           "composite combines the missions' indicators (ONS subnational indicators, IoD "
           "2025; mostly 2019-2024 data) after the OECD/JRC handbook: normalise, weight, "
           "aggregate. Scores have no money unit: above the typical authority = more need.")

# ------------------------------------------------------------------ method
with st.sidebar:
    st.header("Method")
    app.seed("n_norm", "normalisation", list(NORMALISATIONS))
    NORM_WORDS = {"zscore": "Standard deviations", "minmax": "Scaled 0 to 1",
                  "rank": "Percentile rank", "distance": "Ratio to the mean"}
    normalisation = st.selectbox("Normalisation", NORMALISATIONS, key="n_norm",
                                 format_func=lambda n: NORM_WORDS.get(n, n),
                                 help="How each indicator is put on a common scale before "
                                      "weighting: standard deviations from the mean, scaled 0 "
                                      "to 1, percentile rank, or ratio to the England mean.")
    app.seed("n_weight", "weighting", list(WEIGHTINGS))
    st.session_state.setdefault("n_weight", "given")
    WEIGHT_WORDS = {"given": "Sliders below", "equal": "Equal",
                    "pca": "From the data"}
    weighting = st.selectbox("Weighting", WEIGHTINGS, key="n_weight",
                             format_func=lambda w: WEIGHT_WORDS.get(w, w),
                             help="How indicators within a mission, and missions in the "
                                  "composite, are weighted: by the sliders below, equally, or "
                                  "from the data (principal components).")
    app.seed("n_agg", "aggregation", list(AGGREGATIONS))
    AGG_WORDS = {"arithmetic": "Arithmetic mean", "geometric": "Geometric mean"}
    aggregation = st.selectbox("Aggregation", AGGREGATIONS, key="n_agg",
                               format_func=lambda a: AGG_WORDS.get(a, a),
                               help="Arithmetic: strengths offset weaknesses; geometric: less "
                                    "offsetting.")
    st.header("Weights")
    config = load_missions()
    from simulator.data.england_la import load_indicator_metadata
    DESCRIPTIONS = load_indicator_metadata().set_index("indicator")["description"].to_dict()
    fixed = weighting != "given"
    why = ("Used with weighting 'given'; this weighting sets its own weights." if fixed else
           "Relative weight; weights are rescaled to sum to 1.")
    mission_weights, indicator_weights = {}, {}
    for mission, spec in config.missions.items():
        if not spec.available:
            continue
        mission_weights[mission] = st.slider(
            f"Mission: {spec.title}", 0.1, 5.0, float(spec.weight), 0.1,
            key=f"n_w_{mission}", disabled=fixed, help=why)
        with st.expander(f"Indicators of '{spec.title}'"):
            for indicator in spec.indicators:
                indicator_weights[indicator.id] = st.slider(
                    DESCRIPTIONS.get(indicator.id, indicator.id.replace("_", " ").capitalize()),
                    0.1, 5.0,
                    float(indicator.weight), 0.1, key=f"n_wi_{indicator.id}", disabled=fixed,
                    help=(indicator.note or why))
weights = (need_controls.weight_key(mission_weights, indicator_weights)
           if weighting == "given" else ())
method = (normalisation, weighting, aggregation)
try:
    index = app.la_need_index(*method, weights)
except app.USER_ERRORS as exc:
    app.show_error(exc, "This method")
    st.stop()
frame = index.to_frame()
titles = dict(zip(index.missions, index.mission_titles))
all_titles = {m: spec.title for m, spec in index.config.missions.items()}
unavailable = index.unavailable_missions
scale = NORM_WORDS.get(normalisation, normalisation).lower()
score_unit = f"composite need score ({scale}; {year})"
regions = sorted(set(frame["group"])) if "group" in frame else []
app.seed("n_regions", "regions", parse=lambda text: [r for r in text.split(",") if r in regions])
chosen_regions = st.multiselect("Regions shown (none chosen: all of England)", regions,
                                key="n_regions",
                                help="Shows only these regions' authorities in the map, the "
                                     "ranking and the tables; the index is still England's.")
shown_frame = need_controls.filter_regions(frame, "group", chosen_regions)
for mission, why in unavailable.items():
    st.warning(f"**{all_titles.get(mission, mission)}**: unavailable, no data. {why}",
               icon=":material/block:")

# ------------------------------------------------------------------ map
left, right = st.columns([3, 2], gap="medium")
with left:
    measures = {"composite": "Composite need"} | {
        f"{m}_index": f"{titles[m]} (mission)" for m in index.missions}
    c1, c2 = st.columns(2)
    app.seed("n_map", "map", ["Hex map", "Boundaries"])
    kind = c1.radio("Map", ["Hex map", "Boundaries"], key="n_map", horizontal=True,
                    help="Hex map: every authority the same size, so small urban ones show.")
    app.seed("n_measure", "measure", list(measures))
    shown = c2.selectbox("Colour by", list(measures), key="n_measure", format_func=measures.get)
    geojson = app.hexmap(app.LA_DATASET) if kind == "Hex map" else app.boundaries(app.LA_DATASET)
    st.subheader(f"{measures[shown]} by authority (score: {scale}, {year})")
    if geojson is None:
        st.info("No map for this dataset.")
    else:
        st.plotly_chart(maps.change_map(
            shown_frame.rename(columns={"name": "region"}), geojson, shown,
            title="Darker = more need", unit=f"score ({scale})", height=640,
            sequential=True, tickformat=".2f"), key="n_map_chart", config=maps.MAP_CONFIG)
        st.caption(glossary.range_summary(shown_frame["name"], shown_frame[shown],
                                          what=f"Map: {measures[shown].lower()}",
                                          unit=f"score, {scale}", year=year))

# ------------------------------------------------------------------ ranking with uncertainty
with right:
    st.subheader("Ranking with uncertainty (1 = most need)")
    c1, c2 = st.columns(2)
    DRAWS = [100, 200, 500, 1000, 2000]
    app.seed("n_draws", "draws", DRAWS, parse=int)
    st.session_state.setdefault("n_draws", 500)
    draws = c1.select_slider("Monte-Carlo draws", DRAWS, key="n_draws")
    app.seed("n_seed", "seed", parse=int)
    st.session_state.setdefault("n_seed", 0)
    seed = int(c2.number_input("Seed", 0, 1_000_000, step=1, key="n_seed"))
    names = dict(zip(frame["name"], frame["code"]))
    ordered = list(shown_frame.sort_values(["rank", "code"])["name"])
    app.seed("n_area", "area", ordered)
    if st.session_state.get("n_area") not in ordered:
        st.session_state["n_area"] = ordered[0]
    area = st.selectbox("Authority", ordered, key="n_area",
                        help="Highlighted in the ranking and broken down by mission below.")
    try:
        intervals = app.la_rank_intervals(*method, draws, seed, weights)
    except app.USER_ERRORS as exc:
        app.show_error(exc, "The rank intervals")
        st.stop()
    top = intervals.frame
    shown_ranks = top[top["code"].isin(shown_frame["code"])]
    st.plotly_chart(need_index.rank_interval_figure(shown_ranks, n=25, highlight=names[area]),
                    key="n_ranks")
    first_ranked = shown_ranks.sort_values("rank").head(1)
    if not first_ranked.empty:
        row = first_ranked.iloc[0]
        st.caption(f"Ranking chart: the {min(25, len(shown_ranks))} authorities with the most "
                   f"need shown; first is {row['name']} (rank {row['rank']}, 5th-95th "
                   f"percentile {row['rank_low']}-{row['rank_high']}).")
    own = top.set_index("code").loc[names[area]]
    st.caption(f"Each draw re-weights the indicators and missions (Dirichlet around the chosen "
               f"weights) and picks a normalisation "
               f"({', '.join(NORM_WORDS.get(m, m).lower() for m in intervals.methods)}). "
               f"{area}: rank {own['rank']}, 5th-95th percentile {own['rank_low']}-"
               f"{own['rank_high']} over {draws} draws (seed {seed}).")

st.dataframe(need_index.need_index_table(shown_frame, index.missions, index.mission_titles,
                                           intervals.frame),
             hide_index=True, key="n_table", height=400,
             column_config={c: st.column_config.NumberColumn(format="%.3f")
                            for c in ["Composite need score"]
                            + [f"{t} (score)" for t in index.mission_titles]})

st.caption(f"{'All ' if not chosen_regions else ''}{len(shown_frame)} authorities by rank: "
           "composite and mission scores "
           f"({scale}, weights: {WEIGHT_WORDS[weighting].lower()}, {aggregation} mean; {year}), "
           "population "
           "mid-2023, indicators imputed, and the simulated ranks.")

# ------------------------------------------------------------------ missions
st.subheader(f"Mission breakdown: {area} (scores: {scale}, {year})")
left, right = st.columns([1, 1], gap="medium")
with left:
    st.plotly_chart(need_index.mission_figure(frame, names[area], index.missions,
                                                index.mission_titles, unavailable, all_titles),
                    key="n_missions")
    area_row = frame.set_index("code").loc[names[area]]
    st.caption(glossary.range_summary(
        index.mission_titles, [area_row[f"{m}_index"] for m in index.missions],
        what=f"{area}'s mission scores", unit=f"score, {scale}", year=year))
with right:
    report = index.report[["mission_title", "indicator", "higher_means", "status", "coverage",
                           "weight_in_mission"]].assign(
        indicator=lambda f: f["indicator"].map(lambda i: DESCRIPTIONS.get(i, i)),
        higher_means=lambda f: f["higher_means"].str.replace("_", " ")).rename(columns={
        "mission_title": "Mission", "indicator": "Indicator", "higher_means": "Higher means",
        "status": "Status", "coverage": "Coverage (share of authorities)",
        "weight_in_mission": "Weight in mission"})
    st.dataframe(report.fillna(""), hide_index=True, key="n_report", height=380,
                 column_config={"Coverage (share of authorities)":
                                st.column_config.NumberColumn(format="percent"),
                                "Weight in mission": st.column_config.NumberColumn(
                                    format="%.3f")})
    st.caption("Indicators published for fewer than 60% of authorities are dropped; other gaps "
               "take the region's mean (flagged in the table above as imputed).")

# ------------------------------------------------------------------ quadrant and top 20%
SPEND = "council_tax_per_head_gbp"
left, right = st.columns(2, gap="medium")
with left:
    st.subheader(f"High need, low spend ({year})")
    quadrants = need_spend_quadrants(index, fed.indicators[SPEND][-1], SPEND)
    st.plotly_chart(need_index.quadrant_figure(
        quadrants, SPEND, spend_unit=f"Council tax raised, GBP per head ({year})",
        score_unit=score_unit), key="n_quadrant")
    st.caption("Quadrant chart: " + ", ".join(
        f"{int(n)} authorities {q}" for q, n in quadrants["quadrant"].value_counts().items())
        + f" ({year}).")
    st.caption("Split at the medians across authorities. No current spending measure per "
               "authority is in the data, so spending is council tax raised per head (local "
               "tax resources, not total spending).")
    counts = quadrant_counts(quadrants).rename_axis(columns=None).reset_index().rename(
        columns={"group": "Region"})
    st.dataframe(counts, hide_index=True, key="n_quadrants",
                 height=style.table_height(len(counts)))
    st.caption(f"Authorities per region in each quadrant ({year}).")
with right:
    app.seed("n_share", "top", [0.1, 0.2, 0.25, 0.3, 0.5], parse=float)
    st.session_state.setdefault("n_share", 0.2)
    share = st.select_slider("Top share of need", [0.1, 0.2, 0.25, 0.3, 0.5], key="n_share",
                             format_func=lambda v: f"{v:.0%}")
    st.subheader(f"Share of each region's authorities in the top {share:.0%} ({year})")
    tops = need_index.top_share_table(top_need_share_by_group(index, share), share)
    st.plotly_chart(need_index.top_share_figure(tops, share), key="n_top")
    share_column = next(c for c in tops.columns if c.endswith("(%)"))
    st.caption(glossary.range_summary(tops["Region"], tops[share_column],
                                      what=f"Share of authorities in the top {share:.0%}",
                                      unit="%", year=year))
    pct = [c for c in tops.columns if c.endswith("(%)")]
    st.dataframe(tops.style.format("{:.1f}", subset=pct), hide_index=True, key="n_top_table",
                 height=style.table_height(len(tops)))

app.share(normalisation=normalisation, weighting=weighting, aggregation=aggregation,
          map=kind, measure=shown, draws=draws, seed=seed, area=area, top=f"{share:g}",
          regions=",".join(chosen_regions) or None)

st.subheader(f"Downloads ({year})")
carry.downloads("n", tables=lambda: {
    "need index": need_index.need_index_table(frame, index.missions, index.mission_titles,
                                              intervals.frame).round(4),
    "indicators": report, "top share": tops},
    scenario=None, federation=fed, stem=f"need_index_{normalisation}_{weighting}_{year}",
    report=False, notes=(f"Need index: {normalisation} normalisation, {weighting} weights, "
                         f"{aggregation} mean; {draws} draws, seed {seed}",))
