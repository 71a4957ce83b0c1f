"""What conversations' use cases return: frozen values, never ORM records."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import attrs

from nexus.shared.results import Result


@attrs.frozen(kw_only=True)
class ConversationResult(Result):
    id: uuid.UUID
    workspace_id: uuid.UUID
    user_id: uuid.UUID
    title: str
    agent: str
    pinned: bool
    archived: bool
    message_count: int
    external_source: str | None
    external_id: str | None
    created_at: datetime
    updated_at: datetime


@attrs.frozen(kw_only=True)
class MessageResult(Result):
    id: uuid.UUID
    conversation_id: uuid.UUID
    position: int
    role: str
    content: str
    agent: str | None
    metadata: dict[str, Any]
    external_id: str | None
    created_at: datetime


@attrs.frozen(kw_only=True)
class JobResult(Result):
    id: uuid.UUID
    workspace_id: uuid.UUID
    conversation_id: uuid.UUID | None
    user_id: uuid.UUID
    source_type: str
    source_path: str
    embedding_model: str
    embedding_dimension: int
    status: str
    progress: int
    cache_hit: bool
    file_sha256: str | None
    collection_name: str | None
    chunks_count: int | None
    error_code: str | None
    error_message: str | None
    attempt: int
    max_attempts: int
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@attrs.frozen(kw_only=True)
class SkippedConversation(Result):
    """A conversation of the export that was not imported: its index and why."""

    index: int
    external_id: str | None
    reason: str


@attrs.frozen(kw_only=True)
class ImportResult(Result):
    """What an import did: counts, the conversations it could not read, and its job."""

    job: JobResult
    source: str | None
    conversations_read: int
    conversations_added: int
    conversations_updated: int
    messages_added: int
    errors: tuple[SkippedConversation, ...]
