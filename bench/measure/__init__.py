"""Measurements on benchmark data built by `bench.build` (run as `python -m bench.measure.NAME`)."""
