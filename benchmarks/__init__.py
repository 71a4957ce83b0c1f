"""nexus benchmarks: each compares the product's path with a raw baseline in the same run."""
