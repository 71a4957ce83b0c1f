"""Conversations' typed ids (WorkspaceId and UserId live in the shared kernel); all UUIDv7."""

from __future__ import annotations

import uuid
from typing import NewType

from nexus.shared.ids import new_id

ConversationId = NewType("ConversationId", uuid.UUID)
MessageId = NewType("MessageId", uuid.UUID)
IngestionJobId = NewType("IngestionJobId", uuid.UUID)


def new_conversation_id() -> ConversationId:
    return ConversationId(new_id())


def new_message_id() -> MessageId:
    return MessageId(new_id())


def new_ingestion_job_id() -> IngestionJobId:
    return IngestionJobId(new_id())
