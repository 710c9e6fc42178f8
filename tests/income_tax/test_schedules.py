"""Schedules as data: strict, located validation; every packaged file loads."""

from __future__ import annotations

import pytest

from simulator.errors import ConfigurationError
from simulator.income_tax import list_schedules, load_schedule, with_overrides
from simulator.income_tax.schedules import SCHEDULE_DIR, parse_schedule
from simulator.scenario import ScenarioError
from simulator.scenario.yaml_source import parse_yaml


def test_every_packaged_schedule_loads_with_references():
    names = list_schedules()
    for year in ("2021_22", "2022_23", "2023_24", "2024_25"):
        assert f"ruk_{year}" in names and f"scotland_{year}" in names
    for name in names:
        schedule = load_schedule(name)
        assert schedule.name == name
        assert all(len(b.reference) > 20 for b in schedule.bands)
        assert schedule.taper.rate == 0.5 and schedule.taper.threshold == 100_000


def test_scotland_2024_25_has_six_bands():
    schedule = load_schedule("scotland_2024_25")
    assert [b.name for b in schedule.bands] == ["starter", "basic", "intermediate", "higher",
                                                "advanced", "top"]
    assert [b.rate for b in schedule.bands] == [0.19, 0.20, 0.21, 0.42, 0.45, 0.48]


def _text(replace: tuple[str, str]) -> str:
    text = (SCHEDULE_DIR / "ruk_2024_25.yaml").read_text()
    assert replace[0] in text
    return text.replace(replace[0], replace[1], 1)


@pytest.mark.parametrize("old,new,field,words", [
    ("rate: 0.40", "rate: true", "bands[1].rate", "not True"),
    ("rate: 0.40", "rate: .inf", "bands[1].rate", "finite"),
    ("rate: 0.40", "rate: 1.4", "bands[1].rate", "allowed 0 to 1"),
    ("from: 37700", "from: 200000", "bands", "increasing"),
    ("  value: 12570", "  value: -5", "personal_allowance.value", "allowed 0"),
    ("class: higher", "klass: higher", "bands[1]", "xtra"),
])
def test_bad_values_are_located(old, new, field, words):
    data, source = parse_yaml(_text((old, new)), "bad.yaml")
    with pytest.raises(ScenarioError) as raised:
        parse_schedule(data, "bad.yaml", source)
    problem = next(p for p in raised.value.problems if words in p.message)
    assert problem.file == "bad.yaml" and problem.line is not None
    assert problem.path.startswith(field)


def test_overrides_apply_and_stay_ordered():
    changed = with_overrides(load_schedule("ruk_2024_25"), rates={"higher": 0.41},
                             thresholds={"additional": 100_000}, personal_allowance=15_000)
    assert changed.bands[1].rate == 0.41 and changed.bands[2].from_ == 100_000
    with pytest.raises(ConfigurationError, match="unknown band"):
        with_overrides(load_schedule("ruk_2024_25"), rates={"top": 0.5})
    with pytest.raises(ConfigurationError, match="increasing"):
        with_overrides(load_schedule("ruk_2024_25"), thresholds={"higher": 200_000})
    with pytest.raises(ConfigurationError, match="unknown income-tax schedule"):
        load_schedule("../ruk_2024_25")
