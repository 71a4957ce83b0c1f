"""Knowledge's use cases, commands and results (none yet: the context is built in issue 14)."""
