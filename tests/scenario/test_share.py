"""Scenarios in links: round trip, limits, and the same strict validation as uploads."""

from __future__ import annotations

import base64
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.scenario import ScenarioError, dump_scenario
from simulator.scenario.library import library_scenarios
from simulator.scenario.loading import load_scenario
from simulator.scenario.share import (MAX_TEXT_BYTES, MAX_TOKEN_CHARS, ShareError,
                                      decode_scenario, encode_scenario, scenario_from_link)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_round_trip_any_text(text):
    """Every text (any Unicode, any length that fits) comes back byte for byte."""
    try:
        token = encode_scenario(text)
    except ShareError as exc:
        assert "at most" in str(exc)
        return
    assert decode_scenario(token) == text
    assert len(token) <= MAX_TOKEN_CHARS
    assert set(token) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


@pytest.mark.parametrize("name", sorted(library_scenarios()))
def test_every_library_scenario_fits_in_a_link_and_loads_back_equal(name):
    scenario = load_scenario(library_scenarios()[name])
    text = dump_scenario(scenario)
    token = encode_scenario(text)
    assert len(token) < MAX_TOKEN_CHARS
    assert scenario_from_link(token) == scenario


def test_too_long_is_refused_with_the_sizes():
    text = "".join(f"# {k:06d} {hash(k)}\n" for k in range(3000))  # poorly compressible
    with pytest.raises(ShareError, match=r"needs a link of [\d,]+ characters; a link holds at "
                                         r"most 6,000"):
        encode_scenario(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_hostile_tokens_give_a_share_error_never_another_exception(token):
    try:
        decode_scenario(token)
    except ShareError:
        pass


@pytest.mark.parametrize("token, message", [
    ("v2.eJwrSS0uAQAEXQHB", "format"),
    ("nodot", "format"),
    ("v1.abc$def", "characters"),
    ("v1.AAAA", "not readable"),
    ("v1." + "A" * (MAX_TOKEN_CHARS + 1), "at most"),
])
def test_bad_tokens(token, message):
    with pytest.raises(ShareError, match=message):
        decode_scenario(token)


def test_a_cut_token_is_refused():
    token = encode_scenario("name: x\n" * 50 + "".join(str(k) for k in range(500)))
    with pytest.raises(ShareError):
        decode_scenario(token[:-10])


def test_decompression_bomb_is_cut_off():
    bomb = zlib.compress(b"a" * (MAX_TEXT_BYTES * 20), 9)
    token = "v1." + base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()
    assert len(token) < MAX_TOKEN_CHARS
    with pytest.raises(ShareError, match="inflates to more than"):
        decode_scenario(token)


def test_not_utf8():
    token = "v1." + base64.urlsafe_b64encode(zlib.compress(b"\xff\xfe name")).decode()
    with pytest.raises(ShareError, match="UTF-8"):
        decode_scenario(token)


@pytest.mark.parametrize("path", ["/etc/passwd", "../scenarios/status_quo.yaml",
                                  "~/x.yaml", "C:\\x.yaml", "sub/status_quo.yaml",
                                  "./status_quo.yaml"])
@pytest.mark.parametrize("field", ["baseline", "extends"])
def test_a_link_never_names_a_file_path(path, field):
    text = f"name: x\ndataset: {{name: uk_itl1}}\n{field}: {path!r}\n"
    with pytest.raises(ScenarioError) as info:
        scenario_from_link(encode_scenario(text))
    problem = info.value.problems[0]
    assert problem.path == field and problem.line == 3
    assert "file path" in problem.message


def test_link_text_is_validated_like_an_upload():
    text = "name: x\ndataset: {name: uk_itl1}\nyear: 2024-25\nsteps:\n  - type: gap_fil\n"
    with pytest.raises(ScenarioError) as info:
        scenario_from_link(encode_scenario(text))
    assert any("gap_fill" in p.message for p in info.value.problems)  # did you mean
