"""Benchmarks: `make bench`. Every figure is compared with a baseline measured in the same run."""
