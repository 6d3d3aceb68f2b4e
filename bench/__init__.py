"""Benchmarks (run from the repository root; see README.md)."""
