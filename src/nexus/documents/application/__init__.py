"""Documents use cases (built in part 1 of issue 12)."""
