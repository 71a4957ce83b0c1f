"""Conversations: the domain (conversations, messages, ingestion jobs)."""
