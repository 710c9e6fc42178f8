"""Output files (issue 13, class 4): written whole or not at all, never over an existing
file without --force, Ctrl-C exits 130 leaving the previous file, and two writers never
leave a corrupt file."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from simulator.cli import main
from simulator.output_files import OutputExists, write_file


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx"])
def test_run_refuses_to_replace_a_file_unless_forced(tmp_path, capsys, suffix):
    out = tmp_path / f"result{suffix}"
    out.write_bytes(b"previous")
    code = main(["run", "status_quo", "--year", "2024-25", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "the file exists; pass --force to replace it" in err
    assert out.read_bytes() == b"previous"
    assert main(["run", "status_quo", "--year", "2024-25", "--out", str(out), "--force"]) == 0
    assert out.read_bytes() != b"previous" and _leftovers(tmp_path) == []
    if suffix == ".xlsx":
        assert zipfile.is_zipfile(out)
    elif suffix == ".csv":
        assert len(pd.read_csv(out)) == 12


def test_sweep_and_schema_refuse_too(tmp_path, capsys):
    for argv in (["sweep", "income_tax_gap_fill_75", "--param", "steps[0].rate=0:1:3",
                  "--out", str(tmp_path / "s.csv")],
                 ["sweep", "income_tax_gap_fill_75", "--param", "steps[0].rate=0:1:3",
                  "--html", str(tmp_path / "s.html")],
                 ["schema", "--out", str(tmp_path / "schema.json")]):
        target = Path(argv[-1])
        target.write_text("previous")
        assert main(argv) == 2 and "--force" in capsys.readouterr().err
        assert target.read_text() == "previous"
        assert main(argv + ["--force"]) == 0 and target.read_text() != "previous"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_ctrl_c_while_writing_exits_130_and_keeps_the_previous_file(tmp_path, capsys,
                                                                    monkeypatch, suffix):
    out = tmp_path / f"points{suffix}"
    out.write_bytes(b"previous results")
    method = "to_csv" if suffix == ".csv" else "to_excel"
    original = getattr(pd.DataFrame, method)

    def half_then_interrupt(self, target, *args, **kwargs):
        original(self.head(2), target, *args, **kwargs)  # a valid header, a few rows...
        raise KeyboardInterrupt  # ...then Ctrl-C

    monkeypatch.setattr(pd.DataFrame, method, half_then_interrupt)
    code = main(["sweep", "income_tax_gap_fill_75", "--param", "steps[0].rate=0:1:50",
                 "--out", str(out), "--force"])
    err = capsys.readouterr().err
    assert code == 130
    assert err.strip().splitlines()[-1] == ("fiscalsim: interrupted; nothing written (an "
                                            "existing output file is unchanged)")
    assert "Traceback" not in err
    assert out.read_bytes() == b"previous results" and _leftovers(tmp_path) == []


def _race(path: Path, force: bool) -> list[object]:
    """Two writers of the same .xlsx, both done writing before either moves its file."""
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def writer(index: int) -> None:
        def write(target: Path) -> None:
            frame = pd.DataFrame({"writer": [index] * 1000, "value": range(1000)})
            frame.to_excel(target, index=False)
            barrier.wait(timeout=30)

        try:
            write_file(path, write, force=force)
            outcomes[index] = "wrote"
        except OutputExists as error:
            outcomes[index] = error

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_concurrent_writers_one_wins_the_other_is_told(tmp_path):
    path = tmp_path / "race.xlsx"
    outcomes = _race(path, force=False)
    assert sorted(map(type, outcomes), key=str) == sorted([str, OutputExists], key=str)
    loser = next(o for o in outcomes if isinstance(o, OutputExists))
    assert "appeared while this run was writing" in str(loser)
    table = pd.read_excel(path)  # a whole file, one writer's
    assert len(table) == 1000 and table["writer"].nunique() == 1
    assert _leftovers(tmp_path) == []


def test_two_forced_writers_leave_one_whole_file(tmp_path):
    path = tmp_path / "race.xlsx"
    assert _race(path, force=True) == ["wrote", "wrote"]
    table = pd.read_excel(path)
    assert len(table) == 1000 and table["writer"].nunique() == 1
    assert _leftovers(tmp_path) == []


def test_an_error_while_writing_leaves_nothing(tmp_path):
    path = tmp_path / "x.csv"

    def fail(target: Path) -> None:
        target.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_file(path, fail)
    assert not path.exists() and _leftovers(tmp_path) == []
