"""Time a widget change on the Explore page (ITL1), outside the test suite.

    .venv/bin/python tests/app/measure_redraw.py [repeats]

Each figure is the wall time of ``AppTest.run()`` after one widget change:
the whole page re-runs (engine, summary, marginal rates, three plotly
figures, tables), plus AppTest's own overhead.  Caches are warm (first run
and one change beforehand), as for a user moving a slider.  The target is
under 0.3 s.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

CHANGES = {
    "equalisation rate": lambda at, k: at.slider(key="x_opt_rate").set_value((0.3, 0.6)[k % 2]),
    "standard": lambda at, k: at.slider(key="x_opt_fraction").set_value((0.9, 1.1)[k % 2]),
    "income tax share": lambda at, k: at.slider(key="x_opt_share_income_tax").set_value(
        (0.5, 0.8)[k % 2]),
    "guarantee floor": lambda at, k: at.slider(key="x_opt_floor").set_value((75.0, 80.0)[k % 2]),
    "year": lambda at, k: at.select_slider(key="x_year").set_value(("2022-23", "2023-24")[k % 2]),
    "taxes devolved": lambda at, k: at.multiselect(key="x_opt_taxes").set_value(
        (["income_tax", "vat"], ["income_tax"])[k % 2]),
}


def main(repeats: int = 15) -> None:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.switch_page("app_pages/explore.py")
    at.run()
    at.toggle(key="x_opt_guarantee").set_value(True).run()  # so the floor slider exists
    everything = []
    print(f"{'widget':<20}{'median s':>10}{'max s':>10}")
    for name, change in CHANGES.items():
        change(at, 1)
        at.run()  # warm-up
        times = []
        for k in range(repeats):
            change(at, k)
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
            assert not at.exception, at.exception
        everything += times
        print(f"{name:<20}{statistics.median(times):>10.3f}{max(times):>10.3f}")
    print(f"{'all changes':<20}{statistics.median(everything):>10.3f}{max(everything):>10.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
