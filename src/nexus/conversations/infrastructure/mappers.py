"""Conversations' mappers, registered with the generic mapper registry (enums stored as their
values; the message attribute `metadata_` is the column `metadata`)."""

from __future__ import annotations

from nexus.conversations.domain.conversations import Conversation, Message
from nexus.conversations.domain.jobs import IngestionJob
from nexus.conversations.infrastructure.records import (
    ConversationRecord,
    IngestionJobRecord,
    MessageRecord,
)
from nexus.persistence.mapper import register

conversation_mapper = register(Conversation, ConversationRecord)
message_mapper = register(Message, MessageRecord)
ingestion_job_mapper = register(IngestionJob, IngestionJobRecord)
