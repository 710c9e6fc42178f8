"""Paths (issue 13, class 1): what ``extends:`` and ``baseline:`` may open.

Text from the app (editor, upload) names library scenarios only: no absolute
path, no ``..``, no file beside the client-chosen upload name is opened, none
of another file's keys or values is echoed, and the answer does not depend on
whether the named file exists.  On the command line names resolve next to the
file and in the library, and never outside without ``--allow-outside-paths``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simulator.scenario.yaml_source as yaml_source
from simulator.cli import main
from simulator.scenario import ScenarioError, load_scenario, parse_scenario
from simulator.scenario.library import library_dir

LIBRARY = library_dir().resolve()
SECRET = "hunter2-do-not-echo"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A scenario-looking file outside the library holding a value that must never be shown."""
    path = tmp_path / "private" / "secret.yaml"
    path.parent.mkdir()
    path.write_text(f"api_key: {SECRET}\ndataset: uk_itl1\n")
    return path


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """Every YAML file read while the test runs."""
    files: list[Path] = []
    original = yaml_source.read_yaml

    def spy(path, display_name=None):
        files.append(Path(path).resolve())
        return original(path, display_name)

    monkeypatch.setattr(yaml_source, "read_yaml", spy)
    import simulator.scenario.merge as merge
    monkeypatch.setattr(merge, "read_yaml", spy)
    return files


def _text_problem(text: str, name: str = "upload.yaml"):
    with pytest.raises(ScenarioError) as error:
        parse_scenario(text, name, check_data=False)
    return error.value.problems


# ------------------------------------------------------------------ app text
@pytest.mark.parametrize("key", ["baseline", "extends"])
def test_text_cannot_open_an_absolute_path_nor_echo_it(secret, opened, key):
    problems = _text_problem(f"name: x\ndataset: uk_itl1\n{key}: {secret}\n")
    [problem] = problems
    assert (problem.file, problem.line, problem.path) == ("upload.yaml", 3, key)
    assert "is not a file of the scenario library" in problem.message
    assert SECRET not in str(problems) and "api_key" not in str(problems)
    assert opened == []  # nothing was read


@pytest.mark.parametrize("key", ["baseline", "extends"])
def test_text_answers_the_same_whether_or_not_the_file_exists(secret, key):
    exists = _text_problem(f"{key}: {secret}\n")[0].message
    missing = _text_problem(f"{key}: {secret.with_name('nothing.yaml')}\n")[0].message
    assert exists.replace("secret", "X") == missing.replace("nothing", "X")


def test_the_upload_file_name_plays_no_part(secret, opened):
    """An upload named as if it lived beside the secret cannot reach it by a relative name."""
    name = str(secret.with_name("reform.yaml"))
    problems = _text_problem("baseline: secret.yaml\n", name)
    assert problems[0].path == "baseline" and "not a file of the scenario library" in \
        problems[0].message
    assert opened == []


def test_text_names_a_library_scenario_and_base_dir_is_used(tmp_path, opened):
    scenario = parse_scenario("dataset: uk_itl1\nyear: 2024-25\nbaseline: status_quo\n",
                              "upload.yaml", check_data=False)
    assert scenario.baseline is not None
    assert opened == [LIBRARY / "status_quo.yaml"]
    # another folder given as base_dir is the one whose files can be named
    (tmp_path / "mine.yaml").write_text("dataset: uk_itl1\nblock_grant: identifiable_expenditure\n")
    scenario = parse_scenario("dataset: uk_itl1\nbaseline: mine.yaml\n", base_dir=tmp_path,
                              check_data=False)
    assert scenario.baseline.block_grant == "identifiable_expenditure"
    problems = _text_problem("dataset: uk_itl1\nbaseline: status_quo.yaml\nextends: x\n")
    assert {p.path for p in problems} == {"extends"}


_LIBRARY_NAMES = sorted(p.name for p in LIBRARY.glob("*.yaml"))
_segment = st.sampled_from(["..", ".", "private", "secret.yaml", "etc", "passwd", "~", "%2e%2e",
                            "scenarios", "status_quo.yaml", "C:", "", " "])
hostile_paths = st.one_of(
    st.lists(_segment, min_size=1, max_size=6).map("/".join),
    st.lists(_segment, min_size=1, max_size=6).map(lambda parts: "/" + "/".join(parts)),
    st.lists(_segment, min_size=1, max_size=6).map("\\".join),
    st.sampled_from(_LIBRARY_NAMES).map(lambda n: "../" + n),
    st.sampled_from(_LIBRARY_NAMES).map(lambda n: str(LIBRARY / n)),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=hostile_paths, key=st.sampled_from(["baseline", "extends"]))
def test_no_hostile_name_in_text_opens_a_file_outside_the_library(secret, opened, path, key):
    opened.clear()
    quoted = "'" + path.replace("'", "''") + "'"
    try:
        parse_scenario(f"dataset: uk_itl1\n{key}: {quoted}\n", "upload.yaml", check_data=False)
    except ScenarioError as error:
        assert SECRET not in str(error)
        located = [p for p in error.problems if p.path == key]
        if located:
            assert located[0].line == 2 and located[0].file == "upload.yaml"
    assert all(file.parent == LIBRARY for file in opened), opened


# ------------------------------------------------------------------ command line
def _reform(folder: Path, key: str, target: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "reform.yaml"
    path.write_text(f"dataset: uk_itl1\nyear: 2024-25\n{key}: {target}\n")
    return path


@pytest.fixture
def outside_base(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "base.yaml"
    path.parent.mkdir()
    path.write_text("dataset: uk_itl1\nyear: 2024-25\nblock_grant: identifiable_expenditure\n")
    return path


@pytest.mark.parametrize("key", ["baseline", "extends"])
@pytest.mark.parametrize("how", ["relative", "absolute", "symlink"])
def test_cli_refuses_a_name_outside_without_the_flag(tmp_path, outside_base, capsys, key, how):
    folder = tmp_path / "work"
    folder.mkdir()
    if how == "relative":
        target = "../elsewhere/base.yaml"
    elif how == "absolute":
        target = str(outside_base)
    else:
        os.symlink(outside_base, folder / "link.yaml")
        target = "link.yaml"
    reform = _reform(folder, key, target)
    with pytest.raises(ScenarioError) as error:
        load_scenario(reform, check_data=False)
    [problem] = error.value.problems
    assert (problem.line, problem.path) == (3, key)
    assert "leads outside the scenario's folder" in problem.message
    assert "--allow-outside-paths" in problem.message
    assert main(["validate", str(reform)]) == 1
    assert "--allow-outside-paths" in capsys.readouterr().out
    # with the explicit flag it is followed
    scenario = load_scenario(reform, check_data=False, allow_outside_paths=True)
    assert (scenario.baseline.block_grant if key == "baseline"
            else scenario.block_grant) == "identifiable_expenditure"
    assert main(["validate", "--allow-outside-paths", str(reform)]) == 0


def test_cli_names_resolve_next_to_the_file_then_in_the_library(tmp_path):
    reform = _reform(tmp_path / "work", "extends", "status_quo.yaml")
    assert load_scenario(reform, check_data=False).block_grant == "identifiable_expenditure"
    (tmp_path / "work" / "status_quo.yaml").write_text("dataset: uk_itl1\nyear: 2024-25\n")
    assert load_scenario(reform, check_data=False).block_grant is None  # the file beside wins


def test_cli_not_found_names_the_folders_looked_in(tmp_path):
    reform = _reform(tmp_path / "work", "baseline", "nothing.yaml")
    with pytest.raises(ScenarioError) as error:
        load_scenario(reform, check_data=False)
    [problem] = error.value.problems
    assert (problem.line, problem.path) == (3, "baseline")
    assert "not found" in problem.message and str(LIBRARY) in problem.message


# ------------------------------------------------------------------ the app itself
@pytest.mark.parametrize("key", ["baseline", "extends"])
def test_the_editor_shows_no_other_file_and_no_oracle(secret, key):
    """Typed into the app's editor: a located problem, nothing of the file, and the same
    answer as for a path that does not exist."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))
    from app_helpers import frame_with, open_page

    shown = {}
    for target in (secret, secret.with_name("nothing.yaml")):
        at = open_page("editor")
        at.text_area(key="e_text").set_value(
            f"name: x\ndataset: uk_itl1\n{key}: {target}\n").run()
        assert not at.exception
        problems = frame_with(at, "Field")
        everything = problems.to_string() + " ".join(e.value for e in at.error)
        assert SECRET not in everything and "api_key" not in everything
        row = problems[problems["Field"] == key].iloc[0]
        assert row["Line"] == 3 and "not a file of the scenario library" in row["Message"]
        shown[target.name] = row["Message"]
    assert shown["secret.yaml"].replace("secret", "X") == shown["nothing.yaml"].replace("nothing", "X")
