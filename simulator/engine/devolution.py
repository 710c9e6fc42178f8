"""Tax assignment: which taxes are devolved, and the revenue they give regions.

Fiscal capacity follows the representative tax system (RTS): for a devolved
tax with a known base, the national average effective rate
``rate_t = sum_i revenue_i,t / sum_i base_i,t`` applied to each region's base;
where no base is known, the revenue raised at the common (UK) rates is the
capacity.  A devolved share ``s_t`` of each tax goes to the regions.

A region allowed to set its own rate changes it by ``delta`` (relative: +0.1
is a rate 10% higher).  Its base responds with elasticity ``epsilon`` with
respect to the rate, ``base' = base x (1 + delta) ** -epsilon``, so

    own revenue  = s_t x revenue x (1 + delta) ** (1 - epsilon)
    capacity     = s_t x RTS capacity x (1 + delta) ** -epsilon

Capacity is measured at the standard rate, so raising one's own rate is never
equalised away; only the base it erodes is.

Income tax by band: with ``schedule`` (every region) or ``schedules`` (region
code -> a schedule name or band-by-band overrides), a region's own revenue is
its revenue times the modelled yield of its schedule over the yield of the
schedule in force, and its base moves with the behavioural response (elasticity
of taxable income by band, ``taxable_income_elasticity``); see
:mod:`simulator.income_tax.model` and ``docs/income_tax.md``.  This replaces the
flat ``rate_change`` for those regions; without a schedule nothing changes.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

import numpy as np
from pydantic import ConfigDict, Field, PrivateAttr, field_validator, model_validator

from ..errors import ConfigurationError
from ..income_tax.spec import Elasticity, ScheduleChoice, check_schedule_name
from ..quantities import StrictModel
from ..state import LazyMapping, broadcast_shape
from ..steps._numerics import blockwise

__all__ = ["TaxDevolution", "devolved_revenue", "devolved_capacity_by_tax", "devolve"]


class TaxDevolution(StrictModel):
    """How one tax family is assigned to the regions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    share: float = Field(1.0, ge=0.0, le=1.0, description="Share of the tax devolved to regions.",
                         json_schema_extra={"unit": "share (0-1)"})
    own_rate: bool = Field(False, description="Whether regions may set their own rate.")
    rate_change: float | dict[str, float] = Field(
        0.0, description="Relative change in the region's rate (0.1 = 10% higher); one "
        "value for all regions or a mapping region code -> change. Needs own_rate.",
        json_schema_extra={"unit": "relative change", "minimum": -1.0, "maximum": 10.0})
    base_elasticity: float = Field(
        0.0, ge=0.0, le=5.0, description="Elasticity of the tax base with respect to the rate.",
        json_schema_extra={"unit": "elasticity"})

    schedule: str | None = Field(
        None, description="Income-tax schedule (a packaged name, e.g. 'scotland_2024_25') "
        "for every region, replacing rate_change; see docs/income_tax.md. Needs own_rate.",
        json_schema_extra={"unit": "schedule name"})
    schedules: dict[str, ScheduleChoice] = Field(
        default_factory=dict, description="Region code -> income-tax schedule name, or "
        "{schedule, rates: {band: rate}, thresholds: {band: GBP}, personal_allowance} "
        "band-by-band overrides. Needs own_rate.", json_schema_extra={"unit": "region -> schedule"})
    taxable_income_elasticity: Elasticity = Field(
        None, description="Elasticity of taxable income for schedules: one number, or HMRC "
        "class (basic, higher, additional) -> elasticity; null = the documented defaults "
        "(docs/income_tax.md), 0 = static yield.",
        json_schema_extra={"unit": "elasticity", "minimum": 0, "maximum": 3})

    _schedule_name = field_validator("schedule")(classmethod(lambda cls, v: check_schedule_name(v)))
    #: (yield ratio, base ratio) with a leading axis of sweep points, set by a sweep of a
    #: band rate (simulator.analysis.sweep); None: computed from the schedules.
    _swept_factors: tuple | None = PrivateAttr(default=None)

    @field_validator("schedules", mode="before")
    @classmethod
    def _schedule_names(cls, value):
        if isinstance(value, dict):
            for entry in value.values():
                check_schedule_name(entry)
        return value

    @field_validator("taxable_income_elasticity", mode="before")
    @classmethod
    def _classes(cls, value):
        if isinstance(value, bool):
            raise ValueError(f"must be a number, not {value!r}")
        if isinstance(value, dict):
            unknown = sorted(set(value) - {"basic", "higher", "additional"})
            if unknown:
                raise ValueError(f"unknown class {unknown[0]!r}; classes: basic, higher, additional")
            if any(isinstance(v, bool) for v in value.values()):
                raise ValueError("an elasticity must be a number, not true/false")
        return value

    @property
    def has_schedule(self) -> bool:
        """Whether income-tax schedules set some region's revenue."""
        return self.schedule is not None or bool(self.schedules)

    def schedule_factors(self, codes: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        """(yield ratio, base ratio) per region ``(R,)`` (1 where no schedule)."""
        from ..income_tax.model import schedule_factors

        if self._swept_factors is not None:
            return self._swept_factors
        return schedule_factors(codes, self.schedule, self.schedules,
                                self.taxable_income_elasticity)

    @model_validator(mode="before")
    @classmethod
    def _from_share(cls, data):
        return {"share": data} if isinstance(data, (int, float)) else data

    @model_validator(mode="after")
    def _rate_change_needs_own_rate(self) -> "TaxDevolution":
        changes = self.rate_change.values() if isinstance(self.rate_change, dict) else [self.rate_change]
        if any(c != 0 for c in changes) and not self.own_rate:
            raise ValueError("rate_change needs own_rate: true")
        if any(c <= -1 or c > 10 for c in changes):
            raise ValueError("rate_change must be > -1 and <= 10")
        if self.has_schedule and not self.own_rate:
            raise ValueError("schedule/schedules need own_rate: true")
        if self.has_schedule:
            if self.schedule is not None and any(c != 0 for c in changes):
                raise ValueError("schedule applies to every region: rate_change must be 0")
            if isinstance(self.rate_change, dict):
                both = sorted(c for c, v in self.rate_change.items() if v != 0 and c in self.schedules)
            else:
                both = sorted(self.schedules) if self.rate_change != 0 else []
            if both:
                raise ValueError(f"region {both[0]!r} has both a schedule and a rate_change; "
                                 "a schedule replaces the flat rate change")
        return self

    def rate_change_array(self, codes: tuple[str, ...], tax: str | None = None) -> np.ndarray:
        """The relative rate change of each region ``(R,)``, 0 where not named; ``tax``
        (the devolution key) is named in the error for an unknown region."""
        if isinstance(self.rate_change, dict):
            unknown = sorted(set(self.rate_change) - set(codes))
            if unknown:
                field = "rate_change" if tax is None else f"devolution.{tax}.rate_change"
                raise ConfigurationError(f"{field} names unknown region {unknown[0]!r}; "
                                         f"known: {', '.join(codes)}")
            return np.array([self.rate_change.get(code, 0.0) for code in codes])
        return np.full(len(codes), float(self.rate_change))


def devolved_revenue(
    codes: tuple[str, ...],
    taxes: tuple[str, ...],
    revenue: np.ndarray,
    tax_base: Mapping[str, np.ndarray],
    devolution: Mapping[str, TaxDevolution],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fiscal capacity, own revenue and revenue lost by the centre.

    Args:
        revenue: ``(..., T, R)`` revenue by tax at common rates.
        tax_base: tax -> ``(..., R)`` base, where known.
        devolution: tax -> assignment; taxes not named stay central.

    Returns:
        ``(fiscal_capacity, own_revenue, centre_loss)``, each ``(..., R)``;
        ``centre_loss`` is the devolved revenue at common rates before any base
        response (what the centre gives up).
    """
    capacity, own, lost, _ = devolve(codes, taxes, revenue, tax_base, devolution)
    return capacity, own.copy() if own is lost else own, lost


def devolved_capacity_by_tax(
    codes: tuple[str, ...],
    taxes: tuple[str, ...],
    revenue: np.ndarray,
    tax_base: Mapping[str, np.ndarray],
    devolution: Mapping[str, TaxDevolution],
) -> dict[str, np.ndarray]:
    """Each devolved tax's part of the fiscal capacity of :func:`devolved_revenue`.

    Tax -> ``share x RTS capacity x (1 + delta) ** -epsilon``, shape ``(..., R)``,
    for every tax with a share above 0; the parts sum to the fiscal capacity.
    Steps that treat revenue sources differently read them from
    ``FiscalState.capacity_by_tax`` (Canada's natural resources, Germany's
    municipal taxes).
    """
    parts = devolve(codes, taxes, revenue, tax_base, devolution)[3]
    return {tax: _owned(part) for tax, part in parts.items()}


def devolve(
    codes: tuple[str, ...],
    taxes: tuple[str, ...],
    revenue: np.ndarray,
    tax_base: Mapping[str, np.ndarray],
    devolution: Mapping[str, TaxDevolution],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, LazyMapping]:
    """:func:`devolved_revenue` and :func:`devolved_capacity_by_tax` in one pass.

    Returns ``(fiscal_capacity, own_revenue, centre_loss, capacity_by_tax)``.
    The first three are new arrays, except that own revenue and the centre's
    loss are one array when no devolved tax has a rate change (they are then
    equal).  ``capacity_by_tax`` is computed on first access, tax by tax (the
    same numbers as the terms summed into ``fiscal_capacity``; most systems
    never ask for it), and may share memory with the input revenue.  Treat
    them all as read-only.

    The three sums are computed in one pass over the data, block by block
    (:func:`~simulator.steps._numerics.blockwise`), with the same operations
    in the same order as tax by tax on whole arrays.  A factor that is exactly
    1 (a share of 1, no rate change, no base response) is not multiplied in.
    """
    shape = revenue.shape[:-2] + revenue.shape[-1:]
    unknown = [tax for tax in devolution if tax not in taxes]
    if unknown:
        raise ConfigurationError(f"devolved tax {unknown[0]!r} is not in the dataset; "
                                 f"known: {', '.join(taxes)}")
    with_base = [tax for tax, a in devolution.items() if a.share != 0 and tax in tax_base]
    # national revenue of every tax in one reduction when most taxes need it: the
    # same sums as tax by tax (a tax's row is summed alone either way), faster
    # than reducing strided slices one at a time
    totals = (np.add.reduce(revenue, axis=-1, keepdims=True)
              if len(with_base) > 1 and 2 * len(with_base) >= len(taxes) else None)
    terms: dict[str, _Term] = {}
    for tax, assignment in devolution.items():  # loop over taxes, never regions
        if assignment.share == 0:
            continue
        index = taxes.index(tax)
        raised = revenue[..., index, :]
        rate = base = None
        if tax in tax_base:
            base = tax_base[tax]
            raised_total = (totals[..., index, :] if totals is not None
                            else np.add.reduce(raised, axis=-1, keepdims=True))
            rate = raised_total / np.add.reduce(base, axis=-1, keepdims=True)
        # growth = 1 + delta, response = growth ** -epsilon; None where exactly 1
        change = assignment.rate_change
        unit = (all(c == 0 for c in change.values()) if isinstance(change, dict)
                else change == 0)
        growth = None if unit else 1.0 + assignment.rate_change_array(codes, tax)
        response = (None if growth is None or assignment.base_elasticity == 0
                    else growth ** (-assignment.base_elasticity))
        if assignment.has_schedule:  # own = x yield ratio, base = x base ratio
            ratio, base_ratio = assignment.schedule_factors(codes)
            ones = np.ones(len(codes))
            growth0 = ones if growth is None else growth
            response0 = ones if response is None else response
            response = response0 * base_ratio
            growth = growth0 * ratio / base_ratio
        share = None if assignment.share == 1 else assignment.share
        terms[tax] = _Term(raised, rate, base, share, growth, response)
        if raised.shape != shape or (base is not None and base.shape != shape):
            shape = broadcast_shape(shape, terms[tax].shape)
        if assignment.has_schedule and growth.ndim > 1:  # a swept band rate: (K, 1, R)
            shape = broadcast_shape(broadcast_shape(shape, growth.shape), response.shape)
    parts = LazyMapping({tax: (_part, term) for tax, term in terms.items()})
    if not terms:
        return np.zeros(shape), np.zeros(shape), np.zeros(shape), parts
    same = all(term.growth is None for term in terms.values())  # own revenue = the loss
    capacity, lost = np.empty(shape), np.empty(shape)
    own = None if same else np.empty(shape)
    operands = [value for term in terms.values() for value in term]
    blockwise(_sums, capacity, lost, own, *operands)
    return capacity, lost if same else own, lost, parts


class _Term(NamedTuple):
    """One devolved tax: revenue at common rates, the national rate and base (None
    without a base), and the factors (None where exactly 1)."""

    raised: np.ndarray
    rate: np.ndarray | None
    base: np.ndarray | None
    share: float | None
    growth: np.ndarray | None
    response: np.ndarray | None

    @property
    def shape(self) -> tuple[int, ...]:
        """The broadcast shape of its sums (the rate's leading axes are the revenue's
        and the base's; growth and response are per region)."""
        return (self.raised.shape if self.base is None
                else broadcast_shape(self.raised.shape, self.base.shape))

    def standard(self) -> np.ndarray:
        """Revenue at the national average rate (RTS), or as raised without a base."""
        return self.raised if self.base is None else self.rate * self.base

    def part(self) -> np.ndarray:
        """Capacity: share x standard x response, left to right."""
        return _times(self.standard(), self.share, self.response)


def _part(term: _Term) -> np.ndarray:
    return term.part()


def _sums(capacity, lost, own, *operands) -> None:
    """Capacity, the centre's loss and own revenue (None: equal to the loss) summed
    over the taxes, into the given arrays: ((t1 + t2) + t3)..., as on whole arrays
    (see :func:`blockwise`)."""
    for k in range(0, len(operands), 6):  # loop over taxes, never regions
        raised, rate, base, share, growth, response = operands[k:k + 6]
        lost_term = raised if share is None else raised * share
        if base is None and response is None:
            part = lost_term  # share x revenue: the same product
        else:
            part = _times(raised if base is None else rate * base, share, response)
        own_term = (None if own is None else lost_term if growth is None
                    else _times(raised, share, growth, response))
        if k == 0:  # the first terms themselves (0 + x is x)
            np.copyto(capacity, part)
            np.copyto(lost, lost_term)
            if own is not None:
                np.copyto(own, own_term)
        else:
            np.add(capacity, part, out=capacity)
            np.add(lost, lost_term, out=lost)
            if own is not None:
                np.add(own, own_term, out=own)


def _times(array: np.ndarray, *factors: float | np.ndarray | None) -> np.ndarray:
    """``array`` times each factor in turn; a factor of None is exactly 1 and skipped."""
    for factor in factors:
        if factor is not None:
            array = array * factor  # x * f is f * x exactly (IEEE products commute)
    return array


def _owned(array: np.ndarray) -> np.ndarray:
    """A new float array, never a view of the caller's input."""
    array = np.asarray(array)
    return array if array.flags.owndata and array.dtype == float else np.array(array, dtype=float)
