"""Lab's application layer: commands, use cases, query ports and results."""
