"""Neighbourhoods: England's 33,755 small areas (LSOAs) ranked by need, inequality within
and between places, and a neighbourhood fund with each area's probability of selection."""

import numpy as np
import streamlit as st

from app_pages import _shared as app
from simulator.data.england_lsoa import load_neighbourhoods
from simulator.neighbourhoods import left_behind_by_place, selection_probability
from simulator.presentation import MAP_CONFIG, change_map
from simulator.presentation import neighbourhoods as show
from simulator.steps import NeighbourhoodFund
from simulator.presentation import glossary

st.set_page_config(page_title=glossary.PAGE_TITLES["neighbourhoods"])
st.title("Neighbourhoods: England's 33,755 small areas")
st.caption("LSOAs (2021), Census 2021 residents; English Indices of Deprivation 2025 (MHCLG); "
           "Community Needs Index 2023 (OCSI for Local Trust; higher = more need). Crown "
           "copyright, OGL v3.0. Year label 2025-26.")


@st.cache_resource(show_spinner=False)
def hoods():
    return load_neighbourhoods()


@st.cache_data(show_spinner=False)
def fund(rule: str, places: int, pot_m: float, share: str, two_tiers: bool,
         minimum_share: float, taper: int):
    h = hoods()
    step = NeighbourhoodFund(
        amount=float(pot_m) * 1e6, selection=rule,
        places=int(places) if rule != "both_top_decile" else None, share=share,
        taper=int(taper) if rule != "both_top_decile" else 0,
        authority_indicator="authority_index" if two_tiers else None,
        minimum_share=float(minimum_share) if two_tiers else 0.0)
    return step.allocate(h.codes, h.population, h.indicators())


@st.cache_data(show_spinner=False)
def probability(rule: str, places: int, draws: int, noise: float):
    h = hoods()
    measures = [h["cni_score"], h["imd_score"]]
    if rule == "both_top_decile":
        result = selection_probability(measures, rule="both_top_decile", draws=draws,
                                       noise=noise)
    else:
        weights = [1.0, 0.0] if rule == "top_n" else [1.0, 1.0]
        normalisations = ("zscore",) if rule == "top_n" else ("rank",)
        result = selection_probability(measures, weights, places=places, draws=draws,
                                       noise=noise, normalisations=normalisations,
                                       concentration=20.0 if rule == "composite" else np.inf)
    return result.probability


@st.cache_data(show_spinner=False)
def decomposition(measure: str):
    h = hoods()
    return show.decomposition_table(h, h[measure], show.MEASURES[measure])[0]


@st.cache_data(show_spinner=False)
def regions(measure: str):
    return show.region_table(hoods(), measure)


@st.cache_data(show_spinner=False)
def left_behind(level: str):
    return left_behind_by_place(level)


h = hoods()
regions_frame = h.regions
authorities = h.authorities.sort_values("name")

# ------------------------------------------------------------------ choices
with st.sidebar:
    st.header("Place")
    level = st.radio("Show", ["Region", "Authority", "England"], key="nb_level",
                     horizontal=True)
    if level == "Region":
        code = st.selectbox("Region", regions_frame["code"], key="nb_region",
                            format_func=dict(zip(regions_frame["code"],
                                                 regions_frame["name"])).get)
        place = dict(zip(regions_frame["code"], regions_frame["name"]))[code]
    elif level == "Authority":
        names = dict(zip(authorities["code"], authorities["name"]))
        code = st.selectbox("Authority", authorities["code"], key="nb_authority",
                            format_func=names.get,
                            index=int(np.flatnonzero(authorities["code"] == "E06000002")[0]))
        place = names[code]
    else:
        code, place = None, "England"
    measure = st.selectbox("Measure", list(show.MEASURES), key="nb_measure",
                           format_func=show.MEASURES.get)
    st.header("Fund")
    pot_m = st.number_input("Pot (GBP m a year)", min_value=1.0, max_value=10_000.0,
                            value=100.0, step=10.0, key="nb_pot")
    rule = st.selectbox("Who is picked", list(show.RULES), key="nb_rule",
                        format_func=show.RULES.get)
    places = st.slider("Neighbourhoods picked (N)", 100, 5000, 1262, 1, key="nb_places",
                       disabled=rule == "both_top_decile")
    taper = st.slider("Taper after N (places)", 0, 1000, 0, 50, key="nb_taper",
                      disabled=rule == "both_top_decile",
                      help="The next places get a share falling linearly to 0: no cliff.")
    share = st.radio("Share", ["per_head", "per_need", "equal"], key="nb_share",
                     horizontal=True, format_func={"per_head": "per head", "per_need": "per need",
                                                   "equal": "equal"}.get,
                     help="Per need: per head times the Community Needs Index score.")
    two_tiers = st.toggle("Two tiers: national -> authorities -> neighbourhoods",
                          value=False, key="nb_tiers")
    minimum_share = st.slider("Authority minimum (share of its per-head amount)", 0.0, 0.9,
                              0.0, 0.05, key="nb_minimum", disabled=not two_tiers,
                              help="Australia's FAGs guarantee each council 30% of its "
                                   "per-capita share.")
    draws = st.select_slider("Draws for selection probabilities", [100, 200, 500, 1000],
                             value=200, key="nb_draws")
    noise = st.slider("Indicator noise (share of a standard deviation)", 0.0, 0.5, 0.1, 0.05,
                      key="nb_noise")

mask = show.place_mask(h, level, code)
try:
    allocation, weight = fund(rule, places, pot_m, share, two_tiers, minimum_share, taper)
    chance = probability(rule, places, draws, noise)
except app.USER_ERRORS as exc:
    app.show_error(exc, "This fund")
    st.stop()

# ------------------------------------------------------------------ headline
label = show.MEASURES[measure]
pop = h.population[mask]
c = st.columns(4)
c[0].metric("Neighbourhoods (LSOAs)", f"{int(mask.sum()):,}")
c[1].metric("Residents (Census 2021)", f"{int(pop.sum()):,}")
c[2].metric("Residents in the most deprived IMD 2025 decile",
            f"{100 * pop[h['imd_decile'][mask] == 1].sum() / pop.sum():.1f}%")
c[3].metric("Fund here (GBP a year, 2025-26)", f"GBP {allocation[mask].sum() / 1e6:,.2f} m",
            help=f"{int((allocation[mask] > 0).sum())} neighbourhoods funded")

reach = show.fund_reach(h, allocation)
st.caption("Where the whole fund goes (% of GBP {:,.0f} m, England): ".format(pot_m)
           + "; ".join(f"{name} {value:.1f}%" for name, value in reach.items()))

# ------------------------------------------------------------------ ranked table
st.subheader(f"{place}: neighbourhoods ranked by {label} (1 = most need)")
table = show.place_table(h, mask, measure, allocation, weight, chance)
# a column per index, name and place: scrolls sideways by design (the key names it for the
# layout tests)
with st.container(key="nb_table_frame"):
    st.dataframe(table, hide_index=True, height=360, key="nb_table",
                 column_config={"Probability selected": st.column_config.ProgressColumn(
                     "Probability selected", min_value=0.0, max_value=1.0, format="%.2f"),
                     "Fund (GBP a year)": st.column_config.NumberColumn(format="%.0f"),
                     "Fund per head (GBP)": st.column_config.NumberColumn(format="%.2f")})
st.download_button("Download this table (CSV)", table.to_csv(index=False).encode(),
                   file_name=f"neighbourhoods_{(code or 'england').lower()}_{measure}.csv",
                   mime="text/csv", key="nb_download")
knife = int(((chance[mask] > 0.2) & (chance[mask] < 0.8)).sum())
varied = ("CNI and IMD deciles" if rule == "both_top_decile"
          else "weights drawn around the choice")
st.caption(f"Probability selected: share of {draws} draws (indicator noise {noise:.2f} sd, "
           f"{varied}) "
           f"in which the neighbourhood is picked; {knife} here are knife-edge (0.2-0.8).")

left, right = st.columns(2, gap="medium")
with left:
    st.plotly_chart(show.distribution_figure(h, mask, measure, place), key="nb_hist")
with right:
    st.subheader(f"{label}, mean by authority (population-weighted)")
    hexmap = app.hexmap(app.LA_DATASET)
    frame = show.authority_map_frame(h, h[measure])
    if level != "England":
        frame = frame[np.isin(frame["code"], h.authorities["code"].to_numpy()[
            np.unique(h.la[mask])])]
    st.plotly_chart(change_map(frame, hexmap, "value", title="Darker = higher",
                               unit=label, height=380, sequential=True, tickformat=".3g"),
                    key="nb_map", config=MAP_CONFIG)

# ------------------------------------------------------------------ within and between
st.subheader(f"Inequality of {label} across England's LSOAs: between and within places")
st.dataframe(decomposition(measure), hide_index=True, key="nb_decomposition",
             column_config={c: st.column_config.NumberColumn(format="%.4f")
                            for c in ("Theil T", "Theil L")})
st.caption("Theil T and L (population-weighted, Census 2021) split exactly: the parts add up "
           "to the total. A reform that narrows gaps between regions but not within them "
           "shrinks only the first row.")
region_rows = regions(measure)
st.markdown(f"**By region** (residents: Census 2021; mean {label}: population-weighted; "
            "shares: % of residents in the most deprived IMD 2025 decile and in left-behind "
            "LSOAs, 2023)")
st.dataframe(region_rows, hide_index=True, key="nb_regions",
             # short headers (units and years in the line above), so every column shows
             column_config=dict(zip(region_rows.columns[1:], [
                 "Residents", f"Mean {label}", "Theil T within region",
                 "% most deprived decile", "% in left-behind LSOAs"][:len(region_rows.columns) - 1])))

# ------------------------------------------------------------------ Local Trust
st.subheader("Left behind: Local Trust's 225 wards (CNI 2019) and 1,262 LSOAs (CNI 2023 and "
             "IMD 2025)")
lt = left_behind("region" if level == "England" else "authority")
if level == "Region":
    lt = lt[lt["region_name"] == place]
elif level == "Authority":
    lt = lt[lt["code"] == code]
with st.container(key="nb_left_behind_frame"):  # wide by design, as the ranked table
    st.dataframe(show.left_behind_table(lt), hide_index=True, key="nb_left_behind",
                 column_config={"% of residents in left-behind LSOAs":
                                st.column_config.NumberColumn(format="%.1f")})
st.subheader("The fund by authority (GBP a year, 2025-26)")
st.dataframe(show.authority_table(h, allocation, chance).query("`Fund (GBP a year)` > 0")
             .sort_values("Fund (GBP a year)", ascending=False), hide_index=True,
             key="nb_authorities", height=260,
             # short headers (the unit and year in the subheader; expected selections are
             # the sum of the neighbourhoods' probabilities), so every column shows
             column_config={"Fund (GBP a year)": st.column_config.NumberColumn(
                                "Fund", format="%.0f"),
                            "Fund per head (GBP)": st.column_config.NumberColumn(
                                "Fund per head", format="%.2f"),
                            "Neighbourhoods funded": "Funded LSOAs",
                            "Expected selections (sum of probabilities)":
                                st.column_config.NumberColumn("Expected selections",
                                                              format="%.1f")})
st.caption("Fund and fund per head in GBP a year (2025-26); expected selections: the sum of "
           "each neighbourhood's probability of being selected.")
