"""Benchmarks and the scale-data generator (see bench/README.md)."""
