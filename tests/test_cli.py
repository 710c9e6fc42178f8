"""The fiscalsim command: output, files written and exit codes (0 ok, 1 findings, 2 usage)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simulator.cli import format_table, main
from simulator.scenario.library import library_scenarios

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = library_scenarios()
UK_REGIONS = ("North East", "London", "Scotland", "Northern Ireland")


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text("dataset: uk_itl1\nyear: 2024-25\nsteps:\n  - type: gap_fill\n"
                    "    rat: 0.5\n")
    return path


def test_validate_the_library(capsys):
    code, out, _ = run_cli(capsys, "validate", *map(str, LIBRARY.values()))
    assert code == 0
    assert out.count("\nok ") + out.startswith("ok ") == len(LIBRARY)
    assert "FPFAA s.3.2" in out and "FiLaG (SR 613.2) Art. 4" in out  # legal references
    assert f"{len(LIBRARY)} files: {len(LIBRARY)} valid, 0 invalid" in out


def test_validate_reports_findings_with_line_and_field(capsys, bad_file):
    code, out, err = run_cli(capsys, "validate", str(bad_file))
    assert code == 1
    assert f"INVALID {bad_file} (1 problem)" in out
    assert f"{bad_file}:5:5: steps[0].rat: unknown key 'rat'; did you mean 'rate'?" in out
    assert "Traceback" not in out + err


def test_validate_missing_file_is_a_usage_error(capsys, tmp_path):
    code, _, err = run_cli(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 2 and "file not found" in err


def test_library_scenarios_by_name(capsys):
    code, out, _ = run_cli(capsys, "validate", "status_quo")
    assert code == 0 and "status_quo" in out
    code, _, err = run_cli(capsys, "run", "status_qou")
    assert code == 2 and "did you mean the library scenario 'status_quo'?" in err


def test_run_prints_aligned_tables_with_units(capsys):
    code, out, _ = run_cli(capsys, "run", "income_tax_gap_fill_75")
    assert code == 0
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Code"))
    assert "Resources (GBP per head)" in lines[header] and "Change (GBP per head)" in lines[header]
    rule = lines[header + 1]
    body = lines[header + 2: header + 14]
    assert all(len(line) == len(rule) for line in body)  # right-aligned last column
    assert all(region in out for region in UK_REGIONS)
    assert "Cost to the centre vs baseline (GBP m)" in out and "Gini of resources per head" in out


def test_run_writes_csv_xlsx_and_json(capsys, tmp_path):
    for suffix in (".csv", ".xlsx", ".json"):
        out_path = tmp_path / f"results{suffix}"
        code, out, _ = run_cli(capsys, "run", "german_symmetric", "--out", str(out_path))
        assert code == 0 and f"wrote {out_path}" in out
    frame = pd.read_csv(tmp_path / "results.csv")
    assert len(frame) == 12 and "resources_per_head_gbp" in frame and set(frame["scenario"]) == {"german_symmetric"}
    sheets = pd.read_excel(tmp_path / "results.xlsx", sheet_name=None)
    assert set(sheets) == {"regions", "summary", "provenance"} and len(sheets["regions"]) == 12
    payload = json.loads((tmp_path / "results.json").read_text())
    assert payload["scenario"] == "german_symmetric" and len(payload["regions"]) == 12
    assert any(row["metric"] == "gini_after" for row in payload["summary"])


def test_run_on_33755_neighbourhoods_prints_the_top_and_bottom_areas_and_writes_all(
        capsys, tmp_path):
    from simulator.data.england_lsoa import load_neighbourhoods

    out_path = tmp_path / "areas.csv"
    code, out, _ = run_cli(capsys, "run", "local_trust_neighbourhood_fund", "--out", str(out_path))
    assert code == 0
    assert "Resources per head, 2025-26: the 10 highest and 10 lowest of 33,755 areas" in out
    assert "(33,735 areas not shown)" in out
    assert (f"33,735 of 33,755 areas not shown (written to {out_path}). 1,262 areas gain "
            "against the baseline: GBP 49.98 to 49.98 per head (median 49.98).") in out
    assert len(out.splitlines()) < 80                       # not a row per area
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Code"))
    assert "Population" in lines[header] and "Population (m)" not in lines[header]
    printed = [line.split()[0] for line in lines[header + 2: header + 23]]
    assert printed[10] == "..." and len(printed) == 21
    hoods = load_neighbourhoods()
    left_behind = set(hoods.codes[hoods["left_behind"] == 1])
    # the highest: left-behind areas (GBP 49.98 a head each), the first by code
    assert printed[:10] == sorted(left_behind)[:10]
    # the lowest: unfunded areas at 0, the last by code
    assert printed[11:] == sorted(set(hoods.codes) - left_behind)[-10:]
    frame = pd.read_csv(out_path)                           # --out keeps every row
    assert len(frame) == 33_755 and (frame["change_per_head_gbp"] > 0).sum() == 1_262


def test_compare_on_neighbourhoods_prints_the_largest_changes_only(capsys):
    code, out, _ = run_cli(capsys, "compare", "local_trust_neighbourhood_fund",
                           "two_tier_neighbourhood_fund")
    assert code == 0 and len(out.splitlines()) < 90
    assert ("the 10 largest and 10 smallest changes under two_tier_neighbourhood_fund of "
            "33,755 areas") in out
    assert "33,735 of 33,755 areas not shown" in out and "inf" not in out
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Code"))
    changes = [line.split()[-2] for line in lines[header + 2: header + 23] if line[:3] != "..."]
    values = [int(c.replace(",", "")) for c in changes]
    assert values == sorted(values, reverse=True) and values[0] > 0 > values[-1]
    # winners and losers are counted over every area, not only the printed ones
    from simulator.scenario import load_scenario, run_scenario

    local, tiers = (run_scenario(load_scenario(LIBRARY[name])).resources_per_head.ravel()
                    for name in ("local_trust_neighbourhood_fund", "two_tier_neighbourhood_fund"))
    gain, lose = int((tiers - local > 0.5).sum()), int((tiers - local < -0.5).sum())
    assert gain > 1_000 and lose > 0
    assert f"two_tier_neighbourhood_fund: {gain} gain, {lose} lose" in out


def test_capped_rows_order_by_resources_per_head_then_code():
    from simulator.cli import SHOWN_EACH_END, _capped_rows

    n = 100
    per_head = [float(i % 7) for i in range(n)]
    rows = pd.DataFrame({"code": [f"A{i:03d}" for i in range(n)][::-1],
                         "resources_per_head_gbp": per_head})
    shown, hidden = _capped_rows(rows, "GBP")
    assert hidden == n - 2 * SHOWN_EACH_END and len(shown) == 2 * SHOWN_EACH_END
    values = shown["resources_per_head_gbp"].to_numpy()
    assert (values[:SHOWN_EACH_END] == 6).all() and (values[SHOWN_EACH_END:] == 0).all()
    top = shown["code"].to_numpy()[:SHOWN_EACH_END]
    assert list(top) == sorted(top)                         # ties broken by code
    assert list(top) == sorted(rows.loc[rows["resources_per_head_gbp"] == 6, "code"])[:10]
    few = rows.head(12)
    assert _capped_rows(few, "GBP")[1] == 0 and _capped_rows(few, "GBP")[0] is few


def test_run_on_regions_prints_every_region(capsys):
    code, out, _ = run_cli(capsys, "run", "status_quo", "--year", "2023-24")
    assert code == 0 and "not shown" not in out and "Population (m)" in out
    assert all(region in out for region in UK_REGIONS)


def test_run_year_option(capsys):
    code, out, _ = run_cli(capsys, "run", "status_quo", "--year", "2023-24")
    assert code == 0 and "Resources per head, 2023-24" in out
    code, _, err = run_cli(capsys, "run", "status_quo", "--year", "1850-51")
    assert code == 2 and "1850-51" in err  # a bad --year is a usage error and "Traceback" not in err


def test_run_shows_a_projection_and_says_which_years_are_projected(capsys, tmp_path):
    path = tmp_path / "projected.yaml"
    path.write_text("extends: %s\nprojection: {end_year: 2027-28, growth: fixed, rate: 0.02}\n"
                    % LIBRARY["income_tax_gap_fill_75"])
    out_file = tmp_path / "projected.json"
    code, out, err = run_cli(capsys, "run", str(path), "--out", str(out_file))
    assert code == 0 and err == ""
    assert "uk_itl1, 2024-25 (observed) and 2025-26 to 2027-28 (projected)" in out
    assert ("projection: 2025-26 to 2027-28 projected from the observed year 2024-25; revenue "
            "and block grant per head +2.0% a year") in out
    assert "Resources per head, 2027-28 (projected)" in out
    assert "Resources per head, 2024-25" not in out  # the last year's regions only...
    metrics = out[out.index("System metrics"):]
    assert all(year in metrics for year in ("2024-25", "2025-26", "2026-27", "2027-28"))
    payload = json.loads(out_file.read_text())  # ...every year's in --out
    assert payload["years"] == ["2024-25", "2025-26", "2026-27", "2027-28"]
    code, out, _ = run_cli(capsys, "run", str(path), "--year", "2023-24")
    assert code == 0 and "--year runs the published year 2023-24 only" in out
    code, out, _ = run_cli(capsys, "validate", str(path))
    assert code == 0 and "projection: 2025-26 to 2027-28 projected from the observed year" in out


def test_compare_projections_on_their_last_year(capsys, tmp_path):
    path = tmp_path / "projected.yaml"
    path.write_text("extends: %s\nprojection: {end_year: 2029-30}\n" % LIBRARY["status_quo"])
    code, out, err = run_cli(capsys, "compare", str(path), "income_tax_ipc_projection")
    assert code == 0 and err == ""
    assert "Resources per head, 2029-30 (projected)" in out and "System metrics, 2029-30" in out
    code, _, err = run_cli(capsys, "compare", "status_quo", "income_tax_ipc_projection")
    assert code == 1 and "different years (2024-25 to 2029-30 vs 2024-25)" in err


def test_a_bad_projection_is_a_finding_with_its_line(capsys, tmp_path):
    path = tmp_path / "projected.yaml"
    path.write_text("extends: %s\nprojection:\n  end_year: 2029-30\n  overrides: {XX: 0.1}\n"
                    % LIBRARY["status_quo"])
    code, out, err = run_cli(capsys, "run", str(path))
    assert code == 1 and out == ""
    assert f"{path}:4:15: projection.overrides.XX: unknown region code 'XX'" in err


def test_run_invalid_scenario_is_a_finding(capsys, bad_file):
    code, out, err = run_cli(capsys, "run", str(bad_file))
    assert code == 1 and "steps[0].rat" in err and out == ""


def test_run_unknown_output_format_is_a_usage_error(capsys, tmp_path):
    code, _, err = run_cli(capsys, "run", "status_quo", "--out", str(tmp_path / "r.txt"))
    assert code == 2 and "use one of .csv, .xlsx, .json" in err


def test_compare_shows_winners_losers_and_metrics(capsys):
    code, out, _ = run_cli(capsys, "compare", "status_quo", "income_tax_gap_fill_75",
                           "needs_based")
    assert code == 0
    assert "income_tax_gap_fill_75 (GBP)" in out and "change (GBP)" in out
    assert "income_tax_gap_fill_75: " in out and " gain, " in out and "largest loss" in out
    metrics = out.split("System metrics")[1]
    assert "status_quo" in metrics and "needs_based" in metrics
    assert "Cost to the centre vs baseline (GBP m)" in metrics


def test_compare_needs_two_scenarios_and_the_same_dataset(capsys, tmp_path):
    code, _, err = run_cli(capsys, "compare", "status_quo")
    assert code == 2 and "REFORM" in err
    other = tmp_path / "other.yaml"
    other.write_text("extends: %s\ndataset: {name: uk_itl1, options: {north_sea: excluded}}\n"
                     % LIBRARY["status_quo"])
    code, _, err = run_cli(capsys, "compare", "status_quo", str(other))
    assert code == 1 and "different datasets" in err


def test_list_shows_datasets_and_library(capsys):
    code, out, _ = run_cli(capsys, "list")
    assert code == 0 and "uk_itl1" in out
    assert all(name in out for name in LIBRARY)


def test_schema_to_stdout_and_file(capsys, tmp_path):
    code, out, _ = run_cli(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "fiscalsim scenario"
    target = tmp_path / "scenario.schema.json"
    code, _, _ = run_cli(capsys, "schema", "--out", str(target))
    assert code == 0 and json.loads(target.read_text()) == schema


def test_usage_errors_exit_2(capsys):
    assert run_cli(capsys)[0] == 2
    assert run_cli(capsys, "frobnicate")[0] == 2
    code, _, err = run_cli(capsys, "run", "status_quo", "--colour")
    assert code == 2 and "unrecognized arguments: --colour" in err
    assert run_cli(capsys, "--help")[0] == 0


def test_format_table_aligns_columns():
    text = format_table(["Name", "Region", "Value (GBP)"], [["a", "x", "1"], ["bbb", "yy", "1,000"]])
    assert text.splitlines() == ["Name  Region  Value (GBP)", "----  ------  -----------",
                                 "a     x                 1", "bbb   yy            1,000"]


def test_no_traceback_as_a_process(bad_file):
    completed = subprocess.run([sys.executable, "-m", "simulator.cli", "validate", str(bad_file)],
                               capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 1
    assert "steps[0].rat" in completed.stdout and "Traceback" not in completed.stderr


def test_output_files_state_version_edition_and_scenario(capsys, tmp_path):
    """Every --out file carries the fiscalsim version and the data edition, and the
    resolved scenario (JSON and XLSX inside, CSV beside it), which loads back to the same
    scenario and the same figures."""
    from simulator import __version__
    from simulator.scenario import load_scenario, parse_scenario, run_scenario

    for suffix in (".csv", ".xlsx", ".json"):
        code, _, _ = run_cli(capsys, "run", "business_rates_75_retention", "--out",
                             str(tmp_path / f"r{suffix}"))
        assert code == 0
    frame = pd.read_csv(tmp_path / "r.csv")
    assert set(frame["fiscalsim_version"]) == {__version__}
    assert frame["data_edition"].iloc[0].startswith("uk_itl1: ONS Country and Regional")
    sidecar = (tmp_path / "r.csv.scenario.yaml").read_text()
    payload = json.loads((tmp_path / "r.json").read_text())
    sheet = pd.read_excel(tmp_path / "r.xlsx", sheet_name="provenance").set_index("field")
    original = load_scenario(LIBRARY["business_rates_75_retention"])
    for text in (sidecar, payload["provenance"]["scenario_yaml"], sheet.loc["scenario_yaml", "value"]):
        again = parse_scenario(text, name="from-output.yaml")
        assert again.model_dump() == original.model_dump()
    per_head = run_scenario(parse_scenario(sidecar, name="x.yaml")).resources_per_head.ravel()
    assert list(frame["resources_per_head_gbp"]) == pytest.approx(per_head, rel=1e-12)
