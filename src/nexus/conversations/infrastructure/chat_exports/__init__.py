"""Readers of chat-assistant data exports (ChatGPT, Claude): detection, streaming, thread rules.

The importer calls `open_chat_export(path)` (or `read_chat_export(path)`) and iterates.
"""

from nexus.conversations.infrastructure.chat_exports.reader import (
    NOT_AN_EXPORT,
    ChatExport,
    ProgressCallback,
    ReadItem,
    open_chat_export,
    read_chat_export,
)
from nexus.conversations.infrastructure.chat_exports.values import (
    ConversationError,
    ExportSource,
    MessageRole,
    ParsedConversation,
    ParsedMessage,
)

__all__ = [
    "NOT_AN_EXPORT",
    "ChatExport",
    "ConversationError",
    "ExportSource",
    "MessageRole",
    "ParsedConversation",
    "ParsedMessage",
    "ProgressCallback",
    "ReadItem",
    "open_chat_export",
    "read_chat_export",
]
