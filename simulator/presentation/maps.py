"""Choropleth and hex maps of a change by area."""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from .style import DIVERGING, SEQUENTIAL

__all__ = ['geojson_data_url', 'MAP_CONFIG', 'change_map', 'extremes', 'geojson_with_codes',
           'hex_geojson']


def geojson_data_url(geojson: Mapping) -> str:
    """The GeoJSON as a ``data:`` URL, which plotly.js loads like any URL.

    A figure then carries one string instead of thousands of coordinate
    lists, so building and sending a map on each redraw costs next to
    nothing (plotly copies and validates a GeoJSON dict on every figure).
    """
    import base64
    import json

    text = json.dumps(geojson, separators=(",", ":"))
    return "data:application/geo+json;base64," + base64.b64encode(text.encode()).decode()


#: plotly config for maps.  A geo map fetches a world topology from
#: cdn.plot.ly for base layers, even when (as here) it draws only its own
#: GeoJSON with every base layer hidden; an empty topology, as a data URL
#: (plotly appends "<name>.json", which lands in the URL's #fragment), lets
#: maps draw offline and without a third-party request.
MAP_CONFIG = {"topojsonURL": 'data:application/json,{"type":"Topology","objects":{},'
                             '"arcs":[]}#', "displaylogo": False}


def change_map(frame: pd.DataFrame, geojson: Mapping | str, value: str, *, title: str,
               unit: str, height: int = 460, bound: float | None = None,
               sequential: bool = False, tickformat: str = ",.0f"):
    """Choropleth of ``frame[value]`` by ``frame['code']`` on a diverging
    blue (gain) / orange (loss) scale centred on zero, symmetric to ``bound``
    (default: the largest absolute value; pass one bound to compare maps).
    ``sequential=True``: a light-to-dark :data:`SEQUENTIAL` scale from the
    lowest to the highest value instead (e.g. need).
    ``geojson``: features with property ``code``, as a dict or a URL (see
    :func:`geojson_data_url`; :func:`hex_geojson` for a hex map)."""
    import plotly.graph_objects as go

    values = frame[value].to_numpy(dtype=float)
    if sequential:
        finite = values[np.isfinite(values)]
        zmin, zmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        scale = SEQUENTIAL
    else:
        if bound is None:
            bound = float(np.nanmax(np.abs(values))) if len(values) else 1.0
        bound = bound if bound > 0 else 1.0
        zmin, zmax, scale = -bound, bound, DIVERGING
    many = len(values) > 50
    fig = go.Figure(go.Choropleth(
        geojson=geojson, locations=frame["code"], z=values, featureidkey="properties.code",
        text=frame["region"], colorscale=scale, zmin=zmin, zmax=zmax,
        marker_line_color="#777" if many else "#555", marker_line_width=0.3 if many else 0.5,
        colorbar=dict(title=dict(text=unit, side="top"), tickformat=tickformat,
                      orientation="h", y=-0.02, yanchor="top", len=0.9, thickness=14),
        hovertemplate="%{text}<br>%{z:" + tickformat + "} " + unit + "<extra></extra>"))
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(title=title, height=height, margin=dict(l=0, r=0, t=40, b=70))
    return fig


def extremes(frame: pd.DataFrame, column: str, n: int = 20) -> list[str]:
    """Codes of the ``n`` largest values of ``frame[column]`` then the ``n``
    smallest (largest first; ties by code), or every code when there are at
    most ``2 n`` rows.  For charts of datasets with hundreds of areas."""
    ordered = frame.sort_values([column, "code"], ascending=[False, True])
    codes = list(ordered["code"])
    return codes if len(codes) <= 2 * n else codes[:n] + codes[-n:]


def geojson_with_codes(geojson: Mapping, key: str) -> dict:
    """A copy of ``geojson`` whose features carry property ``code`` (the maps'
    key) taken from property ``key`` (e.g. ONS ``areacd``)."""
    features = [{**feature, "properties": {**feature["properties"],
                                           "code": feature["properties"][key]}}
                for feature in geojson["features"]]
    return {**geojson, "features": features}


def hex_geojson(hexes: pd.DataFrame, size: float = 0.1) -> dict:
    """A hex map as GeoJSON polygons, so :func:`change_map` draws it like a map.

    ``hexes`` has ``code``, ``name``, ``x``, ``y``: pointy-top hex centres
    one unit apart along a row (e.g. ``england_la.hexmap_frame()``).  The
    layout is scaled by ``size`` degrees and placed at the equator, where a
    map projection leaves small shapes undistorted.  Rings run clockwise, as
    plotly's geo maps expect.
    """
    radius = size / np.sqrt(3.0)
    angles = np.deg2rad([90.0, 30.0, -30.0, -90.0, -150.0, 150.0, 90.0])  # clockwise, closed
    x = hexes["x"].to_numpy(float) * size
    y = (hexes["y"].to_numpy(float) - float(hexes["y"].mean())) * size
    features = []
    for code, name, cx, cy in zip(hexes["code"], hexes["name"], x, y):
        ring = [[round(float(cx + radius * np.cos(a)), 6), round(float(cy + radius * np.sin(a)), 6)]
                for a in angles]
        features.append({"type": "Feature", "properties": {"code": code, "name": name},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}
