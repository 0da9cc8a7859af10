"""Benchmarks (commands, not timed tests): figures are recorded in docs/PERFORMANCE.md."""
