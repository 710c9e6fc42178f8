"""Income tax by band in every UK region: schedules as data, synthetic income
distributions per region, vectorised liability, behaviour and incidence.

See ``docs/income_tax.md``.  Modules: :mod:`.schedules` (YAML schedules by year),
:mod:`.distribution` (fitted quantile grids), :mod:`.liability` (tax and the
behavioural response), :mod:`.model` (yields and the engine's factors),
:mod:`.incidence` (who pays), :mod:`.spec` (the scenario fields).

Names are imported on first use (PEP 562), so the engine, which needs only
:mod:`.spec`, does not load scipy and pandas for a scenario without schedules.
"""

from importlib import import_module

_WHERE = {
    "CODES": "distribution", "YEARS": "distribution", "calibration_table": "distribution",
    "fitted": "distribution", "tail_alpha": "distribution",
    "DEFAULT_ELASTICITY": "liability", "liability": "liability", "marginal_rate": "liability",
    "RegionSchedules": "model", "region_yields": "model", "resolve_schedules": "model",
    "schedule_factors": "model", "band_rate_sweep": "model",
    "CLASSES": "schedules", "Schedule": "schedules", "ScheduleArrays": "schedules",
    "in_force": "schedules", "list_schedules": "schedules", "load_schedule": "schedules",
    "stack": "schedules", "with_overrides": "schedules",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
