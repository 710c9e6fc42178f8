"""The scenario side of income-tax schedules: a region's schedule and its overrides.

``devolution: income_tax: {own_rate: true, schedule: scotland_2024_25}`` gives
every region that schedule; ``schedules: {TLL: scotland_2024_25}`` or
``schedules: {TLC: {schedule: ruk_2024_25, rates: {higher: 0.41}}}`` one region's
(band-by-band overrides of rates, thresholds or the allowance).  Pydantic models
only: the engine imports this module, which imports nothing from the engine.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["ScheduleOverride", "ScheduleChoice", "Elasticity", "check_schedule_name"]

_Rate = Annotated[float, Field(ge=0.0, le=1.0, strict=True, allow_inf_nan=False)]
_Threshold = Annotated[float, Field(ge=0.0, le=10_000_000.0, allow_inf_nan=False)]
_Eti = Annotated[float, Field(ge=0.0, le=3.0, allow_inf_nan=False)]


def check_schedule_name(name: Any) -> Any:
    """A known packaged schedule name, else a ValueError listing them."""
    from .schedules import list_schedules

    if isinstance(name, str) and name not in list_schedules():
        raise ValueError(f"unknown income-tax schedule {name!r}; known: "
                         f"{', '.join(list_schedules())}")
    return name


def _no_bool(value: Any) -> Any:
    """A bool is not a number (pydantic would read true as 1)."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not {value!r}")
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, bool):
                raise ValueError(f"{key}: must be a number, not {item!r}")
    return value


class ScheduleOverride(BaseModel):
    """One region's schedule: a packaged schedule with band-by-band changes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schedule: str = Field(description="Packaged schedule the changes start from, e.g. "
                          "'ruk_2024_25'.", json_schema_extra={"unit": "schedule name"})
    rates: dict[str, _Rate] = Field(
        default_factory=dict, description="Band name -> marginal rate (0.41 = 41%).",
        json_schema_extra={"unit": "share (0-1)", "minimum": 0, "maximum": 1})
    thresholds: dict[str, _Threshold] = Field(
        default_factory=dict, description="Band name -> lower limit of the band, GBP of "
        "taxable income (income after the personal allowance).",
        json_schema_extra={"unit": "GBP per year", "minimum": 0, "maximum": 10_000_000})
    personal_allowance: Annotated[float, Field(ge=0.0, le=1_000_000.0, allow_inf_nan=False)] | None = Field(
        None, description="Personal allowance replacing the schedule's.",
        json_schema_extra={"unit": "GBP per year", "minimum": 0, "maximum": 1_000_000})

    _name = field_validator("schedule")(classmethod(lambda cls, v: check_schedule_name(v)))
    _bools = field_validator("rates", "thresholds", "personal_allowance", mode="before")(
        classmethod(lambda cls, v: _no_bool(v)))

    @model_validator(mode="after")
    def _applies(self) -> "ScheduleOverride":
        from .schedules import load_schedule, with_overrides

        try:
            with_overrides(load_schedule(self.schedule), rates=self.rates,
                           thresholds=self.thresholds,
                           personal_allowance=self.personal_allowance)
        except Exception as error:  # ConfigurationError: a located ValueError instead
            raise ValueError(str(error)) from None
        return self

    def build(self):
        """The resulting :class:`~simulator.income_tax.schedules.Schedule` (cached)."""
        return _built(self.schedule, tuple(sorted(self.rates.items())),
                      tuple(sorted(self.thresholds.items())), self.personal_allowance)


@lru_cache(maxsize=1024)
def _built(schedule: str, rates: tuple, thresholds: tuple, personal_allowance):
    from .schedules import load_schedule, with_overrides

    if not (rates or thresholds or personal_allowance is not None):
        return load_schedule(schedule)
    return with_overrides(load_schedule(schedule), rates=dict(rates),
                          thresholds=dict(thresholds), personal_allowance=personal_allowance)


ScheduleChoice = Union[str, ScheduleOverride]  # noqa: UP007
Elasticity = Union[_Eti, dict[str, _Eti], None]  # noqa: UP007


def finite(value: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
