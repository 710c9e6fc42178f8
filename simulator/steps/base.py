"""The contract every equalisation step follows, and the registry of step types.

A step is a small, frozen pydantic model: its fields are the policy parameters
(each with a description, unit, range and default, so scenario files are
validated once at the boundary), and :meth:`Step.apply` maps one
:class:`~simulator.engine.state.FiscalState` to the next, vectorised over any
leading axes.  A system is an ordered list of steps.

Subclasses declare ``type: Literal["..."]`` (the key used in YAML), a docstring
that states the formula and the real system it comes from, and ``reference``
(the legal source) as a class variable.  Defining the subclass registers it.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Mapping

import numpy as np
from pydantic import ConfigDict, Field

from ..quantities import StrictModel
from ..state import FiscalState

__all__ = ["Step", "STEP_TYPES", "step_from_dict", "param", "Measure", "Scope",
           "region_values", "scope_indices", "measure_param", "scope_param"]

#: What a step equalises: ``capacity`` = ``state.equalised_capacity``,
#: ``resources`` = ``state.resources`` (block grant included).
Measure = Literal["capacity", "resources"]

#: Which earlier steps a funding step acts on: ``all`` preceding steps, the
#: ``last`` one, or a list of step labels.
Scope = Literal["all", "last"] | list[str]

#: ``type`` key -> step class, filled as step modules are imported.
STEP_TYPES: dict[str, type["Step"]] = {}


def param(default: Any, *, description: str, unit: str, ge: float | None = None,
          le: float | None = None, **kwargs: Any) -> Any:
    """A step parameter with its description, unit and allowed range.

    The unit and range are recorded in the JSON Schema (``unit``, ``minimum``,
    ``maximum``) so editors and error messages can show them.
    """
    extra = dict(kwargs.pop("json_schema_extra", {}) or {})
    extra["unit"] = unit
    return Field(default, description=description, ge=ge, le=le,
                 json_schema_extra=extra, **kwargs)


class Step(StrictModel):
    """One mechanism of an equalisation system.

    Every number a step is given is strict, finite and of a sane magnitude for
    its ``unit`` (:class:`~simulator.quantities.StrictModel`): subclasses need not
    repeat it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: The legal or official source the step is modelled on.
    reference: ClassVar[str] = ""
    #: The real system(s) that use it.
    real_system: ClassVar[str] = ""
    #: Short human name, the default label of the step's transfer.
    title: ClassVar[str] = "Step"

    label: str | None = Field(None, description="Name shown for this step's transfer in results.")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        type_field = cls.model_fields.get("type")
        if type_field is not None and type_field.default is not None:
            STEP_TYPES[type_field.default] = cls

    @property
    def display_label(self) -> str:
        return self.label or self.title

    def apply(self, state: FiscalState) -> FiscalState:  # pragma: no cover - abstract
        raise NotImplementedError


def step_from_dict(data: dict[str, Any] | Step) -> Step:
    """Build a step from ``{"type": ..., **params}`` (already-built steps pass through)."""
    if isinstance(data, Step):
        return data
    from ..errors import ConfigurationError

    if not isinstance(data, dict) or "type" not in data:
        raise ConfigurationError("a step must be a mapping with a 'type' key")
    step_type = data["type"]
    if step_type not in STEP_TYPES:
        raise ConfigurationError(
            f"unknown step type {step_type!r}; known: {', '.join(sorted(STEP_TYPES))}")
    return STEP_TYPES[step_type].model_validate(data)


# ---------------------------------------------------------------- helpers
def measure_param(default: str = "capacity") -> Any:
    """The common ``measure`` parameter (see :data:`Measure`)."""
    return param(default, description="What is equalised: 'capacity' (fiscal capacity plus "
                 "earlier transfers) or 'resources' (also block grant and own revenue).",
                 unit="choice")


def scope_param(what: str) -> Any:
    """The common ``scope`` parameter of funding steps (see :data:`Scope`)."""
    return param("all", description=f"Which earlier steps {what}: 'all' preceding steps, "
                 "'last' (the step just before), or a list of step labels.", unit="choice")


def region_values(state: FiscalState, values: Mapping[str, float] | None, *, name: str,
                  default: float | None = None) -> np.ndarray:
    """A mapping region code -> value as an array ``(R,)`` in the state's order.

    Regions not named take ``default``; with ``default=None`` every region
    must be named.  Raises ``ConfigurationError`` naming the parameter and the
    first unknown or missing code.
    """
    from ..errors import ConfigurationError

    values = dict(values or {})
    codes = np.array(state.codes)
    named = np.array(list(values), dtype=str)
    unknown = named[~np.isin(named, codes)]
    if unknown.size:
        raise ConfigurationError(f"{name} names unknown region {str(sorted(unknown)[0])!r}; "
                                 f"known: {', '.join(state.codes)}")
    missing = codes[~np.isin(codes, named)]
    if default is None and missing.size:
        raise ConfigurationError(f"{name} must give a value for every region; "
                                 f"missing {', '.join(missing[:5])}"
                                 + (" ..." if missing.size > 5 else ""))
    result = np.full(codes.shape, np.nan if default is None else float(default))
    # position of each named region on the region axis (codes are unique)
    order = np.argsort(codes)
    positions = order[np.searchsorted(codes, named, sorter=order)]
    result[positions] = np.array(list(values.values()), dtype=float)
    return result


def scope_indices(state: FiscalState, scope: Any, *, step: str) -> list[int]:
    """Positions in ``state.transfers`` of the steps a funding step acts on."""
    from ..errors import ConfigurationError

    labels = [label for label, _ in state.transfers]
    if not labels:
        raise ConfigurationError(f"{step} needs an earlier step with a transfer to act on")
    if scope == "all":
        return list(range(len(labels)))
    if scope == "last":
        return [len(labels) - 1]
    unknown = [name for name in scope if name not in labels]
    if unknown:
        raise ConfigurationError(f"{step}: scope names no earlier step {unknown[0]!r}; "
                                 f"earlier steps: {', '.join(labels)}")
    return [i for i, label in enumerate(labels) if label in set(scope)]
