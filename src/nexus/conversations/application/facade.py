"""`app.conversations`: the context's use cases. Each method is defined once, in the group
module named in its class (conversations, messages, jobs, imports)."""

from __future__ import annotations

from nexus.conversations.application.conversations import Conversations
from nexus.conversations.application.imports import Imports
from nexus.conversations.application.jobs import Jobs
from nexus.conversations.application.messages import Messages
from nexus.shared.arguments import checked_facade


@checked_facade
class ConversationsFacade(Conversations, Messages, Jobs, Imports):
    """Every conversations use case: `app.conversations.start_conversation(...)`,
    `app.conversations.import_chat_export(...)`."""
