"""`fiscalsim needs`: the assessment as a table, errors as usage errors."""

from __future__ import annotations

import pandas as pd
import pytest

from simulator.cli import main
from simulator.needs import assess_itl1


def test_needs_table_and_csv(tmp_path, capsys):
    assert main(["needs"]) == 0
    shown = capsys.readouterr().out
    a = assess_itl1()
    wales = f"{100 * a.need_index[a.codes.index('TLL')]:,.1f}"
    assert "Wales" in shown and wales in shown
    out = tmp_path / "needs.csv"
    assert main(["needs", "--out", str(out)]) == 0
    frame = pd.read_csv(out).set_index("code")
    assert frame.loc["TLL", "need_index"] == pytest.approx(100 * a.need_index[a.codes.index("TLL")])
    points = frame[[c for c in frame.columns if c.endswith("(points)")]].sum(axis=1)
    assert (points + 100).to_numpy() == pytest.approx(frame["need_index"].to_numpy())


def test_needs_errors_are_usage_errors(capsys):
    assert main(["needs", "--year", "1990-91"]) == 2
    assert "1999-00 to 2024-25" in capsys.readouterr().err
    assert main(["needs", "--out", "x.xlsx"]) == 2
