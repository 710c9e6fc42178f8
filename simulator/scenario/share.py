"""Scenarios in links: the whole YAML text, compressed and URL-safe.

A shared link must reproduce exactly what its sender saw, so it carries the
whole scenario (not a library name plus a few options):
``encode_scenario(text)`` gives a token ``v1.<base64url(zlib(utf-8 text))>``
and ``decode_scenario(token)`` gives the text back, byte for byte.

Limits, each refused with a plain message (``ShareError``):

- a token longer than :data:`MAX_TOKEN_CHARS` (browsers and servers truncate
  long addresses; past this, share the YAML file instead);
- a token that is not ours (wrong version, characters outside base64url,
  not zlib data) or that inflates beyond :data:`MAX_TEXT_BYTES` (a
  decompression bomb is cut off, never inflated in full);
- text that is not UTF-8.

Decoded text is untrusted input: :func:`scenario_from_link` refuses a
``baseline`` that names a file path (a link may only name library
scenarios, as ``extends`` already must) and then validates it exactly as an
upload is validated (:func:`~simulator.scenario.parse_scenario` against the
library folder).
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..errors import SimulatorError
from .errors import Problem, ScenarioError

__all__ = ["MAX_TOKEN_CHARS", "MAX_TEXT_BYTES", "VERSION", "ShareError", "encode_scenario",
           "decode_scenario", "scenario_from_link"]

#: Token format version (the prefix before the dot).
VERSION = "v1"
#: Longest token a link may carry (characters); about 4-6 times as much YAML text.
MAX_TOKEN_CHARS = 6000
#: Largest scenario text a token may inflate to (bytes); the library's largest is ~4 kB.
MAX_TEXT_BYTES = 200_000
_TOKEN = re.compile(r"^[A-Za-z0-9_-]*$")


class ShareError(SimulatorError, ValueError):
    """A scenario that cannot travel in a link, or a link that is not a scenario."""


def encode_scenario(text: str, *, limit: int = MAX_TOKEN_CHARS) -> str:
    """The URL-safe token of scenario ``text`` (compressed).

    Raises:
        ShareError: the token would be longer than ``limit`` characters.
    """
    if not isinstance(text, str):
        raise ShareError(f"a scenario to share must be text, got {type(text).__name__}")
    raw = text.encode("utf-8")
    if len(raw) > MAX_TEXT_BYTES:
        raise ShareError(f"this scenario is {len(raw):,} bytes of text; a link holds at most "
                         f"{MAX_TEXT_BYTES:,}. Download the scenario (YAML) and share the file")
    body = base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode("ascii")
    token = f"{VERSION}.{body}"
    if len(token) > limit:
        raise ShareError(f"this scenario needs a link of {len(token):,} characters; a link "
                         f"holds at most {limit:,}. Download the scenario (YAML) and share "
                         "the file instead")
    return token


def decode_scenario(token: str, *, limit: int = MAX_TOKEN_CHARS) -> str:
    """The scenario text a token carries.

    Raises:
        ShareError: the token is too long, not of this version, not base64url,
            not compressed scenario text, inflates past :data:`MAX_TEXT_BYTES`
            or is not UTF-8.
    """
    if not isinstance(token, str):
        raise ShareError(f"a shared scenario must be text, got {type(token).__name__}")
    if len(token) > limit:
        raise ShareError(f"the link's scenario is {len(token):,} characters; at most "
                         f"{limit:,} are read")
    version, dot, body = token.partition(".")
    if not dot or version != VERSION:
        raise ShareError(f"the link's scenario is not in a format this version reads "
                         f"(expected a token starting {VERSION}.)")
    if not _TOKEN.match(body):
        raise ShareError("the link's scenario holds characters a link token cannot hold "
                         "(it was cut or edited)")
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise ShareError("the link's scenario is not readable (it was cut or edited)") from None
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(packed, MAX_TEXT_BYTES + 1)
    except zlib.error:
        raise ShareError("the link's scenario is not readable (it was cut or edited)") from None
    if len(raw) > MAX_TEXT_BYTES or inflater.unconsumed_tail:
        raise ShareError(f"the link's scenario inflates to more than {MAX_TEXT_BYTES:,} bytes; "
                         "it is refused")
    if not inflater.eof:
        raise ShareError("the link's scenario is incomplete (the link was cut)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ShareError("the link's scenario is not UTF-8 text") from None


def _is_path(value: str) -> bool:
    """Whether a ``baseline`` string names a file path rather than a library file name."""
    text = value.strip()
    return (text.startswith(("~", ".")) or "/" in text or "\\" in text or ":" in text
            or PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute())


def scenario_from_link(token: str, *, name: str = "shared link", base_dir: str | Path | None = None):
    """The scenario a link carries, validated as strictly as an upload.

    ``baseline`` may only name a library scenario file (e.g. ``status_quo.yaml``)
    or be written inline; ``extends`` may only name a library file (as for
    any text).  Raises :class:`ShareError` or :class:`ScenarioError`.
    """
    from .library import library_dir
    from .loading import parse_scenario
    from .yaml_source import parse_yaml

    text = decode_scenario(token)
    data, source = parse_yaml(text, name)
    if isinstance(data, dict):
        for field in ("baseline", "extends"):
            value = data.get(field)
            if isinstance(value, str) and _is_path(value):
                mark = source.value((field,))
                raise ScenarioError(Problem(
                    f"{value!r} is a file path; a shared scenario may only name a library "
                    f"scenario by its file name (e.g. status_quo.yaml)", file=name,
                    line=getattr(mark, "line", None), column=getattr(mark, "column", None),
                    path=field))
    folder = base_dir if base_dir is not None else (library_dir() or ".")
    return parse_scenario(text, name, base_dir=folder)
