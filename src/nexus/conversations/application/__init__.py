"""Conversations: use cases and their ports."""
