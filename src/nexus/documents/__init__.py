"""Documents context: cases, exhibits and the load-file loader (issue 12)."""
