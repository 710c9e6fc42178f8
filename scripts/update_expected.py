"""Regenerate the expected headline results of the scenario library.

    .venv/bin/python scripts/update_expected.py [NAME...]

Runs every scenario in ``scenarios/`` (or the ones named) and writes
``scenarios/expected/<name>.json``: resources per head by region, cost to the
centre and Gini before/after.  A dataset of more than 1,000 areas (England's 33,755
neighbourhoods) gets the compact form instead: per authority, the distribution over
funded areas and a sum-of-squares checksum (``simulator.scenario.library.compact_headline``).  ``tests/scenario/test_library.py`` re-runs the
scenarios and compares with these files, so run this only after checking that
a change in the figures is intended, and commit the files with that change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator.scenario import ScenarioError, load_scenario, run_scenario  # noqa: E402
from simulator.scenario.library import (expected_path, headline_results,  # noqa: E402
                                        library_scenarios)


def main(names: list[str]) -> int:
    library = library_scenarios()
    unknown = [n for n in names if n not in library]
    if unknown:
        print(f"unknown library scenario(s): {', '.join(unknown)}; known: {', '.join(library)}",
              file=sys.stderr)
        return 2
    for name, path in library.items():
        if names and name not in names:
            continue
        try:
            scenario = load_scenario(path)
            result = run_scenario(scenario)
        except ScenarioError as error:
            print(error, file=sys.stderr)
            return 1
        payload = {
            "scenario": scenario.name,
            "file": f"scenarios/{path.name}",
            "dataset": scenario.dataset.name,
            "dataset_options": scenario.dataset.options,
            "generated_by": "scripts/update_expected.py",
            "years": headline_results(result),
        }
        target = expected_path(path)
        target.parent.mkdir(exist_ok=True)
        target.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
