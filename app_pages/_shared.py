"""Streamlit plumbing shared by the pages: cached loading, URL state, errors.

No formula lives here: datasets, scenarios and results come from the public
API of :mod:`simulator`; figures and tables from :mod:`simulator.presentation`.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Callable

import streamlit as st
import yaml
from pydantic import ValidationError

import simulator
from simulator.presentation import learn, maps, over_time, targets
from simulator.data import uk_itl1
from simulator.scenario import DatasetSpec, Scenario, ScenarioError, load_scenario, parse_scenario
from simulator.scenario.library import library_dir, library_scenarios
from simulator.scenario.running import run_on, scenario_federation

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
TEACHING = "teaching"
DEFAULT_DATASET = "uk_itl1"
DEFAULT_SCENARIO = "income_tax_gap_fill_75"
#: Options of built-in datasets that change the data (dataset -> option -> choices).
DATASET_OPTIONS: dict[str, dict[str, list[str]]] = {
    "uk_itl1": {"north_sea": list(uk_itl1.NORTH_SEA_OPTIONS)},
}


# ---------------------------------------------------------------- datasets
def dataset_names() -> list[str]:
    """Built-in datasets (UK first) and the teaching federation."""
    names = sorted(simulator.list_datasets(), key=lambda n: (n != DEFAULT_DATASET, n))
    return names + [TEACHING]


def dataset_description(name: str) -> str:
    if name == TEACHING:
        return "Five made-up regions with round numbers, for teaching"
    return simulator.list_datasets().get(name, name)


@st.cache_resource(show_spinner=False)
def federation(name: str, **options: str) -> simulator.Federation:
    """Every year of a dataset, loaded once per process (federations are immutable)."""
    if name == TEACHING:
        return learn.teaching_federation()
    return simulator.load_federation(name, **options)


def federation_or_stop(name: str, **options: str) -> simulator.Federation:
    """Every year of a dataset, or a clear message and the page stops there."""
    try:
        return federation(name, **options)
    except USER_ERRORS as exc:
        show_error(exc, "The dataset")
        st.stop()


def year_slider(key: str, years: list[str], default: str | None = None, container=st) -> str:
    """The financial-year slider: seeded from the link's ``year`` once, and reset to
    ``default`` (else the latest year) when the chosen year is not in ``years``."""
    seed(key, "year", years)
    if st.session_state.get(key) not in years:
        st.session_state[key] = default if default in years else years[-1]
    return container.select_slider("Financial year", years, key=key)


@st.cache_resource(show_spinner=False)
def federation_year(name: str, year: str, **options: str) -> simulator.Federation:
    """One year of a dataset (cached: each widget change reuses it)."""
    return federation(name, **options).select_years(year)


def _data_module(name: str):
    if name == TEACHING:
        return None
    try:
        return importlib.import_module(f"simulator.data.{name}")
    except ModuleNotFoundError:
        return None


@st.cache_resource(show_spinner=False)
def boundaries(name: str) -> str | None:
    """The dataset's GeoJSON (features keyed by property ``code``) as a data URL
    for plotly, built once; None when the dataset ships no boundaries.
    (``england_la`` ships ONS boundaries keyed by ``areacd``.)"""
    module = _data_module(name)
    loader = getattr(module, "boundaries", None) or getattr(module, "load_boundaries", None)
    if loader is None:
        return None
    geojson = loader()
    first = geojson["features"][0]["properties"] if geojson.get("features") else {}
    if "code" not in first and "areacd" in first:
        geojson = maps.geojson_with_codes(geojson, "areacd")
    return maps.geojson_data_url(geojson)


@st.cache_resource(show_spinner=False)
def hexmap(name: str) -> str | None:
    """The dataset's hex map (one equal hexagon per area) as a GeoJSON data
    URL, or None when it ships none (only ``england_la`` does)."""
    module = _data_module(name)
    frame = getattr(module, "hexmap_frame", None)
    return maps.geojson_data_url(maps.hex_geojson(frame())) if frame else None


def provenance(name: str) -> str | None:
    """The dataset's PROVENANCE.md, if it ships one."""
    path = ROOT / "simulator" / "data" / name / "PROVENANCE.md"
    return path.read_text(encoding="utf-8") if path.exists() else None


# ---------------------------------------------------------------- scenarios
#: The real-system presets of the library (each on its own dataset): name -> title.
PRESETS = {
    "canada_equalization_2025_26": "Canada: Equalization 2025-26",
    "australia_gst_2025_26": "Australia: GST distribution 2025-26",
    "germany_finanzkraftausgleich_2024": "Germany: Finanzkraftausgleich 2024",
    "switzerland_nfa_teaching": "Switzerland: NFA resource equalisation (teaching data)",
}


def library() -> dict[str, Path]:
    """Library scenario name -> file (``scenarios/*.yaml``)."""
    return library_scenarios()


def scenario_label(name: str) -> str:
    """How a picker shows a scenario: the user's own with a star, presets by
    country, others by name with their dataset when it is not the UK's ITL1
    regions."""
    from simulator.presentation.glossary import dataset_title
    from simulator.scenario.library import scenario_title

    if is_mine(name):
        return f"★ {name[len(MINE):]} (yours)"
    if name in PRESETS:
        return f"{PRESETS[name]} (real system)"
    try:
        dataset = library_scenario(name).dataset.name
    except Exception:  # a label never breaks the picker; choosing it shows the error
        return scenario_title(name)
    return (scenario_title(name) if dataset == DEFAULT_DATASET
            else f"{scenario_title(name)} ({dataset_title(dataset)})")


@st.cache_resource(show_spinner=False, max_entries=64)
def _library_scenario(path: str, modified: float) -> Scenario:
    return load_scenario(path)


def library_scenario(name: str) -> Scenario:
    """A library scenario, loaded and checked once per file version."""
    path = library()[name]
    return _library_scenario(str(path), path.stat().st_mtime)


# ---------------------------------------------------------------- the user's own scenarios
#: A reference to one of the user's own scenarios (session store) is ``MINE + name``;
#: any other reference is a library scenario's name.
MINE = "mine:"
STORE = "my_scenarios"


def is_mine(ref: str) -> bool:
    return isinstance(ref, str) and ref.startswith(MINE)


def my_scenarios() -> dict[str, str]:
    """The user's own scenarios in this session: name -> YAML text (named,
    editable in the editor, removable)."""
    return st.session_state.setdefault(STORE, {})


def scenario_key(ref: str) -> tuple[str, Any]:
    """A scenario reference with its version, for cache keys: a library
    scenario's file time, or the user's scenario's whole text."""
    if is_mine(ref):
        return ref, my_scenarios()[ref[len(MINE):]]
    return library_key(ref)


def keyed_scenario(key: tuple[str, Any]) -> Scenario:
    """The scenario of a :func:`scenario_key` (library or the user's own),
    validated as strictly as an upload."""
    ref, version = key
    if is_mine(ref):
        return text_scenario(version, f"{ref[len(MINE):]}.yaml")
    return library_scenario(ref)


def any_scenario(ref: str) -> Scenario:
    """A library scenario or one of the user's own, by reference."""
    return keyed_scenario(scenario_key(ref))


def library_by_dataset() -> tuple[dict[str, list[str]], dict[str, str]]:
    """Library scenario names by the dataset they run on, and the files that
    do not load (name -> message), so a page can offer only what runs."""
    by_dataset: dict[str, list[str]] = {}
    failed: dict[str, str] = {}
    for name in library():
        try:
            scenario = library_scenario(name)
        except USER_ERRORS as exc:
            failed[name] = error_text(exc)
            continue
        by_dataset.setdefault(scenario.dataset.name, []).append(name)
    for name in my_scenarios():
        try:
            scenario = any_scenario(MINE + name)
        except USER_ERRORS as exc:
            failed[MINE + name] = error_text(exc)
            continue
        by_dataset.setdefault(scenario.dataset.name, []).append(MINE + name)
    return by_dataset, failed


@st.cache_resource(show_spinner=False, max_entries=32)
def text_scenario(text: str, name: str) -> Scenario:
    """A scenario from YAML text (an upload or the editor); baseline files
    resolve against the library folder.  Raises ScenarioError."""
    return parse_scenario(text, name, base_dir=library_dir() or ROOT)


def on_data(scenario: Scenario, dataset: str, options: dict[str, str], year: str) -> Scenario:
    """The scenario re-pointed at another dataset, its options and one year."""
    return scenario.model_copy(update={
        "dataset": DatasetSpec(name=dataset, options=options), "year": year})


def _data_key(scenario: Scenario) -> str:
    """What the federation of a scenario depends on (not its steps)."""
    baseline = scenario.baseline
    return repr((scenario.dataset.model_dump(), scenario.year, scenario.need_index,
                 getattr(baseline, "need_index", None)))


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs={Scenario: _data_key})
def scenario_data(scenario: Scenario) -> simulator.Federation:
    """The scenario's federation (dataset, year, inline need index), cached."""
    if scenario.dataset.name == TEACHING:
        return federation_year(TEACHING, scenario.year)
    return scenario_federation(scenario)


def run(scenario: Scenario) -> simulator.Result:
    """Run a scenario (one year) on its cached federation."""
    return run_on(scenario, scenario_data(scenario))


# ---------------------------------------------------------------- URL state
def seed(key: str, param: str, choices: list[Any] | None = None,
         parse: Callable[[str], Any] = str) -> None:
    """Initialise widget ``key`` from the URL query parameter ``param`` once.

    A value that does not parse or is not among ``choices`` is ignored with a
    warning, so a hand-edited link never breaks the page.
    """
    if key in st.session_state or param not in st.query_params:
        return
    raw = st.query_params[param]
    try:
        value = parse(raw)
    except (TypeError, ValueError):
        st.warning(f"Ignored the link's {param}={raw!r}: not a valid value.")
        return
    if choices is not None and value not in choices:
        st.warning(f"Ignored the link's {param}={raw!r}: not one of the choices.")
        return
    st.session_state[key] = value


def share(**params: Any) -> None:
    """Write the page's key options to the URL (shareable link)."""
    wanted = {k: str(v) for k, v in params.items() if v is not None}
    current = {k: st.query_params[k] for k in st.query_params}
    if wanted != current:
        st.query_params.from_dict(wanted)


# ---------------------------------------------------------------- errors
def error_text(exc: BaseException) -> str:
    """A one-paragraph message for an error the user caused."""
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in exc.errors())
    return str(exc)


def problem_text(problem) -> str:
    """``Line 4, column 9 · steps[0].rate: must be at most 1``."""
    where = []
    if problem.line is not None:
        where.append(f"Line {problem.line}" + (f", column {problem.column}"
                                               if problem.column is not None else ""))
    if problem.path:
        where.append(f"`{problem.path}`")
    return (" · ".join(where) + ": " if where else "") + problem.message


def show_error(exc: BaseException, what: str = "This input") -> None:
    """A clear message (one per problem for a scenario), never a traceback."""
    if isinstance(exc, ScenarioError):
        st.error(f"{what} has {len(exc.problems)} problem"
                 f"{'s' if len(exc.problems) != 1 else ''}:\n\n"
                 + "\n".join(f"- {problem_text(p)}" for p in exc.problems),
                 icon=":material/error:")
        return
    st.error(f"{what} could not be used: {error_text(exc)}", icon=":material/error:")


#: Errors a user can cause (bad file, bad option); shown as a message, never a traceback.
#: yaml.YAMLError: kept as a safety net; the scenario reader turns YAML errors
#: (including characters YAML cannot hold) into ScenarioError problems.
USER_ERRORS = (simulator.SimulatorError, ValidationError, ValueError, KeyError, yaml.YAMLError)


def upload_text(upload) -> str:
    """An uploaded file as text; a clear error if it is not UTF-8."""
    try:
        return upload.getvalue().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{upload.name} is not a UTF-8 text file (byte {exc.start} cannot be "
                         "read); save the scenario as plain UTF-8 YAML") from None


# ---------------------------------------------------------------- over time
def library_key(name: str) -> tuple[str, float]:
    """A library scenario's name and file version, for cache keys."""
    return name, library()[name].stat().st_mtime


def baseline_system(scenario: Scenario):
    """The scenario's own comparison system, or None (the status quo)."""
    from simulator.scenario.schema import INLINE_NEED_INDEX

    baseline = scenario.baseline
    if baseline is None:
        return None
    if isinstance(baseline, str):  # parse_scenario resolves names; at most a library name here
        from simulator.scenario.paths import PathPolicy

        policy = PathPolicy.for_text("<app>", library_dir() or ROOT)
        baseline = load_scenario(policy.resolve(baseline, None, "baseline")).system()
    return baseline.to_system(INLINE_NEED_INDEX["baseline"])


@st.cache_resource(show_spinner=False, max_entries=16)
def observed(key: tuple[str, float]) -> simulator.Federation:
    """Every published year of a library scenario's dataset (its options and
    inline need index): the history a projection starts from."""
    scenario = keyed_scenario(key)
    every = federation(scenario.dataset.name, **scenario.dataset.options).years
    return scenario_federation(scenario, list(every))


def _growth(rate: float | None, regions: tuple[str, ...]):
    if rate is None:
        return None
    return {code: rate for code in regions} if regions else rate


@st.cache_resource(show_spinner=False, max_entries=32)
def projected(key: tuple[str, float], until: str, window: int, revenue_growth: float | None,
              population_growth: float | None, regions: tuple[str, ...]
              ) -> simulator.Federation:
    """The jump-off year and the projection to ``until`` (over_time.project_federation)."""
    from simulator.over_time import project_federation

    return project_federation(observed(key), until=until, window=window, history=1,
                              revenue_growth=_growth(revenue_growth, regions),
                              population_growth=_growth(population_growth, regions))


def indexes_grant(system) -> bool:
    """Whether the system has a block grant adjustment an indexation can replace."""
    return (system.block_grant is not None and system.block_grant_adjustment != "none"
            and any(d.share > 0 for d in system.devolution.values()))


def _bga(key: tuple[str, float], method: str | None, fed: simulator.Federation):
    from simulator.over_time import BGAIndexation

    system = keyed_scenario(key).to_system()
    if method is None or not indexes_grant(system):
        return None
    return BGAIndexation(method=method, base_year=fed.years[0])


@st.cache_resource(show_spinner=False, max_entries=32)
def over_time_run(key: tuple[str, float], projection: tuple, method: str | None
                  ) -> simulator.Result:
    """The scenario over every projected year, its deduction indexed by ``method``."""
    from simulator.over_time import run_over_time

    fed = projected(key, *projection)
    scenario = keyed_scenario(key)
    return run_over_time(fed, scenario.to_system(), bga=_bga(key, method, fed),
                         baseline=baseline_system(scenario))


def projection_variant(key: tuple[str, float], changes: str) -> Scenario:
    """The library scenario with its ``projection`` section updated by ``changes``
    (a JSON object of projection fields: the page's overrides)."""
    import json

    scenario = keyed_scenario(key)
    data = scenario.model_dump(exclude_unset=True)
    data["projection"] = {**data.get("projection", {}), **json.loads(changes)}
    return Scenario.model_validate(data)


@st.cache_resource(show_spinner=False, max_entries=32)
def own_projection_run(key: tuple[str, float], changes: str) -> simulator.Result:
    """The scenario's own projection (run_scenario: its growth rule, resets,
    comparator and transition) with the page's overrides ``changes``."""
    from simulator.scenario import run_scenario

    return run_scenario(projection_variant(key, changes))


@st.cache_resource(show_spinner=False, max_entries=16)
def bga_comparison(key: tuple[str, float], projection: tuple):
    """Cumulative gain against the centre under every indexation method
    (over_time.compare_methods_frame), for the scenario's devolved taxes."""
    from simulator.over_time import compare_methods_frame

    system = keyed_scenario(key).to_system()
    shares = {tax: d.share for tax, d in system.devolution.items() if d.share > 0}
    return compare_methods_frame(projected(key, *projection), shares)


@st.cache_resource(show_spinner=False, max_entries=16)
def monte_carlo_run(key: tuple[str, float], projection: tuple, method: str | None,
                    draws: int, seed: int, by: str):
    """Monte-Carlo draws of the projected settlement (shocks from the dataset's history)."""
    from simulator.over_time import ShockModel, monte_carlo

    fed = projected(key, *projection)
    scenario = keyed_scenario(key)
    model = ShockModel.from_history(observed(key), by=by)
    return monte_carlo(fed, scenario.to_system(), model, n_draws=draws, seed=seed, start=1,
                       bga=_bga(key, method, fed), baseline=baseline_system(scenario))


@st.cache_resource(show_spinner=False, max_entries=16)
def absorbed(key: tuple[str, float], projection: tuple, method: str | None):
    """Share of a region-specific shock absorbed (over_time.absorbed_share), tidy."""
    from simulator.over_time import absorbed_share

    fed = projected(key, *projection)
    shares = absorbed_share(fed, keyed_scenario(key).to_system(),
                            bga=_bga(key, method, fed))
    return over_time.absorbed_frame(shares, fed)


# ---------------------------------------------------------------- need index
LA_DATASET = "england_la"


@st.cache_resource(show_spinner=False, max_entries=16)
def la_need_index(normalisation: str, weighting: str, aggregation: str, weights: tuple = ()):
    """The mission composite need index of the 296 authorities for the
    dataset's one year (a single-period NeedIndex); ``weights``: a
    :func:`simulator.presentation.need_controls.weight_key` (none: the file's)."""
    from simulator.need_index import compute_need_index
    from simulator.presentation.need_controls import missions_with_weights

    fed = federation(LA_DATASET)
    return compute_need_index(
        {name: values[-1] for name, values in fed.indicators.items()},
        missions_with_weights(weights) if weights else None, codes=fed.codes,
        names=fed.names, groups=fed.nations, population=fed.population[-1],
        normalisation=normalisation, weighting=weighting, aggregation=aggregation)


@st.cache_resource(show_spinner=False, max_entries=16)
def la_rank_intervals(normalisation: str, weighting: str, aggregation: str, draws: int,
                      seed: int, weights: tuple = ()):
    """Monte-Carlo rank intervals (5th-95th percentile) of :func:`la_need_index`."""
    from simulator.need_index import rank_intervals

    return rank_intervals(la_need_index(normalisation, weighting, aggregation, weights),
                          draws=draws, seed=seed)


# ---------------------------------------------------------------- targets
def target_scenario(key: tuple[str, Any], year: str) -> Scenario:
    """A scenario (:func:`scenario_key`) on one year of its own dataset (and options)."""
    scenario = keyed_scenario(key)
    return on_data(scenario, scenario.dataset.name, dict(scenario.dataset.options), year)


@st.cache_resource(show_spinner=False, max_entries=64)
def solve(key: tuple[str, float], year: str, kind: str, **arguments: Any):
    """``solve_min_share``, ``solve_self_financing`` or ``best_for_budget`` on
    the scenario and year (simulator.analysis), cached per argument."""
    from simulator import analysis

    scenario = target_scenario(key, year)
    if kind == "self_financing":
        scenario, _ = targets.with_contribution_step(scenario)
        return analysis.solve_self_financing(scenario, **arguments)
    if kind == "min_share":
        return analysis.solve_min_share(scenario, **arguments)
    return analysis.best_for_budget(scenario, **arguments)


@st.cache_resource(show_spinner=False, max_entries=8)
def report_html(key: tuple[str, float], year: str) -> str:
    """The scenario's annual report (simulator.analysis.build_report), one HTML page."""
    from simulator.analysis import build_report

    return build_report(target_scenario(key, year))


# ---------------------------------------------------------------- validation
VALIDATION_DOC = ROOT / "docs" / "validation.md"


def validation_sections() -> dict[str, str]:
    """docs/validation.md by preset name (published vs simulated tables)."""
    if not VALIDATION_DOC.exists():
        return {}
    return learn.validation_sections(VALIDATION_DOC.read_text(encoding="utf-8"))
