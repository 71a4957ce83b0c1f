"""Workspaces: the tenant root, its members and roles, servers, providers, agents, secrets."""
