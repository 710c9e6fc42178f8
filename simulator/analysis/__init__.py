"""Policy analysis: parameter sweeps, solving for targets, the annual report, Dask.

>>> from simulator.analysis import sweep, solve_min_share, build_report
>>> sweep(scenario, {"steps[0].rate": "0:1:101"}).points()
>>> solve_min_share(scenario, 0.9).reason
>>> html = build_report(scenario)

``sweep`` evaluates a grid on a leading axis of the engine; ``solve_*`` and
``best_for_budget`` return a :class:`SolveResult`; :mod:`.distributed` runs
chunks of sweeps and Monte-Carlo draws on Dask with the in-process results.
"""

from .distributed import DRAW_BLOCK, MonteCarloDraws, dask_client, run_monte_carlo
from .report import DEFAULT_BENCHMARKS, Benchmark, benchmark_table, build_report
from .solve import (Option, SolveResult, best_for_budget, default_options, solve_min_share,
                    solve_self_financing)
from .sweep import METRICS, Evaluator, Parameter, SweepResult, grid_values, parse_parameter, sweep

__all__ = ["sweep", "SweepResult", "Parameter", "parse_parameter", "grid_values", "Evaluator",
           "METRICS", "SolveResult", "Option", "solve_min_share", "solve_self_financing",
           "best_for_budget", "default_options", "build_report", "Benchmark",
           "DEFAULT_BENCHMARKS", "benchmark_table", "run_monte_carlo", "MonteCarloDraws",
           "dask_client", "DRAW_BLOCK"]
