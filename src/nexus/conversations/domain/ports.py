"""Conversations' repository ports (Protocols); the adapters are written once for SQL and memory."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from nexus.conversations.domain.conversations import (
    Conversation,
    ExportSource,
    Message,
    NewMessage,
)
from nexus.conversations.domain.ids import ConversationId, IngestionJobId
from nexus.conversations.domain.jobs import IngestionJob
from nexus.shared.ids import UserId, WorkspaceId


class ConversationRepository(Protocol):
    def add(self, conversation: Conversation) -> None: ...
    def add_many(self, conversations: Iterable[Conversation]) -> None: ...
    def update(self, conversation: Conversation) -> None: ...
    def get(self, workspace_id: WorkspaceId, conversation_id: ConversationId) -> Conversation: ...
    def find(
        self, workspace_id: WorkspaceId, conversation_id: ConversationId
    ) -> Conversation | None: ...
    def remove(self, workspace_id: WorkspaceId, conversation_id: ConversationId) -> None: ...
    def imported(
        self,
        workspace_id: WorkspaceId,
        user_id: UserId,
        source: ExportSource,
        external_ids: Iterable[str],
    ) -> dict[str, Conversation]:
        """external id -> the conversation imported with it (one statement per 500 ids)."""
        ...


class MessageRepository(Protocol):
    def add(self, message: Message) -> None: ...
    def add_many(self, messages: Iterable[Message]) -> None: ...
    def add_imported(self, workspace_id: WorkspaceId, messages: Sequence[NewMessage]) -> None:
        """An import's new messages, checked by `imported_message` (one executemany)."""
        ...

    def in_conversations(
        self, workspace_id: WorkspaceId, conversation_ids: Iterable[ConversationId]
    ) -> Sequence[Message]:
        """Every message of these conversations (a batch finder)."""
        ...


class IngestionJobRepository(Protocol):
    def add(self, job: IngestionJob) -> None: ...
    def update(self, job: IngestionJob) -> None: ...
    def get(self, workspace_id: WorkspaceId, job_id: IngestionJobId) -> IngestionJob: ...
    def find(self, workspace_id: WorkspaceId, job_id: IngestionJobId) -> IngestionJob | None: ...
    def ingested(self, workspace_id: WorkspaceId, file_sha256: str) -> IngestionJob | None:
        """A succeeded job that read the file with this digest in the workspace, if any."""
        ...

    def running(
        self, workspace_id: WorkspaceId, user_id: UserId, file_sha256: str
    ) -> IngestionJob | None:
        """The newest running job of this user reading the file with this digest, if any."""
        ...
