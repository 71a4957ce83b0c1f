"""Workspaces' adapters: the AES-256-GCM secret cipher and its versioned key ring."""
