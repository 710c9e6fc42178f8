"""Fiscal settlements over time: block grant adjustments, Barnett, business
rates retention, projections, lags, transitions and risk.

Every function works on arrays with years on axis -2 and regions on the last
axis; Monte-Carlo draws are further leading axes.  See ``docs/over_time.md``.
"""

from .barnett import (
    WALES_FLOOR, WALES_NEEDS_FACTOR, BarnettPath, barnett_consequential, barnett_path,
    wales_needs_factor,
)
from .block_grant_adjustment import (
    BGA_METHODS, BGAMethod, block_grant_adjustment, compare_methods, compare_methods_frame,
    comparable_model, comparator_totals, cumulative_gain, gain_against_centre, indexed_deduction,
    indexed_per_capita, levels_deduction,
)
from .business_rates import (
    LEVY_RATE_CAP, LOCAL_SHARE_2013, SAFETY_NET_THRESHOLD, BusinessRatesResult,
    business_rates_retention, levy_rate,
)
from .lagging import (
    CANADA_LAG, CANADA_WEIGHTS, SWITZERLAND_LAG, SWITZERLAND_WEIGHTS, lag_average, lag_federation,
)
from .monte_carlo import (
    DEFAULT_PERCENTILES, MonteCarloResult, ShockModel, monte_carlo, percentile_bands,
    shocked_inputs,
)
from .projection import (
    Trends, estimate_trends, log_linear_slope, next_year, project_federation, year_range,
)
from .reconciliation import (
    Reconciliation, apply_reconciliations, reconcile, scotland_income_tax_2022_23,
)
from .risk import absorbed_share, absorption_by_component, own_shock_runs, volatility
from .settlement import (
    BGAIndexation, run_over_time, simulate_over_time, with_behavioural_response,
)
from .transition import (
    last_reset_index, phase_in, phase_in_weights, reset_schedule, with_transition,
)

__all__ = [
    "WALES_FLOOR", "WALES_NEEDS_FACTOR", "BarnettPath", "barnett_consequential", "barnett_path",
    "wales_needs_factor",
    "BGA_METHODS", "BGAMethod", "block_grant_adjustment", "compare_methods",
    "compare_methods_frame", "comparable_model", "comparator_totals", "cumulative_gain",
    "gain_against_centre", "indexed_deduction", "indexed_per_capita", "levels_deduction",
    "LEVY_RATE_CAP", "LOCAL_SHARE_2013", "SAFETY_NET_THRESHOLD", "BusinessRatesResult",
    "business_rates_retention", "levy_rate",
    "CANADA_LAG", "CANADA_WEIGHTS", "SWITZERLAND_LAG", "SWITZERLAND_WEIGHTS", "lag_average",
    "lag_federation",
    "DEFAULT_PERCENTILES", "MonteCarloResult", "ShockModel", "monte_carlo", "percentile_bands",
    "shocked_inputs", "absorbed_share", "absorption_by_component", "own_shock_runs", "volatility",
    "Trends", "estimate_trends", "log_linear_slope", "next_year", "project_federation",
    "year_range",
    "Reconciliation", "apply_reconciliations", "reconcile", "scotland_income_tax_2022_23",
    "BGAIndexation", "run_over_time", "simulate_over_time", "with_behavioural_response",
    "last_reset_index", "phase_in", "phase_in_weights", "reset_schedule", "with_transition",
]
