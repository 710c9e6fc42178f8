"""Benchmarks of income tax by band (simulator/income_tax, docs/income_tax.md).

  (it)  a schedule change for the 12 ITL1 regions on their fitted distributions: the
        engine's factors (yield ratio and base ratio per region) from a scenario's
        schedule choice, nothing cached but the fitted distributions and the parsed
        schedule files (the region's overrides applied afresh); target < 5 ms
  (its) a 1,000-point sweep of a band rate (the rUK higher rate, 30% to 50%) in the 11
        regions on rUK bands, every point and quantile at once; target < 1 s

Each checked against a plain-Python loop over regions, quantile cells and bands
(benchmarks.income_tax.loop_yield) to 1e-9 relative.  Registered in benchmarks/run.py;
also runs alone: ``python benchmarks/income_tax.py [--quick]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.cases import CaseResult, Config  # noqa: E402
from benchmarks.timing import peak_memory, time_call  # noqa: E402
from simulator.income_tax import CODES, fitted, load_schedule, stack, with_overrides  # noqa: E402
from simulator.income_tax.model import (_factors_cached, band_rate_sweep,  # noqa: E402
                                        in_force_schedules, region_yields, schedule_factors)
from simulator.income_tax.spec import ScheduleOverride, _built  # noqa: E402

YEAR = "2024-25"


def loop_yield(schedule, incomes, masses, taxpayers) -> float:
    """One region's yield, taxpayer cell by cell and band by band, in plain Python."""
    total = 0.0
    for x, w in zip(incomes, masses):
        allowance = max(schedule.personal_allowance.value
                        - schedule.taper.rate * max(x - schedule.taper.threshold, 0.0), 0.0)
        taxable = max(x - allowance, 0.0)
        tax, bands = 0.0, schedule.bands
        for i, band in enumerate(bands):
            upper = bands[i + 1].from_ if i + 1 < len(bands) else float("inf")
            tax += band.rate * max(min(taxable, upper) - band.from_, 0.0)
        total += tax * w
    return total * taxpayers


def _relative(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)) / np.abs(np.asarray(b))))


def case_schedule(config: Config) -> CaseResult:
    choice = {"TLC": ScheduleOverride(schedule="ruk_2024_25", rates={"higher": 0.41}),
              "TLL": "scotland_2024_25"}

    def call():
        _factors_cached.cache_clear()
        _built.cache_clear()  # a region's overrides are applied afresh each call
        return schedule_factors(CODES, None, choice, 0.0)

    timing = time_call(call, repeat=config.repeat)
    ratio, _ = call()
    d = fitted(YEAR)
    import time
    start = time.perf_counter()
    chosen = {"TLC": choice["TLC"].build(), "TLL": load_schedule("scotland_2024_25")}
    loop = []
    for r, code in enumerate(CODES):
        new = chosen.get(code, in_force_schedules(YEAR, [code])[0])
        old = in_force_schedules(YEAR, [code])[0]
        loop.append(loop_yield(new, d.income[r], d.mass, d.taxpayers[r])
                    / loop_yield(old, d.income[r], d.mass, d.taxpayers[r]))
    reference = time.perf_counter() - start
    return CaseResult(
        key="it", title="income tax: a schedule change for 12 regions (engine factors)",
        size=f"12 regions x {d.mass.size} quantile cells x up to 6 bands",
        timed="schedule_factors from a scenario's choice, its cache cleared each call",
        target=0.005, engine=timing, peak_bytes=peak_memory(call),
        reference_measured=reference, reference_note="plain-Python loop over regions, cells, bands",
        agreement=_relative(ratio, loop), cells_checked=12)


def case_sweep(config: Config) -> CaseResult:
    points = 20 if config.quick else 1000
    d = fitted(YEAR)
    schedules = in_force_schedules(YEAR)
    arrays = stack(schedules)
    values = np.linspace(0.30, 0.50, points)
    ruk = np.array([c != "TLM" for c in CODES])

    def call():
        return band_rate_sweep(d, arrays, 1, values, ruk)

    timing = time_call(call, repeat=config.repeat, number=1 if not config.quick else None)
    swept = call()
    import time
    checked = [0, points // 2, points - 1]
    start = time.perf_counter()
    loop = []
    for k in checked:
        row = []
        for r, code in enumerate(CODES):
            s = (with_overrides(schedules[r], rates={"higher": float(values[k])})
                 if ruk[r] else schedules[r])
            row.append(loop_yield(s, d.income[r], d.mass, d.taxpayers[r]))
        loop.append(row)
    reference = time.perf_counter() - start
    same = region_yields(d, arrays)
    return CaseResult(
        key="its", title=f"income tax: a {points:,}-point sweep of the rUK higher rate",
        size=f"{points:,} points x 12 regions x {d.mass.size} cells x 6 bands",
        timed="band_rate_sweep: yields (points, regions) in one vectorised call",
        target=1.0, engine=timing, peak_bytes=peak_memory(call),
        reference_measured=reference, reference_scale=points / len(checked),
        reference_note=f"plain-Python loop, {len(checked)} points timed and scaled",
        agreement=_relative(swept[checked], loop), cells_checked=len(checked) * 12,
        notes=[f"the 40% point equals the schedules in force to "
               f"{_relative(band_rate_sweep(d, arrays, 1, np.array([0.40]), ruk)[0], same):.1e}"])


CASES = {"it": case_schedule, "its": case_sweep}


if __name__ == "__main__":
    from benchmarks.run import case_text

    config = Config(quick="--quick" in sys.argv)
    for case in CASES.values():
        print(case_text(case(config)))
