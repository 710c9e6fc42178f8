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
from simulator import presentation
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
        return presentation.teaching_federation()
    return simulator.load_federation(name, **options)


@st.cache_resource(show_spinner=False)
def federation_year(name: str, year: str, **options: str) -> simulator.Federation:
    """One year of a dataset (cached: each widget change reuses it)."""
    return federation(name, **options).select_years(year)


@st.cache_resource(show_spinner=False)
def boundaries(name: str) -> str | None:
    """The dataset's GeoJSON (features keyed by property ``code``) as a data URL
    for plotly, built once; None when the dataset ships no boundaries."""
    if name == TEACHING:
        return None
    try:
        module = importlib.import_module(f"simulator.data.{name}")
    except ModuleNotFoundError:
        return None
    loader = getattr(module, "boundaries", None)
    return presentation.geojson_data_url(loader()) if loader else None


def provenance(name: str) -> str | None:
    """The dataset's PROVENANCE.md, if it ships one."""
    path = ROOT / "simulator" / "data" / name / "PROVENANCE.md"
    return path.read_text(encoding="utf-8") if path.exists() else None


# ---------------------------------------------------------------- scenarios
def library() -> dict[str, Path]:
    """Library scenario name -> file (``scenarios/*.yaml``)."""
    return library_scenarios()


@st.cache_resource(show_spinner=False, max_entries=64)
def _library_scenario(path: str, modified: float) -> Scenario:
    return load_scenario(path)


def library_scenario(name: str) -> Scenario:
    """A library scenario, loaded and checked once per file version."""
    path = library()[name]
    return _library_scenario(str(path), path.stat().st_mtime)


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
#: yaml.YAMLError: the scenario reader lets a few reader errors (e.g. a NUL
#: character) through as plain PyYAML errors.
USER_ERRORS = (simulator.SimulatorError, ValidationError, ValueError, KeyError, yaml.YAMLError)


def upload_text(upload) -> str:
    """An uploaded file as text; a clear error if it is not UTF-8."""
    try:
        return upload.getvalue().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{upload.name} is not a UTF-8 text file (byte {exc.start} cannot be "
                         "read); save the scenario as plain UTF-8 YAML") from None
