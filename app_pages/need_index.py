"""Need index: the mission composite of England's 296 local authorities, its
rank uncertainty, missions, quadrants and regional shares (simulator.need_index)."""

import streamlit as st

from app_pages import _carry as carry
from app_pages import _shared as app
from simulator.presentation import maps, need_index, style
from simulator.need_index import (AGGREGATIONS, NORMALISATIONS, WEIGHTINGS,
                                  need_spend_quadrants, quadrant_counts,
                                  top_need_share_by_group)

st.title("Need index: England's local authorities")
try:
    fed = app.federation(app.LA_DATASET)
except app.USER_ERRORS as exc:
    app.show_error(exc, "The local authority dataset")
    st.stop()
year = fed.years[-1]
st.caption(f"{len(fed.codes)} lower-tier authorities (2023 codes), dataset year {year}. The "
           "composite combines the missions' indicators (ONS subnational indicators, IoD "
           "2019; mostly 2019-2023 data) after the OECD/JRC handbook: normalise, weight, "
           "aggregate. Scores have no money unit: above the typical authority = more need.")

# ------------------------------------------------------------------ method
with st.sidebar:
    st.header("Method")
    app.seed("n_norm", "normalisation", list(NORMALISATIONS))
    normalisation = st.selectbox("Normalisation", NORMALISATIONS, key="n_norm",
                                 help="zscore: standard deviations from the mean; minmax: 0-1; "
                                      "rank: percentile; distance: ratio to the England mean.")
    app.seed("n_weight", "weighting", list(WEIGHTINGS))
    st.session_state.setdefault("n_weight", "given")
    weighting = st.selectbox("Weighting", WEIGHTINGS, key="n_weight",
                             help="given: the missions file's weights; equal; pca: principal "
                                  "components.")
    app.seed("n_agg", "aggregation", list(AGGREGATIONS))
    aggregation = st.selectbox("Aggregation", AGGREGATIONS, key="n_agg")
method = (normalisation, weighting, aggregation)
try:
    index = app.la_need_index(*method)
except app.USER_ERRORS as exc:
    app.show_error(exc, "This method")
    st.stop()
frame = index.to_frame()
titles = dict(zip(index.missions, index.mission_titles))
all_titles = {m: spec.title for m, spec in index.config.missions.items()}
unavailable = index.unavailable_missions
score_unit = f"composite need score ({normalisation}; {year})"
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
    st.subheader(f"{measures[shown]} by authority ({normalisation} score, {year})")
    if geojson is None:
        st.info("No map for this dataset.")
    else:
        st.plotly_chart(maps.change_map(
            frame.rename(columns={"name": "region"}), geojson, shown,
            title="Darker = more need", unit=f"score ({normalisation})", height=640,
            sequential=True, tickformat=".2f"), key="n_map_chart", config=maps.MAP_CONFIG)

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
    ordered = list(frame.sort_values(["rank", "code"])["name"])
    app.seed("n_area", "area", ordered)
    st.session_state.setdefault("n_area", ordered[0])
    area = st.selectbox("Authority", ordered, key="n_area",
                        help="Highlighted in the ranking and broken down by mission below.")
    try:
        intervals = app.la_rank_intervals(*method, draws, seed)
    except app.USER_ERRORS as exc:
        app.show_error(exc, "The rank intervals")
        st.stop()
    top = intervals.frame
    st.plotly_chart(need_index.rank_interval_figure(top, n=25, highlight=names[area]),
                    key="n_ranks")
    own = top.set_index("code").loc[names[area]]
    st.caption(f"Each draw re-weights the indicators and missions (Dirichlet around the chosen "
               f"weights) and picks a normalisation ({', '.join(intervals.methods)}). "
               f"{area}: rank {own['rank']}, 5th-95th percentile {own['rank_low']}-"
               f"{own['rank_high']} over {draws} draws (seed {seed}).")

st.dataframe(need_index.need_index_table(frame, index.missions, index.mission_titles,
                                           intervals.frame),
             hide_index=True, key="n_table", height=400,
             column_config={c: st.column_config.NumberColumn(format="%.3f")
                            for c in ["Composite need score"]
                            + [f"{t} (score)" for t in index.mission_titles]})

st.caption(f"All {len(frame)} authorities by rank: composite and mission scores "
           f"({normalisation}, {weighting} weights, {aggregation} mean; {year}), population "
           "mid-2023, indicators imputed, and the simulated ranks.")

# ------------------------------------------------------------------ missions
st.subheader(f"Mission breakdown: {area} ({normalisation} scores, {year})")
left, right = st.columns([1, 1], gap="medium")
with left:
    st.plotly_chart(need_index.mission_figure(frame, names[area], index.missions,
                                                index.mission_titles, unavailable, all_titles),
                    key="n_missions")
with right:
    report = index.report[["mission_title", "indicator", "higher_means", "status", "coverage",
                           "weight_in_mission"]].rename(columns={
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
    pct = [c for c in tops.columns if c.endswith("(%)")]
    st.dataframe(tops.style.format("{:.1f}", subset=pct), hide_index=True, key="n_top_table",
                 height=style.table_height(len(tops)))

app.share(normalisation=normalisation, weighting=weighting, aggregation=aggregation,
          map=kind, measure=shown, draws=draws, seed=seed, area=area, top=f"{share:g}")

st.subheader(f"Downloads ({year})")
carry.downloads("n", tables=lambda: {
    "need index": need_index.need_index_table(frame, index.missions, index.mission_titles,
                                              intervals.frame).round(4),
    "indicators": report, "top share": tops},
    scenario=None, federation=fed, stem=f"need_index_{normalisation}_{weighting}_{year}",
    report=False, notes=(f"Need index: {normalisation} normalisation, {weighting} weights, "
                         f"{aggregation} mean; {draws} draws, seed {seed}",))
