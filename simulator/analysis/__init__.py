"""Policy analysis: parameter sweeps, solving for targets, the annual report, Dask.

>>> from simulator.analysis import sweep, solve_min_share, build_report
"""

from .sweep import METRICS, Evaluator, Parameter, SweepResult, grid_values, parse_parameter, sweep

__all__ = ["sweep", "SweepResult", "Parameter", "parse_parameter", "grid_values", "Evaluator",
           "METRICS"]
