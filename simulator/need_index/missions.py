"""Missions: which indicator measures need for which mission, read from YAML.

A missions file maps every indicator to one mission, with its polarity
(``higher_means: more_need | less_need``) and optional weight; a mission with
no usable data lists no indicators and says why under ``unavailable``.  The
default file, ``missions.yaml`` beside this module, defines the five missions
(growth, clean energy, crime, opportunity, health) for the ``england_la``
dataset.  The file is validated with pydantic; every fault is reported with
file, line and field (:class:`MissionsConfigError`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, ValidationError, model_validator

from ..errors import ConfigurationError
from ..quantities import StrictModel

__all__ = ["IndicatorSpec", "MissionSpec", "MissionsConfig", "MissionsConfigError",
           "load_missions", "missions_from_dict", "DEFAULT_MISSIONS_FILE"]

DEFAULT_MISSIONS_FILE = Path(__file__).resolve().with_name("missions.yaml")

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]


class MissionsConfigError(ConfigurationError):
    """A missions file that cannot be used; ``problems`` lists each fault (file:line: field: why)."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("invalid missions file:\n" + "\n".join(self.problems))


class IndicatorSpec(StrictModel):
    """One indicator of a mission."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier = Field(description="Indicator name in the dataset (Federation.indicators).")
    higher_means: Literal["more_need", "less_need"] = Field(
        description="Polarity: does a higher value mean more or less need?")
    weight: float = Field(1.0, gt=0, le=1000, description="Weight within the mission "
                          "(used when weighting is 'given'; rescaled to sum 1).")
    note: str = Field("", description="Why this indicator, caveats.")


class MissionSpec(StrictModel):
    """One mission: its indicators, or why it has none."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=1, description="Mission as published.")
    weight: float = Field(1.0, gt=0, le=1000, description="Weight of the mission in the "
                          "composite (used when weighting is 'given').")
    indicators: list[IndicatorSpec] = Field(default_factory=list)
    unavailable: str | None = Field(None, description="Why the mission has no indicator.")

    @model_validator(mode="after")
    def _indicators_or_reason(self) -> "MissionSpec":
        if not self.indicators and not (self.unavailable or "").strip():
            raise ValueError("a mission with no indicators must say why under 'unavailable'")
        if self.indicators and self.unavailable:
            raise ValueError("'unavailable' is set but indicators are listed; keep one of them")
        ids = [i.id for i in self.indicators]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"indicator {duplicated[0]!r} listed twice")
        return self

    @property
    def available(self) -> bool:
        return bool(self.indicators)


class MissionsConfig(StrictModel):
    """The whole missions file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Literal[1] = Field(1, description="File format version.")
    title: str = Field(min_length=1)
    source: str = Field("", description="Where the missions come from.")
    missions: dict[Identifier, MissionSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_mission_per_indicator(self) -> "MissionsConfig":
        seen: dict[str, str] = {}
        for name, mission in self.missions.items():
            for indicator in mission.indicators:
                if indicator.id in seen:
                    raise ValueError(f"indicator {indicator.id!r} is in missions "
                                     f"{seen[indicator.id]!r} and {name!r}; map it to one")
                seen[indicator.id] = name
        if not any(m.available for m in self.missions.values()):
            raise ValueError("no mission has any indicator")
        return self

    def indicator_ids(self) -> list[str]:
        """Every indicator, in file order."""
        return [i.id for m in self.missions.values() for i in m.indicators]


def _path_text(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _validate(data: Any, name: str, source_map: Any = None) -> MissionsConfig:
    try:
        return MissionsConfig.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            path = tuple(item["loc"])
            mark = source_map.key(path) if source_map is not None else None
            where = f"{name}:{mark.line}" if mark is not None else name
            message = item["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {_path_text(path) or '(file)'}: {message}")
        raise MissionsConfigError(problems) from None


def missions_from_dict(data: Any, name: str = "<missions>") -> MissionsConfig:
    """Validate an already-parsed missions mapping."""
    return _validate(data, name)


def load_missions(source: str | Path | MissionsConfig | None = None) -> MissionsConfig:
    """Read and validate a missions YAML file (the packaged ``missions.yaml`` by default).

    ``source`` may be a path, YAML text (anything containing a newline), or an
    already validated :class:`MissionsConfig` (returned as is).

    Raises:
        MissionsConfigError: unreadable file, YAML syntax, or schema faults,
            each with file, line and field.
    """
    if isinstance(source, MissionsConfig):
        return source
    from ..scenario.yaml_source import parse_yaml, read_yaml  # lazy: avoids import cycles
    from ..scenario.errors import ScenarioError

    try:
        if source is None:
            data, source_map = read_yaml(DEFAULT_MISSIONS_FILE, "missions.yaml")
            name = "missions.yaml"
        elif isinstance(source, str) and "\n" in source:
            name = "<missions text>"
            data, source_map = parse_yaml(source, name)
        else:
            name = str(source)
            data, source_map = read_yaml(Path(source), name)
    except ScenarioError as error:
        raise MissionsConfigError([str(p) for p in error.problems]) from None
    return _validate(data, name, source_map)
