"""The preset scenario files and their datasets: headers, CLI, loaders, the validation doc."""

from __future__ import annotations

import pytest

from presets_testkit import ROOT, SCENARIOS, load_script
from simulator import ConfigurationError
from simulator.cli import main
from simulator.data import list_datasets, load_federation
from simulator.errors import DataValidationError

PRESETS = {
    "canada_equalization_2025_26": ("canada_2025_26", "Fiscal Arrangements Act", "Finance Canada"),
    "australia_gst_2025_26": ("australia_2025_26", "Federal Financial Relations Act", "ABS"),
    "germany_finanzkraftausgleich_2024": ("germany_2024", "FAG", "BMF"),
    "switzerland_nfa_teaching": ("switzerland_teaching", "FiLaG", "switzerland_nfa_figures"),
}


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_opens_with_the_system_the_law_and_the_data_source(name):
    dataset, law, source = PRESETS[name]
    text = (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert text.startswith("# ")
    assert law in header and source in header and "Data:" in header
    assert dataset in list_datasets()


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_fiscalsim_validates_and_runs(name, capsys):
    path = str(SCENARIOS / f"{name}.yaml")
    assert main(["validate", path]) == 0
    assert main(["run", path]) == 0
    assert "Resources per head" in capsys.readouterr().out


@pytest.mark.parametrize("dataset", ["canada_2025_26", "australia_2025_26", "germany_2024",
                                     "switzerland_teaching"])
def test_datasets_refuse_unknown_years_and_options(dataset):
    federation = load_federation(dataset)
    assert len(federation.years) == 1
    assert load_federation(dataset, year=federation.years[0]) is federation
    with pytest.raises(DataValidationError):
        load_federation(dataset, year="1999-00")
    with pytest.raises(DataValidationError, match="year label as text"):
        load_federation(dataset, year=2024)
    with pytest.raises(ConfigurationError, match="unknown option"):
        load_federation(dataset, colour="red")
    assert (ROOT / "simulator" / "data" / dataset / "PROVENANCE.md").is_file()


def test_dataset_options():
    assert load_federation("canada_2025_26", vintage="2025-12").population.sum() != \
        load_federation("canada_2025_26").population.sum()
    with pytest.raises(ConfigurationError, match="vintage"):
        load_federation("canada_2025_26", vintage="2019-01")
    march = load_federation("australia_2025_26", population_date="2025-03-31")
    assert march.population.sum() == pytest.approx(27_531.9e3)  # states only, no Other Territories
    with pytest.raises(ConfigurationError, match="population_date"):
        load_federation("australia_2025_26", population_date="2030-01-01")
    assert load_federation("australia_2025_26").taxes == ()
    assert load_federation("canada_2025_26").currency == "CAD"


def test_docs_validation_matches_a_fresh_run():
    validation = load_script("validation_table")
    committed = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    assert committed == validation.render(), "run scripts/validation_table.py"
