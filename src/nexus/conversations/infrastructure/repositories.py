"""Conversations' repositories, written once for the SQL and in-memory adapters, and its unit of
work. Every repository is scoped by `workspace_id`: another workspace's id is NotFound."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Integer, text

from nexus.conversations.domain.conversations import (
    Conversation,
    ExportSource,
    Message,
    NewMessage,
)
from nexus.conversations.domain.ids import ConversationId, IngestionJobId, MessageId
from nexus.conversations.domain.jobs import IngestionJob, JobStatus
from nexus.conversations.infrastructure.records import (
    conversation_mapper,
    ingestion_job_mapper,
    message_mapper,
)
from nexus.persistence.bulk import analyze, bind_processors, insert_rows
from nexus.persistence.repository import ScopedRepository
from nexus.persistence.sql import JoinedTables, SqlTables
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


_MESSAGE_COLUMNS = (
    "workspace_id",
    "id",
    "conversation_id",
    "position",
    "role",
    "content",
    "agent",
    "metadata",
    "external_id",
    "created_at",
)


def _same(value: Any) -> Any:
    return value


class MessageRepository(ScopedRepository[Message, WorkspaceId, MessageId]):
    mapper = message_mapper
    kind = "message"

    def in_conversations(
        self, workspace_id: WorkspaceId, conversation_ids: Iterable[ConversationId]
    ) -> list[Message]:
        return self._in("conversation_id", conversation_ids, workspace_id=workspace_id)

    def add_imported(self, workspace_id: WorkspaceId, messages: Sequence[NewMessage]) -> None:
        """An import's new messages (checked by `imported_message`) in one executemany, each
        written as a row in the driver's form (the workspace's and each conversation's id
        converted once), with no entity nor row dict per message; in memory, as entities."""
        tables = self.tables
        if not isinstance(tables, SqlTables):
            self.add_many(
                Message(
                    workspace_id=workspace_id,
                    id=id_,
                    conversation_id=conversation,
                    position=position,
                    role=role,
                    content=content,
                    metadata_=dict(metadata),
                    external_id=external_id,
                    created_at=at,
                )
                for (id_, conversation, position, role, content, metadata, external_id, at) in (
                    messages
                )
            )
            return
        columns = self.info.columns
        if columns != _MESSAGE_COLUMNS:
            raise AssertionError(f"messages' columns changed: {columns}")
        to_id, _, _, _, _, _, _, to_json, _, to_time = (
            p or _same for p in bind_processors(tables, self.info, columns)
        )
        workspace = to_id(workspace_id)
        conversations: dict[ConversationId, Any] = {}
        rows = []
        for id_, conversation, position, role, content, metadata, external_id, at in messages:
            key = conversations.get(conversation)
            if key is None:
                key = conversations[conversation] = to_id(conversation)
            rows.append(
                (
                    workspace,
                    to_id(id_),
                    key,
                    position,
                    role.value,
                    content,
                    None,
                    to_json(metadata),
                    external_id,
                    to_time(at),
                )
            )
        insert_rows(tables, self.info, columns, rows)


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


# The conversations table's pages when the planner last counted them, and now.
_PAGES = (
    "SELECT relpages, pg_relation_size(oid) / current_setting('block_size')::int AS pages "
    "FROM pg_class WHERE oid = to_regclass('conversations')"
)
_PAGES_STATEMENT = text(_PAGES).columns(relpages=Integer, pages=Integer)
ANALYZE_MIN_PAGES = 2  # ~100 conversations: the first plans are made on counted rows
ANALYZE_GROWTH = 1.2


class ConversationsUnitOfWork(UnitOfWork):
    conversations: ConversationRepository
    messages: MessageRepository
    jobs: IngestionJobRepository

    def refresh_statistics(self) -> None:
        """ANALYZE conversations on PostgreSQL once it has grown by a fifth (and past two pages)
        since the planner last counted its rows, as autovacuum would (when it is on, and later:
        it looks once a minute). Every message's foreign-key check looks its conversation up,
        with a plan each session caches until the table is analyzed again: planned on a table
        believed empty, it takes an index that matches only the workspace (`(workspace_id,
        user_id, updated_at)` ties with the primary key there), so each message read all of its
        workspace's conversations (an import into a new database ran 3-4x slower); planned on a
        few pages, it reads the whole table. Nothing on SQLite (its foreign-key checks use the
        parent's key) nor in memory, nor inside an application's transaction (`app.joined`: the
        lock would be held until the application commits). The ANALYZE never waits for a lock and
        changes nothing when it fails (`persistence.bulk.analyze`)."""
        tables = self.tables
        if (
            not isinstance(tables, SqlTables)
            or isinstance(tables, JoinedTables)
            or tables.engine.dialect.name != "postgresql"
        ):
            return
        found = tables.run(_PAGES_STATEMENT, {})
        if found:
            counted, pages = found[0]
            if pages >= ANALYZE_MIN_PAGES and pages > counted * ANALYZE_GROWTH:
                analyze(tables, ["conversations"])
