"""Tables and figures for the Neighbourhoods page: England's 33,755 LSOAs.

Drawing and table layout only; every number comes from the public API
(:mod:`simulator.data.england_lsoa`, :mod:`simulator.inequality`,
:mod:`simulator.neighbourhoods`).  Every figure and table names its unit and year.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from .style import wrap_title

from ..data.england_lsoa import Neighbourhoods
from ..inequality import Decomposition, group_theil, share_in, theil_decomposition

__all__ = ["MEASURES", "RULES", "LEFT_BEHIND_COLUMNS", "left_behind_table", "place_mask",
           "place_table", "distribution_figure", "fund_reach",
           "decomposition_table", "region_table", "authority_table", "authority_map_frame"]

#: measures offered (all > 0 everywhere, so Theil indices are defined): column -> label
MEASURES: Mapping[str, str] = {
    "imd_score": "IMD 2025 score",
    "cni_score": "Community Needs Index 2023 score",
    "imd_income_score": "Income deprivation 2025 (share of people)",
    "imd_employment_score": "Employment deprivation 2025 (share of working age)",
    "imd_education_score": "Education, skills and training 2025 score",
    "imd_barriers_score": "Barriers to housing and services 2025 score",
    "imd_living_environment_score": "Living environment 2025 score",
    "cni_connectedness_score": "CNI 2023 connectedness score",
    "cni_engaged_community_score": "CNI 2023 active and engaged community score",
}

#: selection rules offered: key -> label
RULES: Mapping[str, str] = {
    "both_top_decile": "Most needy decile on both CNI and IMD (Local Trust)",
    "top_n": "Top N by Community Needs Index",
    "composite": "Top N by rank average of CNI and IMD (composite)",
}


def place_mask(hoods: Neighbourhoods, level: str, code: str | None) -> np.ndarray:
    """LSOAs of a region or authority (by code); all of England for ``level="England"``."""
    if level == "England" or code is None:
        return np.ones(hoods.n, dtype=bool)
    if level == "Region":
        index = int(np.flatnonzero(hoods.regions["code"].to_numpy() == code)[0])
        return hoods.region == index
    index = int(np.flatnonzero(hoods.authorities["code"].to_numpy() == code)[0])
    return hoods.la == index


def place_table(hoods: Neighbourhoods, mask: np.ndarray, measure: str,
                allocation: np.ndarray | None = None, weight: np.ndarray | None = None,
                probability: np.ndarray | None = None) -> pd.DataFrame:
    """The place's neighbourhoods ranked by ``measure`` (1 = highest = most need)."""
    values = hoods[measure]
    national = np.empty(hoods.n, dtype=np.int64)
    national[np.lexsort((np.arange(hoods.n), -values))] = np.arange(1, hoods.n + 1)
    label = MEASURES.get(measure, measure)
    index = np.flatnonzero(mask)
    frame = pd.DataFrame({
        "LSOA": hoods.codes[index],
        "Name": hoods.names[index],
        "Authority": hoods.authorities["name"].to_numpy()[hoods.la[index]],
        "Ward (2024)": hoods.wards["name"].to_numpy()[hoods.ward[index]],
        "Rural-urban (2021)": hoods.ruc21[index],
        "Residents (Census 2021)": hoods.population[index].astype(np.int64),
        label: values[index],
        "Rank in England": national[index],
        "IMD 2025 decile": hoods["imd_decile"][index].astype(np.int64),
        "CNI 2023 rank": hoods["cni_rank"][index].astype(np.int64),
        "Left behind (2023)": hoods["left_behind"][index] == 1,
    })
    if weight is not None:
        frame["Selection weight"] = weight[index]
    if probability is not None:
        frame["Probability selected"] = probability[index]
    if allocation is not None:
        frame["Fund (GBP a year)"] = allocation[index]
        frame["Fund per head (GBP)"] = allocation[index] / hoods.population[index]
    frame = frame.sort_values([label, "LSOA"], ascending=[False, True], kind="stable")
    frame.insert(0, "Rank in place", np.arange(1, len(frame) + 1))
    return frame.reset_index(drop=True)


def distribution_figure(hoods: Neighbourhoods, mask: np.ndarray, measure: str, place: str,
                        *, height: int = 320):
    """Histogram (share of the area's LSOAs) of the measure: the place against England."""
    import plotly.graph_objects as go

    values = hoods[measure]
    label = MEASURES.get(measure, measure)
    edges = np.histogram_bin_edges(values, bins=40)
    fig = go.Figure()
    for name, subset, colour in (("England", values, "#BBBBBB"), (place, values[mask], "#0072B2")):
        counts, _ = np.histogram(subset, bins=edges)
        fig.add_bar(x=0.5 * (edges[:-1] + edges[1:]), y=100 * counts / max(len(subset), 1),
                    name=name, marker_color=colour, opacity=0.75 if name == "England" else 0.9,
                    hovertemplate="%{x:.3g}: %{y:.1f}% of LSOAs<extra>" + name + "</extra>")
    fig.update_layout(barmode="overlay", height=height, margin=dict(l=0, r=0, t=60, b=0),
                      title=wrap_title(f"{label}: distribution over LSOAs (2021 LSOAs)", 42),
                      xaxis_title=label, yaxis_title="% of the area's LSOAs",
                      legend=dict(orientation="h", y=-0.25, x=0, yanchor="top"))
    return fig


#: Local Trust counts (``left_behind_by_place``) -> display names
LEFT_BEHIND_COLUMNS = {
    "code": "Code", "name": "Name", "region_name": "Region",
    "wards_left_behind": "Left-behind wards (of 225, CNI 2019)",
    "wards_top_cni_decile": "Wards in the most needy CNI 2019 decile",
    "wards": "Wards (2017)",
    "lsoas_left_behind": "Left-behind LSOAs (of 1,262, 2023)",
    "lsoas": "LSOAs (2021)",
    "population": "Residents (Census 2021)",
    "population_left_behind": "Residents in left-behind LSOAs",
    "share_left_behind": "% of residents in left-behind LSOAs",
}


def left_behind_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Local Trust counts with display names (shares in %)."""
    out = frame.assign(share_left_behind=100 * frame["share_left_behind"])
    return out.rename(columns=LEFT_BEHIND_COLUMNS)


def decomposition_table(hoods: Neighbourhoods, values: np.ndarray, label: str
                        ) -> tuple[pd.DataFrame, dict[str, Decomposition]]:
    """Theil T and L of ``values`` per head over England's LSOAs (Census 2021 weights),
    split into between regions, between authorities within regions, within authorities."""
    parts = {index: theil_decomposition(values, hoods.population, hoods.la, hoods.region,
                                        len(hoods.authorities), len(hoods.regions), index=index)
             for index in ("T", "L")}
    rows = [("Between regions", "between_regions"),
            ("Between authorities within regions", "between_authorities"),
            ("Within authorities (between neighbourhoods)", "within_authorities"),
            ("Total", "total")]
    frame = pd.DataFrame({
        "Part": [r[0] for r in rows],
        "Theil T": [float(getattr(parts["T"], r[1])) for r in rows],
        "Share of T (%)": [100 * float(getattr(parts["T"], r[1]) / parts["T"].total) for r in rows],
        "Theil L": [float(getattr(parts["L"], r[1])) for r in rows],
        "Share of L (%)": [100 * float(getattr(parts["L"], r[1]) / parts["L"].total) for r in rows],
    })
    frame.attrs["measure"] = label
    return frame, parts


def region_table(hoods: Neighbourhoods, measure: str) -> pd.DataFrame:
    """Per region: residents, mean measure, inequality within it, share in the most deprived
    IMD 2025 decile and in left-behind LSOAs."""
    values = hoods[measure]
    n_r = len(hoods.regions)
    pop = hoods.population
    population = np.bincount(hoods.region, weights=pop, minlength=n_r)
    label = MEASURES.get(measure, measure)
    return pd.DataFrame({
        "Region": hoods.regions["name"].to_numpy(),
        "Residents (Census 2021)": population.astype(np.int64),
        f"Mean {label} (population-weighted)":
            np.bincount(hoods.region, weights=pop * values, minlength=n_r) / population,
        "Theil T within region": group_theil(values, pop, hoods.region, n_r),
        "% of residents in the most deprived IMD 2025 decile":
            100 * share_in(hoods["imd_decile"] == 1, pop, hoods.region, n_r),
        "% of residents in left-behind LSOAs (2023)":
            100 * share_in(hoods["left_behind"] == 1, pop, hoods.region, n_r),
    })


def authority_table(hoods: Neighbourhoods, allocation: np.ndarray,
                    probability: np.ndarray | None = None) -> pd.DataFrame:
    """Per authority: the fund, per head, neighbourhoods funded and expected selections."""
    n_a = len(hoods.authorities)
    pop = np.bincount(hoods.la, weights=hoods.population, minlength=n_a)
    fund = np.bincount(hoods.la, weights=allocation, minlength=n_a)
    frame = pd.DataFrame({
        "Code": hoods.authorities["code"].to_numpy(),
        "Authority": hoods.authorities["name"].to_numpy(),
        "Region": hoods.authorities["region_name"].to_numpy(),
        "Fund (GBP a year)": fund,
        "Fund per head (GBP)": fund / pop,
        "Neighbourhoods funded": np.bincount(hoods.la, weights=allocation > 0,
                                             minlength=n_a).astype(np.int64),
    })
    if probability is not None:
        frame["Expected selections (sum of probabilities)"] = np.bincount(
            hoods.la, weights=probability, minlength=n_a)
    return frame


def fund_reach(hoods: Neighbourhoods, allocation: np.ndarray) -> dict[str, float]:
    """Where a fund goes, in % of the fund: to the most deprived IMD 2025 decile, to the
    1,262 left-behind LSOAs and to rural LSOAs; and the % of LSOAs that get anything."""
    total = float(allocation.sum())
    if not total > 0:
        raise ValueError("the fund pays nothing")
    return {
        "most deprived IMD 2025 decile": 100 * float(allocation[hoods["imd_decile"] == 1].sum())
        / total,
        "left-behind LSOAs (2023)": 100 * float(allocation[hoods["left_behind"] == 1].sum())
        / total,
        "rural LSOAs (2021)": 100 * float(allocation[hoods.rural()].sum()) / total,
        "LSOAs funded": 100 * float((allocation > 0).mean()),
    }


def authority_map_frame(hoods: Neighbourhoods, values: np.ndarray) -> pd.DataFrame:
    """Per authority: ``code``, ``region`` (its name, for hover) and the population-weighted
    mean of ``values`` (for the hex map)."""
    n_a = len(hoods.authorities)
    pop = np.bincount(hoods.la, weights=hoods.population, minlength=n_a)
    return pd.DataFrame({
        "code": hoods.authorities["code"].to_numpy(),
        "region": hoods.authorities["name"].to_numpy(),
        "value": np.bincount(hoods.la, weights=hoods.population * values, minlength=n_a) / pop,
    })
