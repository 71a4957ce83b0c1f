"""Workspaces' domain: entities, the role table, the owner rule and the secret-cipher port."""
