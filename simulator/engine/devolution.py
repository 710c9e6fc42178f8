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
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

import numpy as np
from pydantic import ConfigDict, Field, model_validator

from ..errors import ConfigurationError
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
        share = None if assignment.share == 1 else assignment.share
        terms[tax] = _Term(raised, rate, base, share, growth, response)
        if raised.shape != shape or (base is not None and base.shape != shape):
            shape = broadcast_shape(shape, terms[tax].shape)
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
