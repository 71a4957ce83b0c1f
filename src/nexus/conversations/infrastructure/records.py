"""Conversations' ORM records and their mappers: NEXUS's conversations, messages and
chat_ingestion_jobs under the tenancy rules (infrastructure only).

Every table's key starts with `workspace_id`; a message refers to its conversation through
`(workspace_id, conversation_id)`, so the database refuses a message in another workspace's
conversation. `messages.position` orders a conversation's messages.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from nexus.conversations.domain.conversations import (
    DEFAULT_AGENT,
    DEFAULT_TITLE,
    EXTERNAL_ID_MAX,
    NAME_MAX,
    TITLE_MAX,
    Conversation,
    ExportSource,
    Message,
    MessageRole,
)
from nexus.conversations.domain.jobs import IngestionJob, JobStatus
from nexus.persistence.base import Base
from nexus.persistence.mapper import register
from nexus.persistence.schema import tenant_table_args
from nexus.persistence.types import JSONType, UTCDateTime, flag_column


def one_of(
    name: str, enum: type[StrEnum], check: str, *, optional: bool = False
) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum)
    rule = f"{name} IN ({values})"
    return CheckConstraint(f"{name} IS NULL OR {rule}" if optional else rule, name=check)


def _workspace() -> Any:
    """The tenant key, first in the primary key; deleting the workspace removes the row."""
    return mapped_column(Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)


def _user() -> Any:
    return mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)


def _conversation_key(ondelete: str = "CASCADE") -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["workspace_id", "conversation_id"],
        ["conversations.workspace_id", "conversations.id"],
        ondelete=ondelete,
    )


class ConversationRecord(Base):
    """(workspace_id, updated_at) serves "recent conversations"; an imported conversation is
    found again by its source and external id (per user)."""

    __tablename__ = "conversations"
    __table_args__ = tenant_table_args(
        "workspace_id",
        UniqueConstraint("workspace_id", "user_id", "external_source", "external_id"),
        one_of("external_source", ExportSource, "valid_external_source", optional=True),
        CheckConstraint("message_count >= 0", name="message_count_not_negative"),
        Index("ix_conversations_workspace_id_updated_at", "workspace_id", "updated_at"),
        Index(
            "ix_conversations_workspace_id_user_id_updated_at",
            "workspace_id",
            "user_id",
            "updated_at",
        ),
    )

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = _user()
    title: Mapped[str] = mapped_column(
        String(TITLE_MAX), default=DEFAULT_TITLE, server_default=text(f"'{DEFAULT_TITLE}'")
    )
    agent: Mapped[str] = mapped_column(
        String(NAME_MAX), default=DEFAULT_AGENT, server_default=text(f"'{DEFAULT_AGENT}'")
    )
    pinned: Mapped[bool] = flag_column(False)
    archived: Mapped[bool] = flag_column(False)
    message_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    external_source: Mapped[str | None] = mapped_column(String(20))
    external_id: Mapped[str | None] = mapped_column(String(EXTERNAL_ID_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MessageRecord(Base):
    """`position` is the message's place in its conversation (unique there): the order posted,
    whatever the timestamps say. The attribute `metadata_` is the column `metadata`."""

    __tablename__ = "messages"
    __table_args__ = tenant_table_args(
        "workspace_id",
        _conversation_key(),
        UniqueConstraint("workspace_id", "conversation_id", "position"),
        UniqueConstraint("workspace_id", "conversation_id", "external_id"),
        one_of("role", MessageRole, "valid_role"),
        CheckConstraint("position > 0", name="position_positive"),
        Index("ix_messages_workspace_id_created_at", "workspace_id", "created_at"),
    )

    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    agent: Mapped[str | None] = mapped_column(String(NAME_MAX))
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSONType)
    external_id: Mapped[str | None] = mapped_column(String(EXTERNAL_ID_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IngestionJobRecord(Base):
    """`conversation_id` is NULL for a job that ingests a whole export; `version` guards
    concurrent state changes."""

    __tablename__ = "chat_ingestion_jobs"
    __table_args__ = tenant_table_args(
        "workspace_id",
        _conversation_key(),
        one_of("status", JobStatus, "valid_status"),
        CheckConstraint("embedding_dimension > 0", name="embedding_dimension_positive"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_in_range"),
        CheckConstraint("chunks_count IS NULL OR chunks_count >= 0", name="chunks_count"),
        CheckConstraint("attempt >= 0 AND max_attempts > 0", name="attempts"),
        CheckConstraint("file_sha256 IS NULL OR length(file_sha256) = 64", name="file_sha256"),
        Index(
            "ix_chat_ingestion_jobs_workspace_id_conversation_id", "workspace_id", "conversation_id"
        ),
        Index("ix_chat_ingestion_jobs_workspace_id_created_at", "workspace_id", "created_at"),
        Index("ix_chat_ingestion_jobs_workspace_id_file_sha256", "workspace_id", "file_sha256"),
    )
    workspace_id: Mapped[uuid.UUID] = _workspace()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    user_id: Mapped[uuid.UUID] = _user()
    source_type: Mapped[str] = mapped_column(
        String(50), default="my_drive", server_default=text("'my_drive'")
    )
    source_path: Mapped[str] = mapped_column(Text)
    embedding_model: Mapped[str] = mapped_column(
        String(255), default="hash-v1", server_default=text("'hash-v1'")
    )
    embedding_dimension: Mapped[int] = mapped_column(
        Integer, default=256, server_default=text("256")
    )
    status: Mapped[str] = mapped_column(
        String(20), default="queued", server_default=text("'queued'"), index=True
    )
    progress: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    cache_hit: Mapped[bool] = flag_column(False)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    collection_name: Mapped[str | None] = mapped_column(String(255))
    chunks_count: Mapped[int | None] = mapped_column(Integer)
    error_code: Mapped[str | None] = mapped_column(String(100))
    error_message: Mapped[str | None] = mapped_column(Text)
    attempt: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    max_attempts: Mapped[int] = mapped_column(Integer, default=3, server_default=text("3"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


# Mappers, one per record (enums stored as their values; the message attribute `metadata_`
# is the column `metadata`).

conversation_mapper = register(Conversation, ConversationRecord)
message_mapper = register(Message, MessageRecord)
ingestion_job_mapper = register(IngestionJob, IngestionJobRecord)
