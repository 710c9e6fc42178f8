"""The scenario schema: pydantic models for a scenario file.

A scenario names a dataset and year, the tax assignment, the block grant and
the ordered equalisation steps (a discriminated union on ``type`` over
:data:`simulator.steps.STEP_TYPES`, rebuilt whenever a step type is
registered), an optional baseline, projection settings and wanted outputs.

A scenario file (``fiscalsim schema`` writes the full JSON Schema)::

    # comment: which proposal this encodes and where it comes from
    extends: status_quo.yaml          # optional: a diff over another file
    name: income_tax_gap_fill_75
    description: Income tax devolved; 75% gap-fill to the UK average.
    dataset: {name: uk_itl1, options: {north_sea: geographic}}
    year: 2024-25
    devolution:
      income_tax: {share: 1, own_rate: true, rate_change: 0, base_elasticity: 0}
      vat: 0.5                        # assigned: a share without rate powers
    block_grant: identifiable_expenditure
    block_grant_adjustment: per_capita
    need_index: null                  # indicator name or {region code: index}
    steps:
      - {type: gap_fill, rate: 0.75, standard: national_average}
    baseline: null                    # null = status quo; a file or an inline system
    projection: null                  # or e.g. {end_year: 2029-30, growth: trend,
                                      #   block_grant_indexation: indexed_per_capita}
    outputs: [regions, summary]

Every field carries a description, a unit (``unit`` in the JSON Schema), its
allowed range or values and a default.  Shorthands accepted on input:
``dataset: uk_itl1`` (name only), ``income_tax: 0.5`` (share only),
``standard: national_average`` (kind only), ``year: 2024`` (a number).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Union

from pydantic import (BaseModel, ConfigDict, Field, ValidationInfo, field_validator,
                      model_validator)

from ..engine import System, TaxDevolution
from ..quantities import StrictModel
from ..engine.system import BlockGrantAdjustment
from ..steps import STEP_TYPES, Step

__all__ = ["Scenario", "SystemSpec", "BenchmarkSpec", "ImpactAssessmentSpec", "Roadmap", "RoadmapStage", "DatasetSpec", "Projection", "OutputName",
           "BGAIndexationName", "refresh_step_types", "scenario_json_schema", "INLINE_NEED_INDEX"]

#: Indicator name under which an inline ``need_index`` mapping is added to the federation.
INLINE_NEED_INDEX = {"scenario": "need_index (scenario)", "baseline": "need_index (baseline)"}

OutputName = Literal["regions", "summary", "transfers"]

_YEAR_HELP = "Financial year as in the dataset, e.g. '2024-25'."


def spec(default: Any, description: str, unit: str, **kwargs: Any) -> Any:
    """A scenario field with its description, unit (in the JSON Schema) and default."""
    extra = dict(kwargs.pop("json_schema_extra", {}) or {})
    extra["unit"] = unit
    if callable(default):
        value = default()
        extra["default"] = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
        return Field(default_factory=default, description=description,
                     json_schema_extra=extra, **kwargs)
    return Field(default, description=description, json_schema_extra=extra, **kwargs)


class _Model(StrictModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _step_union() -> Any:
    classes = tuple(STEP_TYPES.values())
    if len(classes) == 1:
        return classes[0]
    return Annotated[Union[classes], Field(discriminator="type")]  # noqa: UP007


def _year_text(value: Any) -> Any:
    """A year written as a number (``2024``, ``2024.0``) as its label ``'2024'``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e6:
        return str(int(value))
    if isinstance(value, list):
        return [_year_text(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                for v in value]
    return value


class DatasetSpec(_Model):
    """Which built-in dataset the scenario runs on, with its options."""

    name: str = spec("uk_itl1", "Built-in dataset (see `fiscalsim list`).", "dataset name",
                     min_length=1)
    options: dict[str, Union[str, bool, float]] = spec(  # noqa: UP007
        dict, "Dataset options, e.g. north_sea: geographic | population | excluded "
        "(uk_itl1: how North Sea revenue is attributed).", "option -> value")

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data


NeedIndex = Union[str, dict[str, Annotated[float, Field(gt=0, le=10)]], None]  # noqa: UP007


class SystemSpec(_Model):
    """A fiscal settlement: tax assignment, block grant and equalisation steps."""

    devolution: dict[str, TaxDevolution] = spec(
        dict, "Tax family -> devolved share (0-1), or {share, own_rate, rate_change, "
        "base_elasticity} (income_tax also: schedule, schedules, taxable_income_elasticity; "
        "docs/income_tax.md). Taxes not named stay central; a share without own_rate is an "
        "assigned tax.", "tax -> share (0-1)")
    block_grant: str | None = spec(
        None, "Dataset indicator holding today's grant per region, e.g. "
        "'identifiable_expenditure'; null means resources start at zero.", "indicator name")
    block_grant_adjustment: BlockGrantAdjustment = spec(
        "per_capita", "How the centre recovers devolved revenue from block grants: "
        "per_capita (equal per head), own_revenue (each region's own yield: no gain or loss "
        "on day one), none (the centre absorbs the loss).", "method")
    need_index: NeedIndex = spec(
        None, "Per-head expenditure need relative to the average: a dataset indicator name, "
        "or an inline mapping region code -> index (rescaled to a population-weighted mean "
        "of 1). Null means equal need.", "index (mean 1)")
    steps: list[_step_union()] = spec(  # type: ignore[valid-type]
        list, "Equalisation steps, applied in order.", "steps")

    def to_system(self, inline_need_index: str = INLINE_NEED_INDEX["scenario"]) -> System:
        """The engine :class:`System`.  An inline need index is referred to by
        ``inline_need_index``; :meth:`Scenario.load_federation` adds it to the data."""
        need = inline_need_index if isinstance(self.need_index, dict) else self.need_index
        return System(devolution=dict(self.devolution), block_grant=self.block_grant,
                      block_grant_adjustment=self.block_grant_adjustment, need_index=need,
                      steps=list(self.steps))


BGAIndexationName = Literal["static", "levels_deduction", "comparable_model",
                            "indexed_per_capita", "indexed_deduction"]

_GROWTH = Annotated[float, Field(ge=-0.5, le=0.5)]
#: Population growth a year: the fastest-changing regions and countries on record
#: change by a few percent a year; beyond +-5% a year a projection over decades is
#: not a forecast but an artefact (-50% a year halves a region yearly to Gini 1).
POPULATION_GROWTH_LIMIT = 0.05
_POPULATION_GROWTH = Annotated[float, Field(ge=-POPULATION_GROWTH_LIMIT,
                                            le=POPULATION_GROWTH_LIMIT)]
_YEAR_LABEL = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def _check_year_label(value: str | None) -> str | None:
    """A year label 'YYYY' or 'YYYY-YY' (consecutive years), else a ValueError."""
    if value is None:
        return value
    match = _YEAR_LABEL.match(value)
    if match is None or (match.group(2) is not None
                         and int(match.group(2)) != (int(match.group(1)) + 1) % 100):
        raise ValueError(f"{value!r} is not a year; write it as the dataset does, e.g. "
                         "'2029-30' (a financial year) or '2029'")
    return value


class Projection(_Model):
    """Projection of the scenario forward from a jump-off year (the year before
    ``start_year``), with its block grant adjustment indexed over the years.

    Method: :func:`simulator.over_time.project_federation` (log-linear trends over
    ``window`` years, or fixed growth), then
    :func:`simulator.over_time.run_over_time`; see ``docs/over_time.md``.
    """

    start_year: str | None = spec(
        None, "First projected year: a year of the dataset after its first (later published "
        "years are then replaced by the projection) or the year right after its last. Null = "
        "the year after the scenario's last year (or the dataset's last). " + _YEAR_HELP,
        "financial year")
    end_year: str | None = spec(
        None, "Last projected year; required when a projection is given. " + _YEAR_HELP,
        "financial year")
    growth: Literal["trend", "fixed"] = spec(
        "trend", "trend: extend each region's log-linear trend of revenue per head, population "
        "and indicators over `window` years; fixed: every region's revenue per head and block "
        "grant per head grow at `rate` (population on its trend unless `population_growth`; "
        "other indicators held).", "method")
    rate: float = spec(0.0, "Growth per year of revenue per head for growth 'fixed' "
                       "(0.02 = 2%).", "share per year", ge=-0.5, le=0.5)
    overrides: dict[str, _GROWTH] = spec(
        dict, "Region code -> growth per year of revenue per head, replacing the method for "
        "that region.", "share per year", json_schema_extra={"minimum": -0.5, "maximum": 0.5})
    window: int = spec(10, "Trend window: the observed years up to the jump-off year over "
                       "which trends are estimated.", "years", ge=2, le=25)
    population_growth: Union[_POPULATION_GROWTH, dict[str, _POPULATION_GROWTH],  # noqa: UP007
                             None] = spec(
        None, "Population growth per year replacing the trend: one number for every region, "
        "or region code -> rate (other regions keep their trend); at most +-5% a year "
        "(POPULATION_GROWTH_LIMIT). Null = trends.",
        "share per year", json_schema_extra={"minimum": -POPULATION_GROWTH_LIMIT,
                                             "maximum": POPULATION_GROWTH_LIMIT})
    block_grant_indexation: BGAIndexationName = spec(
        "static", "How the block grant adjustment moves over the years: static (the "
        "scenario's block_grant_adjustment re-measured every year), or indexed from the "
        "jump-off year, where it equals the revenue given up: levels_deduction, "
        "comparable_model, indexed_per_capita (Scotland since 2016), indexed_deduction.",
        "method")
    reset_every: int | None = spec(
        None, "Re-set an indexed adjustment to the region's revenue every N years after the "
        "jump-off year; null = never.", "years", ge=1, le=50)
    reset_share: float = spec(
        1.0, "Share of the accumulated gain or loss removed at a reset (1 = full reset).",
        "share (0-1)", ge=0, le=1)
    comparator: list[str] | None = spec(
        None, "Region codes whose revenue indexes the adjustment; null = every other region "
        "(the rest of the country).", "region codes", min_length=1)
    transition_years: int | None = spec(
        None, "Phase the reform in over N years from start_year: resources move evenly from "
        "the baseline's to the reform's (the jump-off year shows the baseline). Null = in full "
        "at once.", "years", ge=1, le=30)

    _years = field_validator("start_year", "end_year", mode="before")(
        classmethod(lambda cls, v: _year_text(v)))

    @field_validator("start_year")
    @classmethod
    def _start_is_a_year(cls, value: str | None) -> str | None:
        return _check_year_label(value)

    @field_validator("end_year")
    @classmethod
    def _end_after_start(cls, value: str | None, info: ValidationInfo) -> str | None:
        _check_year_label(value)
        start = info.data.get("start_year")
        if value is not None and start is not None and value[:4] < start[:4]:
            raise ValueError(f"end_year {value!r} is before start_year {start!r}")
        if value is not None and start is not None and len(value) != len(start):
            raise ValueError(f"end_year {value!r} and start_year {start!r} are different "
                             "kinds of year")
        return value

    @field_validator("reset_every", "comparator")
    @classmethod
    def _indexed_only(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("block_grant_indexation") == "static":
            raise ValueError(f"{info.field_name} applies to an indexed block_grant_indexation "
                             "only (static re-measures the adjustment every year)")
        return value

    @field_validator("reset_share")
    @classmethod
    def _needs_resets(cls, value: float, info: ValidationInfo) -> float:
        if value != 1.0 and info.data.get("reset_every") is None:
            raise ValueError("reset_share needs reset_every (how often the adjustment is re-set)")
        return value


class BenchmarkSpec(_Model):
    """A measurable benchmark the annual report checks (see :mod:`simulator.benchmarks`):
    met when the value is at least (or at most) the target within the tolerance."""

    name: str = spec(..., "Name shown in the report.", "text", min_length=1, max_length=200)
    measure: str = spec(
        ..., "Registered measure: fiscal (max_min_ratio, min_index, gini of resources per "
        "head; need_adjusted_min_index when results carry need) or outcome "
        "(outcome_max_min_ratio, outcome_worst_index, outcome_min, outcome_max of an ONS "
        "subnational indicator, with `indicator`).", "measure name", min_length=1)
    target: float = spec(..., "The value to reach, in the measure's unit.", "measure unit",
                         ge=-1e9, le=1e9)
    direction: Literal["at_most", "at_least"] | None = spec(
        None, "Whether the value must be at most or at least the target; null = the "
        "measure's own (at_most for ratios and the Gini, at_least for indices).", "choice")
    tolerance: float | None = spec(
        None, "Margin within which the target counts as met; values are printed at this "
        "precision. Null = the measure's default (1e-4 for ratios and the Gini, 1e-3 for "
        "indices).", "measure unit", ge=0, le=1e6)
    year: str | None = spec(
        None, "Year checked (fiscal: a year of the run, e.g. '2029-30'; outcome: the vintage "
        "'2022' or '2024'); null = every year (every vintage).", "financial year or vintage")
    indicator: str | None = spec(
        None, "Outcome measures: the indicator (simulator/data/outcomes/vintage_mapping.csv, "
        "e.g. gdhi_per_head, median_weekly_pay, gva_per_hour).", "indicator name")

    _year = field_validator("year", mode="before")(classmethod(lambda cls, v: _year_text(v)))

    @field_validator("measure")
    @classmethod
    def _known_measure(cls, value: str) -> str:
        from ..benchmarks import MEASURES, _register_need_adjusted

        _register_need_adjusted()
        if value not in MEASURES:
            raise ValueError(f"unknown measure {value!r}; known: {', '.join(MEASURES)}")
        return value

    @model_validator(mode="after")
    def _indicator_and_year(self) -> "BenchmarkSpec":
        from ..benchmarks import MEASURES
        from ..data.outcomes import OUTCOME_VINTAGES, vintage_mapping

        outcome = MEASURES[self.measure].kind == "outcome"
        if outcome:
            if self.indicator is None:
                raise ValueError(f"measure {self.measure!r} needs an indicator, e.g. "
                                 "gdhi_per_head")
            known = list(vintage_mapping().index)
            if self.indicator not in known:
                raise ValueError(f"unknown indicator {self.indicator!r}; known: "
                                 f"{', '.join(known)}")
            if self.year is not None and self.year not in OUTCOME_VINTAGES:
                raise ValueError(f"year {self.year!r} is not a vintage of the outcome data "
                                 f"({' or '.join(OUTCOME_VINTAGES)})")
        else:
            if self.indicator is not None:
                raise ValueError(f"indicator applies to outcome measures only, not "
                                 f"{self.measure!r}")
            _check_year_label(self.year)
        return self

    def check(self):
        """The :class:`simulator.benchmarks.BenchmarkCheck` to evaluate."""
        from ..benchmarks import BenchmarkCheck

        return BenchmarkCheck(**self.model_dump())


class ImpactAssessmentSpec(_Model):
    """A national policy whose regional impact the annual report assesses (the duty to
    consider how policies affect regional outcomes; :mod:`simulator.analysis.impact`):
    a change to a national tax family's yield (``tax``, ``yield_change``, ``elasticity``)
    or more national spending on a COFOG function (``function``, ``amount``). Reporting
    only: it changes no result of the scenario."""

    tax: str | None = spec(
        None, "Tax family of the dataset whose national yield changes, e.g. vat, income_tax "
        "(give tax or function, not both).", "tax family", min_length=1)
    yield_change: float | None = spec(
        None, "With tax: relative change of the family's yield at unchanged behaviour "
        "(0.05 = +5%; VAT's standard rate from 20% to 21% is about +0.05).",
        "share (relative change)", ge=-0.999999, le=10)
    elasticity: float = spec(
        0.0, "With tax: elasticity of the base with respect to (1 + yield_change).",
        "elasticity", ge=0, le=5)
    function: str | None = spec(
        None, "COFOG function of identifiable expenditure as published (CRPSF), e.g. "
        "'7. Health' (`fiscalsim impact --list-functions`).", "function name", min_length=1)
    amount: float | None = spec(
        None, "With function: more national spending a year, spread by the function's "
        "regional shares (negative = a cut).", "currency m a year", ge=-1e7, le=1e7)
    year: str | None = spec(
        None, "Published year of the dataset assessed; null = the scenario's last year "
        "(its dataset's latest if it runs every year). " + _YEAR_HELP, "financial year")

    _year = field_validator("year", mode="before")(classmethod(lambda cls, v: _year_text(v)))

    @field_validator("year")
    @classmethod
    def _year_label(cls, value: str | None) -> str | None:
        return _check_year_label(value)

    @field_validator("function")
    @classmethod
    def _known_function(cls, value: str | None) -> str | None:
        from ..data.uk_national import functions

        known = functions()
        if value is not None and value not in known:
            import difflib

            close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
            raise ValueError(f"unknown function {value!r}"
                             + (f"; did you mean {close[0]!r}? K" if close else "; k")
                             + f"nown: {', '.join(known)}")
        return value

    @model_validator(mode="after")
    def _tax_or_function(self) -> "ImpactAssessmentSpec":
        if (self.tax is None) == (self.function is None):
            raise ValueError("give either tax (with yield_change) or function (with amount)")
        if self.tax is not None:
            if self.yield_change is None:
                raise ValueError(f"tax {self.tax!r} needs yield_change (0.05 = +5%)")
            if self.amount is not None:
                raise ValueError("amount applies to a function (spending), not to a tax")
        else:
            if self.amount is None:
                raise ValueError(f"function {self.function!r} needs amount (currency m a year)")
            if self.yield_change is not None or self.elasticity != 0:
                raise ValueError("yield_change and elasticity apply to a tax, not to a "
                                 "function (spending)")
        return self


class RoadmapStage(_Model):
    """One stage of a roadmap: what changes, from which year of the run on."""

    year: int = spec(..., "Years after the first year of the run (the jump-off year of a "
                     "projection) from which this stage is in force: 1 = the next year.",
                     "years", ge=1, le=100)
    devolution: dict[str, TaxDevolution] = spec(
        dict, "Taxes whose assignment changes from this year: tax -> share (0-1) or {share, "
        "own_rate, ...}; merged over the previous stage (taxes not named keep theirs).",
        "tax -> share (0-1)")
    block_grant_adjustment: BlockGrantAdjustment | None = spec(
        None, "A new block grant adjustment from this year; null = unchanged.", "method")
    steps: list[_step_union()] | None = spec(  # type: ignore[valid-type]
        None, "Equalisation steps from this year (replacing the previous stage's); null = "
        "unchanged. Phase a rate in by repeating the step with a higher rate.", "steps")


class Roadmap(_Model):
    """A staged path of reform: the scenario's own system holds in the first year of the
    run, then each stage changes taxes, adjustment or steps from its year on
    (:func:`simulator.scenario.roadmap.run_roadmap`; formulas in
    :mod:`simulator.over_time.roadmap`)."""

    stages: list[RoadmapStage] = spec(..., "The stages, in increasing years.", "stages",
                                      min_length=1, max_length=50)
    guarantee: float = spec(
        0.95, "Share of no-change resources per head below which a region is reported as "
        "falling below the guarantee (the year it first does).", "share (0-1.5)", ge=0,
        le=1.5)
    draws: int = spec(0, "Monte-Carlo draws for risk bands around each year (0 = none; "
                      "shocks estimated from the published years).", "draws", ge=0, le=2000)
    seed: int = spec(42, "Seed of the Monte-Carlo draws (the same draws for every stage).",
                     "seed", ge=0, le=2**31 - 1)

    @field_validator("stages")
    @classmethod
    def _increasing(cls, stages: list[RoadmapStage]) -> list[RoadmapStage]:
        years = [stage.year for stage in stages]
        for before, after in zip(years, years[1:]):
            if after <= before:
                raise ValueError(f"stage years must increase: year {after} comes after "
                                 f"year {before}")
        return stages


class Scenario(SystemSpec):
    """One scenario file: metadata, dataset, the system, and what to compare it with."""

    name: str = spec("scenario", "Short name shown in results (defaults to the file name).",
                     "text", min_length=1, max_length=120)
    description: str = spec("", "What the scenario encodes and where it comes from.", "text",
                            max_length=4000)
    dataset: DatasetSpec = spec(DatasetSpec, "Built-in dataset and its options.", "dataset")
    year: str | list[str] | None = spec(
        None, "Year or list of years to run; null = every year in the dataset. " + _YEAR_HELP,
        "financial year")
    baseline: SystemSpec | str | None = spec(
        None, "What results are compared with: another scenario file (path relative to this "
        "one; its system is used) or an inline system. Null = the status quo (nothing "
        "devolved, no steps, the same block grant).", "system or file")
    projection: Projection | None = spec(
        None, "Project the scenario forward from a jump-off year to end_year, with the block "
        "grant adjustment indexed over the years (see docs/over_time.md). Null = the "
        "published years only.", "projection")
    outputs: list[OutputName] = spec(
        lambda: ["regions", "summary"], "Tables `fiscalsim run` shows and writes.", "table names")
    roadmap: Roadmap | None = spec(
        None, "A staged path of reform over the years of the run (its years, or the "
        "projection's): taxes, adjustment and steps changing by year. Null = one system "
        "throughout.", "roadmap")
    benchmarks: list[BenchmarkSpec] = spec(
        list, "Benchmarks the annual report checks (fiscal spread of resources, outcome "
        "indicators); empty = the report's defaults.", "benchmarks")
    impact_assessments: list[ImpactAssessmentSpec] = spec(
        list, "National policies (a tax or spending change) whose regional impact the "
        "annual report assesses, one section each; reporting only.", "assessments")

    _year = field_validator("year", mode="before")(classmethod(lambda cls, v: _year_text(v)))

    @property
    def years(self) -> list[str] | None:
        """The years asked for, as a list (None = all)."""
        if self.year is None:
            return None
        return [self.year] if isinstance(self.year, str) else list(self.year)

    def system(self) -> SystemSpec:
        """The scenario's own system, without metadata."""
        return SystemSpec(**{name: getattr(self, name) for name in SystemSpec.model_fields})

    def load_federation(self, year: str | list[str] | None = None):
        """The scenario's dataset for ``year`` (default: the scenario's years), with any
        inline need index added as an indicator."""
        from .running import scenario_federation

        return scenario_federation(self, year)


_STEP_KEYS: tuple[str, ...] = ()


def refresh_step_types() -> None:
    """Rebuild the step union if step types were registered since the last build."""
    global _STEP_KEYS
    keys = tuple(STEP_TYPES)
    if keys == _STEP_KEYS:
        return
    union = list[_step_union()]  # type: ignore[misc]
    RoadmapStage.model_fields["steps"].annotation = Union[union, None]  # noqa: UP007
    RoadmapStage.model_rebuild(force=True)
    Roadmap.model_rebuild(force=True)
    for model in (SystemSpec, Scenario):
        model.model_fields["steps"].annotation = union
        model.model_rebuild(force=True)
    _STEP_KEYS = keys


refresh_step_types()


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema of a scenario file, with units, ranges, defaults and, for each step
    type, its legal ``reference`` and ``real_system``."""
    refresh_step_types()
    schema = Scenario.model_json_schema(mode="validation")
    defs = schema.get("$defs", {})
    for step_type, cls in STEP_TYPES.items():
        definition = _def_for(defs, cls)
        if definition is None:
            continue
        definition["title"] = f"{cls.title} ({step_type})"
        definition["reference"] = cls.reference
        definition["real_system"] = cls.real_system
    _accept_shorthand(schema, "TaxDevolution",
                      {"type": "number", "minimum": 0, "maximum": 1, "unit": "share (0-1)",
                       "description": "Devolved share only (own_rate false)."})
    _accept_shorthand(schema, "Standard",
                      {"type": "string", "description": "Standard kind only.",
                       "enum": _enum_of(defs.get("Standard", {}), "kind")})
    _accept_shorthand(schema, "DatasetSpec", {"type": "string", "description": "Dataset name only."})
    _year_accepts_numbers(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **schema, "title": "fiscalsim scenario"}


def _def_for(defs: dict[str, Any], cls: type[Step]) -> dict[str, Any] | None:
    for name, definition in defs.items():
        if name == cls.__name__ or name.endswith(f"__{cls.__name__}"):
            return definition
    return None


def _enum_of(definition: dict[str, Any], prop: str) -> list[str]:
    return list(definition.get("properties", {}).get(prop, {}).get("enum", []))


def _accept_shorthand(node: Any, def_name: str, shorthand: dict[str, Any]) -> None:
    """Every ``{"$ref": .../def_name}`` becomes ``anyOf: [shorthand, ref]``."""
    target = f"#/$defs/{def_name}"
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if isinstance(value, dict) and value.get("$ref") == target:
                ref = {"$ref": target}
                rest = {k: v for k, v in value.items() if k != "$ref"}
                node[key] = {**rest, "anyOf": [shorthand, ref]}
            else:
                _accept_shorthand(value, def_name, shorthand)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, dict) and value.get("$ref") == target:
                node[i] = {"anyOf": [shorthand, {"$ref": target}]}
            else:
                _accept_shorthand(value, def_name, shorthand)


def _year_accepts_numbers(schema: dict[str, Any]) -> None:
    projection = schema.get("$defs", {}).get("Projection", {}).get("properties", {})
    benchmark = schema.get("$defs", {}).get("BenchmarkSpec", {}).get("properties", {})
    impact = schema.get("$defs", {}).get("ImpactAssessmentSpec", {}).get("properties", {})
    for year in (schema.get("properties", {}).get("year"), projection.get("start_year"),
                 projection.get("end_year"), benchmark.get("year"), impact.get("year")):
        if year is not None:
            year.setdefault("anyOf", []).insert(
                0, {"type": "integer", "description": "A year as a number."})
