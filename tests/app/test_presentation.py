"""simulator.presentation: formatting helpers only reshape the engine's numbers."""

import base64
import json

import numpy as np
import pandas as pd
import pytest

import simulator
from simulator import metrics, presentation
from simulator.steps import GapFill, STEP_TYPES


@pytest.fixture(scope="module")
def result():
    fed = presentation.teaching_federation()
    system = simulator.System(devolution={"income_tax": 1.0},
                              block_grant="identifiable_expenditure", steps=[GapFill(rate=0.75)])
    return simulator.run(fed, system)


def test_teaching_federation_is_round():
    fed = presentation.teaching_federation()
    assert fed.codes == ("N", "E", "S", "W", "C")
    per_head = fed.revenue_per_head()[0, fed.taxes.index("income_tax")]
    assert per_head.tolist() == [1500, 2000, 2500, 3000, 5000]


def test_resource_components_add_up_to_resources(result):
    for state in (result.state, result.baseline):
        parts = presentation.resource_components(state, result.federation)
        total = sum(parts.values())
        np.testing.assert_allclose(total, (state.resources / state.population)[-1])
    assert list(presentation.resource_components(result.state, result.federation)) == [
        "Block grant", "Own revenue", "Gap-fill"]


def test_lorenz_curve_area_gives_the_engines_gini(result):
    frame = result.by_region()
    x, y = presentation.lorenz_curve(frame["resources_per_head_gbp"], frame["population"])
    assert (x[0], y[0], x[-1], y[-1]) == (0, 0, 1, 1)
    assert np.all(np.diff(x) > 0) and np.all(np.diff(y) >= 0)
    area = np.trapezoid(y, x)
    gini = metrics.gini(frame["resources_per_head_gbp"].to_numpy(), frame["population"].to_numpy())
    assert 1 - 2 * area == pytest.approx(float(gini))


def test_summary_metrics_show_the_summary(result):
    summary = result.summary()
    cards = {c["key"]: c for c in presentation.summary_metrics(summary, "GBP", "2024-25")}
    row = summary.iloc[0]
    assert cards["gini"]["value"] == f"{row['gini_after']:.3f}"
    assert cards["cost_to_centre"]["value"] == f"GBP {row['cost_to_centre_gbp_m']:,.0f} m"
    assert all("2024-25" in c["label"] for c in cards.values())
    nan = summary.assign(capacity_gap_closed=np.nan)
    cards = {c["key"]: c for c in presentation.summary_metrics(nan, "GBP", "2024-25")}
    assert cards["capacity_gap_closed"]["value"].startswith("n/a")


def test_key_options_round_trip():
    system = simulator.System(devolution={"income_tax": {"share": 1.0, "own_rate": True}},
                              steps=[GapFill(rate=0.75, label="x")])
    options = presentation.key_options(system)
    assert options["devolution"] == {"income_tax": 1.0}
    assert options["rate"] == 0.75 and options["guarantee"] is False
    changed = presentation.with_key_options(
        system, devolution={"income_tax": 0.5, "vat": 1.0}, rate=0.4, standard_fraction=0.9,
        guarantee=True, floor_index=75.0)
    assert changed.devolution["income_tax"].own_rate is True  # other settings kept
    assert changed.devolution["income_tax"].share == 0.5
    assert changed.devolution["vat"].share == 1.0
    assert changed.steps[0].rate == 0.4 and changed.steps[0].label == "x"
    assert changed.steps[0].standard.fraction == 0.9
    assert changed.steps[1].type == "minimum_guarantee" and changed.steps[1].floor_index == 75
    removed = presentation.with_key_options(changed, devolution={}, guarantee=False)
    assert removed.devolution == {} and [s.type for s in removed.steps] == ["gap_fill"]
    added = presentation.with_key_options(simulator.System(), rate=0.5)
    assert [s.type for s in added.steps] == ["gap_fill"] and added.steps[0].rate == 0.5


def test_key_options_validate():
    system = simulator.System(steps=[STEP_TYPES["minimum_guarantee"]()])
    with pytest.raises(ValueError, match="floor_index"):
        presentation.with_key_options(system, guarantee=True, floor_index=95.0)


def test_money_and_latex_formats():
    assert presentation.money(1234.4) == "£1,234"
    assert presentation.money(-2.5e9) == "-£2.50 bn"
    assert presentation.money(float("nan")) == "n/a"
    assert presentation.tex_money(1500) == r"\pounds\,1{,}500"
    assert presentation.tex_money(-3.6e9) == r"-\pounds\,3.60\,\text{bn}"
    assert presentation.tex_people(2e6) == r"2.0\,\text{m}"


def test_geojson_data_url_decodes_to_the_same_features():
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "A"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}
    url = presentation.geojson_data_url(geojson)
    head, body = url.split(",", 1)
    assert head == "data:application/geo+json;base64"
    assert json.loads(base64.b64decode(body)) == geojson


def test_change_map_uses_codes_and_a_centred_scale(result):
    frame = result.by_region()
    fig = presentation.change_map(frame, "data:x", "change_per_head_gbp", title="t", unit="GBP")
    trace = fig.data[0]
    assert list(trace.locations) == list(frame["code"])
    assert trace.zmin == -trace.zmax == -frame["change_per_head_gbp"].abs().max()
    assert fig.layout.geo.fitbounds == "locations"


def test_winners_losers_and_system_table(result):
    frames = {"a": result.by_region(), "b": result.by_region()}
    table = presentation.winners_losers(frames, "GBP", "2024-25")
    assert list(table.columns) == ["code", "region", "a", "b"]
    np.testing.assert_allclose(table["a"], frames["a"]["change_per_head_gbp"])
    system = presentation.system_table({"a": result.summary()}, "GBP", "2024-25")
    assert system.loc["gini_after", "a"] == pytest.approx(result.summary()["gini_after"][0])
    assert system.loc["gini_after", "Measure"].endswith("2024-25")


def test_revenue_table_totals():
    fed = presentation.teaching_federation()
    table = presentation.revenue_table(fed, "2024-25").set_index("code")
    assert table.loc["N", "Total"] == pytest.approx(1500 + 2000 + 400)


def test_problems_table():
    from simulator.scenario import ScenarioError, parse_scenario

    with pytest.raises(ScenarioError) as caught:
        parse_scenario("name: x\nsteps:\n  - {type: gap_fill, rate: 3}\n", "s.yaml")
    table = presentation.problems_table(caught.value.problems)
    assert list(table.columns) == ["Line", "Column", "Field", "Message"]
    assert table.loc[0, "Line"] == 3 and table.loc[0, "Field"] == "steps[0].rate"


# ------------------------------------------------------------------ helpers of the new pages
def test_extremes_picks_largest_gains_and_losses():
    frame = pd.DataFrame({"code": [f"A{i:02d}" for i in range(50)], "x": np.arange(50.0)})
    codes = presentation.extremes(frame, "x", 5)
    assert codes == ["A49", "A48", "A47", "A46", "A45", "A04", "A03", "A02", "A01", "A00"]
    assert presentation.extremes(frame.head(8), "x", 5) == [f"A{i:02d}" for i in range(7, -1, -1)]


def test_hex_geojson_closed_clockwise_hexagons():
    from simulator.data import england_la

    hexes = england_la.hexmap_frame()
    geojson = presentation.hex_geojson(hexes)
    assert [f["properties"]["code"] for f in geojson["features"]] == list(hexes["code"])
    ring = np.array(geojson["features"][0]["geometry"]["coordinates"][0])
    assert len(ring) == 7 and (ring[0] == ring[-1]).all()
    x, y = ring[:, 0], ring[:, 1]
    assert np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1])) > 0  # clockwise
    # one hexagon is one column (size 0.1 degree) wide, so neighbours in a row just touch
    assert np.ptp(x) == pytest.approx(0.1, rel=1e-4)


def test_geojson_with_codes_copies_the_key():
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"areacd": "E1"}, "geometry": None}]}
    out = presentation.geojson_with_codes(geojson, "areacd")
    assert out["features"][0]["properties"] == {"areacd": "E1", "code": "E1"}
    assert "code" not in geojson["features"][0]["properties"]


def test_resources_figure_subset_keeps_the_engines_numbers(result):
    fig = presentation.resources_figure(result, codes=["C", "N"])
    names, halves = fig.data[0].y
    assert list(dict.fromkeys(names)) == ["Northmoor", "Capital"]  # bottom to top
    parts = presentation.resource_components(result.state, result.federation)
    after = fig.data[0].x[1::2]
    np.testing.assert_allclose(after, parts["Block grant"][[0, 4]])


def test_bga_methods_table_and_risk_table():
    from simulator.over_time import compare_methods_frame, project_federation

    fed = project_federation(simulator.load_federation("uk_itl1"), n_years=3, history=1)
    frame = compare_methods_frame(fed, ["income_tax"])
    end = fed.years[-1]
    table = presentation.bga_methods_table(frame, "GBP", end).set_index("code")
    column = f"Indexed per capita (GBP m to {end})"
    truth = frame[(frame["method"] == "indexed_per_capita") & (frame["year"] == end)]
    np.testing.assert_allclose(table.loc[truth["code"], column], truth["cumulative_gain_gbp_m"])
    shares = np.full((len(fed.years), fed.n_regions), 0.5)
    absorbed = presentation.absorbed_frame(shares, fed)
    vol = pd.DataFrame({"year": absorbed["year"], "code": absorbed["code"],
                        "sd_before_gbp": 2.0, "sd_after_gbp": 1.0, "reduction": 0.5})
    risk = presentation.risk_table(absorbed, vol, "GBP", end)
    assert (risk[f"Share of own shock absorbed ({end}, %)"] == 50).all()
    assert (risk[f"Volatility reduction ({end}, %)"] == 50).all()


def test_number_text_drops_a_minus_on_zero():
    text = presentation.number_text("{:.1f}")
    assert text(-1e-14) == "0.0" and text(-0.26) == "-0.3" and text(float("nan")) == "n/a"


def test_validation_sections_cover_the_presets():
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "validation.md"
    sections = presentation.validation_sections(doc.read_text(encoding="utf-8"))
    for name in ("canada_equalization_2025_26", "australia_gst_2025_26",
                 "germany_finanzkraftausgleich_2024", "switzerland_nfa_teaching"):
        assert "Published" in sections[name] and "| ---" in sections[name]


def test_step_formulas_of_every_preset_step():
    from simulator.scenario import load_scenario
    from simulator.scenario.library import library_scenarios

    library = library_scenarios()
    for name in ("canada_equalization_2025_26", "australia_gst_2025_26",
                 "germany_finanzkraftausgleich_2024", "switzerland_nfa_teaching"):
        for step in load_scenario(library[name]).steps:
            formulas = presentation.step_formulas(step, "CAD")
            assert formulas, (name, step.type)
    guarantee = STEP_TYPES["minimum_guarantee"](floor_index=70, target_index=86.5)
    latex = " ".join(f for _, f in presentation.step_formulas(guarantee, "CHF"))
    assert "86.5 - RI" in latex and f"{guarantee.exponent:.4f}" in latex


def test_contribution_step_added_once():
    system = simulator.System(steps=[GapFill(rate=0.5)])
    changed, added = presentation.with_contribution_step(system)
    assert added and [s.type for s in changed.steps] == ["gap_fill", "horizontal_funding"]
    again, added = presentation.with_contribution_step(changed)
    assert not added and again is changed


@pytest.mark.parametrize("name, own", [
    ("canada_equalization_2025_26", True), ("australia_gst_2025_26", True),
    ("germany_finanzkraftausgleich_2024", True), ("switzerland_nfa_teaching", True),
    ("income_tax_gap_fill_75", False), ("german_symmetric", False), ("status_quo", False)])
def test_key_options_name_a_systems_own_mechanism(name, own):
    """A system equalising by steps other than a gap-fill or symmetric step has no
    'equalisation rate' to show: its own steps are named instead (rate None)."""
    from simulator.scenario import load_scenario
    from simulator.scenario.library import library_scenarios

    scenario = load_scenario(library_scenarios()[name])
    options = presentation.key_options(scenario)
    assert bool(options["own_mechanism"]) is own
    if own:
        assert options["rate"] is None
        labels = [s.display_label for s in scenario.steps if s.type != "minimum_guarantee"]
        assert options["own_mechanism"] == labels
