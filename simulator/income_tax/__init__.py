"""Income tax by band in every UK region: schedules as data, synthetic income
distributions per region, vectorised liability, behaviour and incidence.

See ``docs/income_tax.md``.  Modules: :mod:`.schedules` (YAML schedules by year),
:mod:`.distribution` (fitted quantile grids), :mod:`.liability` (tax and the
behavioural response), :mod:`.model` (yields and the engine's factors),
:mod:`.incidence` (who pays), :mod:`.spec` (the scenario fields).
"""

from .distribution import CODES, YEARS, calibration_table, fitted, tail_alpha
from .liability import DEFAULT_ELASTICITY, liability, marginal_rate
from .model import RegionSchedules, region_yields, resolve_schedules, schedule_factors
from .schedules import (CLASSES, Schedule, ScheduleArrays, in_force, list_schedules,
                        load_schedule, stack, with_overrides)

__all__ = ["CODES", "YEARS", "CLASSES", "DEFAULT_ELASTICITY", "Schedule", "ScheduleArrays",
           "RegionSchedules", "calibration_table", "fitted", "tail_alpha", "liability",
           "marginal_rate", "region_yields", "resolve_schedules", "schedule_factors", "in_force",
           "list_schedules", "load_schedule", "stack", "with_overrides"]
