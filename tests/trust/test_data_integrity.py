"""Data integrity at load (issue 13, class 8): totals that must add up, and a checksum
manifest of every packaged data file."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.data import uk_itl1
from simulator.errors import DataValidationError

ROOT = Path(__file__).resolve().parents[2]
FIX = "run python scripts/data_manifest.py"


def _manifest_module():
    spec = importlib.util.spec_from_file_location("data_manifest", ROOT / "scripts" / "data_manifest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ manifest
def test_every_packaged_data_file_is_in_the_manifest_with_its_checksum():
    manifest = _manifest_module()
    path = manifest.MANIFEST
    assert path.is_file(), f"{path} is missing; {FIX}"
    listed = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(manifest.DATA).as_posix(): p for p in manifest.data_files()}
    unlisted = sorted(set(files) - set(listed))
    assert not unlisted, f"packaged data files not in {path.name}: {unlisted}; {FIX}"
    gone = sorted(set(listed) - set(files))
    assert not gone, f"{path.name} lists files that are not packaged: {gone}; {FIX}"
    changed = sorted(name for name, p in files.items() if manifest.digest(p) != listed[name])
    assert not changed, (f"packaged data files differ from {path.name}: {changed}; if the "
                         f"change is intended (a rebuilt dataset), {FIX}")


def test_the_manifest_script_is_idempotent_and_sees_a_new_file(tmp_path):
    manifest = _manifest_module()
    copy = tmp_path / "data"
    shutil.copytree(manifest.DATA / "uk_itl1", copy / "uk_itl1")
    first = manifest.manifest_text(copy)
    assert first == manifest.manifest_text(copy)
    (copy / "uk_itl1" / "new.csv").write_text("a\n1\n")
    second = manifest.manifest_text(copy)
    assert "uk_itl1/new.csv" in second and "uk_itl1/new.csv" not in first
    (copy / "uk_itl1" / "new.csv").write_text("a\n2\n")
    assert manifest.manifest_text(copy) != second  # one byte changes the checksum


# ------------------------------------------------------------------ totals at load
@pytest.fixture
def copy_of_uk(tmp_path) -> Path:
    folder = tmp_path / "uk_itl1"
    shutil.copytree(uk_itl1.HERE, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return folder


def test_the_packaged_totals_add_up():
    uk_itl1.check_totals(uk_itl1.HERE)  # regions = England and UK rows, today to 5e-6 GBP m


def _tamper(folder: Path, file: str, code: str, column: str, delta: float,
            row_key: tuple[str, object]) -> None:
    path = folder / file
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    key, value = row_key
    mask = (table["code"] == code) & (table[key] == str(value))
    assert mask.sum() == 1
    table.loc[mask, column] = repr(float(table.loc[mask, column].iloc[0]) + delta)
    table.to_csv(path, index=False)


@settings(max_examples=6, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.sampled_from(["TLC", "TLI", "TLM", "TLN"]), line=st.sampled_from([1, 13, 63, 64]),
       year=st.sampled_from(["1999-00", "2012-13", "2024-25"]),
       delta=st.sampled_from([0.01, -1.0, 500.0, 1e6]))
def test_a_tampered_revenue_cell_is_refused_at_load_with_its_place(tmp_path_factory, code, line,
                                                                   year, delta):
    folder = tmp_path_factory.mktemp("uk") / "uk_itl1"
    shutil.copytree(uk_itl1.HERE, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    _tamper(folder, "revenue_lines_gbp_m.csv", code, year, delta, ("line_order", line))
    with pytest.raises(DataValidationError) as error:
        uk_itl1.from_folder(folder)
    message = str(error.value)
    assert message.startswith("revenue_lines_gbp_m.csv: the regions sum to")
    assert f"column 'line {line}'" in message and f"year '{year}'" in message
    # England's regions are checked against the England row first; the UK row otherwise
    assert error.value.region == ("E92000001" if code in ("TLC", "TLI") else "K02000001")


def test_a_tampered_population_is_refused_at_load(copy_of_uk):
    _tamper(copy_of_uk, "population.csv", "TLI", "population", 1.0, ("year", "2020-21"))
    with pytest.raises(DataValidationError, match=r"population.csv: the regions sum to .* "
                       r"tolerance 0.001.*region 'E92000001', column 'population', "
                       r"year '2020-21'"):
        uk_itl1.from_folder(copy_of_uk)


def test_rounding_within_the_published_tolerance_is_accepted(copy_of_uk):
    _tamper(copy_of_uk, "revenue_lines_gbp_m.csv", "TLD", "2024-25", 0.0005, ("line_order", 1))
    assert uk_itl1.from_folder(copy_of_uk).n_regions == 12
