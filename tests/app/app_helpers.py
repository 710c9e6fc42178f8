"""Helpers for the app tests: open a page of the real app with AppTest.

(A module of its own, not conftest.py, so its name cannot clash with another
test folder's conftest when the whole suite runs.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "streamlit_app.py"


def open_page(page: str, **query: str) -> AppTest:
    """Run ``app_pages/<page>.py`` through the app's navigation, with URL query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py")
    return at.run()


def assert_ok(at: AppTest) -> None:
    """No exception box and no error message on the page."""
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def number(text: str) -> float:
    """The first number in a displayed value: ``GBP 41,422 m`` -> 41422, ``75.0%`` -> 75."""
    match = re.search(r"[-+]?\d[\d,]*\.?\d*", text)
    assert match, text
    return float(match.group().replace(",", ""))


def metric(at: AppTest, label_start: str):
    found = [m for m in at.metric if m.label.startswith(label_start)]
    assert found, [m.label for m in at.metric]
    return found[0]


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page with ``column``."""
    for element in [*at.dataframe, *at.table]:
        value = element.value
        if hasattr(value, "data"):  # a Styler
            value = value.data
        if column in value.columns:
            return value
    raise AssertionError(f"no table with column {column!r}; tables: "
                         f"{[list(e.value.columns) for e in at.dataframe]}")


