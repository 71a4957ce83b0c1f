"""Identity's domain: users (and, later, organizations, tokens, API keys, audit events)."""
