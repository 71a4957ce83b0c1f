"""Documents domain: the case model (built in part 1 of issue 12)."""
