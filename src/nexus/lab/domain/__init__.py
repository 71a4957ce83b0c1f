"""Lab's domain: instruments, session log rows, upload log rows and external user ids."""
