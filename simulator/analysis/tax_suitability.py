"""Which taxes suit devolution: a suitability table a commission can defend.

For every tax family of a federation, over the years given, each criterion is
computed from the data by a small function below (regions on the last axis,
years before them, any leading axes in front; nothing loops over regions):

==========================  ========================================================  ========
criterion                   method                                                    better
==========================  ========================================================  ========
``yield_share``             UK revenue of the tax / UK revenue of all taxes, mean      higher
                            over the years
``dispersion_cv``           population-weighted CV of revenue per head across          lower
                            regions, mean over the years
``max_min_ratio``           highest / lowest region's revenue per head, mean over      lower
                            the years (NaN if a region's revenue is <= 0)
``volatility_sd``           SD over the years of each region's real growth of the      lower
                            tax, population-weighted mean over regions
``worst_year``              lowest real growth of any region in any year               higher
``co_movement``             correlation over the years of each region's real growth    lower
                            with UK real GDP growth, population-weighted mean
``equalisation_cost``       the engine's ``gap_fill`` at rate 1 to the national        lower
                            average with the tax devolved: centre's cost / UK
                            revenue of the tax, mean over the years
``marginal_equalisation``   ``Result.marginal_equalisation_rates`` of that system,     lower
                            population-weighted mean over regions and years
``mobility``                documented elasticity of the regional base to a            lower
                            region's own rate (:data:`MOBILITY`)
``devolved``                1 already set by a devolved or local government            higher
                            somewhere in the UK, 0.5 legislated/assigned but not in
                            force, 0 not (:data:`DEVOLVED`)
==========================  ========================================================  ========

The base per head is revenue per head at the common UK rates: the datasets
publish revenue by tax family, not bases, and with one rate schedule the
revenue is proportional to the effective base (Scotland's own income tax rates
since 2017-18 are a known exception, stated in the docs).

Ranking: each criterion is normalised across the taxes to [0, 1] by min-max,
1 for the most suitable value (so ``1 - (x - min)/(max - min)`` where lower is
better); a criterion that cannot be computed for a tax (NaN) scores 0, and a
criterion equal for every tax scores 1.  The score is the weighted mean
``sum_k w_k s_k / sum_k w_k`` with user weights (scale-invariant; only ratios
matter); taxes are ranked by score, ties by name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, Mapping, Sequence

import numpy as np
import pandas as pd

from .. import metrics
from ..engine import System, run
from ..errors import ConfigurationError
from ..federation import Federation

__all__ = ["Criterion", "CRITERIA", "DEFAULT_WEIGHTS", "Mobility", "MOBILITY", "DevolvedPower",
           "DEVOLVED", "DEVOLVED_STATUS", "Suitability", "suitability", "yield_share",
           "dispersion", "real_growth", "volatility", "co_movement", "equalisation",
           "normalise", "weighted_score"]

Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Criterion:
    """One column of the table: its key, label, unit, polarity and method."""

    key: str
    label: str
    unit: str
    better: Better
    method: str
    weight: float  # default weight


CRITERIA: tuple[Criterion, ...] = (
    Criterion("yield_share", "Yield", "share of UK receipts", "higher",
              "UK revenue of the tax divided by UK revenue of all tax families, each year; "
              "the mean over the years. A devolved tax should raise enough to matter.", 1.0),
    Criterion("dispersion_cv", "Dispersion (CV)", "coefficient of variation", "lower",
              "Revenue per head at UK rates in each region (the base per head); its "
              "population-weighted standard deviation over its population-weighted mean, each "
              "year; the mean over the years. A dispersed base needs more equalisation.", 0.5),
    Criterion("max_min_ratio", "Highest / lowest", "ratio", "lower",
              "The highest region's revenue per head over the lowest's, each year; the mean "
              "over the years (not computed if a region raises nothing or less).", 0.5),
    Criterion("volatility_sd", "Volatility (SD)", "SD of annual real growth", "lower",
              "Each region's revenue deflated by the deflator, its annual growth, the standard "
              "deviation over the years; the population-weighted mean over regions. A volatile "
              "base makes a devolved budget hard to plan.", 0.5),
    Criterion("worst_year", "Worst year", "real growth", "higher",
              "The lowest annual real growth of the tax in any region and any year: the worst "
              "shock a devolved budget would have had to absorb.", 0.5),
    Criterion("co_movement", "Co-movement with UK cycle", "correlation", "lower",
              "Correlation over the years of each region's real growth of the tax with UK real "
              "GDP growth; the population-weighted mean over regions. A shock common to every "
              "region cannot be pooled among them: only the centre can absorb it.", 1.0),
    Criterion("equalisation_cost", "Cost of equalising", "share of the tax's yield", "lower",
              "The tax fully devolved (per-capita block grant adjustment) and the engine's "
              "gap_fill at rate 1 to the national average of capacity per head: the centre's "
              "cost (the gap below the average) over the UK yield of the tax; the mean over "
              "the years with a positive yield.", 0.5),
    Criterion("marginal_equalisation", "Marginal equalisation rate", "share of an extra pound",
              "lower",
              "Result.marginal_equalisation_rates of that system: how much of an extra pound "
              "of own base a region loses to the block grant adjustment and the gap-fill; the "
              "population-weighted mean over regions and years. 1 in regions below the "
              "average: the incentive to grow the base is gone.", 0.5),
    Criterion("mobility", "Mobility of the base", "elasticity", "lower",
              "The documented elasticity of a region's base with respect to its own rate "
              "(MOBILITY: value, basis and source per tax). A mobile base moves to low-rate "
              "regions.", 1.0),
    Criterion("devolved", "Already devolved", "1 / 0.5 / 0", "higher",
              "1 if a devolved or local government already sets it somewhere in the UK, 0.5 if "
              "legislated or assigned but not in force (or only a minor part), 0 if not "
              "(DEVOLVED: the powers with their legal references).", 1.0),
)
CRITERION = {c.key: c for c in CRITERIA}
DEFAULT_WEIGHTS: dict[str, float] = {c.key: c.weight for c in CRITERIA}


# ------------------------------------------------------------------ judgements
@dataclass(frozen=True)
class Mobility:
    """Elasticity of a region's tax base with respect to its own rate."""

    elasticity: float
    basis: Literal["estimate", "judgement"]
    source: str


#: tax family -> documented mobility; "judgement" values are the commission's parameters to
#: challenge (the docs say which evidence informs them), "estimate" ones come from a study.
MOBILITY: dict[str, Mobility] = {
    "income_tax": Mobility(0.2, "judgement",
        "Below HMRC (2012) 'The Exchequer effect of the 50 per cent additional rate of income "
        "tax' central taxable income elasticity of 0.48 for the top 1%: most taxpayers respond "
        "far less, cross-border moves add a little."),
    "capital_gains_tax": Mobility(1.0, "judgement",
        "Realisations can be timed and the owner's residence moved; OBR costings treat CGT "
        "changes as among the most uncertain behaviourally."),
    "nics": Mobility(0.1, "judgement",
        "Payroll base tied to where people live and work; some cross-border commuting."),
    "vat": Mobility(0.3, "judgement",
        "Cross-border and online shopping inside a market without borders; the destination "
        "principle needs a trade border to vary rates (cf. Northern Ireland's arrangements)."),
    "corporation_tax": Mobility(0.8, "estimate",
        "Heckemeyer and Overesch (2017), Canadian Journal of Economics 50(4): consensus "
        "semi-elasticity of multinationals' reported profits to the tax differential of about "
        "0.8; profits move between regions of one company at no cost."),
    "fuel_duties": Mobility(0.5, "judgement",
        "Fuel tourism across borders (Banfi, Filippini and Hunt 2005, Energy Economics, Swiss-"
        "Italian border); hauliers fill up where fuel is cheapest."),
    "business_rates": Mobility(0.1, "judgement",
        "Land and buildings cannot move; the tax falls largely on rents (Mirrlees et al. 2011, "
        "Tax by Design, ch. 16-17). Already localised in England, Scotland, Wales, NI."),
    "council_tax": Mobility(0.05, "judgement",
        "Dwellings cannot move; valuations fixed at 1991 (England, Scotland) / 2003 (Wales)."),
    "property_transaction_taxes": Mobility(0.4, "judgement",
        "Houses do not move, but transactions bunch and fall at thresholds (Best and Kleven "
        "2018, Review of Economic Studies 85(1): large volume responses to SDLT notches)."),
    "alcohol_tobacco": Mobility(0.5, "judgement",
        "Cross-border shopping and illicit markets (HMRC Tobacco tax gap estimates)."),
    "vehicle_excise": Mobility(0.3, "judgement",
        "The registered keeper's address, not where the vehicle is used; fleets can register "
        "anywhere."),
    "other": Mobility(0.3, "judgement",
        "A residual of many taxes (stamp duty on shares, inheritance tax, bank levy, APD, "
        "landfill, ...); a middle value."),
    "north_sea": Mobility(0.3, "judgement",
        "The reserves cannot move, investment can (OBR forecasts of oil and gas receipts)."),
}


@dataclass(frozen=True)
class DevolvedPower:
    """A tax power held by a devolved or local government somewhere in the UK."""

    family: str          # tax family it belongs to (``other`` for taxes inside the residual)
    tax: str
    where: str
    power: str
    since: str
    status: Literal["in force", "legislated, not in force", "assigned, not in force"]
    reference: str


DEVOLVED: tuple[DevolvedPower, ...] = (
    DevolvedPower("income_tax", "Scottish income tax", "Scotland",
                  "Rates and bands on non-savings, non-dividend income (Scottish rate "
                  "resolution); personal allowance stays UK", "2017-18 (Scottish rate from "
                  "2016-17)", "in force",
                  "Scotland Act 1998 s.80C, inserted by Scotland Act 2016 s.13 (earlier: "
                  "Scotland Act 2012 s.25)"),
    DevolvedPower("income_tax", "Welsh rates of income tax", "Wales",
                  "A Welsh rate added to each UK band after a 10p reduction", "2019-20",
                  "in force", "Government of Wales Act 2006 Part 4A, inserted by Wales Act "
                  "2014 s.8"),
    DevolvedPower("property_transaction_taxes", "Land and Buildings Transaction Tax (LBTT)",
                  "Scotland", "Replaces SDLT: rates, bands and reliefs", "1 April 2015",
                  "in force", "Land and Buildings Transaction Tax (Scotland) Act 2013 (asp 11)"),
    DevolvedPower("property_transaction_taxes", "Land Transaction Tax (LTT)", "Wales",
                  "Replaces SDLT: rates, bands and reliefs", "1 April 2018", "in force",
                  "Land Transaction Tax and Anti-avoidance of Devolved Taxes (Wales) Act 2017 "
                  "(anaw 1)"),
    DevolvedPower("council_tax", "Council tax / domestic rates", "England, Wales, Scotland; "
                  "Northern Ireland", "Band D rate set by each council (capped by referendum "
                  "limits in England); NI regional and district domestic rates", "1993-94",
                  "in force", "Local Government Finance Act 1992; Rates (Northern Ireland) "
                  "Order 1977 (SI 1977/2157 (N.I. 28))"),
    DevolvedPower("business_rates", "Non-domestic rates", "Scotland, Wales, Northern Ireland; "
                  "England (retention)", "Poundage and reliefs devolved in Scotland, Wales and "
                  "NI; English councils keep a share of growth (multiplier set centrally)",
                  "1990 (devolved since 1999); English retention 2013-14", "in force",
                  "Local Government Finance Act 1988; Non-Domestic Rates (Scotland) Act 2020 "
                  "(asp 4); Rates (Northern Ireland) Order 1977; Local Government Finance Act "
                  "2012 Sch. 1 (Sch. 7B to the 1988 Act)"),
    DevolvedPower("other", "Scottish Landfill Tax / Landfill Disposals Tax", "Scotland; Wales",
                  "Replaces UK landfill tax", "1 April 2015; 1 April 2018", "in force",
                  "Landfill Tax (Scotland) Act 2014 (asp 2); Landfill Disposals Tax (Wales) "
                  "Act 2017 (anaw 3)"),
    DevolvedPower("other", "Air Passenger Duty (long-haul direct)", "Northern Ireland",
                  "Rate on direct long-haul flights from NI (set to zero)", "1 January 2013",
                  "in force", "Finance Act 2012 s.190; Air Passenger Duty (Setting of Rate) "
                  "Act (Northern Ireland) 2012"),
    DevolvedPower("other", "Air Departure Tax", "Scotland", "Replaces APD", "deferred",
                  "legislated, not in force", "Air Departure Tax (Scotland) Act 2017 (asp 2)"),
    DevolvedPower("corporation_tax", "Northern Ireland corporation tax rate", "Northern "
                  "Ireland", "Rate on trading profits of SMEs and large NI employers",
                  "not commenced", "legislated, not in force",
                  "Corporation Tax (Northern Ireland) Act 2015"),
    DevolvedPower("vat", "VAT assignment", "Scotland", "Revenue of the first 10p of the "
                  "standard rate and 2.5p of the reduced rate assigned (no rate power)",
                  "deferred", "assigned, not in force",
                  "Scotland Act 1998 s.64A, inserted by Scotland Act 2016 s.16"),
)

#: tax family -> the ``devolved`` criterion: 1 in force somewhere, 0.5 legislated or
#: assigned but not in force (or only a minor tax inside a residual), 0 not.
DEVOLVED_STATUS: dict[str, float] = {
    "income_tax": 1.0, "property_transaction_taxes": 1.0, "council_tax": 1.0,
    "business_rates": 1.0, "other": 0.5, "corporation_tax": 0.5, "vat": 0.5,
}


# ------------------------------------------------------------------ criteria
def yield_share(revenue: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Mean over years of sum_i revenue_i / sum_i total_i.

    ``revenue`` ``(..., Y, R)``, ``total`` ``(Y, R)`` (all taxes); returns ``(...,)``.
    """
    return (revenue.sum(-1) / np.asarray(total, float).sum(-1)).mean(-1)


def dispersion(revenue: np.ndarray, population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Population-weighted CV and max/min of revenue per head, each the mean over years.

    ``revenue`` ``(..., Y, R)``, ``population`` ``(Y, R)``; returns two ``(...,)``
    arrays (NaN where the mean per head, or the lowest region, is not positive).
    """
    per_head = revenue / population
    weights = np.broadcast_to(population, per_head.shape)
    return (metrics.coefficient_of_variation(per_head, weights).mean(-1),
            metrics.max_min_ratio(per_head).mean(-1))


def real_growth(values: np.ndarray, deflator: np.ndarray | None) -> np.ndarray:
    """Annual real growth ``(x_t / d_t) / (x_{t-1} / d_{t-1}) - 1`` along the years axis.

    ``values`` ``(..., Y, R)``; ``deflator`` ``(Y,)`` or None (nominal growth).
    Returns ``(..., Y-1, R)``, NaN where either value is not positive or the
    deflator is missing (growth of a sign-changing series means nothing).
    """
    values = np.asarray(values, float)
    real = values if deflator is None else values / np.asarray(deflator, float)[:, None]
    before, after = real[..., :-1, :], real[..., 1:, :]
    ok = (before > 0) & (after > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, after / np.where(ok, before, 1.0) - 1.0, np.nan)


def _regional_mean(values: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Population-weighted mean over regions of ``(..., R)``, skipping NaN regions
    (NaN if every region is NaN)."""
    weights = np.where(np.isnan(values), 0.0, np.broadcast_to(population, values.shape))
    total = weights.sum(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, (np.nan_to_num(values) * weights).sum(-1) / total, np.nan)


def volatility(growth: np.ndarray, population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SD over years of each region's growth (sample SD, years with a value), the
    population-weighted mean over regions; and the lowest growth of any region
    in any year.  ``growth`` ``(..., G, R)``, ``population`` ``(R,)``; returns two
    ``(...,)`` arrays (NaN where fewer than two years have a value)."""
    count = np.sum(~np.isnan(growth), axis=-2)
    mean = np.nansum(growth, axis=-2) / np.maximum(count, 1)
    squares = np.nansum((growth - mean[..., None, :]) ** 2, axis=-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.where(count >= 2, np.sqrt(squares / (count - 1)), np.nan)
    flat = growth.reshape(growth.shape[:-2] + (-1,))
    has = ~np.isnan(flat).all(-1)
    worst = np.where(has, np.nanmin(np.where(np.isnan(flat), np.inf, flat), axis=-1), np.nan)
    return _regional_mean(sd, population), worst


#: SD of a growth rate (a share per year) below which it is rounding noise, not variation
GROWTH_NOISE = 1e-12


def co_movement(growth: np.ndarray, cycle: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Correlation over years of each region's growth with the UK cycle's growth,
    population-weighted mean over regions.

    ``growth`` ``(..., G, R)``; ``cycle`` ``(G,)``; ``population`` ``(R,)``.  Per
    region only the years where both have a value count (at least three);
    a region whose growth does not vary (SD below :data:`GROWTH_NOISE`) has no
    correlation (NaN, left out).
    """
    cycle = np.broadcast_to(np.asarray(cycle, float)[:, None], growth.shape)
    both = ~np.isnan(growth) & ~np.isnan(cycle)
    n = both.sum(-2)
    x = np.where(both, growth, 0.0)
    y = np.where(both, cycle, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mx = x.sum(-2) / n
        my = y.sum(-2) / n
        dx = np.where(both, x - mx[..., None, :], 0.0)
        dy = np.where(both, y - my[..., None, :], 0.0)
        sxy, sxx, syy = (dx * dy).sum(-2), (dx * dx).sum(-2), (dy * dy).sum(-2)
        # a growth series whose SD is rounding noise (below GROWTH_NOISE, e.g. a UK
        # total summed in another region order) does not vary: no correlation
        floor = n * GROWTH_NOISE ** 2
        r = np.where((n >= 3) & (sxx > floor) & (syy > floor), sxy / np.sqrt(sxx * syy),
                     np.nan)
    return _regional_mean(r, population)


def equalisation(federation: Federation, tax: str) -> tuple[np.ndarray, np.ndarray]:
    """The tax fully devolved with a per-capita block grant adjustment, then the
    engine's ``gap_fill`` at rate 1 to the national average of capacity per head.

    Returns the centre's cost per year ``(Y,)`` in currency units (the gap below
    the average) and the population-weighted mean marginal equalisation rate
    per year ``(Y,)`` (:meth:`Result.marginal_equalisation_rates`).
    """
    system = System(devolution={tax: 1.0}, block_grant_adjustment="per_capita",
                    steps=[{"type": "gap_fill", "rate": 1.0,
                            "standard": {"kind": "national_average"}}])
    result = run(federation, system)
    cost = np.broadcast_to(result.state.centre_paid_by_steps, (len(federation.years),))
    rates = result.marginal_equalisation_rates()["marginal_equalisation_rate"].to_numpy()
    rates = rates.reshape(len(federation.years), federation.n_regions)
    return np.array(cost, float), _regional_mean(rates, federation.population)


# ------------------------------------------------------------------ ranking
#: Relative spread across taxes below which a criterion is a tie. The marginal
#: equalisation rates are finite-difference estimates whose noise reaches ~1e-9
#: relative (a different region order moved one by 4e-10), and the published inputs
#: carry 4-6 significant figures, so differences below a millionth mean nothing.
TIE = 1e-6


def normalise(values: np.ndarray, better: Sequence[Better]) -> np.ndarray:
    """Min-max scores in [0, 1] across taxes, 1 = most suitable.

    ``values`` ``(taxes, criteria)``; ``better`` per criterion.  NaN scores 0; a
    criterion equal for every tax (with a value; within :data:`TIE` relative) scores 1.
    """
    values = np.asarray(values, float)
    low, high = np.nanmin(np.where(np.isnan(values), np.inf, values), 0), \
        np.nanmax(np.where(np.isnan(values), -np.inf, values), 0)
    # a span within the precision of the values (TIE relative) is a tie: min-max would
    # blow its noise up to the whole 0-1 range
    span = high - low
    span = np.where(span > TIE * np.maximum(np.abs(low), np.abs(high)), span, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(span > 0, (values - low) / np.where(span > 0, span, 1.0), 1.0)
    lower = np.array([b == "lower" for b in better])
    scaled = np.where(lower & (span > 0), 1.0 - scaled, scaled)
    return np.where(np.isnan(values), 0.0, scaled)


def weighted_score(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``sum_k w_k s_k / sum_k w_k`` per tax; ``scores`` ``(taxes, criteria)``."""
    weights = np.asarray(weights, float)
    return scores @ weights / weights.sum()


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Default weights updated by ``weights``; each a finite number >= 0 (not a bool),
    at least one positive; an unknown criterion raises naming the known ones."""
    merged = dict(DEFAULT_WEIGHTS)
    for key, value in (weights or {}).items():
        if key not in CRITERION:
            raise ConfigurationError(f"unknown criterion {key!r} in weights; known: "
                                     f"{', '.join(CRITERION)}")
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) \
                or not np.isfinite(value) or value < 0:
            raise ConfigurationError(f"weight of {key!r} must be a finite number >= 0, got "
                                     f"{value!r}")
        merged[key] = float(value)
    if not any(w > 0 for w in merged.values()):
        raise ConfigurationError("at least one weight must be above 0")
    return merged


@dataclass(frozen=True, eq=False)
class Suitability:
    """The suitability table.

    ``values``: one row per tax, one column per criterion (raw values, units in
    :data:`CRITERIA`); ``scores``: the same normalised to [0, 1] (1 = most
    suitable); ``score`` the weighted mean and ``rank`` (1 = most suitable);
    ``cost_last_year_m``: the gap-fill cost in the last year, currency m.
    """

    federation: Federation
    values: pd.DataFrame
    scores: pd.DataFrame
    weights: dict[str, float]
    cost_last_year_m: pd.Series
    deflator_note: str
    cycle_note: str

    @property
    def years(self) -> tuple[str, ...]:
        return self.federation.years

    def with_weights(self, weights: Mapping[str, float] | None) -> "Suitability":
        """The same criteria ranked with other weights (nothing recomputed)."""
        return replace(self, weights=check_weights(weights))

    def table(self) -> pd.DataFrame:
        """Raw values with ``score`` and ``rank``, best first."""
        score = pd.Series(weighted_score(self.scores.to_numpy(),
                                         np.array([self.weights[c.key] for c in CRITERIA])),
                          index=self.scores.index)
        frame = self.values.assign(score=score)
        order = sorted(frame.index, key=lambda t: (-frame.loc[t, "score"], t))
        frame = frame.loc[order]
        frame["rank"] = np.arange(1, len(frame) + 1)
        return frame


def suitability(federation: Federation, *, weights: Mapping[str, float] | None = None,
                mobility: Mapping[str, float] | None = None,
                deflator: np.ndarray | None | Literal["auto"] = "auto",
                cycle: np.ndarray | None | Literal["auto"] = "auto") -> Suitability:
    """The suitability table of every tax family over the federation's years.

    Args:
        weights: criterion -> weight (>= 0; missing ones keep :data:`DEFAULT_WEIGHTS`).
        mobility: tax -> elasticity overriding :data:`MOBILITY`.
        deflator: ``(Y,)`` price index; ``"auto"``: the UK GVA deflator for UK
            data (:mod:`simulator.data.uk_national`), none otherwise; None:
            nominal growth.
        cycle: ``(Y,)`` UK money GDP (deflated like the taxes); ``"auto"``: CRPSF
            money GDP for UK data, else the federation's total revenue; None:
            the federation's total revenue.

    Raises:
        ConfigurationError: bad weights or elasticities, or fewer than 3 years
            (growth statistics need them).
    """
    weights = check_weights(weights)
    years = federation.years
    if len(years) < 3:
        raise ConfigurationError(f"the suitability table needs at least 3 years for the growth "
                                 f"criteria; got {len(years)} ({', '.join(years)})")
    uk = federation.name.startswith("uk")
    deflator_note = cycle_note = ""
    if isinstance(deflator, str) or isinstance(cycle, str):
        if uk:
            from ..data.uk_national import DEFLATOR_SOURCE, gdp_and_deflator

            gdp, index = gdp_and_deflator(years)
        if isinstance(deflator, str):
            deflator = index if uk else None
            deflator_note = DEFLATOR_SOURCE if uk else ""
        if isinstance(cycle, str):
            cycle = gdp if uk else None
            cycle_note = "UK money GDP (CRPSF FYE 2025 Table S11, BKTL)" if uk else ""
    if deflator is not None:
        deflator = np.asarray(deflator, float)
        missing = np.isnan(deflator).sum()
        deflator_note = deflator_note or "deflator given by the caller"
        if missing:
            deflator_note += (f"; no deflator for {missing} of {len(years)} years, so growth "
                              "statistics use the years with one")
    else:
        deflator_note = "none: nominal growth"
    revenue = np.moveaxis(np.asarray(federation.revenue), -2, 0)  # (T, Y, R)
    population = np.asarray(federation.population)
    if cycle is None:
        cycle = revenue.sum((0, -1))
        cycle_note = cycle_note or "the federation's total revenue"
    cycle_growth = real_growth(np.asarray(cycle, float)[:, None], deflator)[:, 0]
    mean_population = population.mean(0)
    elasticity = {t: MOBILITY[t].elasticity if t in MOBILITY else np.nan
                  for t in federation.taxes}
    for tax, value in (mobility or {}).items():
        if tax not in federation.taxes:
            raise ConfigurationError(f"mobility given for unknown tax {tax!r}; known: "
                                     f"{', '.join(federation.taxes)}")
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) \
                or not np.isfinite(value) or not 0 <= value <= 5:
            raise ConfigurationError(f"mobility of {tax!r} must be an elasticity 0..5, got "
                                     f"{value!r}")
        elasticity[tax] = float(value)

    columns: dict[str, np.ndarray] = {}
    columns["yield_share"] = yield_share(revenue, revenue.sum(0))
    columns["dispersion_cv"], columns["max_min_ratio"] = dispersion(revenue, population)
    growth = real_growth(revenue, deflator)                      # (T, Y-1, R)
    columns["volatility_sd"], columns["worst_year"] = volatility(growth, mean_population)
    columns["co_movement"] = co_movement(growth, cycle_growth, mean_population)
    cost, mer, last_cost = [], [], []
    for tax in federation.taxes:  # loop over taxes, never regions
        paid, rates = equalisation(federation, tax)
        raised = federation.tax_revenue(tax).sum(-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(raised > 0, paid / np.where(raised > 0, raised, 1.0), np.nan)
        cost.append(np.nanmean(share) if not np.isnan(share).all() else np.nan)
        mer.append(np.nanmean(rates) if not np.isnan(rates).all() else np.nan)
        last_cost.append(paid[-1] / 1e6)
    columns["equalisation_cost"] = np.array(cost)
    columns["marginal_equalisation"] = np.array(mer)
    columns["mobility"] = np.array([elasticity[t] for t in federation.taxes])
    columns["devolved"] = np.array([DEVOLVED_STATUS.get(t, 0.0) for t in federation.taxes])
    values = pd.DataFrame({c.key: columns[c.key] for c in CRITERIA},
                          index=pd.Index(federation.taxes, name="tax"))
    scores = pd.DataFrame(normalise(values.to_numpy(), [c.better for c in CRITERIA]),
                          index=values.index, columns=values.columns)
    return Suitability(federation=federation, values=values, scores=scores, weights=weights,
                       cost_last_year_m=pd.Series(last_cost, index=values.index),
                       deflator_note=deflator_note, cycle_note=cycle_note)
