"""Knowledge's entities and ports (none yet: the context is built in issue 14)."""
