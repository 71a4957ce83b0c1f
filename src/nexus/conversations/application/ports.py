"""The ports conversations' use cases depend on: the unit of work, the read side, the reader of
chat-assistant exports, and what they need from workspaces (`WorkspaceAccess`), implemented by
the composition root (`nexus.links`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from nexus.conversations.application.results import (
    ConversationResult,
    JobResult,
    MessageResult,
)
from nexus.conversations.domain.ids import ConversationId
from nexus.conversations.domain.ports import (
    ConversationRepository,
    IngestionJobRepository,
    MessageRepository,
)
from nexus.shared.ids import UserId, WorkspaceId
from nexus.shared.uow import UnitOfWork


class ConversationsUnitOfWork(UnitOfWork, Protocol):
    """The repositories a unit of work opens (read-only, so adapters may narrow them)."""

    @property
    def conversations(self) -> ConversationRepository: ...

    @property
    def messages(self) -> MessageRepository: ...

    @property
    def jobs(self) -> IngestionJobRepository: ...

    def refresh_statistics(self) -> None:
        """After an import's batch: let the database count the conversations again when their
        table grew much since it last did, so the plans of the batches that follow (a
        message's foreign-key check) are made for the table as it is."""
        ...


ConversationsUnitOfWorkFactory = Callable[[], ConversationsUnitOfWork]


class ConversationsQueries(Protocol):
    """Lists, written once for both adapters; every one takes the workspace."""

    def recent_conversations(
        self,
        workspace_id: WorkspaceId,
        user_id: UserId | None,
        *,
        include_archived: bool,
        limit: int,
        offset: int,
    ) -> list[ConversationResult]: ...

    def count_conversations(
        self, workspace_id: WorkspaceId, user_id: UserId | None, *, include_archived: bool
    ) -> int: ...

    def count_jobs(self, workspace_id: WorkspaceId, user_id: UserId | None) -> int: ...

    def search_conversations(
        self, workspace_id: WorkspaceId, user_id: UserId | None, words: str, limit: int
    ) -> list[ConversationResult]: ...

    def messages(
        self, workspace_id: WorkspaceId, conversation_id: ConversationId, limit: int, offset: int
    ) -> list[MessageResult]: ...

    def jobs(
        self, workspace_id: WorkspaceId, user_id: UserId | None, limit: int, offset: int
    ) -> list[JobResult]: ...


class WorkspaceAccess(Protocol):
    """What conversations needs from workspaces (answered by `nexus.links`)."""

    def role_of(self, workspace_id: WorkspaceId, user_id: UserId) -> str | None:
        """The user's role in the workspace (owner, admin, member, viewer), or None."""
        ...


# -- the chat-export reader (infrastructure's `chat_exports` package satisfies these) ---------


class ExportedMessage(Protocol):
    @property
    def external_id(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def created_at(self) -> datetime | None: ...
    @property
    def metadata(self) -> Mapping[str, Any]: ...


class ExportedConversation(Protocol):
    @property
    def index(self) -> int: ...
    @property
    def source(self) -> str: ...
    @property
    def external_id(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def created_at(self) -> datetime | None: ...
    @property
    def updated_at(self) -> datetime | None: ...
    @property
    def messages(self) -> Sequence[ExportedMessage]: ...


@runtime_checkable
class ExportReadError(Protocol):
    """One conversation that could not be read: its index in the export and why."""

    @property
    def index(self) -> int: ...
    @property
    def external_id(self) -> str | None: ...
    @property
    def reason(self) -> str: ...


class ChatExportFile(Protocol):
    @property
    def source(self) -> str: ...

    def conversations(
        self, on_progress: Callable[[int, int], None] | None = None
    ) -> Iterator[ExportedConversation | ExportReadError]: ...


class ChatExportReader(Protocol):
    def open(self, path: Path) -> ChatExportFile:
        """The recognised export, or ValidationError(path, "not a ChatGPT or Claude export...")."""
        ...

    def sha256(self, path: Path) -> str:
        """The digest of the export's bytes (its files in reading order for a directory)."""
        ...
