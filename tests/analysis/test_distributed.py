"""Dask: chunked sweeps and Monte-Carlo runs equal the in-process run for the same seed."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("dask.distributed")

from simulator.analysis import DRAW_BLOCK, dask_client, run_monte_carlo, sweep  # noqa: E402
from simulator.analysis.distributed import block_seed  # noqa: E402
from simulator.data import load_federation  # noqa: E402
from simulator.errors import ConfigurationError  # noqa: E402
from simulator.over_time.monte_carlo import ShockModel  # noqa: E402

GRID = {"steps[0].floor_index": "50:80:31", "steps[1].share": "0:1:11"}


def assert_identical(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert np.array_equal(a[key], b[key], equal_nan=True), key


@pytest.fixture(scope="module")
def client():
    with dask_client(n_workers=2, processes=False) as c:
        yield c


@pytest.fixture(scope="module")
def monte_carlo_inputs(library):
    federation = load_federation("uk_itl1", north_sea="geographic")
    model = ShockModel.from_history(federation.select_years(list(federation.years[-11:])))
    return federation.select_years(list(federation.years[-3:])), library[
        "income_tax_gap_fill_75"].to_system(), model


def test_sweep_on_a_local_cluster_equals_in_process(library, client):
    scenario = library["swiss_minimum_guarantee"]
    local = sweep(scenario, GRID)
    seen = []
    remote = sweep(scenario, GRID, client=client, chunk_size=50,
                   progress=lambda done, total: seen.append(done))
    assert_identical(local.outputs, remote.outputs)
    assert sorted(seen) == seen and seen[-1] == 341 and len(seen) == 7


def test_monte_carlo_chunking_does_not_change_results(monte_carlo_inputs):
    federation, system, model = monte_carlo_inputs
    n = 2 * DRAW_BLOCK + 77  # a partial last block
    one = run_monte_carlo(federation, system, model, n_draws=n, seed=11, chunk_size=10_000)
    blocks = run_monte_carlo(federation, system, model, n_draws=n, seed=11, chunk_size=1)
    assert_identical(one.outputs, blocks.outputs)
    assert one.outputs["resources_per_head"].shape == (n, 3, 12)
    other = run_monte_carlo(federation, system, model, n_draws=n, seed=12)
    assert not np.array_equal(one.outputs["gini"], other.outputs["gini"])
    # the draws vary, and the median path is near the unshocked run
    assert one.outputs["gini"].std(axis=0)[-1] > 0
    bands = one.bands()
    assert len(bands) == 5 * 3 * 12 and set(bands["percentile"]) == {5, 25, 50, 75, 95}


def test_monte_carlo_on_a_local_cluster_equals_in_process(monte_carlo_inputs, client):
    federation, system, model = monte_carlo_inputs
    n = 3 * DRAW_BLOCK + 5
    local = run_monte_carlo(federation, system, model, n_draws=n, seed=2024)
    remote = run_monte_carlo(federation, system, model, n_draws=n, seed=2024,
                             chunk_size=DRAW_BLOCK, client=client)
    assert_identical(local.outputs, remote.outputs)


def test_worker_processes_rebuild_the_work_from_pickles(library, monte_carlo_inputs):
    """A process-based cluster (as a remote scheduler would be): everything crosses as pickles."""
    federation, system, model = monte_carlo_inputs
    scenario = library["income_tax_gap_fill_75"]
    grid = {"steps[0].rate": "0:1:101"}
    with dask_client(n_workers=1, processes=True) as client:
        remote_sweep = sweep(scenario, grid, client=client, chunk_size=40)
        remote_draws = run_monte_carlo(federation, system, model, n_draws=300, seed=5,
                                       client=client)
    assert_identical(sweep(scenario, grid).outputs, remote_sweep.outputs)
    assert_identical(run_monte_carlo(federation, system, model, n_draws=300, seed=5).outputs,
                     remote_draws.outputs)


def test_block_seeds_are_the_spawned_children():
    children = np.random.SeedSequence(99).spawn(4)
    for b, child in enumerate(children):
        assert np.array_equal(block_seed(99, b).generate_state(4), child.generate_state(4))


def test_an_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(ConfigurationError, match="cannot reach the Dask scheduler"):
        with dask_client("tcp://127.0.0.1:9"):
            pass


def test_cli_sweep_on_dask(library, capsys, tmp_path):
    import pandas as pd

    from simulator.cli import main

    out = tmp_path / "points.csv"
    code = main(["sweep", "income_tax_gap_fill_75", "--param", "steps[0].rate=0:1:21",
                 "--dask", "--chunk-size", "5", "--out", str(out)])
    stdout, _ = capsys.readouterr()
    assert code == 0 and "21 points" in stdout
    local = sweep(library["income_tax_gap_fill_75"], {"steps[0].rate": "0:1:21"}).points()
    written = pd.read_csv(out)
    np.testing.assert_allclose(written["gini"], local["gini"], rtol=1e-15)
    np.testing.assert_allclose(written["cost_to_centre_gbp_m"], local["cost_to_centre_gbp_m"],
                               rtol=1e-15)
