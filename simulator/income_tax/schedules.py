"""Income-tax schedules as data: rates, bands, personal allowance and its taper, by year.

Each schedule is a YAML file in ``schedules/`` named ``<name>.yaml`` (e.g.
``scotland_2024_25``), every value with its legal reference.  Thresholds are
amounts of *taxable* income (income after the personal allowance), as the
legislation writes them.  Loading is strict: unknown keys, a bool or text
where a number belongs, a non-finite number, a value out of range, bands not
in increasing order or a first band not starting at 0 are errors that name
the file, line, field, the value and the allowed range.

:func:`stack` turns schedules into arrays (bands padded to a common count)
for the vectorised liability of :mod:`simulator.income_tax.liability`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Mapping, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import ConfigurationError

__all__ = ["Schedule", "Band", "ScheduleArrays", "load_schedule", "list_schedules",
           "schedule_path", "stack", "parse_schedule", "SCHEDULE_DIR", "CLASSES",
           "in_force", "with_overrides"]

SCHEDULE_DIR = Path(__file__).resolve().parent / "schedules"
#: HMRC's marginal-rate classes (ITLS Table 2.2): every band belongs to one.
CLASSES = ("basic", "higher", "additional")
#: a padding band's lower limit: above any income, so it never applies.
_NEVER = 1e15
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,79}$")

_RANGES = {"rate": (0.0, 1.0, "share of income (0-1)"),
           "from": (0.0, 10_000_000.0, "GBP of taxable income per year"),
           "personal_allowance": (0.0, 1_000_000.0, "GBP per year"),
           "threshold": (0.0, 10_000_000.0, "GBP of adjusted net income per year"),
           "taper_rate": (0.0, 1.0, "GBP of allowance withdrawn per GBP of income")}


def _strict_number(value: Any, what: str) -> float:
    lo, hi, unit = _RANGES[what]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"must be a number ({unit}, {lo:g} to {hi:g}), not {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number ({unit}, {lo:g} to {hi:g}), not {value!r}")
    if not lo <= value <= hi:
        raise ValueError(f"{value!r} is out of range: allowed {lo:g} to {hi:g} ({unit})")
    return float(value)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Band(_Model):
    """One band: its rate applies to taxable income from ``from_`` to the next band's start."""

    name: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
    rate: float = Field(description="Marginal rate in the band.", json_schema_extra={"unit": "share (0-1)"})
    from_: float = Field(alias="from", description="Lower limit, GBP of taxable income.")
    hmrc_class: Literal["basic", "higher", "additional"] = Field(
        alias="class", description="HMRC marginal-rate class of a taxpayer whose top band this is.")
    reference: str = Field(min_length=5, description="Legal reference.")

    _rate = field_validator("rate", mode="before")(classmethod(lambda c, v: _strict_number(v, "rate")))
    _from = field_validator("from_", mode="before")(classmethod(lambda c, v: _strict_number(v, "from")))


class Allowance(_Model):
    value: float
    reference: str = Field(min_length=5)
    _v = field_validator("value", mode="before")(
        classmethod(lambda c, v: _strict_number(v, "personal_allowance")))


class Taper(_Model):
    threshold: float
    rate: float
    reference: str = Field(min_length=5)
    _t = field_validator("threshold", mode="before")(classmethod(lambda c, v: _strict_number(v, "threshold")))
    _r = field_validator("rate", mode="before")(classmethod(lambda c, v: _strict_number(v, "taper_rate")))


class Schedule(_Model):
    """An income-tax schedule for one tax year (see the module docstring)."""

    name: str = Field(min_length=1, max_length=80, pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1, max_length=200)
    tax_year: str = Field(pattern=r"^\d{4}-\d{2}$")
    personal_allowance: Allowance
    taper: Taper
    bands: list[Band] = Field(min_length=1, max_length=12)

    @model_validator(mode="after")
    def _ordered(self) -> "Schedule":
        if self.bands[0].from_ != 0:
            raise ValueError(f"the first band must start at 0 (bands[0].from), not {self.bands[0].from_:g}")
        for i in range(1, len(self.bands)):
            if self.bands[i].from_ <= self.bands[i - 1].from_:
                raise ValueError(f"bands must start at increasing thresholds: bands[{i}].from = "
                                 f"{self.bands[i].from_:g} is not above bands[{i-1}].from = "
                                 f"{self.bands[i - 1].from_:g}")
        names = [b.name for b in self.bands]
        if len(set(names)) != len(names):
            raise ValueError(f"band names must be unique: {names}")
        order = [CLASSES.index(b.hmrc_class) for b in self.bands]
        if order != sorted(order):
            raise ValueError("band classes must run basic, higher, additional in order")
        return self

    @property
    def year(self) -> int:
        return int(self.tax_year[:4])

    def class_thresholds(self) -> dict[str, float]:
        """Taxable income at which a payer enters each HMRC class (inf if none)."""
        out = {}
        for cls in CLASSES:
            starts = [b.from_ for b in self.bands if b.hmrc_class == cls]
            out[cls] = min(starts) if starts else math.inf
        return out


def schedule_path(name: str) -> Path:
    return SCHEDULE_DIR / f"{name}.yaml"


def list_schedules() -> list[str]:
    """Names of the packaged schedules."""
    return list(_packaged())


@lru_cache(maxsize=1)
def _packaged() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in SCHEDULE_DIR.glob("*.yaml")))


def parse_schedule(data: Any, file: str, source=None) -> Schedule:
    """Validate a schedule mapping; errors name the file, line, field and value."""
    from ..scenario.errors import Problem, ScenarioError, format_path

    try:
        return Schedule.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            path = tuple(item["loc"])
            found = re.search(r"bands\[(\d+)\]\.from", item["msg"])
            if not path and found:  # an ordering fault: point at the offending band
                path = ("bands", int(found.group(1)), "from")
            elif not path and "band" in item["msg"]:
                path = ("bands",)
            mark = None
            if source is not None:
                mark = (source.key(path) if item["type"] == "extra_forbidden"
                        else source.value(path))
            value = item.get("input")
            shown = "" if isinstance(value, (dict, list)) else f" (value: {value!r})"
            message = item["msg"].removeprefix("Value error, ") + shown
            problems.append(Problem(message, file=mark.file if mark else file,
                                    line=mark.line if mark else None,
                                    column=mark.column if mark else None,
                                    path=format_path(path)))
        raise ScenarioError(problems) from None


@lru_cache(maxsize=None)
def load_schedule(name: str) -> Schedule:
    """A packaged schedule by name (``ruk_2024_25``), validated strictly."""
    from ..scenario.yaml_source import read_yaml

    if not isinstance(name, str) or not _NAME.match(name) or not schedule_path(name).is_file():
        raise ConfigurationError(f"unknown income-tax schedule {name!r}; known: "
                                 f"{', '.join(list_schedules())}")
    path = schedule_path(name)
    data, source = read_yaml(path, display_name=str(path))
    schedule = parse_schedule(data, str(path), source)
    if schedule.name != name:
        raise ConfigurationError(f"{path}: name {schedule.name!r} differs from the file name {name!r}")
    return schedule


def in_force(code: str, tax_year: str) -> str:
    """The schedule name that applied to ITL1 region ``code`` in ``tax_year``."""
    stem = "scotland" if code == "TLM" else "ruk"
    return f"{stem}_{tax_year.replace('-', '_')}"


def with_overrides(schedule: Schedule, *, rates: Mapping[str, float] | None = None,
                   thresholds: Mapping[str, float] | None = None,
                   personal_allowance: float | None = None) -> Schedule:
    """A copy with band rates / thresholds (band name -> value) or the allowance replaced,
    validated as a schedule (so the bands stay ordered)."""
    bands = {b.name: b for b in schedule.bands}
    for label, mapping in (("rates", rates or {}), ("thresholds", thresholds or {})):
        unknown = sorted(set(mapping) - set(bands))
        if unknown:
            raise ConfigurationError(f"{label} names unknown band {unknown[0]!r} of schedule "
                                     f"{schedule.name!r}; bands: {', '.join(bands)}")
    data = schedule.model_dump(by_alias=True)
    for band in data["bands"]:
        if band["name"] in (rates or {}):
            band["rate"] = rates[band["name"]]
        if band["name"] in (thresholds or {}):
            band["from"] = thresholds[band["name"]]
    if personal_allowance is not None:
        data["personal_allowance"]["value"] = personal_allowance
    try:
        return Schedule.model_validate(data)
    except ValidationError as error:
        raise ConfigurationError(f"overrides of schedule {schedule.name!r} are not valid: "
                                 + "; ".join(e["msg"] for e in error.errors())) from None


@dataclass(frozen=True)
class ScheduleArrays:
    """Schedules as arrays, regions last but one before the band axis.

    ``rates``, ``lowers``: ``(..., R, B)`` (bands padded with a band that never
    applies); ``classes``: ``(..., R, B)`` index into :data:`CLASSES`;
    ``allowance``, ``taper_threshold``, ``taper_rate``: ``(..., R)``.
    """

    rates: np.ndarray
    lowers: np.ndarray
    classes: np.ndarray
    allowance: np.ndarray
    taper_threshold: np.ndarray
    taper_rate: np.ndarray

    @property
    def steps(self) -> np.ndarray:
        """Rate increments at each band start, ``(..., R, B)``: the tax is
        ``sum_b step_b * max(taxable - lower_b, 0)``."""
        previous = np.concatenate([np.zeros(self.rates.shape[:-1] + (1,)), self.rates[..., :-1]], -1)
        return self.rates - previous


def stack(schedules: Sequence[Schedule], width: int | None = None) -> ScheduleArrays:
    """One schedule per region -> :class:`ScheduleArrays` with shape ``(R, B)``."""
    width = width or max(len(s.bands) for s in schedules)
    rates = np.zeros((len(schedules), width))
    lowers = np.full((len(schedules), width), _NEVER)
    classes = np.full((len(schedules), width), 2)
    for i, s in enumerate(schedules):  # building inputs: once per distinct schedule set
        n = len(s.bands)
        rates[i, :n] = [b.rate for b in s.bands]
        rates[i, n:] = s.bands[-1].rate  # padding keeps the top rate: a zero step
        lowers[i, :n] = [b.from_ for b in s.bands]
        classes[i, :n] = [CLASSES.index(b.hmrc_class) for b in s.bands]
    return ScheduleArrays(rates=rates, lowers=lowers, classes=classes,
                          allowance=np.array([s.personal_allowance.value for s in schedules]),
                          taper_threshold=np.array([s.taper.threshold for s in schedules]),
                          taper_rate=np.array([s.taper.rate for s in schedules]))
