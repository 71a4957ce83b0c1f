"""conversations: conversations, messages, chat_ingestion_jobs

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 14:36:35.554264
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "title",
            sa.String(length=500),
            server_default=sa.text("'New Conversation'"),
            nullable=False,
        ),
        sa.Column("agent", sa.String(length=255), server_default=sa.text("'aia'"), nullable=False),
        sa.Column("pinned", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("archived", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("message_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("external_source", sa.String(length=20), nullable=True),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "external_source IS NULL OR external_source IN ('chatgpt', 'claude')",
            name=op.f("ck_conversations_valid_external_source"),
        ),
        sa.CheckConstraint(
            "message_count >= 0", name=op.f("ck_conversations_message_count_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_conversations_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_conversations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_conversations")),
        sa.UniqueConstraint(
            "workspace_id",
            "user_id",
            "external_source",
            "external_id",
            name=op.f("uq_conversations_workspace_id_user_id_external_source_external_id"),
        ),
    )
    op.create_index(op.f("ix_conversations_user_id"), "conversations", ["user_id"], unique=False)
    op.create_index(
        "ix_conversations_workspace_id_updated_at",
        "conversations",
        ["workspace_id", "updated_at"],
        unique=False,
    )
    op.create_index(
        "ix_conversations_workspace_id_user_id_updated_at",
        "conversations",
        ["workspace_id", "user_id", "updated_at"],
        unique=False,
    )
    op.create_table(
        "chat_ingestion_jobs",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "source_type",
            sa.String(length=50),
            server_default=sa.text("'my_drive'"),
            nullable=False,
        ),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column(
            "embedding_model",
            sa.String(length=255),
            server_default=sa.text("'hash-v1'"),
            nullable=False,
        ),
        sa.Column(
            "embedding_dimension", sa.Integer(), server_default=sa.text("256"), nullable=False
        ),
        sa.Column(
            "status", sa.String(length=20), server_default=sa.text("'queued'"), nullable=False
        ),
        sa.Column("progress", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("cache_hit", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("collection_name", sa.String(length=255), nullable=True),
        sa.Column("chunks_count", sa.Integer(), nullable=True),
        sa.Column("error_code", sa.String(length=100), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("attempt", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("max_attempts", sa.Integer(), server_default=sa.text("3"), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')",
            name=op.f("ck_chat_ingestion_jobs_valid_status"),
        ),
        sa.CheckConstraint(
            "attempt >= 0 AND max_attempts > 0", name=op.f("ck_chat_ingestion_jobs_attempts")
        ),
        sa.CheckConstraint(
            "chunks_count IS NULL OR chunks_count >= 0",
            name=op.f("ck_chat_ingestion_jobs_chunks_count"),
        ),
        sa.CheckConstraint(
            "embedding_dimension > 0",
            name=op.f("ck_chat_ingestion_jobs_embedding_dimension_positive"),
        ),
        sa.CheckConstraint(
            "file_sha256 IS NULL OR length(file_sha256) = 64",
            name=op.f("ck_chat_ingestion_jobs_file_sha256"),
        ),
        sa.CheckConstraint(
            "progress >= 0 AND progress <= 100",
            name=op.f("ck_chat_ingestion_jobs_progress_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_chat_ingestion_jobs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id", "conversation_id"],
            ["conversations.workspace_id", "conversations.id"],
            name=op.f("fk_chat_ingestion_jobs_workspace_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_chat_ingestion_jobs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_chat_ingestion_jobs")),
    )
    op.create_index(
        op.f("ix_chat_ingestion_jobs_status"), "chat_ingestion_jobs", ["status"], unique=False
    )
    op.create_index(
        op.f("ix_chat_ingestion_jobs_user_id"), "chat_ingestion_jobs", ["user_id"], unique=False
    )
    op.create_index(
        "ix_chat_ingestion_jobs_workspace_id_conversation_id",
        "chat_ingestion_jobs",
        ["workspace_id", "conversation_id"],
        unique=False,
    )
    op.create_index(
        "ix_chat_ingestion_jobs_workspace_id_created_at",
        "chat_ingestion_jobs",
        ["workspace_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_chat_ingestion_jobs_workspace_id_file_sha256",
        "chat_ingestion_jobs",
        ["workspace_id", "file_sha256"],
        unique=False,
    )
    op.create_table(
        "messages",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("agent", sa.String(length=255), nullable=True),
        sa.Column(
            "metadata",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True), "postgresql"
            ),
            nullable=False,
        ),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('user', 'assistant', 'system', 'tool')", name=op.f("ck_messages_valid_role")
        ),
        sa.CheckConstraint("position > 0", name=op.f("ck_messages_position_positive")),
        sa.ForeignKeyConstraint(
            ["workspace_id", "conversation_id"],
            ["conversations.workspace_id", "conversations.id"],
            name=op.f("fk_messages_workspace_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_messages_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_messages")),
        sa.UniqueConstraint(
            "workspace_id",
            "conversation_id",
            "external_id",
            name=op.f("uq_messages_workspace_id_conversation_id_external_id"),
        ),
        sa.UniqueConstraint(
            "workspace_id",
            "conversation_id",
            "position",
            name=op.f("uq_messages_workspace_id_conversation_id_position"),
        ),
    )
    op.create_index(
        "ix_messages_workspace_id_created_at",
        "messages",
        ["workspace_id", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_messages_workspace_id_created_at", table_name="messages")
    op.drop_table("messages")
    op.drop_index(
        "ix_chat_ingestion_jobs_workspace_id_file_sha256", table_name="chat_ingestion_jobs"
    )
    op.drop_index(
        "ix_chat_ingestion_jobs_workspace_id_created_at", table_name="chat_ingestion_jobs"
    )
    op.drop_index(
        "ix_chat_ingestion_jobs_workspace_id_conversation_id", table_name="chat_ingestion_jobs"
    )
    op.drop_index(op.f("ix_chat_ingestion_jobs_user_id"), table_name="chat_ingestion_jobs")
    op.drop_index(op.f("ix_chat_ingestion_jobs_status"), table_name="chat_ingestion_jobs")
    op.drop_table("chat_ingestion_jobs")
    op.drop_index("ix_conversations_workspace_id_user_id_updated_at", table_name="conversations")
    op.drop_index("ix_conversations_workspace_id_updated_at", table_name="conversations")
    op.drop_index(op.f("ix_conversations_user_id"), table_name="conversations")
    op.drop_table("conversations")
