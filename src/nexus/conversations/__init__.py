"""The conversations context: conversations, messages, ingestion jobs and chat-export import."""
