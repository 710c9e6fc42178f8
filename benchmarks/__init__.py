"""Benchmarks of the engine, sweeps, Monte-Carlo runs and the app (``make bench``)."""
