"""Numbers at the boundary: strict, finite and of a sane magnitude, checked once.

Every pydantic model a user fills in (each equalisation step, the scenario
schema, a tax assignment, a standard) derives from :class:`StrictModel`.  Its
one validator looks at every field whose type admits a number (``float``,
``int``, ``float | None``, ``dict[str, float]``, ``list[float]`` ...) and,
before pydantic converts anything, refuses:

- ``true``/``false`` (YAML ``yes``/``no``/``on``/``off``): a bool is not a number;
- text that is not a plain decimal number (``'inf'``, ``'nan'``, ``'1,000'``);
  a number PyYAML leaves as text because it has no dot (``1e9``) is read as
  the number it spells;
- complex numbers;
- infinite or undefined values (``.inf``, ``.nan``, ``1e999``);
- magnitudes beyond the sane limit of the field's kind (:data:`LIMITS`), read
  from its ``unit``: a share or rate within 1e6, money per head within 1e8
  currency units, a total within 1e15 currency units (all money in the
  engine is in whole currency units: GBP, not GBP m), a count of persons
  within 1e10, years within 1e4; anything else within 1e15.

A new step needs nothing for this: a plain ``float`` field of a :class:`Step`
subclass is checked.  The annotated types :data:`Rate`, :data:`Share`,
:data:`AmountPerHead` and :data:`TotalAmount` carry the unit (and range) for
fields that want to say what they are.

Error messages show the value as written (``1e999``, not a 1,000-digit
integer) and the allowed range.
"""

from __future__ import annotations

import math
import re
import types
import typing
from numbers import Complex, Real
from typing import Annotated, Any, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = ["StrictModel", "check_number", "kind_of", "LIMITS", "Rate", "Share",
           "AmountPerHead", "TotalAmount", "written", "NumberError", "is_per_head_unit",
           "block_grant_unit_problem"]

#: kind -> (largest absolute value allowed, what the kind is).
LIMITS: dict[str, tuple[float, str]] = {
    "ratio": (1e6, "a share, rate, ratio, index or weight"),
    "per_head": (1e8, "money per head (whole currency units)"),
    "total": (1e15, "a total amount (whole currency units)"),
    "count": (1e10, "a count of persons or places"),
    "years": (1e4, "a number of years"),
    "other": (1e15, "a number"),
}

_NUMBER_TEXT = re.compile(r"^\s*[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")


class NumberError(ValueError):
    """A value that is not an acceptable number for its field; ``loc`` is where
    inside the field (a mapping key, a list position)."""

    def __init__(self, message: str, loc: tuple = ()):
        super().__init__(message)
        self.loc = loc


def kind_of(unit: str | None) -> str:
    """The kind of a field (a key of :data:`LIMITS`) from its ``unit`` text."""
    unit = (unit or "").lower()
    if "per head" in unit or "per place" in unit or "per person" in unit:
        return "per_head"
    if unit.startswith("currency") or unit.startswith("gbp") or "amount" in unit:
        return "total"
    if unit in ("persons", "places", "people", "population"):
        return "count"
    if unit.startswith("year"):
        return "years"
    if any(word in unit for word in ("share", "rate", "ratio", "relativ", "index", "weight",
                                     "change", "elasticity", "percent", "multiplier")):
        return "ratio"
    return "other"


def written(value: Any) -> str:
    """A value as its author wrote it, short: text as is, a huge integer by its size."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or isinstance(value, np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, int):
        digits = str(abs(value)) if value.bit_length() < 4000 else None
        if digits is None or len(digits) > 15:
            size = len(digits) if digits else int(value.bit_length() * math.log10(2)) + 1
            lead = digits[0] if digits else "?"
            return f"{'-' if value < 0 else ''}{lead}e+{size - 1} (a {size:,}-digit whole number)"
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return f"{value:g}" if abs(value) >= 1e15 or (value and abs(value) < 1e-4) else repr(value)
    return repr(value)


def _range_text(kind: str, ge: float | None, le: float | None, unit: str | None) -> str:
    limit, what = LIMITS[kind]
    low = ge if ge is not None else -limit
    high = le if le is not None else limit
    text = f"allowed: {_num(low)} to {_num(high)}"
    return text + (f" ({unit})" if unit else f" ({what})")


def _num(value: float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def check_number(value: Any, *, unit: str | None = None, ge: float | None = None,
                 le: float | None = None, name: str = "value") -> float | int:
    """``value`` if it is a finite real number within the sane magnitude of its kind.

    Text spelling a plain decimal number (``1e9``, which YAML 1.1 reads as text)
    becomes that number; anything else raises :class:`NumberError` with the value
    as written and the allowed range.
    """
    kind = kind_of(unit)
    shown = written(value)
    if isinstance(value, (bool, np.bool_)):
        raise NumberError(f"{shown} (true/false) is not a number; {_range_text(kind, ge, le, unit)}")
    if isinstance(value, str):
        if not _NUMBER_TEXT.match(value):
            raise NumberError(f"expected a number, got {value!r} (text); "
                              f"{_range_text(kind, ge, le, unit)}")
        number: Any = float(value.replace("_", ""))
    elif isinstance(value, Real) or isinstance(value, np.number) and not isinstance(
            value, np.complexfloating):
        number = value
    elif isinstance(value, (Complex, np.complexfloating)):
        raise NumberError(f"{shown} is a complex number; {_range_text(kind, ge, le, unit)}")
    else:
        return value  # not a number at all: pydantic reports the type
    try:
        magnitude = abs(float(number))
    except OverflowError:  # an integer beyond any float
        magnitude = math.inf
    if math.isnan(magnitude):
        raise NumberError(f"{shown} is not a number (undefined); "
                          f"{_range_text(kind, ge, le, unit)}")
    limit = LIMITS[kind][0]
    if math.isinf(magnitude):
        raise NumberError(f"{shown} is not a finite number; {_range_text(kind, ge, le, unit)}")
    if magnitude > limit:
        raise NumberError(f"{shown} is beyond the sane magnitude of {LIMITS[kind][1]} "
                          f"(at most {limit:g} either side); {_range_text(kind, ge, le, unit)}")
    return number


def is_per_head_unit(unit: str | None) -> bool:
    """Whether a dataset unit text (``Federation.units``) is money per head."""
    text = (unit or "").lower()
    return "per head" in text or "per capita" in text or "per person" in text


def block_grant_unit_problem(name: str | None, units: dict[str, str]) -> str | None:
    """Why indicator ``name`` cannot be a block grant (a total per region per year), or
    None.  A per-head indicator (``gdhi_per_head``) would make the grant a few pounds."""
    if name is None or name not in units:
        return None
    if is_per_head_unit(units[name]):
        return (f"block_grant {name!r} is in {units[name]}; a block grant is a total per "
                "region per year (whole currency units), not an amount per head; name a total "
                "such as identifiable_expenditure")
    return None


# ------------------------------------------------------------------ annotations
def _shape(annotation: Any) -> dict[str, Any]:
    """What an annotation admits: ``atoms`` (number, bool, str, other) and the
    value shapes of any ``dict`` and ``list`` branches."""
    atoms: set[str] = set()
    dict_of: list[dict] = []
    list_of: list[dict] = []
    bounds: dict[str, float] = {}

    def walk(node: Any) -> None:
        origin = typing.get_origin(node)
        if origin is Annotated:
            for meta in typing.get_args(node)[1:]:
                for item in [meta] + list(getattr(meta, "metadata", [])):
                    for name, key in (("ge", "ge"), ("gt", "ge"), ("le", "le"), ("lt", "le")):
                        if getattr(item, name, None) is not None:
                            bounds[key] = getattr(item, name)
            walk(typing.get_args(node)[0])
        elif origin in (Union, types.UnionType):
            for arg in typing.get_args(node):
                walk(arg)
        elif origin in (dict, typing.Mapping) or node in (dict,):
            args = typing.get_args(node)
            if args:
                dict_of.append(_shape(args[1]))
            else:
                atoms.add("other")
        elif origin in (list, tuple, typing.Sequence) or node in (list, tuple):
            args = [a for a in typing.get_args(node) if a is not Ellipsis]
            if args:
                list_of.append(_shape(args[0]))
            else:
                atoms.add("other")
        elif origin is typing.Literal:
            atoms.update("bool" if isinstance(a, bool) else "str" if isinstance(a, str)
                         else "number" if isinstance(a, (int, float)) else "other"
                         for a in typing.get_args(node))
        elif node is bool:
            atoms.add("bool")
        elif node in (float, int):
            atoms.add("number")
        elif node is str:
            atoms.add("str")
        elif node is type(None):
            atoms.add("none")
        else:
            atoms.add("other")

    walk(annotation)
    return {"atoms": atoms, "dict": dict_of, "list": list_of, "bounds": bounds}


def _admits_numbers(shape: dict[str, Any]) -> bool:
    return ("number" in shape["atoms"] or any(_admits_numbers(s) for s in shape["dict"])
            or any(_admits_numbers(s) for s in shape["list"]))


def _check(value: Any, shape: dict[str, Any], bounds: dict[str, Any]) -> Any:
    atoms = shape["atoms"]
    if "number" in atoms and "other" not in atoms:
        is_bool = isinstance(value, (bool, np.bool_))
        is_text = isinstance(value, str)
        if (is_bool and "bool" in atoms) or (is_text and "str" in atoms):
            return value
        if is_bool or is_text or isinstance(value, (Real, Complex, np.number)):
            return check_number(value, **bounds)
    elif "number" in atoms and isinstance(value, (float, np.floating)):
        return check_number(value, **bounds)  # a union with models: at least finite
    if isinstance(value, dict) and shape["dict"]:
        inner = shape["dict"][0]
        if _admits_numbers(inner):
            checked = {}
            for key, item in value.items():
                try:
                    checked[key] = _check(item, inner, _inner_bounds(bounds, inner))
                except NumberError as error:
                    raise NumberError(str(error), (key,) + error.loc) from None
            return checked
    if isinstance(value, (list, tuple)) and shape["list"]:
        inner = shape["list"][0]
        if _admits_numbers(inner):
            items = []
            for i, item in enumerate(value):
                try:
                    items.append(_check(item, inner, _inner_bounds(bounds, inner)))
                except NumberError as error:
                    raise NumberError(str(error), (i,) + error.loc) from None
            return type(value)(items) if isinstance(value, tuple) else items
    return value


def _inner_bounds(bounds: dict[str, Any], inner: dict[str, Any]) -> dict[str, Any]:
    """An item's unit (the container's) and range (its own annotation's)."""
    return {"unit": bounds.get("unit"), "ge": inner["bounds"].get("ge"),
            "le": inner["bounds"].get("le")}


_SHAPES: dict[tuple[type, str], tuple[dict[str, Any], dict[str, Any]] | None] = {}


def _field_shape(model: type[BaseModel], name: str):
    key = (model, name)
    if key not in _SHAPES:
        info = model.model_fields.get(name)
        if info is None:
            _SHAPES[key] = None
        else:
            shape = _shape(info.annotation)
            if not _admits_numbers(shape):
                _SHAPES[key] = None
            else:
                extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
                ge = le = None
                for meta in info.metadata:
                    ge = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else ge
                    ge = getattr(meta, "gt", None) if getattr(meta, "gt", None) is not None else ge
                    le = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else le
                    le = getattr(meta, "lt", None) if getattr(meta, "lt", None) is not None else le
                ge = extra.get("minimum", ge)
                le = extra.get("maximum", le)
                _SHAPES[key] = (shape, {"unit": extra.get("unit"), "ge": ge, "le": le})
    return _SHAPES[key]


class StrictModel(BaseModel):
    """A frozen model that refuses unknown keys and checks every number it is given
    (see the module docstring); subclasses inherit the check for every field.

    The check runs before pydantic converts anything (a model validator, so it
    also covers a discriminator's sibling fields); each fault is reported at its
    field, as a pydantic error of type ``strict_number``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _strict_numbers(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        checked = dict(data)
        errors = []
        for name, value in data.items():
            if not isinstance(name, str):
                continue
            found = _field_shape(cls, name)
            if found is None or isinstance(value, np.ndarray):
                continue
            shape, bounds = found
            try:
                checked[name] = _check(value, shape, bounds)
            except NumberError as error:
                errors.append(InitErrorDetails(
                    type=PydanticCustomError("strict_number", "{reason}", {"reason": str(error)}),
                    loc=(name,) + error.loc, input=value))
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return checked


# ------------------------------------------------------------------ shared types
def _typed(unit: str, **range_: float) -> Any:
    return Annotated[float, Field(json_schema_extra={"unit": unit}, **range_)]


#: A rate applied to an amount (0-1, e.g. the share of a gap filled).
Rate = _typed("rate (0-1)", ge=0.0, le=1.0)
#: A share of a whole (0-1).
Share = _typed("share (0-1)", ge=0.0, le=1.0)
#: Money per head in whole currency units (e.g. GBP per person), at most 1e8.
AmountPerHead = _typed("currency per head", ge=-1e8, le=1e8)
#: A total in whole currency units (GBP, not GBP m), at most 1e15.
TotalAmount = _typed("currency", ge=-1e15, le=1e15)
