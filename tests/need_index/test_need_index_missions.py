"""The missions YAML: the packaged file validates; bad files give clear errors."""

from __future__ import annotations

import pytest

from simulator.errors import ConfigurationError, SimulatorError
from simulator.need_index import (DEFAULT_MISSIONS_FILE, MissionsConfigError, load_missions,
                                  missions_from_dict)

GOOD = """\
version: 1
title: test
missions:
  growth:
    title: Growth
    indicators:
      - {id: pay, higher_means: less_need}
      - {id: unemployment, higher_means: more_need, weight: 2}
  crime:
    title: Crime
    unavailable: no data
"""


def test_packaged_missions_file_has_the_five_missions():
    config = load_missions()
    assert list(config.missions) == ["growth", "clean_energy", "crime", "opportunity", "health"]
    assert not config.missions["clean_energy"].available
    assert "energy" in config.missions["clean_energy"].unavailable
    assert config.missions["crime"].indicators[0].id == "imd_crime_score"
    assert load_missions(DEFAULT_MISSIONS_FILE) == config


def test_good_text_and_dict_load():
    config = load_missions(GOOD)
    assert config.missions["growth"].indicators[1].weight == 2
    assert config.indicator_ids() == ["pay", "unemployment"]
    assert missions_from_dict({"title": "t", "missions": {"m": {
        "title": "M", "indicators": [{"id": "x", "higher_means": "more_need"}]}}}).version == 1


@pytest.mark.parametrize("text, expected", [
    (GOOD.replace("higher_means: less_need", "higher_means: higher"),
     r"<missions text>:7: missions\.growth\.indicators\[0\]\.higher_means: Input should be "
     r"'more_need' or 'less_need'"),
    (GOOD.replace("weight: 2", "weight: -1"),
     r":8: missions\.growth\.indicators\[1\]\.weight: Input should be greater than 0"),
    (GOOD.replace("    unavailable: no data\n", "    indicators: []\n"),
     r"missions\.crime: a mission with no indicators must say why under 'unavailable'"),
    (GOOD.replace("    unavailable: no data\n", "    indicators: [{id: pay, higher_means: more_need}]\n"),
     r"indicator 'pay' is in missions 'growth' and 'crime'; map it to one"),
    (GOOD.replace("{id: unemployment", "{id: pay"), r"indicator 'pay' listed twice"),
    (GOOD.replace("title: Growth", "title: Growth\n    colour: red"),
     r"missions\.growth\.colour: Extra inputs are not permitted"),
    (GOOD.replace("version: 1", "version: 2"), r"version: Input should be 1"),
    (GOOD.replace("{id: pay,", "{id: Pay Rate,"), r"indicators\[0\]\.id: String should match"),
    (GOOD + "  growth:\n    title: again\n", r"duplicate"),
    ("version: 1\ntitle: t\nmissions: [unclosed\n", r"YAML syntax error"),
])
def test_bad_missions_file_names_line_and_field(text, expected):
    with pytest.raises(MissionsConfigError, match=expected) as caught:
        load_missions(text)
    assert isinstance(caught.value, ConfigurationError) and isinstance(caught.value, SimulatorError)
    assert caught.value.problems


def test_missing_file(tmp_path):
    with pytest.raises(MissionsConfigError, match="file not found"):
        load_missions(tmp_path / "nope.yaml")


def test_file_on_disk_reports_its_name(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(GOOD.replace("title: Crime\n", ""))
    with pytest.raises(MissionsConfigError, match=r"m\.yaml:\d+: missions\.crime\.title: Field required"):
        load_missions(path)
