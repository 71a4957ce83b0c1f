"""Adapters of the documents context: load-file readers and, later, persistence."""
