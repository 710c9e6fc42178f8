"""Large sweeps and Monte-Carlo runs beyond one process: chunks on Dask.

Both paths (in process and on a ``dask.distributed`` cluster) run the same
chunk functions on the same chunks of the leading axis, so they give the same
numbers.  Monte-Carlo draws come in fixed blocks of :data:`DRAW_BLOCK` draws;
block ``b`` draws its random numbers from ``SeedSequence(seed,
spawn_key=(b,))`` (the ``b``-th child of ``SeedSequence(seed).spawn(...)``),
so a draw's numbers depend only on the seed and its block, never on how the
blocks are grouped into chunks or where a chunk runs.

>>> with dask_client() as client:                       # a LocalCluster
...     result = sweep(scenario, {"steps[0].rate": "0:1:100001"}, client=client)
...     draws = run_monte_carlo(federation, system, model, n_draws=20000, client=client)
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from ..engine import System
from ..errors import ConfigurationError
from ..federation import Federation
from .sweep import Progress, point_outputs

__all__ = ["DRAW_BLOCK", "dask_client", "map_chunks", "MonteCarloDraws", "run_monte_carlo",
           "block_seed"]

#: Draws per random-number block (chunks are whole numbers of blocks).
DRAW_BLOCK = 256


# ------------------------------------------------------------------ Dask plumbing
@contextlib.contextmanager
def dask_client(address: str | None = None, *, n_workers: int = 2, processes: bool = False,
                threads_per_worker: int = 1) -> Iterator[Any]:
    """A ``dask.distributed.Client``: to the scheduler at ``address``, or to a new
    ``LocalCluster`` (``n_workers`` workers, threads by default) closed on exit.

    Raises:
        ConfigurationError: Dask is not installed, or the scheduler cannot be reached.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ConfigurationError("Dask is not installed; install it with "
                                 "pip install 'fiscalsim[dask]'") from None
    if address:
        try:
            client = Client(address, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise ConfigurationError(f"cannot reach the Dask scheduler at {address}: "
                                     f"{error}") from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=n_workers, processes=processes,
                           threads_per_worker=threads_per_worker, dashboard_address=None,
                           scheduler_kwargs={"dashboard_address": ":0"})  # no fixed port
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def map_chunks(function: Callable[[Any, Any], Any], shared: Any, chunks: Sequence[Any], client: Any,
               *, progress: Progress | None = None, sizes: Sequence[int] | None = None) -> list:
    """``[function(shared, chunk) for chunk in chunks]`` on a Dask ``client``, in order.

    ``shared`` is sent to the workers once; ``progress(done, total)`` is called
    as chunks finish (``sizes`` = points per chunk, default 1 each).
    """
    from dask.distributed import as_completed

    sizes = list(sizes) if sizes is not None else [1] * len(chunks)
    total = sum(sizes)
    handle = client.scatter(shared, broadcast=True, hash=False)
    futures = [client.submit(function, handle, chunk, pure=False) for chunk in chunks]
    position = {future.key: i for i, future in enumerate(futures)}
    done = 0
    for future in as_completed(futures):
        if future.status == "error":
            future.result()  # raises the worker's exception here
        done += sizes[position[future.key]]
        if progress is not None:
            progress(done, total)
    return client.gather(futures)


# ------------------------------------------------------------------ Monte-Carlo
def block_seed(seed: int, block: int) -> np.random.SeedSequence:
    """The seed of draw block ``block``: ``SeedSequence(seed).spawn(...)[block]``."""
    return np.random.SeedSequence(entropy=seed, spawn_key=(block,))


def _federation_fields(federation: Federation) -> dict[str, Any]:
    """A federation as plain, picklable fields (its mappings are read-only proxies)."""
    return {"name": federation.name, "codes": federation.codes, "names": federation.names,
            "nations": federation.nations, "years": federation.years,
            "population": np.asarray(federation.population), "taxes": federation.taxes,
            "revenue": np.asarray(federation.revenue),
            "tax_base": {k: np.asarray(v) for k, v in federation.tax_base.items()},
            "indicators": {k: np.asarray(v) for k, v in federation.indicators.items()},
            "units": dict(federation.units), "currency": federation.currency,
            "source": federation.source}


@dataclass(frozen=True, eq=False)
class _MonteCarloPlan:
    """Everything a chunk of draws needs; picklable (sent once to each worker)."""

    federation_fields: Mapping[str, Any]
    system: System
    baseline: System
    model: Any                      # over_time.monte_carlo.ShockModel
    seed: int
    n_draws: int
    scale: float
    start: int
    bga: Any

    @cached_property
    def federation(self) -> Federation:
        return Federation(**self.federation_fields)

    def run(self, blocks: tuple[int, int]) -> dict[str, np.ndarray]:
        """Outputs of the draws in blocks ``[first, stop)``: one engine call."""
        from ..over_time.monte_carlo import shocked_inputs
        from ..over_time.settlement import simulate_over_time

        fed = self.federation
        first, stop = blocks
        shocks = []
        for block in range(first, stop):  # random numbers per block, engine once per chunk
            size = min(DRAW_BLOCK, self.n_draws - block * DRAW_BLOCK)
            rng = np.random.default_rng(block_seed(self.seed, block))
            shocks.append(self.model.draw(size, len(fed.years), rng, scale=self.scale,
                                          start=self.start))
        shocks = np.concatenate(shocks, axis=0)
        inputs = shocked_inputs(fed, shocks)
        state = simulate_over_time(inputs, self.system, fed.years, self.bga)
        baseline = simulate_over_time(inputs, self.baseline, fed.years, None)
        outputs = point_outputs(state, baseline)
        outputs["change_per_head"] = (state.resources - baseline.resources) / state.population
        return {key: np.ascontiguousarray(value) for key, value in outputs.items()}


def _run_blocks(plan: _MonteCarloPlan, blocks: tuple[int, int]) -> dict[str, np.ndarray]:
    return plan.run(blocks)


@dataclass(frozen=True, eq=False)
class MonteCarloDraws:
    """Per-draw outputs of a chunked Monte-Carlo run (draws first).

    ``outputs``: ``resources_per_head`` and ``change_per_head`` ``(D, Y, R)``;
    ``gini``, ``theil``, ``cv``, ``max_min_ratio``, ``min_index``,
    ``cost_to_centre`` (currency units, against the baseline),
    ``paid_by_centre``, ``horizontal_flows`` ``(D, Y)``.
    """

    federation: Federation
    seed: int
    n_draws: int
    outputs: Mapping[str, np.ndarray] = field(repr=False)

    def bands(self, measure: str = "resources_per_head",
              percentiles: Sequence[float] = (5.0, 25.0, 50.0, 75.0, 95.0)) -> pd.DataFrame:
        """Percentile bands of a per-region measure by year and region (tidy)."""
        from ..over_time.monte_carlo import percentile_bands

        if measure not in ("resources_per_head", "change_per_head"):
            raise ConfigurationError(f"unknown measure {measure!r}; known: resources_per_head, "
                                     "change_per_head")
        cur = self.federation.currency.lower()
        return percentile_bands(self.outputs[measure], self.federation, percentiles,
                                name=f"{measure}_{cur}")

    def metric_bands(self, metric: str = "gini",
                     percentiles: Sequence[float] = (5.0, 25.0, 50.0, 75.0, 95.0)) -> pd.DataFrame:
        """Percentiles of a system metric over the draws: one row per year."""
        values = np.asarray(self.outputs[metric], float)
        bands = np.percentile(values, percentiles, axis=0)          # (P, Y)
        frame = pd.DataFrame(bands.T, columns=[f"p{p:g}" for p in percentiles])
        frame.insert(0, "year", list(self.federation.years))
        return frame


def run_monte_carlo(federation: Federation, system: System, model: Any, *, n_draws: int = 1000,
                    seed: int | None = 0, scale: float = 1.0, start: int = 0, bga: Any = None,
                    baseline: System | None = None, chunk_size: int | None = None,
                    client: Any = None, progress: Progress | None = None) -> MonteCarloDraws:
    """Run ``system`` on ``n_draws`` shocked copies of ``federation``, chunk by chunk.

    As :func:`simulator.over_time.monte_carlo.monte_carlo` (same shock model,
    ``scale``, ``start``, ``bga`` and ``baseline``), but random numbers are
    drawn per block of :data:`DRAW_BLOCK` draws from seeds spawned from
    ``seed``, and chunks (``chunk_size`` draws, rounded up to whole blocks) may
    run on a Dask ``client``: the same seed gives bitwise the same draws and
    results whatever the chunking and wherever they run.  ``seed=None`` takes
    fresh entropy (recorded in the result's ``seed``).
    """
    if n_draws < 1:
        raise ConfigurationError(f"n_draws must be at least 1 (got {n_draws})")
    if model.codes != federation.codes:
        raise ConfigurationError("the shock model was estimated on other regions")
    if model.by == "tax" and model.taxes != federation.taxes:
        raise ConfigurationError("the shock model was estimated on other tax families")
    if scale < 0:
        raise ConfigurationError(f"shock scale must be >= 0 (got {scale})")
    if not 0 <= start <= len(federation.years):
        raise ConfigurationError(f"shock start {start} is outside the {len(federation.years)} years")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)
    if baseline is None:
        baseline = System(block_grant=system.block_grant, need_index=system.need_index)
    n_blocks = -(-n_draws // DRAW_BLOCK)
    per_draw = len(federation.years) * federation.n_regions * (len(federation.taxes) + 24)
    if chunk_size is None:
        chunk_size = max(DRAW_BLOCK, 4_000_000 // per_draw)
    if chunk_size < 1:
        raise ConfigurationError(f"chunk size must be at least 1 (got {chunk_size})")
    blocks_per_chunk = max(1, -(-int(chunk_size) // DRAW_BLOCK))
    chunks = [(b, min(b + blocks_per_chunk, n_blocks)) for b in range(0, n_blocks, blocks_per_chunk)]
    sizes = [min(stop * DRAW_BLOCK, n_draws) - first * DRAW_BLOCK for first, stop in chunks]
    plan = _MonteCarloPlan(federation_fields=_federation_fields(federation), system=system,
                           baseline=baseline, model=model, seed=int(seed), n_draws=n_draws,
                           scale=float(scale), start=int(start), bga=bga)
    if client is not None:
        parts = map_chunks(_run_blocks, plan, chunks, client, progress=progress, sizes=sizes)
    else:
        parts, done = [], 0
        for chunk, size in zip(chunks, sizes):
            parts.append(plan.run(chunk))
            done += size
            if progress is not None:
                progress(done, n_draws)
    outputs = {key: np.concatenate([p[key] for p in parts], axis=0) for key in parts[0]}
    return MonteCarloDraws(federation=federation, seed=int(seed), n_draws=n_draws, outputs=outputs)
