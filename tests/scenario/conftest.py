"""Fixtures: the tiny dataset registered as a built-in, and a file writer."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from simulator.data import DATASETS
from tiny_data import tiny_federation


@pytest.fixture
def tiny_dataset():
    """Register the tiny dataset for one test."""
    DATASETS["tiny"] = ("Three-region test federation", tiny_federation)
    yield "tiny"
    DATASETS.pop("tiny", None)


@pytest.fixture
def write(tmp_path: Path):
    """write("name.yaml", text) -> path, text dedented."""
    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path
    return _write
