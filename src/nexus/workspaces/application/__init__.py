"""Workspaces' application layer: use cases come with the tenant-scoped repositories."""
