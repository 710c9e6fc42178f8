"""The data model: a federation of regions with their populations and revenues.

A :class:`Federation` holds, for one or more years, each region's population and
its revenue from each tax family (and the tax base where one is known).  Arrays
keep regions on the last axis and years on the first, so the engine can
broadcast any further leading axes (Monte-Carlo draws, sweep points) in front.

Money is held in whole currency units (GBP, not GBP million); population in
persons.  Tidy pandas frames go in (:meth:`Federation.from_frames`) and come
out (:meth:`Federation.to_frame`); nothing in between uses pandas.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import DataValidationError

__all__ = ["Federation"]


def year_labels(years: str | Iterable[str]) -> list:
    """``years`` as a list: one year label, or an iterable of them.  Anything else
    (a bare number, say) raises ``DataValidationError`` naming it."""
    if isinstance(years, str):
        return [years]
    try:
        return list(years)
    except TypeError:
        raise DataValidationError(
            "year must be a year label as text (e.g. '2024-25') or a list of them",
            year=str(years)) from None


def _repeated(values: Sequence[str]) -> list[str]:
    """The values that occur more than once, sorted; one pass with a Counter
    (``values.count`` per value was quadratic: 100k regions took minutes)."""
    return sorted(v for v, n in Counter(values).items() if n > 1)


def _frozen(array: np.ndarray, column: str | None = None) -> np.ndarray:
    """A read-only float copy; true/false, complex, or text data are refused (numpy
    would turn True into 1.0 and drop an imaginary part)."""
    raw = np.asarray(array)
    kind = raw.dtype.kind
    if kind == "O":
        flat = raw.ravel()
        kinds = {type(v) for v in flat[:1_000_000]}
        if any(issubclass(t, (bool, np.bool_)) for t in kinds):
            kind = "b"
        elif any(issubclass(t, (complex, np.complexfloating)) for t in kinds):
            kind = "c"
    what = {"b": "true/false values", "c": "complex numbers", "U": "text", "S": "bytes",
            "M": "dates", "m": "time spans"}.get(kind)
    if what is not None:
        raise DataValidationError(f"values must be real numbers, not {what} "
                                  f"(dtype {raw.dtype})", column=column)
    try:
        array = np.array(raw, dtype=float)  # own copy
    except (TypeError, ValueError) as error:
        raise DataValidationError(f"values must be real numbers: {error}", column=column) from None
    array.setflags(write=False)
    return array


def year_label(year: object) -> str:
    """A year label as text: ``2024``, ``2024.0`` and ``'2024'`` are all ``'2024'``
    (a spreadsheet or CSV reader may give a year as a float); other text is kept."""
    if isinstance(year, (bool, np.bool_)):
        raise DataValidationError("a year must be a label such as '2024-25', not true/false",
                                  year=str(year))
    if isinstance(year, (float, np.floating)) and float(year).is_integer():
        return str(int(year))
    text = str(year).strip()
    head, dot, tail = text.partition(".")
    if dot and head.isdigit() and tail.strip("0") == "":
        return head
    return text


@dataclass(frozen=True, eq=False)
class Federation:
    """Regions, years, populations and revenue by tax family.

    Attributes:
        name: dataset name, e.g. ``"uk_itl1"``.
        codes, names, nations: one entry per region (region axis order).
        years: financial years on the first axis, e.g. ``("2023-24", "2024-25")``.
        population: persons, shape ``(years, regions)``.
        taxes: tax family names on the tax axis.
        revenue: currency units, shape ``(years, taxes, regions)``.
        tax_base: tax family -> base in currency units ``(years, regions)``,
            only for taxes whose base is known.
        indicators: other per-region series ``(years, regions)`` such as
            expenditure or GDHI per head; may hold NaN where not published.
        units: unit of each indicator (and of ``population``/``revenue``).
        currency: ISO code of the money unit.
        source: one line of provenance shown with every figure.
    """

    name: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    nations: tuple[str, ...]
    years: tuple[str, ...]
    population: np.ndarray
    taxes: tuple[str, ...]
    revenue: np.ndarray
    tax_base: Mapping[str, np.ndarray] = field(default_factory=dict)
    indicators: Mapping[str, np.ndarray] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    currency: str = "GBP"
    source: str = ""

    def __post_init__(self) -> None:
        for attribute in ("codes", "names", "nations", "years", "taxes"):
            object.__setattr__(self, attribute, tuple(str(v) for v in getattr(self, attribute)))
        object.__setattr__(self, "years", tuple(year_label(y) for y in self.years))
        object.__setattr__(self, "population", _frozen(self.population, "population"))
        object.__setattr__(self, "revenue", _frozen(self.revenue, "revenue"))
        object.__setattr__(self, "tax_base", MappingProxyType(
            {str(k): _frozen(v, f"tax_base[{k}]") for k, v in self.tax_base.items()}))
        object.__setattr__(self, "indicators", MappingProxyType(
            {str(k): _frozen(v, str(k)) for k, v in self.indicators.items()}))
        object.__setattr__(self, "units", MappingProxyType(dict(self.units)))
        self._validate()
        # code -> position, so looking regions up by code is O(1), not a list scan
        object.__setattr__(self, "_code_index", {c: i for i, c in enumerate(self.codes)})

    # ------------------------------------------------------------------ checks
    def _validate(self) -> None:
        n_regions, n_years, n_taxes = len(self.codes), len(self.years), len(self.taxes)
        if n_regions == 0:
            raise DataValidationError("a federation needs at least one region")
        if len(self.names) != n_regions or len(self.nations) != n_regions:
            raise DataValidationError(
                f"codes, names and nations must have one entry per region "
                f"(got {n_regions}, {len(self.names)}, {len(self.nations)})")
        duplicates = _repeated(self.codes)
        if duplicates:
            raise DataValidationError("region codes must be unique; duplicated",
                                      region=duplicates[0], column="code")
        if n_years == 0:
            raise DataValidationError("a federation needs at least one year")
        for label, values in (("year", self.years), ("tax", self.taxes)):
            repeated = _repeated(values)
            if repeated:
                raise DataValidationError(f"each {label} must appear once; repeated",
                                          **{"year" if label == "year" else "column": repeated[0]})
        self._check_shape("population", self.population, (n_years, n_regions))
        self._check_shape("revenue", self.revenue, (n_years, n_taxes, n_regions))
        self._check_values("population", self.population, positive=True)
        for t, tax in enumerate(self.taxes):
            self._check_values(tax, self.revenue[:, t, :])
        for tax, base in self.tax_base.items():
            if tax not in self.taxes:
                raise DataValidationError("tax base given for a tax with no revenue", column=tax)
            self._check_shape(f"tax_base[{tax}]", base, (n_years, n_regions))
            self._check_values(f"tax_base[{tax}]", base, positive=True)
        for name, series in self.indicators.items():
            self._check_shape(name, series, (n_years, n_regions))
            bad = np.isinf(series)
            if bad.any():
                self._raise_at("values must be finite or NaN (not published)", name, bad)

    @staticmethod
    def _check_shape(column: str, array: np.ndarray, shape: tuple[int, ...]) -> None:
        if array.shape != shape:
            raise DataValidationError(
                f"expected shape {shape} (years, [taxes,] regions), got {array.shape}",
                column=column)

    def _check_values(self, column: str, array: np.ndarray, positive: bool = False) -> None:
        missing = np.isnan(array)
        if missing.any():
            self._raise_at("missing value (NaN)", column, missing)
        infinite = np.isinf(array)
        if infinite.any():
            self._raise_at("value must be finite", column, infinite)
        if positive:
            not_positive = array <= 0
            if not_positive.any():
                self._raise_at("value must be > 0", column, not_positive)

    def _raise_at(self, message: str, column: str, mask: np.ndarray) -> None:
        year_index, region_index = np.argwhere(mask)[0]
        raise DataValidationError(message, region=self.codes[region_index],
                                  column=column, year=self.years[year_index])

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_frames(
        cls,
        name: str,
        regions: pd.DataFrame,
        revenue: pd.DataFrame,
        population: pd.DataFrame,
        *,
        tax_base: pd.DataFrame | None = None,
        indicators: pd.DataFrame | None = None,
        units: Mapping[str, str] | None = None,
        currency: str = "GBP",
        source: str = "",
        money_scale: float = 1.0,
    ) -> "Federation":
        """Build a federation from tidy frames.

        Args:
            regions: columns ``code, name, nation`` in display order.
            revenue: columns ``year, code, tax, value`` (one row per cell).
            population: columns ``year, code, population``.
            tax_base: optional columns ``year, code, tax, value``.
            indicators: optional columns ``year, code, indicator, value``.
            money_scale: multiplier from the frames' money unit to whole
                currency units (``1e6`` when values are in millions).

        Raises:
            DataValidationError: naming region, column and year of the first
                missing, duplicated or invalid cell.
        """
        regions = regions.reset_index(drop=True)
        codes = [str(c) for c in regions["code"]]
        dup = regions["code"][regions["code"].duplicated()]
        if len(dup):
            raise DataValidationError("region codes must be unique; duplicated",
                                      region=str(dup.iloc[0]), column="code")
        years = sorted({year_label(y) for y in pd.unique(population["year"])}
                       | {year_label(y) for y in pd.unique(revenue["year"])})
        taxes = list(dict.fromkeys(str(t) for t in revenue["tax"]))
        pop = _pivot(population.rename(columns={"population": "value"}).assign(key="population"),
                     "key", ["population"], years, codes)[:, 0, :]
        rev = _pivot(revenue, "tax", taxes, years, codes) * money_scale
        bases = {}
        if tax_base is not None and len(tax_base):
            base_taxes = list(dict.fromkeys(str(t) for t in tax_base["tax"]))
            stacked = _pivot(tax_base, "tax", base_taxes, years, codes) * money_scale
            bases = {tax: stacked[:, i, :] for i, tax in enumerate(base_taxes)}
        extra = {}
        if indicators is not None and len(indicators):
            names = list(dict.fromkeys(str(t) for t in indicators["indicator"]))
            stacked = _pivot(indicators, "indicator", names, years, codes, allow_missing=True)
            extra = {n: stacked[:, i, :] for i, n in enumerate(names)}
        return cls(name=name, codes=codes, names=list(regions["name"]),
                   nations=list(regions["nation"]), years=years, population=pop,
                   taxes=taxes, revenue=rev, tax_base=bases, indicators=extra,
                   units=dict(units or {}), currency=currency, source=source)

    # ----------------------------------------------------------------- access
    @property
    def n_regions(self) -> int:
        return len(self.codes)

    def tax_revenue(self, tax: str) -> np.ndarray:
        """Revenue of one tax family, ``(years, regions)``."""
        return self.revenue[:, self._tax_index(tax), :]

    def total_revenue(self, taxes: Iterable[str] | None = None) -> np.ndarray:
        """Sum over the named taxes (all by default), ``(years, regions)``."""
        if taxes is None:
            return self.revenue.sum(axis=-2)
        return self.revenue[:, [self._tax_index(t) for t in taxes], :].sum(axis=-2)

    def revenue_per_head(self) -> np.ndarray:
        """Revenue per person, ``(years, taxes, regions)``."""
        return self.revenue / self.population[:, None, :]

    def region_index(self, code: str) -> int:
        try:
            return self._code_index[code]
        except KeyError:
            raise DataValidationError("unknown region code", region=code) from None

    def _tax_index(self, tax: str) -> int:
        try:
            return self.taxes.index(tax)
        except ValueError:
            raise DataValidationError(
                f"unknown tax; known: {', '.join(self.taxes)}", column=tax) from None

    def select_years(self, years: str | Sequence[str]) -> "Federation":
        """The same federation restricted to some years (in the order given)."""
        wanted = year_labels(years)
        missing = [y for y in wanted if y not in self.years]
        if missing:
            raise DataValidationError(
                f"year not in dataset {self.name!r} ({self.years[0]} to {self.years[-1]})",
                year=missing[0])
        index = [self.years.index(y) for y in wanted]
        return replace(
            self, years=wanted, population=self.population[index],
            revenue=self.revenue[index],
            tax_base={k: v[index] for k, v in self.tax_base.items()},
            indicators={k: v[index] for k, v in self.indicators.items()})

    def with_taxes(self, revenue: Mapping[str, np.ndarray]) -> "Federation":
        """A copy whose tax families are replaced by ``revenue`` (tax -> (years, regions))."""
        taxes = list(revenue)
        stacked = np.stack([np.asarray(revenue[t], dtype=float) for t in taxes], axis=-2)
        bases = {k: v for k, v in self.tax_base.items() if k in revenue}
        return replace(self, taxes=taxes, revenue=stacked, tax_base=bases)

    def to_frame(self) -> pd.DataFrame:
        """Tidy revenue: one row per year, region and tax, with per-head values."""
        n_years, n_taxes, n_regions = self.revenue.shape
        year_idx, tax_idx, region_idx = np.meshgrid(
            np.arange(n_years), np.arange(n_taxes), np.arange(n_regions), indexing="ij")
        year_idx, tax_idx, region_idx = year_idx.ravel(), tax_idx.ravel(), region_idx.ravel()
        codes, names = np.array(self.codes), np.array(self.names)
        return pd.DataFrame({
            "year": np.array(self.years)[year_idx],
            "code": codes[region_idx],
            "region": names[region_idx],
            "tax": np.array(self.taxes)[tax_idx],
            f"revenue_{self.currency.lower()}_m": self.revenue.ravel() / 1e6,
            f"revenue_per_head_{self.currency.lower()}": (
                self.revenue / self.population[:, None, :]).ravel(),
            "population": self.population[year_idx, region_idx],
        })

    def regions_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"code": self.codes, "name": self.names, "nation": self.nations})

    def __repr__(self) -> str:
        return (f"Federation({self.name!r}, {self.n_regions} regions, years "
                f"{self.years[0]}..{self.years[-1]}, {len(self.taxes)} taxes)")


def _pivot(frame: pd.DataFrame, key: str, keys: list[str], years: list[str],
           codes: list[str], allow_missing: bool = False) -> np.ndarray:
    """Long frame -> array ``(years, keys, regions)``; names the first hole."""
    labels = {y: year_label(y) for y in pd.unique(frame["year"])}  # per distinct year
    frame = frame.assign(year=frame["year"].map(labels), code=frame["code"].astype(str),
                         **{key: frame[key].astype(str)})
    unknown = sorted(set(frame["code"]) - set(codes))
    if unknown:
        raise DataValidationError("row for a region not in the region list",
                                  region=unknown[0], column=key)
    dup = frame.duplicated(["year", "code", key])
    if dup.any():
        row = frame[dup].iloc[0]
        raise DataValidationError("duplicated row", region=row["code"], column=row[key],
                                  year=row["year"])
    raw = frame["value"]
    if raw.dtype == bool or raw.dtype.kind == "c" or (raw.dtype == object and raw.map(
            lambda v: isinstance(v, (bool, np.bool_, complex, np.complexfloating))).any()):
        flag = raw.map(lambda v: isinstance(v, (bool, np.bool_, complex, np.complexfloating)))
        row = frame[flag.to_numpy(bool)].iloc[0]
        raise DataValidationError(f"value {row['value']!r} is not a real number (true/false "
                                  "and complex values are refused)", region=row["code"],
                                  column=row[key], year=row["year"])
    numeric = pd.to_numeric(frame["value"], errors="coerce")
    not_numeric = numeric.isna() & frame["value"].notna()
    if not_numeric.any():
        row = frame[not_numeric].iloc[0]
        raise DataValidationError(f"value {row['value']!r} is not a number", region=row["code"],
                                  column=row[key], year=row["year"])
    frame = frame.assign(value=numeric)
    index = pd.MultiIndex.from_product([years, keys, codes], names=["year", key, "code"])
    values = frame.set_index(["year", key, "code"])["value"].reindex(index)
    array = values.to_numpy().reshape(len(years), len(keys), len(codes))
    if not allow_missing and np.isnan(array).any():
        y, k, r = np.argwhere(np.isnan(array))[0]
        raise DataValidationError("missing value", region=codes[r], column=keys[k],
                                  year=years[y])
    return array
