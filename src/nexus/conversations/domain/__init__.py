"""Conversations' domain: conversations, messages, ingestion jobs and their rules."""
