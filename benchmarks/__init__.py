"""Benchmarks of the build: a synthetic corpus, timed builds, raw extraction throughput, DuckDB at scale.

Run with one command (see docs/BENCHMARKS.md, which it writes):

    .venv/bin/python -m benchmarks.run --sizes 100 1000 10000

Nothing here is imported by the pipeline or by the tests' timed path.
"""
