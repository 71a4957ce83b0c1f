"""Conversations' use cases (`app.conversations`), ports and results."""
