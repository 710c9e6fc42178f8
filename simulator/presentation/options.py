"""Explore's key options: read them from a system and write them back (never its results)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

__all__ = ['EQUALISING_TYPES', 'GUARANTEE_TYPE', 'key_options', 'with_key_options',
           'STARTER_SCENARIO']


#: Step types whose ``rate`` and ``standard`` are "the equalisation rate" and
#: "the standard" of a system's key options (the first such step counts).
EQUALISING_TYPES = ("gap_fill", "symmetric")


GUARANTEE_TYPE = "minimum_guarantee"


def _first(steps: Sequence[Any], types: Sequence[str]) -> tuple[int | None, Any]:
    """Index and step of the first of ``steps`` whose type is in ``types``."""
    for k, step in enumerate(steps):
        if getattr(step, "type", None) in types:
            return k, step
    return None, None


def key_options(system: Any) -> dict[str, Any]:
    """The options the Explore page exposes, read from a system (or scenario).

    ``devolution`` (tax -> share); ``rate``, ``standard_kind`` and
    ``standard_fraction`` of the first gap-fill or symmetric step (rate None
    without one; ``has_standard`` False when that step has no standard);
    ``own_mechanism``: the labels of the system's steps when it has no such
    step but equalises by others (the rate then is not its mechanism);
    ``guarantee`` (a minimum guarantee step is present) and its
    ``floor_index`` and ``target_index``.
    """
    _, step = _first(system.steps, EQUALISING_TYPES)
    standard = getattr(step, "standard", None)
    _, guarantee = _first(system.steps, (GUARANTEE_TYPE,))
    from ..steps import STEP_TYPES

    defaults = STEP_TYPES[GUARANTEE_TYPE].model_fields if GUARANTEE_TYPE in STEP_TYPES else {}
    default = {k: defaults[k].default for k in ("floor_index", "target_index") if k in defaults}
    # A system that equalises by other steps (e.g. Canada's source gap-fill and envelope):
    # Explore's rate is not its mechanism, so the rate is shown as locked, with these steps.
    others = [getattr(s, "display_label", None) or getattr(s, "type", "step")
              for s in system.steps if getattr(s, "type", None) != GUARANTEE_TYPE]
    return {
        "devolution": {tax: d.share for tax, d in system.devolution.items()},
        "rate": getattr(step, "rate", None),
        "own_mechanism": others if step is None and others else [],
        "has_standard": step is None or standard is not None,
        "standard_kind": getattr(standard, "kind", "national_average"),
        "standard_fraction": getattr(standard, "fraction", 1.0),
        "guarantee": guarantee is not None,
        "floor_index": getattr(guarantee, "floor_index", default.get("floor_index")),
        "target_index": getattr(guarantee, "target_index", default.get("target_index")),
    }


def _rebuild(model: Any, **changes: Any) -> Any:
    """A validated copy of a frozen pydantic model with some fields changed."""
    return type(model).model_validate({**model.model_dump(), **changes})


def with_key_options(system: Any, *, devolution: Mapping[str, float] | None = None,
                     rate: float | None = None, standard_fraction: float | None = None,
                     guarantee: bool | None = None, floor_index: float | None = None) -> Any:
    """``system`` (a System or a Scenario) with the Explore page's options applied.

    - ``devolution``: tax -> share; taxes left out (or at 0) are no longer
      devolved; a tax already devolved keeps its other settings.
    - ``rate`` / ``standard_fraction``: set on the first gap-fill or symmetric
      step; without one, a rate above 0 adds a gap-fill to the national
      average (times ``standard_fraction``) before the other steps.
    - ``guarantee``: False removes minimum guarantee steps; True keeps the
      first (or appends one with the step's defaults), with ``floor_index``.

    The copy is validated, so an inconsistent choice raises a pydantic
    ``ValidationError`` naming the field.
    """
    changes: dict[str, Any] = {}
    if devolution is not None:
        changes["devolution"] = {
            tax: (_rebuild(system.devolution[tax], share=share) if tax in system.devolution
                  else {"share": share})
            for tax, share in devolution.items() if share > 0}
    steps = list(system.steps)
    index, step = _first(system.steps, EQUALISING_TYPES)
    if step is not None:
        update: dict[str, Any] = {}
        if rate is not None:
            update["rate"] = rate
        if standard_fraction is not None and hasattr(step, "standard"):
            update["standard"] = _rebuild(step.standard, fraction=standard_fraction)
        steps[index] = _rebuild(step, **update)
    elif rate:
        from ..steps import GapFill

        steps.insert(0, GapFill(rate=rate, standard={"fraction": standard_fraction or 1.0}))
    if guarantee is not None:
        index, step = _first(steps, (GUARANTEE_TYPE,))
        if not guarantee:
            steps = [s for s in steps if getattr(s, "type", None) != GUARANTEE_TYPE]
        else:
            update = {} if floor_index is None else {"floor_index": floor_index}
            if step is None:
                from ..steps import STEP_TYPES

                steps.append(STEP_TYPES[GUARANTEE_TYPE].model_validate(update))
            else:
                steps[index] = _rebuild(step, **update)
    changes["steps"] = steps
    fields = {name: getattr(system, name) for name in type(system).model_fields}
    return type(system).model_validate({**fields, **changes})


#: The scenario the editor starts from when the library is empty.
STARTER_SCENARIO = """\
name: income_tax_gap_fill_75
description: >-
  Income tax fully devolved; the centre fills 75% of each region's per-head
  capacity gap below the UK average.
dataset:
  name: uk_itl1
  options:
    north_sea: geographic
year: 2024-25
devolution:
  income_tax: 1.0
block_grant: identifiable_expenditure
block_grant_adjustment: per_capita
steps:
  - type: gap_fill
    rate: 0.75
    standard: national_average
"""
