"""Benchmark case (n): the needs model (simulator.needs) on prepared inputs.

Times the representative expenditure assessment of the 12 ITL1 nations and
regions (10 categories x 8 factors) on prepared inputs, the engine's need step
(target < 5 ms), and gives the 296 English authorities' model (3 blocks x 6
factors) as context.  The loop reference computes the same assessed spending
with plain Python loops over regions, categories and factors.
"""

from __future__ import annotations

import numpy as np

from .cases import CaseResult, Config, _profile, _time_reference
from .timing import peak_memory, time_call


def loop_assessment(population, drivers, standard, weights) -> list[list[float]]:
    """Assessed spending per head [category][region], plain Python (the formula of
    simulator.needs.model, one number at a time)."""
    F, R = len(drivers), len(population)
    total = sum(population)
    means = [sum(drivers[f][i] * population[i] for i in range(R)) / total for f in range(F)]
    out = []
    for c, s in enumerate(standard):
        row = []
        for i in range(R):
            value = 1.0
            for f in range(F):
                ratio = drivers[f][i] / means[f] if means[f] > 0 else 1.0
                value += weights[c][f] * (ratio - 1.0)
            row.append(s * value)
        out.append(row)
    return out


def case_needs(config: Config) -> CaseResult:
    from simulator.needs import assess_itl1, prepare
    from simulator.needs.england_la import assess_england_la, prepare as prepare_la
    from simulator.needs.factors import weights_array

    prepared = prepare()
    weights = weights_array(prepared.categories, prepared.factors)
    la = prepare_la()

    def engine():
        return assess_itl1(weights=weights, prepared=prepared)

    repeat = config.repeat if not config.quick else 1
    timing = time_call(engine, repeat=repeat, min_run=0.2 if not config.quick else 0.0)
    peak = peak_memory(engine)
    la_timing = time_call(lambda: assess_england_la(prepared=la), repeat=repeat,
                          min_run=0.2 if not config.quick else 0.0)
    args = (prepared.population.tolist(), prepared.drivers.tolist(), prepared.standard.tolist(),
            weights.tolist())
    reference_seconds = _time_reference(lambda: loop_assessment(*args), config)
    loop = np.array(loop_assessment(*args))
    ours = engine().assessed
    agreement = float(np.max(np.abs(ours - loop) / np.abs(loop).max(axis=-1, keepdims=True)))
    result = CaseResult(
        key="n", title="needs model: representative expenditure assessment (ITL1)",
        size=f"{len(prepared.codes)} regions x {len(prepared.categories)} categories x "
             f"{len(prepared.factors)} factors; prepared inputs (packaged data read once)",
        timed="simulator.needs.assess_itl1(prepared=...): ratios, contributions, assessed spending",
        target=0.005, engine=timing, peak_bytes=peak,
        context=[(f"296 English authorities x 3 blocks x 6 factors (assess_england_la)",
                  la_timing.median)],
        reference_measured=reference_seconds, reference_note="the same assessment, Python loops",
        agreement=agreement, cells_checked=ours.size)
    if config.profile:
        result.profile = _profile(engine, 100 if not config.quick else 1)
    return result
