"""Adapters of the conversations context (readers of chat-assistant data exports so far)."""
