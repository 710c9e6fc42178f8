"""``fiscalsim taxes`` and ``fiscalsim impact``: the printed numbers are the API's."""

from __future__ import annotations

import pytest

import simulator
from simulator.analysis.impact import spending_change, tax_change
from simulator.analysis.tax_suitability import suitability
from simulator.cli import main


def test_taxes_prints_the_ranked_table(capsys):
    assert main(["taxes", "--years", "2010-11:2024-25", "--weight", "mobility=3",
                 "--methods"]) == 0
    out = capsys.readouterr().out
    fed = simulator.load_federation("uk_itl1").select_years(
        list(simulator.load_federation("uk_itl1").years[11:]))
    table = suitability(fed, weights={"mobility": 3}).table()
    lines = [line.split() for line in out.splitlines()]
    ranked = [row for row in lines if row and row[0].isdigit() and len(row) > 3]
    assert [row[1] for row in ranked] == list(table.index)
    assert [float(row[2]) for row in ranked] == pytest.approx(
        list(table["score"].round(3)), abs=1e-9)
    assert "2010-11 to 2024-25 (15 years)" in out
    assert "GVA implied deflator" in out
    assert "Land and Buildings Transaction Tax (Scotland) Act 2013" in out  # --methods


@pytest.mark.parametrize("argv, message", [
    (["taxes", "--weight", "beauty=1"], "unknown criterion"),
    (["taxes", "--weight", "mobility"], "NAME=NUMBER"),
    (["taxes", "--years", "2024-25:2010-11"], "backwards"),
    (["impact"], "either --tax"),
    (["impact", "--tax", "vat"], "--yield-change"),
])
def test_usage_errors(capsys, argv, message):
    code = main(argv)
    assert code in (1, 2)
    assert message in capsys.readouterr().err


def test_impact_of_a_tax_rise(capsys):
    assert main(["impact", "--tax", "vat", "--yield-change", "5", "--year", "2023-24"]) == 0
    out = capsys.readouterr().out
    truth = tax_change(simulator.load_federation("uk_itl1"), "vat", 0.05,
                       year="2023-24").frame.set_index("code")
    row = next(line for line in out.splitlines() if line.startswith("TLI"))
    assert float(row.split()[2].replace(",", "")) == pytest.approx(
        truth.loc["TLI", "effect_gbp_m"], abs=0.05)


def test_impact_of_spending_written_out(tmp_path, capsys):
    out = tmp_path / "health.csv"
    assert main(["impact", "--function", "7. Health", "--amount", "1000", "--out",
                 str(out)]) == 0
    import pandas as pd

    written = pd.read_csv(out).set_index("code")
    truth = spending_change(simulator.load_federation("uk_itl1"), "7. Health",
                            1000.0).frame.set_index("code")
    assert written["effect_gbp_m"].to_numpy() == pytest.approx(truth["effect_gbp_m"].to_numpy())
    assert main(["impact", "--list-functions"]) == 0
    assert "10. Social protection" in capsys.readouterr().out
