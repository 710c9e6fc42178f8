"""Timing (timeit-style: warm-up, calls per run sized to the clock, median of runs),
peak memory (tracemalloc) and the machine the figures come from."""

from __future__ import annotations

import gc
import os
import platform
import statistics
import sys
import time
import timeit
import tracemalloc
from dataclasses import dataclass
from typing import Callable

__all__ = ["Timing", "time_call", "peak_memory", "machine", "fmt_seconds", "fmt_bytes"]


@dataclass(frozen=True)
class Timing:
    """Seconds per call: the median over ``len(runs)`` runs of ``number`` calls each."""

    median: float
    runs: tuple[float, ...]
    number: int
    warmup: int

    @property
    def spread(self) -> tuple[float, float]:
        return min(self.runs), max(self.runs)


def time_call(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1,
              min_run: float = 0.2, number: int | None = None, disable_gc: bool = True) -> Timing:
    """Time ``fn`` like :mod:`timeit`.

    ``warmup`` calls are made first and discarded (caches, page faults, lazy
    imports).  Unless ``number`` is given, each run makes enough calls to
    last about ``min_run`` seconds (at least one).  Garbage collection is off
    during the runs (as in :mod:`timeit`) unless ``disable_gc`` is False.
    """
    for _ in range(warmup):
        fn()
    timer = timeit.Timer(fn) if disable_gc else _GcTimer(fn)
    if number is None:
        single = timer.timeit(1)
        number = max(1, int(min_run / single)) if single > 0 else 1000
    runs = tuple(timer.timeit(number) / number for _ in range(max(1, repeat)))
    return Timing(median=statistics.median(runs), runs=runs, number=number, warmup=warmup)


class _GcTimer:
    """A timer that leaves the garbage collector as it is (for the app)."""

    def __init__(self, fn: Callable[[], object]):
        self.fn = fn

    def timeit(self, number: int) -> float:
        start = time.perf_counter()
        for _ in range(number):
            self.fn()
        return time.perf_counter() - start


def peak_memory(fn: Callable[[], object]) -> int:
    """Peak bytes allocated during one call of ``fn`` (tracemalloc, which numpy
    reports its array buffers to), above what was allocated before the call."""
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return max(0, peak - before)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_total() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _blas() -> str:
    import numpy as np

    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # pragma: no cover - older numpy
        return "unknown"


def machine() -> dict[str, str]:
    """CPU, cores, memory, Python and library versions, thread-count env vars."""
    import numpy as np
    import pandas as pd

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count() or 0
    try:
        import streamlit

        streamlit_version = streamlit.__version__
    except ImportError:  # pragma: no cover
        streamlit_version = "not installed"
    threads = {k: v for k, v in sorted(os.environ.items())
               if k.startswith(("OPENBLAS", "OMP_", "MKL_", "NUMEXPR_", "GOTO"))}
    return {
        "CPU": _cpu_model(),
        "cores": f"{os.cpu_count()} logical, {usable} usable by this process",
        "memory": _memory_total(),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": sys.version.split()[0],
        "numpy": f"{np.__version__} (BLAS: {_blas()})",
        "pandas": pd.__version__,
        "streamlit": streamlit_version,
        "thread env vars": ", ".join(f"{k}={v}" for k, v in threads.items())
        or "none set (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS unset)",
    }


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_bytes(size: int | None) -> str:
    if size is None:
        return "-"
    if size < 1024 ** 2:
        return f"{size / 1024:.0f} KiB"
    return f"{size / 1024 ** 2:.1f} MiB"
