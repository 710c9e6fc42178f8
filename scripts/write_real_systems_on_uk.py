"""Write scenarios/<country>_rules_on_uk.yaml from simulator.scenario.templates (deterministic).

    python scripts/write_real_systems_on_uk.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.scenario.templates import TEMPLATES, library_yaml  # noqa: E402


def main() -> None:
    for key, template in TEMPLATES.items():
        path = ROOT / "scenarios" / f"{template.scenario_name}.yaml"
        temporary = path.with_suffix(".yaml.tmp")
        temporary.write_text(library_yaml(key))
        os.replace(temporary, path)
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
