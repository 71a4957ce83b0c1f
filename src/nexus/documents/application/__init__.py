"""The documents context's use cases, ports and results."""
