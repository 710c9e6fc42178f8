"""Download tables and problem tables."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

__all__ = ['result_tables', 'excel_bytes', 'problems_table']


def result_tables(result: Any) -> dict[str, pd.DataFrame]:
    """The tables of a run, for download: ``regions`` (``by_region``),
    ``summary`` and, when something is devolved, ``marginal_rates``."""
    from ..errors import SimulatorError

    tables = {"regions": result.by_region(), "summary": result.summary()}
    try:
        tables["marginal_rates"] = result.marginal_equalisation_rates()
    except SimulatorError:
        pass
    return tables


def excel_bytes(tables: Mapping[str, pd.DataFrame], notes: Sequence[str] = ()) -> bytes:
    """An .xlsx workbook with one sheet per table (and a ``notes`` sheet)."""
    import io

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
        if notes:
            pd.DataFrame({"notes": list(notes)}).to_excel(writer, sheet_name="notes", index=False)
    return buffer.getvalue()


def problems_table(problems: Iterable[Any]) -> pd.DataFrame:
    """Scenario problems (``ScenarioError.problems``) as a table: line, column, field, message."""
    return pd.DataFrame(
        [{"Line": p.line, "Column": p.column, "Field": p.path or "(file)", "Message": p.message}
         for p in problems], columns=["Line", "Column", "Field", "Message"])
