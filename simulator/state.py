"""The fiscal state that flows through an equalisation system.

Every array has regions on the last axis; any leading axes (years, Monte-Carlo
draws, sweep points) broadcast through every step unchanged.  Money is in whole
currency units, population in persons.

The arrays need not all have the same shape, only shapes that broadcast
together (:attr:`FiscalState.shape`).  In particular a step parameter may
carry leading axes of its own (a sweep's rate of shape ``(K, 1, 1)`` on data
``(years, regions)``): that step's transfer then has the broadcast shape
``(K, years, regions)`` and the state grows the axis from there on, while
the data before it stay ``(years, regions)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from types import MappingProxyType
from typing import Mapping

import numpy as np

__all__ = ["FiscalState", "LazyMapping", "broadcast_readonly", "broadcast_shape"]


class LazyMapping(Mapping):
    """A read-only mapping whose values are computed on first access.

    ``recipes`` maps each key to ``(function, argument)``; the value is
    ``function(argument)``, computed once.  (A state's capacity by tax: most
    systems never read it, and computing it for Monte-Carlo draws would cost
    a pass over the data and a large array per tax.)  ``then`` (optional) is
    applied to every value, e.g. to make it read-only at the state's shape.
    """

    def __init__(self, recipes: Mapping, then=None):
        self._recipes = dict(recipes)
        self._then = then
        self._values: dict = {}

    def __getitem__(self, key):
        try:
            return self._values[key]
        except KeyError:
            function, argument = self._recipes[key]  # KeyError for an unknown key
            value = function(argument)
            if self._then is not None:
                value = self._then(value)
            self._values[key] = value
            return value

    def __iter__(self):
        return iter(self._recipes)

    def __len__(self) -> int:
        return len(self._recipes)

    def __repr__(self) -> str:
        return f"LazyMapping({list(self._recipes)})"

    def then(self, function) -> "LazyMapping":
        """The same recipes with ``function`` applied to each value."""
        return LazyMapping(self._recipes, function)


def broadcast_shape(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """``np.broadcast_shapes(*shapes)`` for the engine's few short shapes, without
    its cost (microseconds a call, many calls in a 12-region run)."""
    first = shapes[0]
    for shape in shapes[1:]:
        if shape != first:
            break
    else:
        return first
    ndim = max(len(shape) for shape in shapes)
    result = [1] * ndim
    for shape in shapes:  # loop over a few axes, never over data
        for axis, size in enumerate(shape, ndim - len(shape)):
            if size != 1:
                if result[axis] == 1:
                    result[axis] = size
                elif result[axis] != size:
                    return np.broadcast_shapes(*shapes)  # raises the usual ValueError
    return tuple(result)


def broadcast_readonly(array: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``np.broadcast_to(array, shape)``: a read-only view, made directly when the
    shape already matches (``np.broadcast_to`` costs microseconds per call, which
    adds up in a 12-region run)."""
    if isinstance(array, np.ndarray) and array.shape == tuple(shape):
        view = array.view(np.ndarray)
        view.flags.writeable = False
        return view
    return np.broadcast_to(array, shape)


@dataclass(frozen=True, eq=False)
class FiscalState:
    """What each step sees, and what it hands on.

    Attributes:
        codes: region codes, in the order of the last axis.
        population: persons ``(..., R)``.
        equalisation_population: the population used for per-head measures
            inside equalisation formulas ``(..., R)``; equals ``population``
            unless a step weights some regions (Germany's city states: 1.35).
        fiscal_capacity: revenue the region would raise from its devolved taxes
            at the national average (standard) rates ``(..., R)``.
        own_revenue: devolved revenue actually raised, at the region's own
            rates and after any base response ``(..., R)``.
        block_grant: the centre's grant after the block grant adjustment ``(..., R)``.
        baseline_resources: resources under the baseline (the status quo
            unless another baseline is given) ``(..., R)``.
        need_index: per-head expenditure need relative to the average
            (population-weighted mean 1) ``(..., R)``.
        indicators: named per-region series a step may use (e.g. a need index).
        revenue_forgone_by_centre: devolved revenue at common rates that the
            centre no longer collects ``(..., R)`` (zeros when nothing is
            devolved); enters the centre's net cost.
        transfers: ``(step label, amount (..., R))`` in the order applied;
            positive = paid to the region.
        paid_by_centre: ``(step label, amount (...,))`` net payment of the
            centre for each step (0 for a purely horizontal step).
        capacity_by_tax: devolved tax family -> its part of ``fiscal_capacity``
            ``(..., R)`` (share x capacity at the standard rate x base
            response), so that steps can treat revenue sources differently
            (Canada's partial inclusion of natural resources, Germany's 75% of
            municipal taxes).  The parts sum to ``fiscal_capacity``; empty for a
            state built without the engine (steps that need it say so).
    """

    codes: tuple[str, ...]
    population: np.ndarray
    equalisation_population: np.ndarray
    fiscal_capacity: np.ndarray
    own_revenue: np.ndarray
    block_grant: np.ndarray
    baseline_resources: np.ndarray
    need_index: np.ndarray
    indicators: Mapping[str, np.ndarray] = field(default_factory=dict)
    transfers: tuple[tuple[str, np.ndarray], ...] = ()
    paid_by_centre: tuple[tuple[str, np.ndarray], ...] = ()
    revenue_forgone_by_centre: np.ndarray | None = None
    capacity_by_tax: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _freeze_mappings(self.__dict__, ("indicators", "capacity_by_tax"))
        if self.revenue_forgone_by_centre is None:
            object.__setattr__(self, "revenue_forgone_by_centre",
                               np.zeros(np.shape(self.fiscal_capacity)))

    # ------------------------------------------------------------ derived
    @cached_property
    def shape(self) -> tuple[int, ...]:
        """The broadcast shape of the state ``(..., R)``: of the fiscal capacity,
        the population and every transfer (a step whose parameter carries
        leading axes adds them here)."""
        shape = broadcast_shape(self.fiscal_capacity.shape, self.population.shape)
        for _, amount in self.transfers:
            if np.shape(amount) != shape:
                shape = np.broadcast_shapes(shape, np.shape(amount))
        return shape

    @property
    def total_transfers(self) -> np.ndarray:
        """Sum of every step's transfer so far ``(..., R)`` (read-only when it is
        a step's own array, i.e. after one step)."""
        shape = self.shape
        if not self.transfers:
            return np.zeros(shape)
        # 0 + t1 + t2 ... without the zeros: the same sums, one pass fewer
        total = np.asarray(self.transfers[0][1], dtype=float)
        for _, amount in self.transfers[1:]:
            total = total + amount
        return broadcast_readonly(total, shape)

    @property
    def equalised_capacity(self) -> np.ndarray:
        """Fiscal capacity plus the transfers of the steps applied so far.

        This is what the next step equalises: Germany's supplementary grants,
        for instance, are computed on capacity after the horizontal step.
        Before any transfer it is a read-only view of the fiscal capacity.
        """
        if not self.transfers:
            return broadcast_readonly(self.fiscal_capacity, self.shape)
        return self.fiscal_capacity + self.total_transfers

    @property
    def resources(self) -> np.ndarray:
        """Block grant + own revenue + all transfers ``(..., R)``."""
        before = self.block_grant + self.own_revenue
        if not self.transfers:
            shape = broadcast_shape(self.shape, before.shape)
            return before if before.shape == shape else np.broadcast_to(before, shape)
        return before + self.total_transfers

    def measure(self, kind: str) -> np.ndarray:
        """The amount a step equalises ``(..., R)``.

        ``"capacity"``: :attr:`equalised_capacity` (fiscal capacity plus the
        transfers so far); ``"resources"``: :attr:`resources` (also counting
        the block grant and own revenue at own rates), for guarantees stated
        as a share of average resources per head.  Once a step has run it is a
        new array the caller may write into (steps use it as scratch space);
        before, it may be a read-only view of the state's arrays.
        """
        if kind == "capacity":
            return self.equalised_capacity
        if kind == "resources":
            return self.resources
        from .errors import ConfigurationError

        raise ConfigurationError(f"unknown measure {kind!r}; known: capacity, resources")

    @property
    def centre_paid_by_steps(self) -> np.ndarray:
        """Net payment of the centre summed over every step ``(...,)``."""
        total = np.zeros(np.shape(self.fiscal_capacity)[:-1])
        for _, amount in self.paid_by_centre:
            total = total + amount
        return total

    @property
    def cost_to_centre(self) -> np.ndarray:
        """The centre's net outlay on the regions ``(...,)``: block grants paid
        (after adjustment) + net payments of every step + devolved revenue it
        no longer collects.  Compare two states to get the cost of a reform."""
        return (self.block_grant.sum(axis=-1) + self.centre_paid_by_steps
                + np.asarray(self.revenue_forgone_by_centre).sum(axis=-1))

    def per_head(self, amount: np.ndarray) -> np.ndarray:
        return amount / self.population

    def per_equalisation_head(self, amount: np.ndarray) -> np.ndarray:
        return amount / self.equalisation_population

    def national_per_head(self, amount: np.ndarray, population: np.ndarray | None = None) -> np.ndarray:
        """Population-weighted national average per head, kept as ``(..., 1)``."""
        population = self.equalisation_population if population is None else population
        # np.add.reduce is ndarray.sum without its Python wrapper: the same sums
        return (np.add.reduce(amount, axis=-1, keepdims=True)
                / np.add.reduce(population, axis=-1, keepdims=True))

    def region_mask(self, codes: list[str] | tuple[str, ...]) -> np.ndarray:
        """Boolean ``(R,)`` mask of the named regions."""
        from .errors import ConfigurationError

        unknown = [c for c in codes if c not in self.codes]
        if unknown:
            raise ConfigurationError(
                f"unknown region code {unknown[0]!r}; known: {', '.join(self.codes)}")
        return np.isin(np.array(self.codes), list(codes))

    # ------------------------------------------------------------ updates
    def with_transfer(self, label: str, amount: np.ndarray,
                      paid_by_centre: np.ndarray | None = None) -> "FiscalState":
        """Add one step's transfer; by default the centre pays its net sum.

        The transfer is stored at the broadcast shape of the state and the
        amount (so a parameter with leading axes of its own grows the state).
        A float array of that shape is kept as it is (steps hand over a new
        array and do not touch it again); anything else is converted to a new
        float array of that shape.
        """
        shape = self.shape
        amount = np.asarray(amount)
        if amount.shape != shape:
            shape = np.broadcast_shapes(shape, amount.shape)
        if amount.shape != shape or amount.dtype != np.float64:
            amount = np.broadcast_to(amount, shape).astype(float)
        if paid_by_centre is None:
            paid_by_centre = np.add.reduce(amount, axis=-1)
        return self._evolve(shape, transfers=self.transfers + ((label, amount),),
                            paid_by_centre=self.paid_by_centre
                            + ((label, np.asarray(paid_by_centre, float)),))

    def with_transfers(self, transfers: tuple[tuple[str, np.ndarray], ...],
                       paid_by_centre: tuple[tuple[str, np.ndarray], ...]) -> "FiscalState":
        """Replace the whole transfer history (for steps that rescale earlier ones)."""
        return self._evolve(None, transfers=tuple(transfers), paid_by_centre=tuple(paid_by_centre))

    def replace(self, **changes) -> "FiscalState":
        """A copy with some fields changed (as ``dataclasses.replace``)."""
        unknown = set(changes) - _FIELD_NAMES
        if unknown:
            raise TypeError(f"FiscalState has no field {sorted(unknown)[0]!r}")
        return self._evolve(None, **changes)

    def _evolve(self, shape: tuple[int, ...] | None, **changes) -> "FiscalState":
        """``dataclasses.replace`` without re-running ``__init__`` (a few
        microseconds a step): the fields are copied, ``changes`` applied, and
        the cached shape kept only when given (``shape``)."""
        new = object.__new__(type(self))
        values = new.__dict__
        values.update(self.__dict__)
        values.pop("shape", None)
        values.update(changes)
        if shape is not None:
            values["shape"] = shape
        _freeze_mappings(values, [name for name in ("indicators", "capacity_by_tax")
                                  if name in changes])
        if values["revenue_forgone_by_centre"] is None:
            values["revenue_forgone_by_centre"] = np.zeros(np.shape(values["fiscal_capacity"]))
        return new

    def unique_label(self, label: str) -> str:
        """``label``, or ``label (2)``... if a step of that label already ran."""
        taken = {name for name, _ in self.transfers}
        if label not in taken:
            return label
        n = 2
        while f"{label} ({n})" in taken:
            n += 1
        return f"{label} ({n})"


_FIELD_NAMES = frozenset(f.name for f in fields(FiscalState))


def _freeze_mappings(values: dict, names) -> None:
    """Read-only copies of the state's mappings ``names`` (a copy of a given
    mapping is made once, when it enters a state; later states share it)."""
    for name in names:
        if not isinstance(values[name], LazyMapping):  # read-only already; copying computes it
            values[name] = MappingProxyType(dict(values[name]))
