"""Benchmarks: run by hand (make bench); they print figures, they are not tests."""
