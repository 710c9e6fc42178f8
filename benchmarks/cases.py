"""The benchmark cases (a) to (d): what is timed, on which data, against what.

Each case prepares its inputs outside the timed region, times the engine
call, measures its peak memory, runs the loop reference (``reference.py``)
on all or part of the same work, and checks that both give the same numbers.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from . import reference as ref
from .timing import Timing, peak_memory, time_call

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"

#: the agreement the loop reference must reach (relative, see reference.compare)
TOLERANCE = 1e-9
#: the engine must be at least this many times faster than the loop reference
RATIO_TARGET = 50.0


@dataclass(frozen=True)
class Config:
    quick: bool = False
    repeat: int = 5
    profile: bool = False


@dataclass
class CaseResult:
    key: str
    title: str
    size: str
    timed: str                      # what the engine timing covers
    target: float                   # seconds
    engine: Timing
    peak_bytes: int
    context: list[tuple[str, float]] = field(default_factory=list)
    reference_measured: float | None = None     # seconds for the part run
    reference_scale: float = 1.0                # full work / part run
    reference_note: str = ""
    agreement: float | None = None              # largest relative difference
    cells_checked: int = 0
    notes: list[str] = field(default_factory=list)
    profile: str = ""

    @property
    def reference_seconds(self) -> float | None:
        if self.reference_measured is None:
            return None
        return self.reference_measured * self.reference_scale

    @property
    def ratio(self) -> float | None:
        seconds = self.reference_seconds
        return None if seconds is None else seconds / self.engine.median

    @property
    def time_met(self) -> bool:
        return self.engine.median < self.target

    @property
    def ratio_met(self) -> bool | None:
        return None if self.ratio is None else self.ratio >= RATIO_TARGET

    @property
    def agrees(self) -> bool | None:
        return None if self.agreement is None else self.agreement <= TOLERANCE


def _profile(fn: Callable[[], object], calls: int, lines: int = 12) -> str:
    """cProfile of ``calls`` calls, the functions with the most own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        fn()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(lines)
    text = out.getvalue()
    start = text.find("   ncalls")
    return f"{calls} call(s), by own time\n" + (text[start:] if start >= 0 else text).rstrip()


def _profile_threads(fn: Callable[[], object], calls: int, lines: int = 30) -> str:
    """cProfile of the threads ``fn`` starts (Streamlit runs a page in a script
    thread), by cumulative time: which parts of the page take the time."""
    import threading

    profiles = []
    original = threading.Thread.run

    def run(self):
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            original(self)
        finally:
            profiler.disable()
            profiles.append(profiler)

    threading.Thread.run = run
    try:
        for _ in range(calls):
            fn()
    finally:
        threading.Thread.run = original
    if not profiles:
        return _profile(fn, calls, lines)
    out = io.StringIO()
    stats = pstats.Stats(profiles[0], stream=out)
    for profiler in profiles[1:]:
        stats.add(profiler)
    stats.strip_dirs().sort_stats("cumulative").print_stats(lines)
    text = out.getvalue()
    start = text.find("   ncalls")
    return (f"{calls} call(s), the page's script thread, by cumulative time\n"
            + (text[start:] if start >= 0 else text).rstrip())


def _time_reference(fn: Callable[[], object], config: Config) -> float:
    """Median seconds of the loop reference (fewer runs: it is the slow side)."""
    return time_call(fn, repeat=3 if not config.quick else 1, warmup=1,
                     min_run=0.2 if not config.quick else 0.0).median


def _library(name: str):
    from simulator.engine import EngineInputs
    from simulator.scenario import load_scenario, scenario_federation

    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    federation = scenario_federation(scenario)
    return scenario, federation, scenario.to_system(), EngineInputs.from_federation(federation)


# ---------------------------------------------------------------- (a)
def case_a(config: Config) -> CaseResult:
    """One ITL1 scenario: 12 regions, one year, the statutory-guarantee scenario."""
    from simulator.engine import simulate
    from simulator.scenario import run_scenario
    from simulator.scenario.running import run_on

    scenario, federation, system, inputs = _library("statutory_guarantee_90")
    repeat, min_run = (config.repeat, 0.2) if not config.quick else (2, 0.0)

    def engine():
        return simulate(inputs, system)

    timing = time_call(engine, repeat=repeat, warmup=3, min_run=min_run)
    peak = peak_memory(engine)
    context = [
        ("run(): baseline + scenario simulate, Result", time_call(
            lambda: run_on(scenario, federation), repeat=repeat, warmup=2, min_run=min_run).median),
        ("run_scenario(): select the year from the cached dataset, then run()", time_call(
            lambda: run_scenario(scenario), repeat=repeat, warmup=2, min_run=min_run).median),
        ("run() + summary() + by_region() frames", time_call(
            lambda: _frames(run_on(scenario, federation)), repeat=repeat, warmup=2,
            min_run=min_run).median),
    ]

    spec = ref.system_spec(system)
    cells = ref.cells(inputs, spec, [(0,)])
    reference_seconds = _time_reference(lambda: ref.simulate_cells(cells, spec), config)
    agreement = ref.compare([ref.engine_cell(engine(), (0,))], ref.simulate_cells(cells, spec))
    steps = ", ".join(f"{s.type}" for s in system.steps)
    result = CaseResult(
        key="a", title="one ITL1 scenario (statutory guarantee 90%)",
        size=f"{len(inputs.codes)} regions x {len(federation.years)} year "
             f"({federation.years[0]}), {len(spec['devolution'])} taxes devolved, steps: {steps}",
        timed="simulate(inputs, system) on prepared EngineInputs",
        target=1e-3, engine=timing, peak_bytes=peak, context=context,
        reference_measured=reference_seconds, reference_scale=1.0,
        reference_note="the full case (1 year x 12 regions)",
        agreement=agreement, cells_checked=1)
    if config.profile:
        result.profile = _profile(engine, 2000 if not config.quick else 20)
    return result


def _frames(result):
    result.summary()
    result.by_region()


# ---------------------------------------------------------------- (b)
def monte_carlo_inputs(n_years: int, n_draws: int, seed: int = 0):
    """England's 296 authorities projected ``n_years`` ahead, with ``n_draws``
    correlated shocks to their tax bases on a leading axis.

    The projection grows revenue per head at 3% (council tax) and 2% (income
    tax) a year and population at 0.4% a year (fixed trends: the dataset has
    one year, too few to estimate them).  The shocks: annual log-growth with
    a common factor (sd 1.5%) and an authority-specific part (sd 1.5%),
    cumulated over the years (``ShockModel``), every tax of an authority alike.
    """
    from simulator.data import load_federation
    from simulator.over_time.monte_carlo import ShockModel, shocked_inputs
    from simulator.over_time.projection import Trends, project_federation

    federation = load_federation("england_la")
    n_regions, n_taxes = federation.n_regions, len(federation.taxes)
    trends = Trends(window=(federation.years[0], federation.years[0]), taxes=federation.taxes,
                    codes=federation.codes,
                    uk_per_head=np.array([0.03 if t == "council_tax" else 0.02
                                          for t in federation.taxes]),
                    relative=np.zeros((n_taxes, n_regions)),
                    population=np.full(n_regions, 0.004), indicators={})
    projected = project_federation(federation, n_years=n_years, trends=trends, indicators="hold")
    covariance = 0.015 ** 2 * (np.ones((n_regions, n_regions)) + np.eye(n_regions))
    model = ShockModel.from_covariance(covariance, federation.codes, federation.taxes)
    started = time.perf_counter()
    shocks = model.draw(n_draws, n_years, seed)
    inputs = shocked_inputs(projected, shocks)
    prepared = time.perf_counter() - started
    return projected, inputs, prepared


def monte_carlo_system():
    """A representative system: council tax and income tax devolved (per-capita
    adjustment), a 75% gap-fill of capacity to the national average, paid for
    in full by the authorities above the average (horizontal funding)."""
    from simulator.engine import System

    return System(
        devolution={"council_tax": {"share": 1.0}, "income_tax": {"share": 1.0}},
        steps=[{"type": "gap_fill", "label": "75% gap-fill", "rate": 0.75},
               {"type": "horizontal_funding", "label": "paid by authorities above average",
                "share": 1.0}])


def case_b(config: Config) -> CaseResult:
    """296 authorities x 15 years x 1,000 Monte-Carlo draws, one engine call."""
    from simulator.engine import simulate

    n_years, n_draws, n_ref = (15, 1000, 10) if not config.quick else (3, 6, 2)
    projected, inputs, prepared = monte_carlo_inputs(n_years, n_draws)
    system = monte_carlo_system()
    repeat = config.repeat if not config.quick else 2

    def engine():
        return simulate(inputs, system)

    timing = time_call(engine, repeat=repeat, warmup=1, number=1)
    peak = peak_memory(engine)
    state = engine()

    spec = ref.system_spec(system)
    indices = [(d, y) for d in range(n_ref) for y in range(n_years)]
    cells = ref.cells(inputs, spec, indices)
    reference_seconds = _time_reference(lambda: ref.simulate_cells(cells, spec), config)
    loop = ref.simulate_cells(cells, spec)
    agreement = ref.compare([ref.engine_cell(state, index) for index in indices], loop)
    cells_total = n_draws * n_years
    result = CaseResult(
        key="b", title="Monte Carlo: England's local authorities",
        size=f"{len(inputs.codes)} authorities x {n_years} years "
             f"({projected.years[0]}..{projected.years[-1]}, projected) x {n_draws} draws; "
             f"2 taxes devolved; steps: gap_fill (75%), horizontal_funding",
        timed="simulate(inputs, system), inputs (draws, years, taxes, regions) prepared",
        target=1.0, engine=timing, peak_bytes=peak,
        context=[("draw the shocks + shocked_inputs() (not in the engine time)", prepared)],
        reference_measured=reference_seconds, reference_scale=cells_total / len(indices),
        reference_note=f"run on {n_ref} of {n_draws} draws (all years), extrapolated linearly "
                       f"x{cells_total / len(indices):g}",
        agreement=agreement, cells_checked=len(indices))
    if config.profile:
        result.profile = _profile(engine, 1)
    return result


# ---------------------------------------------------------------- (c)
def swept_system(system, rates: np.ndarray, step: int = 0):
    """``system`` with step ``step``'s rate an array ``(points, 1, 1)``."""
    steps = list(system.steps)
    steps[step] = steps[step].model_copy(update={"rate": np.asarray(rates, float)[:, None, None]})
    return system.model_copy(update={"steps": steps})


def case_c(config: Config) -> CaseResult:
    """A 10,000-point sweep of the equalisation rate on ITL1, one engine call.

    With ``simulator.analysis`` the timed call is its sweep evaluator's engine
    call (``Evaluator.state``: the data stay ``(years, regions)``, the rate is
    ``(points, 1, 1)``, one ``simulate`` whose state takes the point axis from
    the gap-fill's transfer) and the whole ``sweep()`` (validation, chunks,
    per-point metrics) is shown for context; without it the benchmark builds
    the same call itself.
    """
    from simulator.engine import simulate

    scenario, federation, system, inputs = _library("income_tax_gap_fill_75")
    n_points, n_ref = (10_000, 100) if not config.quick else (40, 8)
    rates = np.linspace(0.0, 1.0, n_points)
    repeat, min_run = (config.repeat, 0.2) if not config.quick else (2, 0.0)
    try:
        from simulator.analysis.sweep import Evaluator, sweep
    except ImportError:  # the analysis package is optional here
        Evaluator = sweep = None
    context = []
    if Evaluator is not None:
        evaluator = Evaluator(scenario, ["steps[0].rate"])
        values = rates[:, None]

        def engine():
            return evaluator.state(values)

        timed = ("simulator.analysis.sweep's engine call, Evaluator.state(values): data "
                 "(years, regions), gap_fill rate (points, 1, 1), one simulate (the state "
                 "takes the point axis from the gap-fill's transfer)")
    else:
        big_system = swept_system(system, rates)

        def engine():
            return simulate(inputs, big_system)

        timed = ("simulate(inputs (years, regions), system with the rate array "
                 "(points, 1, 1)); simulator.analysis not available")
    timing = time_call(engine, repeat=repeat, warmup=1, min_run=min_run)
    peak = peak_memory(engine)
    state = engine()
    if sweep is not None:
        context.append(("sweep(scenario, {'steps[0].rate': rates}): validation, chunks, "
                        "per-point metrics (Gini, Theil, CV, cost...)", time_call(
                            lambda: sweep(scenario, {"steps[0].rate": rates}), repeat=repeat,
                            warmup=1, min_run=min_run).median))

    spec = ref.system_spec(system)
    points = np.unique(np.linspace(0, n_points - 1, n_ref).round().astype(int))
    indices = [(int(k), 0) for k in points]
    cell = ref.cells(inputs, spec, [(0,)])[0]       # every point runs on the same data
    cells = [cell] * len(points)
    specs = [ref.with_step_rate(spec, 0, rates[k]) for k in points]
    reference_seconds = _time_reference(lambda: ref.simulate_cells(cells, specs), config)
    loop = ref.simulate_cells(cells, specs)
    agreement = ref.compare([ref.engine_cell(state, index) for index in indices], loop)
    result = CaseResult(
        key="c", title="sweep of the equalisation rate on ITL1 (75% gap-fill scenario)",
        size=f"{n_points} rates from 0 to 1 x {len(inputs.codes)} regions x "
             f"{len(federation.years)} year ({federation.years[0]}); one call "
             f"(no chunking needed: peak memory below)",
        timed=timed, target=5.0, engine=timing, peak_bytes=peak, context=context,
        reference_measured=reference_seconds, reference_scale=n_points / len(points),
        reference_note=f"run on {len(points)} of {n_points} points, extrapolated linearly "
                       f"x{n_points / len(points):g}",
        agreement=agreement, cells_checked=len(points))
    if config.profile:
        result.profile = _profile(engine, 5 if not config.quick else 1)
    return result


# ---------------------------------------------------------------- (d)
APP_WIDGET = "x_opt_rate"


def case_d(config: Config) -> CaseResult:
    """The app: a widget change on the Explore page (ITL1) until the page is redrawn."""
    from streamlit.testing.v1 import AppTest

    started = time.perf_counter()
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    app.run()
    first = time.perf_counter() - started
    _check_app(app)
    dataset = app.selectbox(key="x_dataset").value
    if dataset != "uk_itl1":
        app.selectbox(key="x_dataset").set_value("uk_itl1").run()
        _check_app(app)
    values = [round(v, 2) for v in np.arange(0.05, 1.0, 0.05)]
    position = {"k": 0}

    def change():
        value = values[position["k"] % len(values)]
        position["k"] += 1
        app.slider(key=APP_WIDGET).set_value(value).run()
        _check_app(app)

    repeat = max(config.repeat, 10) if not config.quick else 2
    timing = time_call(change, repeat=repeat, warmup=2 if not config.quick else 1, number=1,
                       disable_gc=False)
    peak = peak_memory(change)
    charts = len(app.get("plotly_chart"))
    result = CaseResult(
        key="d", title="app: Explore page, one widget change",
        size=f"uk_itl1 ({app.selectbox(key='x_scenario').value} scenario), the equalisation-rate "
             f"slider moved to a new value; the page re-runs: {len(app.metric)} figures, "
             f"{charts} charts, a table",
        timed="AppTest: slider.set_value(v).run() until the script has re-run "
              "(the browser's own drawing is not included)",
        target=0.3, engine=timing, peak_bytes=peak,
        context=[("first page load (imports, data, caches)", first)])
    if config.profile:
        result.profile = _profile_threads(change, 5 if not config.quick else 1)
    return result


def _check_app(app) -> None:
    if len(app.exception):
        raise RuntimeError(f"the app raised: {app.exception[0].value}")
    if not len(app.get("plotly_chart")):
        raise RuntimeError("the Explore page drew no chart")


CASES: dict[str, Callable[[Config], CaseResult]] = {"a": case_a, "b": case_b, "c": case_c,
                                                    "d": case_d}
