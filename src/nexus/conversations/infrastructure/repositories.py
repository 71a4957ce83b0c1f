"""Conversations' repositories, written once for the SQL and in-memory adapters, and its unit of
work. Every repository is scoped by `workspace_id`: another workspace's id is NotFound."""

from __future__ import annotations

from collections.abc import Iterable

from nexus.conversations.domain.conversations import Conversation, ExportSource, Message
from nexus.conversations.domain.ids import ConversationId, IngestionJobId, MessageId
from nexus.conversations.domain.jobs import IngestionJob, JobStatus
from nexus.conversations.infrastructure.records import (
    conversation_mapper,
    ingestion_job_mapper,
    message_mapper,
)
from nexus.persistence.repository import ScopedRepository
from nexus.persistence.uow import UnitOfWork
from nexus.shared.ids import UserId, WorkspaceId


class ConversationRepository(ScopedRepository[Conversation, WorkspaceId, ConversationId]):
    mapper = conversation_mapper
    kind = "conversation"

    def imported(
        self,
        workspace_id: WorkspaceId,
        user_id: UserId,
        source: ExportSource,
        external_ids: Iterable[str],
    ) -> dict[str, Conversation]:
        found = self._in(
            "external_id",
            external_ids,
            workspace_id=workspace_id,
            user_id=user_id,
            external_source=source.value,
        )
        return {c.external_id: c for c in found if c.external_id is not None}


class MessageRepository(ScopedRepository[Message, WorkspaceId, MessageId]):
    mapper = message_mapper
    kind = "message"

    def in_conversations(
        self, workspace_id: WorkspaceId, conversation_ids: Iterable[ConversationId]
    ) -> list[Message]:
        return self._in("conversation_id", conversation_ids, workspace_id=workspace_id)


class IngestionJobRepository(ScopedRepository[IngestionJob, WorkspaceId, IngestionJobId]):
    mapper = ingestion_job_mapper
    kind = "ingestion job"

    def ingested(self, workspace_id: WorkspaceId, file_sha256: str) -> IngestionJob | None:
        return self._one(
            workspace_id=workspace_id,
            file_sha256=file_sha256,
            status=JobStatus.SUCCEEDED.value,
            cache_hit=False,
        )

    def running(
        self, workspace_id: WorkspaceId, user_id: UserId, file_sha256: str
    ) -> IngestionJob | None:
        found = self._many(
            ("-created_at", "-id"),
            1,
            workspace_id=workspace_id,
            user_id=user_id,
            file_sha256=file_sha256,
            status=JobStatus.RUNNING.value,
        )
        return found[0] if found else None


class ConversationsUnitOfWork(UnitOfWork):
    conversations: ConversationRepository
    messages: MessageRepository
    jobs: IngestionJobRepository
