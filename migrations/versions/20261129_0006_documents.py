"""documents: npcases and the loader seed's case tables (exhibits, attachments, custodians,
tags, labels, custom fields, relations, designations, deposition volumes, checkpoints, dedupe)

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-29 14:17:00.914254
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BELT_AND_BRACES = (
    ("process_checkpoints", ["npcase_id", "batch_id", "nge_document_id"]),
    ("doc_dedupe", ["npcase_id", "message_id", "bcc", "md5", "doc_type", "scope"]),
    ("tag_dedupe", ["npcase_id", "name", "custom_field_id"]),
)


def upgrade() -> None:
    op.create_table(
        "npcases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column(
            "near_dupe_info",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column(
            "bulk_redaction_info",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column(
            "dedupe_message_id", sa.Boolean(), server_default=sa.text("true"), nullable=False
        ),
        sa.Column(
            "dedupe_scope", sa.String(length=20), server_default=sa.text("'global'"), nullable=False
        ),
        sa.Column(
            "dedupe_merge_fields",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True), "postgresql"
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "dedupe_scope IN ('global', 'custodian')", name=op.f("ck_npcases_valid_dedupe_scope")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_npcases")),
    )
    op.create_table(
        "custodians",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_custodians_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "id", name=op.f("pk_custodians")),
        sa.UniqueConstraint("npcase_id", "name", name=op.f("uq_custodians_npcase_id_name")),
        info={"tenant": "npcase_id"},
    )
    op.create_table(
        "custom_fields",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("field_type", sa.String(length=20), nullable=False),
        sa.Column(
            "options",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True), "postgresql"
            ),
            nullable=True,
        ),
        sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "field_type IN ('text', 'date', 'number', 'choice')",
            name=op.f("ck_custom_fields_valid_field_type"),
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_custom_fields_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "id", name=op.f("pk_custom_fields")),
        sa.UniqueConstraint("npcase_id", "name", name=op.f("uq_custom_fields_npcase_id_name")),
        info={"tenant": "npcase_id"},
    )
    op.create_table(
        "deposition_volumes",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("deponent", sa.String(length=255), nullable=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_deposition_volumes_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "id", name=op.f("pk_deposition_volumes")),
        sa.UniqueConstraint("npcase_id", "name", name=op.f("uq_deposition_volumes_npcase_id_name")),
        info={"tenant": "npcase_id"},
    )
    op.create_table(
        "labels",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('folder', 'label')", name=op.f("ck_labels_valid_kind")),
        sa.ForeignKeyConstraint(
            ["npcase_id", "parent_id"],
            ["labels.npcase_id", "labels.id"],
            name="fk_labels_parent_id_labels",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_labels_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "id", name=op.f("pk_labels")),
        info={"tenant": "npcase_id"},
    )
    op.create_index("ix_labels_parent_id", "labels", ["parent_id"], unique=False)
    op.create_table(
        "batches",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("import_type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("custodian_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("document_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("duplicate_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("error_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "import_type IN ('mailbox', 'files', 'load_file', 'manual')",
            name=op.f("ck_batches_valid_import_type"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'loading', 'loaded', 'failed')",
            name=op.f("ck_batches_valid_status"),
        ),
        sa.CheckConstraint(
            "document_count >= 0 AND duplicate_count >= 0 AND error_count >= 0",
            name=op.f("ck_batches_counts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id", "custodian_id"],
            ["custodians.npcase_id", "custodians.id"],
            name="fk_batches_custodian_id_custodians",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_batches_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "id", name=op.f("pk_batches")),
        info={"tenant": "npcase_id"},
    )
    op.create_index("ix_batches_custodian_id", "batches", ["custodian_id"], unique=False)
    op.create_index("ix_batches_user_id", "batches", ["user_id"], unique=False)
    op.create_table(
        "tags",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("custom_field_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["npcase_id", "custom_field_id"],
            ["custom_fields.npcase_id", "custom_fields.id"],
            name="fk_tags_custom_field_id_custom_fields",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_tags_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "id", name=op.f("pk_tags")),
        info={"tenant": "npcase_id"},
    )
    op.create_index("ix_tags_custom_field_id", "tags", ["custom_field_id"], unique=False)
    op.create_table(
        "batch_sources",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("item_type", sa.String(length=20), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "item_type IN ('Exhibit', 'Attachment')", name=op.f("ck_batch_sources_valid_item_type")
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id", "batch_id"],
            ["batches.npcase_id", "batches.id"],
            name="fk_batch_sources_batch_id_batches",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_batch_sources_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "id", name=op.f("pk_batch_sources")),
        sa.UniqueConstraint(
            "npcase_id",
            "batch_id",
            "item_type",
            "item_id",
            name=op.f("uq_batch_sources_npcase_id_batch_id_item_type_item_id"),
        ),
        info={"tenant": "npcase_id"},
    )
    op.create_index("ix_batch_sources_batch_id", "batch_sources", ["batch_id"], unique=False)
    op.create_index(
        "ix_batch_sources_npcase_id_item_type_item_id",
        "batch_sources",
        ["npcase_id", "item_type", "item_id"],
        unique=False,
    )
    op.create_table(
        "document_relations_in_batch",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("parent_document_id", sa.String(length=255), nullable=False),
        sa.Column("child_document_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["npcase_id", "batch_id"],
            ["batches.npcase_id", "batches.id"],
            name="fk_document_relations_in_batch_batch_id_batches",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_document_relations_in_batch_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "id", name=op.f("pk_document_relations_in_batch")),
        info={"tenant": "npcase_id"},
    )
    op.create_index(
        "index_document_relations_old_pk",
        "document_relations_in_batch",
        ["npcase_id", "batch_id", "child_document_id", "parent_document_id"],
        unique=True,
    )
    op.create_index(
        "ix_document_relations_in_batch_batch_id",
        "document_relations_in_batch",
        ["batch_id"],
        unique=False,
    )
    op.create_table(
        "exhibits",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("prefix", sa.String(length=50), server_default=sa.text("''"), nullable=False),
        sa.Column("number", sa.String(length=50), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("shortcut", sa.String(length=255), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("author", sa.String(length=255), nullable=True),
        sa.Column("document_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("document_type", sa.String(length=255), nullable=True),
        sa.Column("message_id", sa.String(length=998), nullable=True),
        sa.Column("email_from", sa.Text(), nullable=True),
        sa.Column("recipients", sa.Text(), nullable=True),
        sa.Column("cc", sa.Text(), nullable=True),
        sa.Column("bcc", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_author", sa.String(length=255), nullable=True),
        sa.Column("app_name", sa.String(length=255), nullable=True),
        sa.Column("file_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("file_modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("family_id", sa.String(length=255), nullable=True),
        sa.Column("nge_document_id", sa.String(length=255), nullable=True),
        sa.Column("md5", sa.String(length=32), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("verified_page_count", sa.Integer(), nullable=True),
        sa.Column("extension", sa.String(length=32), nullable=True),
        sa.Column("file_path", sa.Text(), nullable=True),
        sa.Column("root_folder", sa.Text(), nullable=True),
        sa.Column("mailbox_file", sa.Text(), nullable=True),
        sa.Column("mailbox_path", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["npcase_id", "batch_id"],
            ["batches.npcase_id", "batches.id"],
            name="fk_exhibits_batch_id_batches",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_exhibits_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "id", name=op.f("pk_exhibits")),
        info={"tenant": "npcase_id"},
    )
    op.create_index("ix_exhibits_batch_id", "exhibits", ["batch_id"], unique=False)
    op.create_index(
        "ix_exhibits_npcase_id_deleted_at", "exhibits", ["npcase_id", "deleted_at"], unique=False
    )
    op.create_index(
        "ix_exhibits_npcase_id_family_id", "exhibits", ["npcase_id", "family_id"], unique=False
    )
    op.create_index(
        "ix_exhibits_npcase_id_nge_document_id",
        "exhibits",
        ["npcase_id", "nge_document_id"],
        unique=False,
    )
    op.create_index("ix_exhibits_user_id", "exhibits", ["user_id"], unique=False)
    op.create_index(
        "uq_exhibits_npcase_id_prefix_number",
        "exhibits",
        ["npcase_id", "prefix", "number"],
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "process_checkpoints",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("nge_document_id", sa.String(length=255), nullable=False),
        sa.Column("checkpoint_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "exhibit_ids",
            sa.JSON(none_as_null=True).with_variant(
                postgresql.JSONB(none_as_null=True), "postgresql"
            ),
            nullable=False,
        ),
        sa.Column("index_documents", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["npcase_id", "batch_id"],
            ["batches.npcase_id", "batches.id"],
            name="fk_process_checkpoints_batch_id_batches",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_process_checkpoints_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "npcase_id", "batch_id", "nge_document_id", name=op.f("pk_process_checkpoints")
        ),
        sa.UniqueConstraint(
            "npcase_id",
            "batch_id",
            "nge_document_id",
            name=op.f("uq_process_checkpoints_npcase_id_batch_id_nge_document_id"),
        ),
        info={"tenant": "npcase_id"},
    )
    op.create_index(
        "ix_process_checkpoints_batch_id", "process_checkpoints", ["batch_id"], unique=False
    )
    op.create_table(
        "tag_dedupe",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("custom_field_id", sa.Uuid(), nullable=False),
        sa.Column("tag_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["npcase_id", "tag_id"],
            ["tags.npcase_id", "tags.id"],
            name="fk_tag_dedupe_tag_id_tags",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_tag_dedupe_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "name", "custom_field_id", name=op.f("pk_tag_dedupe")),
        sa.UniqueConstraint(
            "npcase_id",
            "name",
            "custom_field_id",
            name=op.f("uq_tag_dedupe_npcase_id_name_custom_field_id"),
        ),
        info={"tenant": "npcase_id"},
    )
    op.create_index("ix_tag_dedupe_tag_id", "tag_dedupe", ["tag_id"], unique=False)
    op.create_table(
        "attachments",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("exhibit_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=True),
        sa.Column("storage_key", sa.String(length=1024), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('native', 'image', 'text', 'pdf')", name=op.f("ck_attachments_valid_kind")
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id", "exhibit_id"],
            ["exhibits.npcase_id", "exhibits.id"],
            name="fk_attachments_exhibit_id_exhibits",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_attachments_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "id", name=op.f("pk_attachments")),
        info={"tenant": "npcase_id"},
    )
    op.create_index("ix_attachments_exhibit_id", "attachments", ["exhibit_id"], unique=False)
    op.create_table(
        "custodian_exhibits",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("custodian_id", sa.Uuid(), nullable=False),
        sa.Column("exhibit_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["npcase_id", "custodian_id"],
            ["custodians.npcase_id", "custodians.id"],
            name="fk_custodian_exhibits_custodian_id_custodians",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id", "exhibit_id"],
            ["exhibits.npcase_id", "exhibits.id"],
            name="fk_custodian_exhibits_exhibit_id_exhibits",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_custodian_exhibits_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "npcase_id", "custodian_id", "exhibit_id", name=op.f("pk_custodian_exhibits")
        ),
        info={"tenant": "npcase_id"},
    )
    op.create_index(
        "index_custodian_exhibits_on_custodian_id",
        "custodian_exhibits",
        ["custodian_id"],
        unique=False,
    )
    op.create_index(
        "index_custodian_exhibits_on_exhibit_id", "custodian_exhibits", ["exhibit_id"], unique=False
    )
    op.create_index(
        "index_custodian_exhibits_on_user_id", "custodian_exhibits", ["user_id"], unique=False
    )
    op.create_table(
        "custom_field_values",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("exhibit_id", sa.Uuid(), nullable=False),
        sa.Column("custom_field_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["npcase_id", "custom_field_id"],
            ["custom_fields.npcase_id", "custom_fields.id"],
            name="fk_custom_field_values_custom_field_id_custom_fields",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id", "exhibit_id"],
            ["exhibits.npcase_id", "exhibits.id"],
            name="fk_custom_field_values_exhibit_id_exhibits",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_custom_field_values_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "npcase_id", "exhibit_id", "custom_field_id", name=op.f("pk_custom_field_values")
        ),
        info={"tenant": "npcase_id"},
    )
    op.create_index(
        "ix_custom_field_values_custom_field_id",
        "custom_field_values",
        ["custom_field_id"],
        unique=False,
    )
    op.create_index(
        "ix_custom_field_values_exhibit_id", "custom_field_values", ["exhibit_id"], unique=False
    )
    op.create_table(
        "deposition_volume_exhibits",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("deposition_volume_id", sa.Uuid(), nullable=False),
        sa.Column("exhibit_id", sa.Uuid(), nullable=False),
        sa.Column("exhibit_number", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["npcase_id", "deposition_volume_id"],
            ["deposition_volumes.npcase_id", "deposition_volumes.id"],
            name="fk_deposition_volume_exhibits_deposition_volume_id",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id", "exhibit_id"],
            ["exhibits.npcase_id", "exhibits.id"],
            name="fk_deposition_volume_exhibits_exhibit_id_exhibits",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_deposition_volume_exhibits_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "npcase_id",
            "deposition_volume_id",
            "exhibit_id",
            name=op.f("pk_deposition_volume_exhibits"),
        ),
        info={"tenant": "npcase_id"},
    )
    op.create_index(
        "ix_deposition_volume_exhibits_deposition_volume_id",
        "deposition_volume_exhibits",
        ["deposition_volume_id"],
        unique=False,
    )
    op.create_index(
        "ix_deposition_volume_exhibits_exhibit_id",
        "deposition_volume_exhibits",
        ["exhibit_id"],
        unique=False,
    )
    op.create_table(
        "doc_dedupe",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("bcc", sa.String(length=64), nullable=False),
        sa.Column("md5", sa.String(length=255), nullable=False),
        sa.Column("doc_type", sa.String(length=255), nullable=False),
        sa.Column("scope", sa.String(length=36), nullable=False),
        sa.Column("exhibit_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["npcase_id", "exhibit_id"],
            ["exhibits.npcase_id", "exhibits.id"],
            name="fk_doc_dedupe_exhibit_id_exhibits",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_doc_dedupe_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "npcase_id", "message_id", "bcc", "md5", "doc_type", "scope", name=op.f("pk_doc_dedupe")
        ),
        sa.UniqueConstraint(
            "npcase_id",
            "message_id",
            "bcc",
            "md5",
            "doc_type",
            "scope",
            name=op.f("uq_doc_dedupe_npcase_id_message_id_bcc_md5_doc_type_scope"),
        ),
        info={"tenant": "npcase_id"},
    )
    op.create_index("ix_doc_dedupe_exhibit_id", "doc_dedupe", ["exhibit_id"], unique=False)
    op.create_table(
        "document_relations",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("from_id", sa.Uuid(), nullable=False),
        sa.Column("to_id", sa.Uuid(), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "relation IN ('parent', 'attachment', 'duplicate', 'thread')",
            name=op.f("ck_document_relations_valid_relation"),
        ),
        sa.CheckConstraint("from_id <> to_id", name=op.f("ck_document_relations_not_to_itself")),
        sa.ForeignKeyConstraint(
            ["npcase_id", "from_id"],
            ["exhibits.npcase_id", "exhibits.id"],
            name="fk_document_relations_from_id_exhibits",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id", "to_id"],
            ["exhibits.npcase_id", "exhibits.id"],
            name="fk_document_relations_to_id_exhibits",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_document_relations_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "id", name=op.f("pk_document_relations")),
        sa.UniqueConstraint(
            "npcase_id",
            "from_id",
            "to_id",
            "relation",
            name=op.f("uq_document_relations_npcase_id_from_id_to_id_relation"),
        ),
        info={"tenant": "npcase_id"},
    )
    op.create_index(
        "index_document_relations_on_from_id_and_relation",
        "document_relations",
        ["from_id", "relation"],
        unique=False,
    )
    op.create_index(
        "index_document_relations_on_to_id_and_relation",
        "document_relations",
        ["to_id", "relation"],
        unique=False,
    )
    op.create_table(
        "exh_designations",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("exhibit_id", sa.Uuid(), nullable=False),
        sa.Column("label_id", sa.Uuid(), nullable=False),
        sa.Column("page_start", sa.Integer(), nullable=True),
        sa.Column("line_start", sa.Integer(), nullable=True),
        sa.Column("page_end", sa.Integer(), nullable=True),
        sa.Column("line_end", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["npcase_id", "exhibit_id"],
            ["exhibits.npcase_id", "exhibits.id"],
            name="fk_exh_designations_exhibit_id_exhibits",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id", "label_id"],
            ["labels.npcase_id", "labels.id"],
            name="fk_exh_designations_label_id_labels",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_exh_designations_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "id", name=op.f("pk_exh_designations")),
        info={"tenant": "npcase_id"},
    )
    op.create_index(
        "ix_exh_designations_exhibit_id", "exh_designations", ["exhibit_id"], unique=False
    )
    op.create_index("ix_exh_designations_label_id", "exh_designations", ["label_id"], unique=False)
    op.create_table(
        "taggings",
        sa.Column("npcase_id", sa.Uuid(), nullable=False),
        sa.Column("exhibit_id", sa.Uuid(), nullable=False),
        sa.Column("tag_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["npcase_id", "exhibit_id"],
            ["exhibits.npcase_id", "exhibits.id"],
            name="fk_taggings_exhibit_id_exhibits",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id", "tag_id"],
            ["tags.npcase_id", "tags.id"],
            name="fk_taggings_tag_id_tags",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["npcase_id"],
            ["npcases.id"],
            name=op.f("fk_taggings_npcase_id_npcases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("npcase_id", "exhibit_id", "tag_id", name=op.f("pk_taggings")),
        info={"tenant": "npcase_id"},
    )
    op.create_index("ix_taggings_exhibit_id", "taggings", ["exhibit_id"], unique=False)
    op.create_index("ix_taggings_tag_id", "taggings", ["tag_id"], unique=False)

    # PostgreSQL drops a UNIQUE constraint that repeats the primary key inside one CREATE
    # TABLE; the seed's belt-and-braces constraints are added on their own there.
    if op.get_bind().dialect.name == "postgresql":
        for table, columns in BELT_AND_BRACES:
            op.create_unique_constraint(op.f(f"uq_{table}_{'_'.join(columns)}"), table, columns)


def downgrade() -> None:
    op.drop_index("ix_taggings_tag_id", table_name="taggings")
    op.drop_index("ix_taggings_exhibit_id", table_name="taggings")
    op.drop_table("taggings")
    op.drop_index("ix_exh_designations_label_id", table_name="exh_designations")
    op.drop_index("ix_exh_designations_exhibit_id", table_name="exh_designations")
    op.drop_table("exh_designations")
    op.drop_index("index_document_relations_on_to_id_and_relation", table_name="document_relations")
    op.drop_index(
        "index_document_relations_on_from_id_and_relation", table_name="document_relations"
    )
    op.drop_table("document_relations")
    op.drop_index("ix_doc_dedupe_exhibit_id", table_name="doc_dedupe")
    op.drop_table("doc_dedupe")
    op.drop_index(
        "ix_deposition_volume_exhibits_exhibit_id", table_name="deposition_volume_exhibits"
    )
    op.drop_index(
        "ix_deposition_volume_exhibits_deposition_volume_id",
        table_name="deposition_volume_exhibits",
    )
    op.drop_table("deposition_volume_exhibits")
    op.drop_index("ix_custom_field_values_exhibit_id", table_name="custom_field_values")
    op.drop_index("ix_custom_field_values_custom_field_id", table_name="custom_field_values")
    op.drop_table("custom_field_values")
    op.drop_index("index_custodian_exhibits_on_user_id", table_name="custodian_exhibits")
    op.drop_index("index_custodian_exhibits_on_exhibit_id", table_name="custodian_exhibits")
    op.drop_index("index_custodian_exhibits_on_custodian_id", table_name="custodian_exhibits")
    op.drop_table("custodian_exhibits")
    op.drop_index("ix_attachments_exhibit_id", table_name="attachments")
    op.drop_table("attachments")
    op.drop_index("ix_tag_dedupe_tag_id", table_name="tag_dedupe")
    op.drop_table("tag_dedupe")
    op.drop_index("ix_process_checkpoints_batch_id", table_name="process_checkpoints")
    op.drop_table("process_checkpoints")
    op.drop_index(
        "uq_exhibits_npcase_id_prefix_number",
        table_name="exhibits",
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.drop_index("ix_exhibits_user_id", table_name="exhibits")
    op.drop_index("ix_exhibits_npcase_id_nge_document_id", table_name="exhibits")
    op.drop_index("ix_exhibits_npcase_id_family_id", table_name="exhibits")
    op.drop_index("ix_exhibits_npcase_id_deleted_at", table_name="exhibits")
    op.drop_index("ix_exhibits_batch_id", table_name="exhibits")
    op.drop_table("exhibits")
    op.drop_index(
        "ix_document_relations_in_batch_batch_id", table_name="document_relations_in_batch"
    )
    op.drop_index("index_document_relations_old_pk", table_name="document_relations_in_batch")
    op.drop_table("document_relations_in_batch")
    op.drop_index("ix_batch_sources_npcase_id_item_type_item_id", table_name="batch_sources")
    op.drop_index("ix_batch_sources_batch_id", table_name="batch_sources")
    op.drop_table("batch_sources")
    op.drop_index("ix_tags_custom_field_id", table_name="tags")
    op.drop_table("tags")
    op.drop_index("ix_batches_user_id", table_name="batches")
    op.drop_index("ix_batches_custodian_id", table_name="batches")
    op.drop_table("batches")
    op.drop_index("ix_labels_parent_id", table_name="labels")
    op.drop_table("labels")
    op.drop_table("deposition_volumes")
    op.drop_table("custom_fields")
    op.drop_table("custodians")
    op.drop_table("npcases")
