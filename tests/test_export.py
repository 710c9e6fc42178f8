"""Download files: plain names with units, rounded numbers, and what reproduces them."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from simulator import export
from simulator.scenario import load_scenario, parse_scenario, run_scenario
from simulator.scenario.library import library_scenarios


@pytest.fixture(scope="module")
def run():
    scenario = load_scenario(library_scenarios()["income_tax_gap_fill_75"])
    return scenario, run_scenario(scenario, year="2024-25")


def test_tables_have_plain_names_units_and_rounded_numbers(run):
    _, result = run
    tables = export.result_download_tables(result)
    regions = tables["regions"]
    assert "Resources per head (GBP)" in regions and "Block grant (GBP m)" in regions
    assert "75% gap-fill (GBP m)" in regions  # a step's own column keeps its label
    assert not any("_" in c for c in regions.columns)
    raw = result.by_region()
    assert (regions["Resources per head (GBP)"].astype(float)
            == raw["resources_per_head_gbp"].round(0)).all()
    assert (regions["Block grant (GBP m)"] == raw["block_grant_gbp_m"].round(1)).all()
    summary = tables["summary"]
    assert summary["Share of the capacity gap closed"].iloc[0] == pytest.approx(0.75)


def test_csv_carries_version_edition_and_the_scenario_that_reproduces_it(run):
    scenario, result = run
    about = export.about_lines(scenario, result.federation)
    data = export.csv_bytes(export.result_download_tables(result)["regions"], about, scenario)
    text = data.decode("utf-8")
    header = [line[2:] for line in text.splitlines() if line.startswith("# ")]
    assert header[0].startswith("Made with fiscalsim ")
    assert any(line.startswith("Data edition: ONS") for line in header)
    start = header.index("---- scenario (YAML) ----")
    end = header.index("---- end of scenario ----")
    again = parse_scenario("\n".join(header[start + 1:end]), "again.yaml")
    assert again == scenario
    table = pd.read_csv(io.StringIO(text), comment="#")
    assert len(table) == 12 and "Region" in table


def test_workbook_has_about_and_scenario_sheets_and_valid_sheet_names(run):
    scenario, result = run
    tables = {"Canada: rules [1]": pd.DataFrame({"a": [1]}), "x" * 40: pd.DataFrame({"b": [2]}),
              "x" * 41: pd.DataFrame({"c": [3]})}
    data = export.workbook_bytes(tables, ["Made with fiscalsim"], scenario)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert {"about", "scenario"} <= set(sheets)
    assert len(sheets) == 5
    lines = sheets["scenario"].iloc[:, 0].fillna("").tolist()
    assert any(str(line).startswith("name: income_tax_gap_fill_75") for line in lines)


def test_figure_file_is_an_image_or_a_self_contained_page(run):
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=["a", "b"], y=[1.0, 2.0], name="bars"))
    data, extension, mime = export.figure_file(fig, ["Made with fiscalsim"])
    if extension == "png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and mime == "image/png"
    else:
        assert extension == "html" and b"Made with fiscalsim" in data
    frame = export.figure_data(fig)
    assert frame.to_dict("records") == [{"series": "bars", "x": "a", "y": 1.0},
                                        {"series": "bars", "x": "b", "y": 2.0}]
