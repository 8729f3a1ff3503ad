"""Benchmarks (`make bench`): realistic seeded data, both engines, ratios against baselines
measured in the same run. Results are printed and written to bench/results/."""
