"""Cap on receivers' total fiscal capacity per head (Canada's FPFAA s.3.4(1)-(4))."""

from __future__ import annotations

import math
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import SerializeAsAny, field_validator

from ..errors import ConfigurationError
from ..state import FiscalState
from .base import Measure, Scope, Step, measure_param, param, scope_indices, scope_param, step_from_dict

__all__ = ["CapacityCap", "recipients_average_level"]


class CapacityCap(Step):
    """Take back transfers that would lift a receiver above a comparison level.

    Let t_i be the transfers of the steps in ``scope`` per equalisation head
    and b_i the measure per equalisation head before them (fiscal capacity
    with every revenue source fully counted, for ``measure: capacity``).  A
    *reference* transfer r_i defines who counts as a recipient and their
    equalised capacity e_i = b_i + r_i: the transfer of ``reference_step``
    run on the state before the scope steps, or t_i itself if none is given.
    The comparison level X is

    - ``lowest_non_recipient``: the lowest e_i (= b_i) among regions with
      r_i = 0 (no cap if every region receives);
    - ``recipients_average``: sum_K e_j P_j / sum_K P_j over the recipients
      K (r_j > 0), applied again without every recipient the cap takes
      down to zero (b_j >= X) until none is; the last non-empty K is kept;
    - ``by_population``: the first if the recipients' share of the
      population is below ``population_threshold``, else the second.

    Each receiving region (T_i > 0) gives back what lifts it above X, never
    more than it receives:

        C_i = -min(T_i, max(0, b_i + t_i - X) x P_i)

    The centre saves sum C.  The re-application needs no loop over regions:
    recipients sorted by b leave the average from the top, so K is always a
    prefix of that order; the map "prefix size -> next prefix size" is
    tabulated for every size at once and composed with itself (pointer
    doubling) until it reaches its fixed point.

    Real system: Canada's Equalization cap (FPFAA s.3.4(1)-(4)): with
    recipients under s.3.2(1)(a) (50% of natural resources) below 50% of the
    population, no province's total per-capita fiscal capacity (all
    resource revenue plus its s.3.2 payment) may exceed the per-capita
    equalized fiscal capacity of the lowest non-recipient (s.3.4(1)); at 50%
    or more, it may not exceed the recipients' average equalized fiscal
    capacity, recomputed without provinces reduced to zero (s.3.4(2)-(4)).
    ``reference_step: {type: source_gap_fill, inclusion: [{natural_resources: 0.5}]}``.
    """

    reference: ClassVar[str] = "FPFAA (R.S.C. 1985 c. F-8) s.3.4(1)-(4)"
    real_system: ClassVar[str] = "Canada: Equalization fiscal capacity cap"
    title: ClassVar[str] = "Fiscal capacity cap"

    type: Literal["capacity_cap"] = "capacity_cap"
    reference_step: SerializeAsAny[Step] | None = param(
        None, description="Step whose transfer (run before the capped steps) defines the "
        "recipients and their equalised capacity; default: the capped transfer itself. "
        "Canada: {type: source_gap_fill, inclusion: [{natural_resources: 0.5}]}.",
        unit="step")
    comparison: Literal["by_population", "lowest_non_recipient", "recipients_average"] = param(
        "by_population", description="How the comparison level is set: Canada's switch on "
        "the recipients' population share ('by_population'), or always one of the two rules.",
        unit="choice")
    population_threshold: float = param(
        0.5, description="Recipients' share of the population from which the recipients' "
        "average applies (Canada: 0.5).", unit="share (0-1)", ge=0.0, le=1.0)
    scope: Scope = scope_param("are capped")
    measure: Measure = measure_param()

    @field_validator("reference_step", mode="before")
    @classmethod
    def _build_reference(cls, step: Any) -> Any:
        return None if step is None else step_from_dict(step)

    def levels(self, state: FiscalState) -> dict[str, np.ndarray]:
        """The quantities of the formula: ``base``, ``transfer`` and ``reference`` per
        head, ``recipient`` (bool), ``level`` X ``(..., 1)`` and the ``cut`` C_i."""
        scoped = scope_indices(state, self.scope, step="capacity_cap")
        population = state.equalisation_population
        shape = state.shape
        transfer = sum(np.broadcast_to(state.transfers[k][1], shape) for k in scoped)
        before = state.with_transfers(
            tuple(t for k, t in enumerate(state.transfers) if k not in scoped),
            tuple(p for k, p in enumerate(state.paid_by_centre) if k not in scoped))
        base = before.measure(self.measure) / population
        if self.reference_step is None:
            reference = transfer
        else:
            after = self.reference_step.apply(before)
            added = after.transfers[len(before.transfers):]
            if not added:
                raise ConfigurationError(
                    f"capacity_cap: the reference step {self.reference_step.display_label!r} adds "
                    "no transfer")
            # the reference step's own parameters may add leading axes (a sweep)
            reference = sum(np.broadcast_to(amount, np.broadcast_shapes(shape, amount.shape))
                            for _, amount in added)
        recipient = reference > 0
        equalised = base + reference / population
        lowest = np.where(recipient, np.inf, equalised).min(axis=-1, keepdims=True)
        average = recipients_average_level(base, equalised, population, recipient)
        if self.comparison == "lowest_non_recipient":
            level = lowest
        elif self.comparison == "recipients_average":
            level = average
        else:
            share = ((population * recipient).sum(axis=-1, keepdims=True)
                     / population.sum(axis=-1, keepdims=True))
            level = np.where(share < self.population_threshold, lowest, average)
        excess = np.maximum(0.0, base + transfer / population - level) * population
        cut = np.where(transfer > 0, -np.minimum(transfer, excess), 0.0) + 0.0  # no -0
        return {"base": base, "transfer": transfer / population,
                "reference": reference / population, "recipient": recipient,
                "level": level, "cut": cut}

    def apply(self, state: FiscalState) -> FiscalState:
        cut = self.levels(state)["cut"]
        return state.with_transfer(state.unique_label(self.display_label), cut)


def recipients_average_level(base: np.ndarray, equalised: np.ndarray, population: np.ndarray,
                             member: np.ndarray) -> np.ndarray:
    """X = sum_K e P / sum_K P, re-applied without members with ``base >= X`` (s.3.4(3)-(4)).

    Start with K = members; while some member of K has b >= X, drop them and
    recompute X; if that would empty K, keep the last X.  Returns ``(..., 1)``
    (inf where there is no member).  Members sorted by b leave from the top, so
    K is the prefix of size k of that order and the step k -> next k is a fixed
    table; composing the table with itself ceil(log2 R) + 1 times reaches the
    fixed point from k = number of members (vectorised, no loop over regions).
    """
    base, equalised, population, member = np.broadcast_arrays(
        np.asarray(base, float), np.asarray(equalised, float),
        np.asarray(population, float), np.asarray(member, bool))
    n_regions = base.shape[-1]
    key = np.where(member, base, np.inf)
    order = np.argsort(key, axis=-1, kind="stable")
    sorted_base = np.take_along_axis(key, order, axis=-1)
    weight = np.take_along_axis(np.where(member, population, 0.0), order, axis=-1)
    amount = np.take_along_axis(np.where(member, equalised * population, 0.0), order, axis=-1)
    cum_weight = np.cumsum(weight, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        prefix_level = np.where(cum_weight > 0, np.cumsum(amount, axis=-1)
                                / np.where(cum_weight > 0, cum_weight, 1.0), np.inf)
    # members of the prefix of size k with b below that prefix's level: merge the
    # levels with the sorted b (levels first on ties, so b == X counts as leaving)
    merged = np.concatenate([prefix_level, sorted_base], axis=-1)
    is_base = np.concatenate([np.zeros(base.shape), np.ones(base.shape)], axis=-1)
    merged_order = np.argsort(merged, axis=-1, kind="stable")
    is_base_sorted = np.take_along_axis(is_base, merged_order, axis=-1)
    before_count = np.cumsum(is_base_sorted, axis=-1) - is_base_sorted
    counts = np.empty_like(before_count)
    np.put_along_axis(counts, merged_order, before_count, axis=-1)
    below = counts[..., :n_regions].astype(int)                 # for prefix sizes 1..R
    sizes = np.arange(1, n_regions + 1)
    following = np.minimum(sizes, below)
    following = np.where(following == 0, sizes, following)     # never empty K: keep the last X
    table = np.concatenate([np.zeros(base.shape[:-1] + (1,), int), following], axis=-1)
    for _ in range(math.ceil(math.log2(n_regions + 1)) + 1):   # pointer doubling, not regions
        table = np.take_along_axis(table, table, axis=-1)
    start = member.sum(axis=-1, keepdims=True)
    size = np.take_along_axis(table, start, axis=-1)
    level = np.take_along_axis(prefix_level, np.maximum(size - 1, 0), axis=-1)
    return np.where(size > 0, level, np.inf)
