"""Time a widget change on a page, outside the test suite.

    .venv/bin/python tests/app/measure_redraw.py [repeats] [page ...]

Pages: explore (ITL1, the default), explore_la, over_time, need_index, targets,
learn.  Each figure is the wall time of ``AppTest.run()`` after one widget
change: the whole page re-runs (engine or API calls, figures, tables), plus
AppTest's own overhead; a browser adds the time to send and draw the figures.
Caches are warm (first run and one change beforehand), as for a user moving a
slider, except for changes marked "new", which take a value never seen before
(e.g. a new Monte-Carlo seed), so the computation behind them runs each time.
The target is under 0.3 s for a cached change.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402


def alternate(kind, key, a, b):
    return lambda at, k: getattr(at, kind)(key=key).set_value((a, b)[k % 2])


PAGES = {
    "explore": ("explore", {}, [lambda at: at.toggle(key="x_opt_guarantee").set_value(True)], {
        "equalisation rate": alternate("slider", "x_opt_rate", 0.3, 0.6),
        "standard": alternate("slider", "x_opt_fraction", 0.9, 1.1),
        "income tax share": alternate("slider", "x_opt_share_income_tax", 0.5, 0.8),
        "guarantee floor": alternate("slider", "x_opt_floor", 75.0, 80.0),
        "year": alternate("select_slider", "x_year", "2022-23", "2023-24"),
        "taxes devolved": alternate("multiselect", "x_opt_taxes", ["income_tax", "vat"],
                                    ["income_tax"]),
    }),
    "explore_la": ("explore", {"scenario": "england_la_council_tax_equalisation"}, [], {
        "council tax share": alternate("slider", "x_opt_share_council_tax", 0.5, 0.8),
        "map kind": alternate("radio", "x_map_kind", "Boundaries", "Hex map"),
    }),
    "over_time": ("over_time", {}, [], {
        "BGA method": alternate("selectbox", "ot_method", "levels_deduction",
                                "indexed_per_capita"),
        "trend window": alternate("slider", "ot_window", 8, 10),
        "horizon": alternate("select_slider", "ot_until", "2034-35", "2039-40"),
        "fan measure": alternate("radio", "ot_measure", "change_per_head",
                                 "resources_per_head"),
        "draws": alternate("select_slider", "ot_draws", 100, 200),
        "seed (new)": lambda at, k: at.number_input(key="ot_seed").set_value(1000 + k),
        "window (new)": lambda at, k: at.slider(key="ot_window").set_value(3 + k % 20),
    }),
    "need_index": ("need_index", {}, [], {
        "normalisation": alternate("selectbox", "n_norm", "minmax", "zscore"),
        "authority": alternate("selectbox", "n_area", "Hartlepool", "Manchester"),
        "map kind": alternate("radio", "n_map", "Boundaries", "Hex map"),
        "top share": alternate("select_slider", "n_share", 0.1, 0.2),
        "seed (new)": lambda at, k: at.number_input(key="n_seed").set_value(1000 + k),
    }),
    "targets": ("targets", {}, [], {
        "min share": alternate("slider", "t_share", 80, 90),
        "budget": alternate("number_input", "t_budget", 2000.0, 1000.0),
        "metric": alternate("selectbox", "t_metric", "theil", "gini"),
        "min share (new)": lambda at, k: at.slider(key="t_share").set_value(60 + k % 40),
    }),
    "learn": ("learn", {}, [], {
        "real system": alternate("selectbox", "l_real", "australia_gst_2025_26",
                                 "canada_equalization_2025_26"),
    }),
}


def measure(page: str, repeats: int) -> list[float]:
    script, query, setup, changes = PAGES[page]
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{script}.py")
    at.run()
    for step in setup:
        step(at)
        at.run()
    everything = []
    print(f"\n{page}\n{'widget':<22}{'median s':>10}{'max s':>10}")
    for name, change in changes.items():
        change(at, 1)
        at.run()  # warm-up
        times = []
        for k in range(repeats):
            change(at, k + 2 if "(new)" in name else k)
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
            assert not at.exception, at.exception
        everything += [t for t in times] if "(new)" not in name else []
        print(f"{name:<22}{statistics.median(times):>10.3f}{max(times):>10.3f}")
    if everything:
        print(f"{'cached changes':<22}{statistics.median(everything):>10.3f}"
              f"{max(everything):>10.3f}")
    return everything


def main(repeats: int = 15, pages: list[str] | None = None) -> None:
    for page in pages or ["explore"]:
        measure(page, repeats)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15, sys.argv[2:] or None)
