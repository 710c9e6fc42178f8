"""What every ``fiscalsim`` subcommand shares: exit codes, the usage error, plain-text
tables, scenario paths, checked ``--out`` paths and safe writes, ``--year`` checks.

Both :mod:`simulator.cli` (validate, run, compare, list, schema) and
:mod:`simulator.analysis.commands` (sweep, solve, report) import it, so neither
needs the other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from .errors import SimulatorError
from .output_files import OutputExists, check_destination, write_file
from .scenario.library import library_scenarios

__all__ = ["OK", "FINDINGS", "USAGE", "INTERRUPTED", "OUTPUT_FORMATS", "UsageError",
           "format_table", "resolve_scenario_path", "out_path", "write_output",
           "check_year_option"]

OK, FINDINGS, USAGE = 0, 1, 2
INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
OUTPUT_FORMATS = (".csv", ".xlsx", ".json")


class UsageError(Exception):
    """Bad command-line use (exit code 2)."""


# ------------------------------------------------------------------ tables
def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]],
                 align: str | None = None) -> str:
    """Plain-text table: a header, a rule, rows; ``align`` one of 'l'/'r' per column
    (default: left for the first two columns, right for the rest)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row]
                                           for row in rows]
    align = align or ("ll" + "r" * max(0, len(headers) - 2))[:len(headers)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(cell.ljust(w) if a == "l" else cell.rjust(w)
                         for cell, w, a in zip(row, widths, align)).rstrip()

    return "\n".join([line(cells[0]), "  ".join("-" * w for w in widths)]
                     + [line(row) for row in cells[1:]])


def resolve_scenario_path(name: str) -> Path:
    """A scenario path: the file itself, else a library scenario of that name."""
    path = Path(name)
    if path.is_file():
        return path
    if path.is_dir():
        raise UsageError(f"{name}: is a directory, not a scenario file")
    if path.exists():
        raise UsageError(f"{name}: is not a regular file (a device, pipe or socket), not a "
                         "scenario file")
    library = library_scenarios()
    stem = path.name.removesuffix(".yaml").removesuffix(".yml")
    if path.parent == Path(".") and stem in library:
        return library[stem]
    hint = ""
    import difflib

    close = difflib.get_close_matches(stem, list(library), n=1)
    if close:
        hint = f"; did you mean the library scenario {close[0]!r}?"
    raise UsageError(f"{name}: file not found{hint}")


def out_path(out: str | None, formats: tuple[str, ...] | None = OUTPUT_FORMATS, *,
              force: bool = False, option: str = "--out") -> Path | None:
    """``--out``'s path, checked before any work: a known format, an existing folder,
    and no existing file unless ``force`` (``--force``)."""
    if out is None:
        return None
    path = Path(out)
    if formats is not None and path.suffix.lower() not in formats:
        raise UsageError(f"{option} {out}: unknown format {path.suffix or '(no extension)'!r}; "
                         f"use one of {', '.join(formats)}")
    try:
        return check_destination(path, force=force, option=option)
    except OSError as error:
        raise UsageError(str(error)) from None


def write_output(out: Path, write: Callable[[Path], None], *, force: bool,
                 option: str = "--out") -> None:
    """Write ``out`` whole or not at all (temporary file + rename, see
    :mod:`simulator.output_files`); a failure is a usage error naming the file."""
    try:
        write_file(out, write, force=force, option=option)
    except OutputExists as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"{option} {out}: cannot write: {error.strerror or error}") from None


def check_year_option(scenario, year: str | None, option: str = "--year") -> None:
    """A usage error (exit 2) if ``--year`` is not a year of the scenario's dataset."""
    if year is None:
        return
    from .data import load_federation

    try:
        years = load_federation(scenario.dataset.name, **scenario.dataset.options).years
    except (SimulatorError, TypeError, ValueError):
        return  # the dataset itself is at fault: reported when the scenario runs
    if year not in years:
        import difflib

        close = difflib.get_close_matches(year, list(years), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UsageError(f"{option} {year}: not a year of dataset {scenario.dataset.name!r} "
                         f"(it has {years[0]} to {years[-1]}){hint}")
