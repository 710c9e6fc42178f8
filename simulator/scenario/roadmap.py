"""Running a scenario's ``roadmap:``: each stage's system over every year of the run,
stitched by year (:mod:`simulator.over_time.roadmap`), with cumulative gains against no
change, the first year below the guarantee and Monte-Carlo risk bands; and the solver
for the fastest phase-in that keeps every region within X of no detriment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ..engine import Result
from ..errors import ConfigurationError, SimulatorError
from .errors import Problem, ScenarioError
from .schema import Roadmap, RoadmapStage, Scenario

__all__ = ["RoadmapResult", "run_roadmap", "stage_scenarios", "solve_roadmap", "describe_stage",
           "RoadmapSolution"]


def stage_scenarios(scenario: Scenario) -> list[Scenario]:
    """The scenario as it stands in each stage (stage 0: its own system), each without
    a roadmap: devolution merged, adjustment and steps replaced when a stage sets them."""
    if scenario.roadmap is None:
        return [scenario]
    current = scenario.model_copy(update={"roadmap": None})
    out = [current]
    for stage in scenario.roadmap.stages:
        update: dict[str, Any] = {"devolution": {**current.devolution, **stage.devolution}}
        if stage.block_grant_adjustment is not None:
            update["block_grant_adjustment"] = stage.block_grant_adjustment
        if stage.steps is not None:
            update["steps"] = list(stage.steps)
        current = current.model_copy(update=update)
        out.append(current)
    return out


@dataclass(frozen=True, eq=False)
class RoadmapResult:
    """A roadmap run. ``result`` is the stitched :class:`Result` (every table and metric
    of a run); ``stage`` ``(Y,)`` the stage in force each year; ``bands`` percentile
    bands of resources per head (None without draws)."""

    scenario: Scenario
    result: Result
    stage: np.ndarray
    bands: pd.DataFrame | None = None

    @property
    def years(self) -> tuple[str, ...]:
        return tuple(self.result.federation.years)

    def stages_table(self) -> pd.DataFrame:
        """Year, stage and what changes in it."""
        rows = []
        roadmap = self.scenario.roadmap
        for k, year in enumerate(self.years):
            s = int(self.stage[k])
            starts = k == 0 or self.stage[k - 1] != s
            rows.append({"year": year, "stage": s,
                         "change": describe_stage(roadmap.stages[s - 1]) if starts and s > 0 else
                         ("the scenario's own system" if k == 0 else "")})
        return pd.DataFrame(rows)

    def cumulative(self) -> pd.DataFrame:
        """Cumulative gain (+) or loss (-) against no change, currency m summed from the
        first year, by year and region."""
        from ..over_time.roadmap import cumulative_gain_by_year

        res, fed = self.result, self.result.federation
        gain = cumulative_gain_by_year(_yr(res.state.resources, fed), _yr(res.baseline.resources,
                                                                           fed)) / 1e6
        cur = fed.currency.lower()
        return pd.DataFrame({"year": np.repeat(fed.years, fed.n_regions),
                             "code": np.tile(fed.codes, len(fed.years)),
                             "region": np.tile(fed.names, len(fed.years)),
                             f"cumulative_gain_{cur}_m": gain.ravel()})

    def below_guarantee(self) -> pd.DataFrame:
        """Per region: the first year its resources per head fall below the guarantee share
        of no change (None if never), and its lowest ratio over the years."""
        from ..over_time.roadmap import first_year_below

        res, fed = self.result, self.result.federation
        after, before = _yr(res.state.resources, fed), _yr(res.baseline.resources, fed)
        guarantee = self.scenario.roadmap.guarantee
        first = first_year_below(after, before, guarantee)
        ratio = after / before
        return pd.DataFrame({"code": fed.codes, "region": fed.names,
                             "first_year_below": [fed.years[i] if i >= 0 else None
                                                  for i in first],
                             "lowest_share_of_no_change": ratio.min(axis=0),
                             "guarantee": guarantee})


def _yr(array, fed) -> np.ndarray:
    return np.broadcast_to(array, (len(fed.years), fed.n_regions))


def describe_stage(stage: RoadmapStage) -> str:
    """What a stage changes, in one line."""
    parts = []
    for tax, a in stage.devolution.items():
        parts.append(f"{tax} {a.share:.0%}" + (" with rate powers" if a.own_rate else
                                               " assigned"))
    if stage.block_grant_adjustment is not None:
        parts.append(f"block grant adjustment {stage.block_grant_adjustment}")
    if stage.steps is not None:
        parts.append("steps: " + (", ".join(_step_text(s) for s in stage.steps) or "none"))
    return "; ".join(parts) or "no change"


def _step_text(step) -> str:
    rate = getattr(step, "rate", None)
    return step.display_label + (f" (rate {rate:g})" if isinstance(rate, (int, float)) else "")


def _run(stage: Scenario) -> Result:
    from .running import run_scenario

    return run_scenario(stage)


def run_roadmap(scenario: Scenario) -> RoadmapResult:
    """Run every stage over every year of the run and stitch them by year.

    Raises:
        ScenarioError: a stage beyond the years of the run, or a stage that cannot run
            (named by its path ``roadmap.stages[i]``).
    """
    from ..over_time.roadmap import stage_of_year, stitch_states

    roadmap: Roadmap = scenario.roadmap
    stages = stage_scenarios(scenario)
    results = []
    for k, stage in enumerate(stages):
        try:
            results.append(_run(stage))
        except SimulatorError as error:
            if k == 0 or isinstance(error, ScenarioError):
                raise
            raise ScenarioError(Problem(f"this stage cannot run: {error}",
                                        path=f"roadmap.stages[{k - 1}]")) from None
    fed = results[0].federation
    n_years = len(fed.years)
    for i, stage in enumerate(roadmap.stages):
        if stage.year >= n_years:
            raise ScenarioError(Problem(
                f"year {stage.year} is beyond the run, which has years 0 ({fed.years[0]}) to "
                f"{n_years - 1} ({fed.years[-1]}); add years or a projection",
                path=f"roadmap.stages[{i}].year"))
    stage = stage_of_year(n_years, [s.year for s in roadmap.stages])
    state = stitch_states([r.state for r in results], stage)
    result = replace(results[-1], state=state, baseline=results[0].baseline)
    bands = _bands(scenario, stages, stage, fed) if roadmap.draws else None
    return RoadmapResult(scenario=scenario, result=result, stage=stage, bands=bands)


def _bands(scenario: Scenario, stages: list[Scenario], stage: np.ndarray, fed) -> pd.DataFrame:
    """Percentile bands of resources per head: the same draws for every stage, stitched."""
    from ..data import load_federation
    from ..over_time import ShockModel, monte_carlo, percentile_bands
    from ..over_time.roadmap import stitch_states
    from .running import _baseline_system

    observed = load_federation(scenario.dataset.name, **scenario.dataset.options)
    history = [y for y in observed.years if y <= fed.years[0]]
    try:  # shocks from the published years up to the first year of the run (or all)
        model = ShockModel.from_history(observed.select_years(
            history if len(history) >= 3 else list(observed.years)), by="total")
    except SimulatorError as error:
        raise ScenarioError(Problem(f"no shock model for the risk bands: {error}",
                                    path="roadmap.draws")) from None
    bga = None
    projection = scenario.projection
    if projection is not None and projection.block_grant_indexation != "static":
        from ..over_time import BGAIndexation

        bga = BGAIndexation(method=projection.block_grant_indexation, base_year=fed.years[0],
                            comparator=None if projection.comparator is None
                            else tuple(projection.comparator),
                            reset_every=projection.reset_every,
                            reset_share=projection.reset_share)
    runs = [monte_carlo(fed, s.to_system(), model, n_draws=scenario.roadmap.draws,
                        seed=scenario.roadmap.seed, start=1, bga=bga,
                        baseline=_baseline_system(s))
            for s in stages]
    state = stitch_states([r.state for r in runs], stage)
    cur = fed.currency.lower()
    return percentile_bands(state.resources / state.population, fed,
                            name=f"resources_per_head_{cur}")


# ------------------------------------------------------------------ solver
@dataclass(frozen=True)
class RoadmapSolution:
    """The fastest phase-in: ``phase`` (shares by year) and the roadmap that encodes it."""

    scenario: Scenario
    years: tuple[str, ...]
    phase: Any   # simulator.over_time.roadmap.PhaseIn

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"year": self.years, "share_of_reform": self.phase.shares})

    def roadmap_scenario(self) -> Scenario:
        """The scenario with a ``roadmap:`` stating the phase-in (its own devolution scaled
        by the share in force; year 0 at the first share)."""
        shares = self.phase.shares
        target = self.scenario.devolution

        def scaled(share: float) -> dict:
            return {tax: a.model_copy(update={"share": round(a.share * float(share), 12)})
                    for tax, a in target.items()}

        stages = [RoadmapStage(year=t, devolution=scaled(shares[t]))
                  for t in range(1, len(shares)) if shares[t] != shares[t - 1]]
        base = self.scenario.model_copy(update={"devolution": scaled(shares[0])})
        if not stages:
            return base
        return base.model_copy(update={"roadmap": Roadmap(stages=stages)})


def solve_roadmap(scenario: Scenario, tolerance: float, steps: int = 20) -> RoadmapSolution:
    """The fastest phase-in of the scenario's devolution (every devolved share times
    ``s_t``, steps unchanged) that keeps every region's resources at least ``1 -
    tolerance`` of no change in every year of the run; the first year (the jump-off
    year: today) keeps share 0, the phase-in starts the year after
    (:func:`simulator.over_time.roadmap.fastest_phase_in`)."""
    from ..over_time.roadmap import fastest_phase_in

    if scenario.roadmap is not None:
        raise ConfigurationError("solve_roadmap phases in a scenario's own devolution; this "
                                 "scenario already has a roadmap")
    years: list[tuple[str, ...]] = []

    def run_at(share: float):
        devolution = {tax: a.model_copy(update={"share": a.share * share})
                      for tax, a in scenario.devolution.items()}
        result = _run(scenario.model_copy(update={"devolution": devolution}))
        fed = result.federation
        years.append(tuple(fed.years))
        return _yr(result.state.resources, fed), _yr(result.baseline.resources, fed)

    phase = fastest_phase_in(run_at, tolerance, steps, start=1)
    return RoadmapSolution(scenario=scenario, years=years[0], phase=phase)
