"""Rebuild the packaged ``uk_itl1`` dataset from the shared research data.

Reads ``<shared>/crpsf``, ``<shared>/regional_economy`` and ``<shared>/geo`` and
writes compact CSVs and a simplified boundary file to
``simulator/data/uk_itl1/``.  Deterministic: running it twice gives
byte-identical files.  This script is the only code that reads ``../shared``.

    .venv/bin/python scripts/build_uk_itl1.py [--shared ../shared/data/uk]

The boundaries need shapely (a dev-only tool, not a package dependency:
``.venv/bin/pip install shapely``) for GEOS's topology-preserving simplifier
and validity checks; byte-identical output assumes the same GEOS version.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "simulator" / "data" / "uk_itl1"
DEFAULT_SHARED = REPO.parent / "shared" / "data" / "uk"

FIRST_YEAR, LAST_YEAR = 1999, 2024  # financial years 1999-00 .. 2024-25

#: ITL1 code, ONS (GSS) code, name, nation, level; display order as published.
AREAS = [
    ("TLC", "E12000001", "North East", "England", "ITL1"),
    ("TLD", "E12000002", "North West", "England", "ITL1"),
    ("TLE", "E12000003", "Yorkshire and The Humber", "England", "ITL1"),
    ("TLF", "E12000004", "East Midlands", "England", "ITL1"),
    ("TLG", "E12000005", "West Midlands", "England", "ITL1"),
    ("TLH", "E12000006", "East of England", "England", "ITL1"),
    ("TLI", "E12000007", "London", "England", "ITL1"),
    ("TLJ", "E12000008", "South East", "England", "ITL1"),
    ("TLK", "E12000009", "South West", "England", "ITL1"),
    ("TLL", "W92000004", "Wales", "Wales", "ITL1"),
    ("TLM", "S92000003", "Scotland", "Scotland", "ITL1"),
    ("TLN", "N92000002", "Northern Ireland", "Northern Ireland", "ITL1"),
    # Aggregates have no ITL1 code; their GSS code serves as code.
    ("E92000001", "E92000001", "England", "England", "country"),
    ("K02000001", "K02000001", "United Kingdom", "United Kingdom", "uk"),
]
#: ITL codes the ONS regional accounts use for the aggregates.
ECONOMY_AGGREGATE_CODES = {"TLB": "E92000001", "UK": "K02000001"}

#: Boundary simplification levels: (tolerance in degrees, decimals kept).  All arcs
#: start at the first; the arcs next to any defect (invalid polygon, flipped
#: ring, overlap) move to the next, and so on; the last level is the source
#: (4 decimals, 5-6 at a few points where its converter needed them to stay valid).
LEVELS = ((0.01, 3), (0.01, 4), (0.005, 4), (0.0025, 4), (0.0, None))
#: Smallest unshared island or hole kept, square degrees (8e-4 ~ 6 km2 here).
MIN_RING_AREA = 8e-4
#: Longest arc simplified as one piece (points).
MAX_ARC_POINTS = 200
#: Rings this small are repair slivers (the source has triangles of ~1e-9).
SLIVER_AREA = 1e-6


def financial_years() -> list[str]:
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(FIRST_YEAR, LAST_YEAR + 1)]


def fy_of_calendar_year(year: int) -> str:
    """Calendar year Y -> financial year Y-(Y+1) (April Y to March Y+1: 9 of its 12 months)."""
    return f"{year}-{(year + 1) % 100:02d}"


def fmt(value: float) -> str:
    """Compact, deterministic number text: no trailing zeros, blank for NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_csv(frame: pd.DataFrame, name: str, text_columns: tuple[str, ...] = ()) -> None:
    out = frame.copy()
    for column in out.columns:
        if column not in text_columns:
            out[column] = [fmt(v) for v in out[column]]
    out.to_csv(OUT / name, index=False, lineterminator="\n")
    print(f"wrote {name}: {len(out)} rows, {(OUT / name).stat().st_size:,} bytes")


def areas_frame() -> pd.DataFrame:
    return pd.DataFrame(AREAS, columns=["code", "ons_code", "name", "nation", "level"])


def code_by_ons() -> dict[str, str]:
    return {ons: code for code, ons, *_ in AREAS}


# ---------------------------------------------------------------- CRPSF tables
def build_revenue(shared: Path, years: list[str]) -> None:
    raw = pd.read_csv(shared / "crpsf" / "crpsf_fye2025_revenue_by_region_long.csv")
    raw["code"] = raw["ons_code"].map(code_by_ons())
    assert raw["code"].notna().all(), "unknown ONS code in revenue file"
    assert sorted(raw["financial_year"].unique()) == years
    items = (raw[["line_order", "line_item"]].drop_duplicates()
             .sort_values("line_order").reset_index(drop=True))
    assert items["line_order"].is_unique and list(items["line_order"]) == list(range(1, 76))
    write_csv(items, "revenue_line_items.csv", text_columns=("line_item",))

    wide = raw.pivot(index=["code", "line_order"], columns="financial_year",
                     values="value_gbp_m")[years]
    wide = wide.reset_index()
    wide["area"] = wide["code"].map({code: i for i, (code, *_) in enumerate(AREAS)})
    wide = wide.sort_values(["line_order", "area"]).drop(columns="area")
    wide = wide[["code", "line_order", *years]].reset_index(drop=True)
    assert not wide[years].isna().any().any(), "hole in the revenue lines"
    write_csv(wide, "revenue_lines_gbp_m.csv", text_columns=("code",))


def build_population(shared: Path, years: list[str]) -> None:
    supp = pd.read_csv(shared / "crpsf" / "crpsf_fye2025_supp_S1-S6_S11_S12_long.csv")
    s12 = supp[supp["table"] == "Table S12"]
    frame = pd.DataFrame({"year": s12["financial_year"],
                          "code": s12["ons_code"].map(code_by_ons()),
                          "population": s12["value"]})
    write_csv(_complete(frame, years), "population.csv", text_columns=("year", "code"))


def build_expenditure(shared: Path, years: list[str]) -> None:
    combined = pd.read_csv(shared / "crpsf" / "crpsf_fye2025_combined_expenditure_long.csv")
    measures = {"Identifiable Expenditure": "identifiable_expenditure_gbp_m",
                "Total Managed Expenditure": "total_managed_expenditure_gbp_m"}
    picked = combined[combined["measure"].isin(measures)].assign(
        code=lambda f: f["ons_code"].map(code_by_ons()),
        measure=lambda f: f["measure"].map(measures))
    frame = picked.pivot(index=["financial_year", "code"], columns="measure",
                         values="value_gbp_m").reset_index()
    frame = frame.rename(columns={"financial_year": "year"})[["year", "code", *measures.values()]]
    frame.columns.name = None
    write_csv(_complete(frame, years), "expenditure.csv", text_columns=("year", "code"))


def build_economy(shared: Path, years: list[str]) -> None:
    economy = shared / "regional_economy"
    gdhi = pd.read_csv(economy / "ons_gdhi_itl1_1997_2022_via_nomis_NM_185_1.csv")
    gdhi = pd.DataFrame({"calendar_year": gdhi["year"],
                         "code": gdhi["region_code"].map(code_by_ons()),
                         "gdhi_per_head_gbp": gdhi["gdhi_per_head_gbp"]})
    gva = pd.read_csv(economy / "ons_regional_gva_balanced_perhead_all_itl_apr2023_long.csv")
    itl_codes = {code: code for code, *_ in AREAS} | ECONOMY_AGGREGATE_CODES
    gva = gva[(gva["table"] == "Table 2") & gva["itl_code"].isin(itl_codes)]
    gva = pd.DataFrame({"calendar_year": gva["year"], "code": gva["itl_code"].map(itl_codes),
                        "gva_per_head_gbp": gva["value"]})
    assert gdhi["code"].notna().all()
    frame = gdhi.merge(gva, on=["calendar_year", "code"], how="outer")
    frame["year"] = frame["calendar_year"].map(fy_of_calendar_year)
    frame = frame[frame["year"].isin(years)]
    frame = _complete(frame[["year", "code", "calendar_year", "gdhi_per_head_gbp",
                             "gva_per_head_gbp"]], years)
    frame["calendar_year"] = [int(y[:4]) for y in frame["year"]]
    write_csv(frame, "economy.csv", text_columns=("year", "code"))


def _complete(frame: pd.DataFrame, years: list[str]) -> pd.DataFrame:
    """One row per (year, area) in canonical order; NaN where not published."""
    assert not frame.duplicated(["year", "code"]).any()
    index = pd.MultiIndex.from_product([years, [a[0] for a in AREAS]], names=["year", "code"])
    return frame.set_index(["year", "code"]).reindex(index).reset_index()


# ------------------------------------------------------------------ boundaries
def build_boundaries(shared: Path) -> None:
    """Simplify the ITL1 polygons, keeping shared borders identical on both sides."""
    source = json.loads((shared / "geo" / "uk_itl1_regions_ons_uk-topojson.geojson").read_text())
    names = {code: name for code, _, name, _, level in AREAS if level == "ITL1"}
    features = sorted(source["features"], key=lambda f: f["properties"]["itl1cd"])
    polygons, owner = [], []
    for i, feature in enumerate(features):
        for polygon in _polygons(feature["geometry"]):
            polygons.append([[tuple(p) for p in ring] for ring in polygon])
            owner.append(i)
    polygons, owner = _drop_small_unshared(polygons, owner)

    arcs, rings = _split_into_arcs(polygons)
    level = dict.fromkeys(arcs, 0)  # index into LEVELS, per arc
    cache: dict[int, dict] = {}

    def simplified(key: tuple) -> list:
        if level[key] not in cache:
            cache[level[key]] = _simplify_arcs(arcs, *LEVELS[level[key]])
        return cache[level[key]][key]

    while True:  # ease the arcs next to each defect until all is valid
        assembled = [[_assemble(ring, simplified) for ring in polygon] for polygon in rings]
        defects = [_polygon_defect(polygon, polygons[p], rings[p], simplified)
                   for p, polygon in enumerate(assembled)]
        if not any(defects):  # polygons of one region must not overlap either
            defects = [_region_defect([(assembled[p], rings[p]) for p, o in enumerate(owner)
                                       if o == i], simplified) for i in sorted(set(owner))]
        if not any(defects):
            defects = [_overlap_defect(assembled, owner, rings, simplified)]
        if not any(defects):
            break
        for distance in filter(None, defects):  # the arcs at the defect, or the nearest
            easable = {k: d for k, d in distance.items() if level[k] < len(LEVELS) - 1}
            if not easable:
                raise SystemExit("could not simplify the boundaries validly")
            nearest = min(easable.values())
            for key in [k for k, d in easable.items() if d <= nearest + 1e-6]:
                level[key] += 1

    out = []
    for i, feature in enumerate(features):
        kept = [[[list(p) for p in ring] for ring in polygon]
                for polygon, o in zip(assembled, owner) if o == i]
        code = feature["properties"]["itl1cd"]
        geometry = ({"type": "Polygon", "coordinates": kept[0]} if len(kept) == 1
                    else {"type": "MultiPolygon", "coordinates": kept})
        out.append({"type": "Feature", "properties": {"code": code, "name": names[code]},
                    "geometry": geometry})
    path = OUT / "itl1_boundaries.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": out},
                               separators=(",", ":")) + "\n")
    n_points = sum(len(ring) for polygon in assembled for ring in polygon)
    n_eased = sum(1 for v in level.values() if v)
    print(f"wrote {path.name}: {len(out)} features, {len(assembled)} polygons, "
          f"{n_points:,} points ({n_eased} of {len(arcs)} arcs at a finer tolerance), "
          f"{path.stat().st_size:,} bytes")


def _polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def _signed_area(ring) -> float:
    """Shoelace area in square degrees; negative = clockwise (lon east, lat north)."""
    xy = np.asarray(ring, dtype=float)
    return 0.5 * float(np.dot(xy[:-1, 0], xy[1:, 1]) - np.dot(xy[1:, 0], xy[:-1, 1]))


def _drop_small_unshared(polygons: list, owner: list) -> tuple[list, list]:
    """Drop islands and holes under MIN_RING_AREA that touch no other polygon,
    and slivers under SLIVER_AREA (left by the source's make_valid repairs)."""
    count: dict[tuple, int] = {}
    for polygon in polygons:
        for ring in polygon:
            for point in set(ring):
                count[point] = count.get(point, 0) + 1

    def small(ring):
        area = abs(_signed_area(ring))
        return area < SLIVER_AREA or (area < MIN_RING_AREA and all(count[p] == 1 for p in ring))

    kept = [([polygon[0]] + [h for h in polygon[1:] if not small(h)], o)
            for polygon, o in zip(polygons, owner) if not small(polygon[0])]
    return [p for p, _ in kept], [o for _, o in kept]


def _split_into_arcs(polygons: list) -> tuple[dict, list]:
    """Cut every ring at its junctions into arcs stored once in a canonical direction.

    A junction is a point met with more than two distinct neighbours (where
    borders meet or part).  Returns ``arcs`` (key -> points) and, per polygon
    and ring, a list of ``(key, reversed)``.
    """
    neighbours: dict[tuple, set] = {}
    for polygon in polygons:
        for ring in polygon:
            body = ring[:-1]
            for k, point in enumerate(body):
                neighbours.setdefault(point, set()).update(
                    (body[k - 1], body[(k + 1) % len(body)]))
    junction = {p for p, ns in neighbours.items() if len(ns) > 2}

    arcs: dict[tuple, list] = {}
    rings = []
    for polygon in polygons:
        ring_arcs = []
        for ring in polygon:
            body = ring[:-1]
            cuts = [k for k, p in enumerate(body) if p in junction]
            if not cuts:  # an unshared ring, or one shared whole: start at its least point
                cuts = [min(range(len(body)), key=body.__getitem__)]
            body = body[cuts[0]:] + body[:cuts[0]]
            cuts = [k - cuts[0] for k in cuts] + [len(body)]
            closed = body + [body[0]]
            pieces = []
            for a, b in zip(cuts[:-1], cuts[1:]):
                arc = tuple(closed[a:b + 1])
                canonical = min(arc, tuple(reversed(arc)))
                # long arcs are cut into chunks so that a defect eases only its chunk
                starts = range(0, max(len(canonical) - 1, 1), MAX_ARC_POINTS)
                chunks = [canonical[i:i + MAX_ARC_POINTS + 1] for i in starts]
                for chunk in chunks:
                    arcs[chunk] = list(chunk)
                if canonical == arc:
                    pieces.extend((chunk, False) for chunk in chunks)
                else:
                    pieces.extend((chunk, True) for chunk in reversed(chunks))
            ring_arcs.append(pieces)
        rings.append(ring_arcs)
    return arcs, rings


def _simplify_arcs(arcs: dict, tolerance: float, decimals: int | None) -> dict:
    """Simplify all arcs together with GEOS's topology-preserving simplifier
    (Douglas-Peucker that keeps each arc's ends and adds no crossing), then round."""
    import shapely
    from shapely.geometry import LineString, MultiLineString

    keys = list(arcs)
    if tolerance > 0:
        lines = shapely.simplify(MultiLineString([LineString(arcs[k]) for k in keys]),
                                 tolerance, preserve_topology=True)
        points = [list(map(tuple, line.coords)) for line in lines.geoms]
    else:
        points = [arcs[k] for k in keys]
    assert len(points) == len(keys) and all(
        p[0] == arcs[k][0] and p[-1] == arcs[k][-1] for k, p in zip(keys, points))
    return {k: _round_arc(p, decimals) for k, p in zip(keys, points)}


def _round_arc(arc: list, decimals: int | None) -> list:
    """Round the inner points; the ends (junctions, shared by arcs at any level) stay
    as in the source so that rings close and arcs meet exactly."""
    out = [arc[0]]
    for x, y in arc[1:-1]:
        point = (x, y) if decimals is None else (round(x, decimals), round(y, decimals))
        if out[-1] != point:
            out.append(point)
    if len(arc) > 1 and out[-1] != arc[-1]:
        out.append(arc[-1])
    return out


def _assemble(ring: list, simplified) -> list:
    out: list = []
    for key, backward in ring:
        arc = simplified(key)[::-1] if backward else simplified(key)
        out.extend(arc if not out or out[-1] != arc[0] else arc[1:])
    return out


def _polygon_defect(rings: list, source: list, ring_arcs: list, simplified) -> dict:
    """Arc -> distance from the polygon's defect ({} if it is valid); a collapsed
    or flipped ring puts all its arcs at distance 0."""
    from shapely.geometry import Polygon

    for ring, original, arcs in zip(rings, source, ring_arcs):
        if (len(ring) < 4 or len(set(ring)) < 3
                or np.sign(_signed_area(ring)) != np.sign(_signed_area(original))):
            return {key: 0.0 for key, _ in arcs}
    keys = [key for arcs in ring_arcs for key, _ in arcs]
    return _invalidity(Polygon(rings[0], rings[1:]), keys, simplified)


def _region_defect(parts: list, simplified) -> dict:
    """Arc -> distance from where one region's polygons overlap ({} if valid)."""
    from shapely.geometry import MultiPolygon, Polygon

    shape = MultiPolygon([Polygon(rings[0], rings[1:]) for rings, _ in parts])
    keys = [key for _, ring_arcs in parts for arcs in ring_arcs for key, _ in arcs]
    return _invalidity(shape, keys, simplified)


def _invalidity(shape, keys: list, simplified) -> dict:
    import shapely
    from shapely.geometry import Point

    if shape.is_valid:
        return {}
    reason = shapely.is_valid_reason(shape)
    if "[" not in reason:
        return dict.fromkeys(keys, 0.0)
    where = Point(*map(float, reason[reason.index("[") + 1:reason.index("]")].split()))
    return {key: _line(simplified(key)).distance(where) for key in keys}


def _line(points: list):
    """An arc as a shapely geometry (a point if rounding merged its ends)."""
    from shapely.geometry import LineString, Point

    return LineString(points) if len(points) > 1 else Point(points[0])


def _overlap_defect(polygons: list, owner: list, rings: list, simplified) -> dict:
    """Arc -> 0 for arcs touching an area where two simplified regions overlap."""
    from shapely.geometry import MultiPolygon, Polygon

    shapes = {i: MultiPolygon([Polygon(p[0], p[1:]) for p, o in zip(polygons, owner) if o == i])
              for i in sorted(set(owner))}
    keys = {}
    for i in shapes:
        for j in shapes:
            if j <= i or not shapes[i].intersects(shapes[j]):
                continue
            overlap = shapes[i].intersection(shapes[j])
            if overlap.area == 0:
                continue
            for p, o in enumerate(owner):
                if o in (i, j):
                    keys.update({key: 0.0 for arcs in rings[p] for key, _ in arcs
                                 if _line(simplified(key)).distance(overlap) < 1e-9})
    return keys


# ------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help=f"the shared UK data folder (default {DEFAULT_SHARED})")
    args = parser.parse_args(argv)
    if not (args.shared / "crpsf").is_dir():
        parser.error(f"{args.shared} has no crpsf/ folder; pass --shared PATH")
    try:
        import shapely  # noqa: F401
    except ImportError:
        parser.error("the boundary step needs shapely: .venv/bin/pip install shapely")
    OUT.mkdir(parents=True, exist_ok=True)
    years = financial_years()
    write_csv(areas_frame(), "areas.csv", text_columns=tuple(areas_frame().columns))
    build_revenue(args.shared, years)
    build_population(args.shared, years)
    build_expenditure(args.shared, years)
    build_economy(args.shared, years)
    build_boundaries(args.shared)


if __name__ == "__main__":
    main()
