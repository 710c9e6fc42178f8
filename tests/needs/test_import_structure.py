"""Need models are computed from data; the data loaders never import them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "simulator" / "data"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_data_loader_imports_a_need_model():
    offenders = []
    for path in DATA.rglob("*.py"):
        for module in imported_modules(path):
            if "need_index" in module or module.split(".")[-1] == "needs" or ".needs." in module:
                offenders.append(f"{path.relative_to(ROOT)}: {module}")
    assert not offenders, offenders


def test_need_models_do_not_load_through_the_data_package():
    """Importing a loader module alone (the package root aside) does not pull in a need model."""
    code = ("import sys, importlib.util\n"
            "import simulator.data.uk_itl1, simulator.data.england_la, simulator.data.needs_itl1\n"
            "own = [m for m in sys.modules if m.startswith('simulator.need')]\n"
            "print(own)\n")
    # the package root wires need_index in (by name); leave the root out by
    # loading the data package's files under a stub root
    stub = ("import sys, types, pathlib\n"
            f"root = pathlib.Path({str(ROOT / 'simulator')!r})\n"
            "package = types.ModuleType('simulator'); package.__path__ = [str(root)]\n"
            "sys.modules['simulator'] = package\n")
    out = subprocess.run([sys.executable, "-c", stub + code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == "[]", out


def test_loader_option_still_works_through_the_registry():
    from simulator.data import uk_itl1

    federation = uk_itl1.load("2024-25", need_index="gdhi_proxy")
    assert "need_index" in federation.indicators
