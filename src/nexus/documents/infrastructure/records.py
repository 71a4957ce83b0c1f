"""The documents context's tables and their mappers (the loader seed's 18 models,
`deposition_volumes` and the custom-field value table). A case (`npcases`) is the tenant:
`npcase_id` leads every primary key, unique key and foreign key between case tables, so no row
can join two cases."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from nexus.documents.domain.cases import Batch, Case, Custodian
from nexus.documents.domain.classification import CustomField, CustomFieldValue, Label, Tag
from nexus.documents.domain.enums import (
    AttachmentKind,
    BatchStatus,
    DedupeScope,
    FieldType,
    ImportType,
    LabelKind,
    RelationKind,
    SourceItemType,
)
from nexus.documents.domain.exhibits import Attachment, Exhibit
from nexus.documents.domain.links import (
    BatchSource,
    CustodianExhibit,
    DepositionVolume,
    DepositionVolumeExhibit,
    Designation,
    DocumentRelation,
    StagedRelation,
    Tagging,
)
from nexus.documents.domain.processing import DocDedupe, ProcessCheckpoint, TagDedupe
from nexus.persistence.base import Base
from nexus.persistence.mapper import Convert, register
from nexus.persistence.schema import partial_where, tenant_table_args
from nexus.persistence.types import JSONType, UTCDateTime, flag_column

CASE = "npcase_id"


def one_of(col: str, enum: type[StrEnum], name: str) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{col} IN ({values})", name=name)


def case_fk(table: str, col: str, parent: str, ondelete: str = "CASCADE") -> ForeignKeyConstraint:
    """`(npcase_id, col) -> parent (npcase_id, id)`: a reference that cannot leave its case.
    Named after `col` (the convention would name it after npcase_id, its first column), less
    the parent's name when PostgreSQL's 63-character limit needs it."""
    return ForeignKeyConstraint(
        [CASE, col],
        [f"{parent}.npcase_id", f"{parent}.id"],
        ondelete=ondelete,
        name=name if len(name := f"fk_{table}_{col}_{parent}") <= 63 else f"fk_{table}_{col}",
    )


def case_id() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, ForeignKey("npcases.id", ondelete="CASCADE"), primary_key=True)


def user_ref() -> Mapped[uuid.UUID | None]:
    """A user of identity, by id only: contexts stay independent (docs/documents.md)."""
    return mapped_column(Uuid)


def when() -> Mapped[datetime | None]:
    return mapped_column(UTCDateTime)


def stamped() -> Mapped[datetime]:
    return mapped_column(UTCDateTime)


class CaseRecord(Base):
    """The tenant root: a case and its dedupe and JSON configuration."""

    __tablename__ = "npcases"
    __table_args__ = (one_of("dedupe_scope", DedupeScope, "valid_dedupe_scope"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    near_dupe_info: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    bulk_redaction_info: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    dedupe_message_id: Mapped[bool] = flag_column(True)
    dedupe_scope: Mapped[str] = mapped_column(
        String(20), default="global", server_default=text("'global'")
    )
    dedupe_merge_fields: Mapped[list[str]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = stamped()
    updated_at: Mapped[datetime] = stamped()
    deleted_at: Mapped[datetime | None] = when()


class CustodianRecord(Base):
    __tablename__ = "custodians"
    __table_args__ = tenant_table_args(CASE, UniqueConstraint(CASE, "name"))

    npcase_id: Mapped[uuid.UUID] = case_id()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = stamped()


class BatchRecord(Base):
    __tablename__ = "batches"
    __table_args__ = tenant_table_args(
        CASE,
        one_of("import_type", ImportType, "valid_import_type"),
        one_of("status", BatchStatus, "valid_status"),
        CheckConstraint(
            "document_count >= 0 AND duplicate_count >= 0 AND error_count >= 0",
            name="counts_not_negative",
        ),
        case_fk("batches", "custodian_id", "custodians", ondelete="RESTRICT"),
        Index("ix_batches_custodian_id", "custodian_id"),
        Index("ix_batches_user_id", "user_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    import_type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    custodian_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    user_id: Mapped[uuid.UUID | None] = user_ref()
    document_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    duplicate_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    error_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = stamped()
    updated_at: Mapped[datetime] = stamped()
    completed_at: Mapped[datetime | None] = when()
    deleted_at: Mapped[datetime | None] = when()


class ExhibitRecord(Base):
    """A document. The stamp (prefix + number) is unique among the live exhibits of a case:
    a trashed exhibit keeps its number until it is purged."""

    __tablename__ = "exhibits"
    __table_args__ = tenant_table_args(
        CASE,
        case_fk("exhibits", "batch_id", "batches", ondelete="RESTRICT"),
        Index(
            "uq_exhibits_npcase_id_prefix_number",
            CASE,
            "prefix",
            "number",
            unique=True,
            **partial_where(column("deleted_at").is_(None)),
        ),
        Index("ix_exhibits_batch_id", "batch_id"),
        Index("ix_exhibits_user_id", "user_id"),
        Index("ix_exhibits_npcase_id_deleted_at", CASE, "deleted_at"),
        Index("ix_exhibits_npcase_id_nge_document_id", CASE, "nge_document_id"),
        Index("ix_exhibits_npcase_id_family_id", CASE, "family_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    user_id: Mapped[uuid.UUID | None] = user_ref()
    prefix: Mapped[str] = mapped_column(String(50), default="", server_default=text("''"))
    number: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str | None] = mapped_column(Text)
    shortcut: Mapped[str | None] = mapped_column(String(255))
    notes: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(255))
    document_date: Mapped[datetime | None] = when()
    document_type: Mapped[str | None] = mapped_column(String(255))
    message_id: Mapped[str | None] = mapped_column(String(998))
    email_from: Mapped[str | None] = mapped_column(Text)
    recipients: Mapped[str | None] = mapped_column(Text)
    cc: Mapped[str | None] = mapped_column(Text)
    bcc: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = when()
    received_at: Mapped[datetime | None] = when()
    last_author: Mapped[str | None] = mapped_column(String(255))
    app_name: Mapped[str | None] = mapped_column(String(255))
    file_created_at: Mapped[datetime | None] = when()
    file_modified_at: Mapped[datetime | None] = when()
    family_id: Mapped[str | None] = mapped_column(String(255))
    nge_document_id: Mapped[str | None] = mapped_column(String(255))
    md5: Mapped[str | None] = mapped_column(String(32))
    sha256: Mapped[str | None] = mapped_column(String(64))
    verified_page_count: Mapped[int | None] = mapped_column(Integer)
    extension: Mapped[str | None] = mapped_column(String(32))
    file_path: Mapped[str | None] = mapped_column(Text)
    root_folder: Mapped[str | None] = mapped_column(Text)
    mailbox_file: Mapped[str | None] = mapped_column(Text)
    mailbox_path: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = stamped()
    updated_at: Mapped[datetime] = stamped()
    deleted_at: Mapped[datetime | None] = when()


class AttachmentRecord(Base):
    __tablename__ = "attachments"
    __table_args__ = tenant_table_args(
        CASE,
        one_of("kind", AttachmentKind, "valid_kind"),
        case_fk("attachments", "exhibit_id", "exhibits"),
        Index("ix_attachments_exhibit_id", "exhibit_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    exhibit_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(20))
    page: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(255))
    storage_key: Mapped[str | None] = mapped_column(String(1024))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = stamped()
    updated_at: Mapped[datetime] = stamped()


class LabelRecord(Base):
    """Labels and folders; a folder's subtree goes with it (the self reference cascades)."""

    __tablename__ = "labels"
    __table_args__ = tenant_table_args(
        CASE,
        one_of("kind", LabelKind, "valid_kind"),
        case_fk("labels", "parent_id", "labels"),
        Index("ix_labels_parent_id", "parent_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = stamped()


class CustomFieldRecord(Base):
    __tablename__ = "custom_fields"
    __table_args__ = tenant_table_args(
        CASE,
        one_of("field_type", FieldType, "valid_field_type"),
        UniqueConstraint(CASE, "name"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    field_type: Mapped[str] = mapped_column(String(20))
    options: Mapped[list[str] | None] = mapped_column(JSONType)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = stamped()


class CustomFieldValueRecord(Base):
    """One exhibit's value of one custom field (canonical text for the field's type)."""

    __tablename__ = "custom_field_values"
    __table_args__ = tenant_table_args(
        CASE,
        case_fk("custom_field_values", "exhibit_id", "exhibits"),
        case_fk("custom_field_values", "custom_field_id", "custom_fields"),
        Index("ix_custom_field_values_exhibit_id", "exhibit_id"),
        Index("ix_custom_field_values_custom_field_id", "custom_field_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    exhibit_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    custom_field_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = stamped()


class TagRecord(Base):
    __tablename__ = "tags"
    __table_args__ = tenant_table_args(
        CASE,
        case_fk("tags", "custom_field_id", "custom_fields"),
        Index("ix_tags_custom_field_id", "custom_field_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    custom_field_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = stamped()
    updated_at: Mapped[datetime] = stamped()


class TaggingRecord(Base):
    __tablename__ = "taggings"
    __table_args__ = tenant_table_args(
        CASE,
        case_fk("taggings", "exhibit_id", "exhibits"),
        case_fk("taggings", "tag_id", "tags"),
        Index("ix_taggings_exhibit_id", "exhibit_id"),
        Index("ix_taggings_tag_id", "tag_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    exhibit_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tag_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    created_at: Mapped[datetime] = stamped()


class CustodianExhibitRecord(Base):
    """Provenance: one row per custodian holding the exhibit (dedupe adds, never removes)."""

    __tablename__ = "custodian_exhibits"
    __table_args__ = tenant_table_args(
        CASE,
        case_fk("custodian_exhibits", "custodian_id", "custodians"),
        case_fk("custodian_exhibits", "exhibit_id", "exhibits"),
        Index("index_custodian_exhibits_on_custodian_id", "custodian_id"),
        Index("index_custodian_exhibits_on_exhibit_id", "exhibit_id"),
        Index("index_custodian_exhibits_on_user_id", "user_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    custodian_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    exhibit_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID | None] = user_ref()
    created_at: Mapped[datetime] = stamped()


class BatchSourceRecord(Base):
    """Polymorphic as in the seed (item_type + item_id, no foreign key on the item): purge
    removes an exhibit's rows here itself."""

    __tablename__ = "batch_sources"
    __table_args__ = tenant_table_args(
        CASE,
        one_of("item_type", SourceItemType, "valid_item_type"),
        case_fk("batch_sources", "batch_id", "batches"),
        UniqueConstraint(CASE, "batch_id", "item_type", "item_id"),
        Index("ix_batch_sources_batch_id", "batch_id"),
        Index("ix_batch_sources_npcase_id_item_type_item_id", CASE, "item_type", "item_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    batch_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    item_type: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = stamped()


class DocumentRelationRecord(Base):
    __tablename__ = "document_relations"
    __table_args__ = tenant_table_args(
        CASE,
        one_of("relation", RelationKind, "valid_relation"),
        CheckConstraint("from_id <> to_id", name="not_to_itself"),
        case_fk("document_relations", "from_id", "exhibits"),
        case_fk("document_relations", "to_id", "exhibits"),
        UniqueConstraint(CASE, "from_id", "to_id", "relation"),
        Index("index_document_relations_on_from_id_and_relation", "from_id", "relation"),
        Index("index_document_relations_on_to_id_and_relation", "to_id", "relation"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    from_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    to_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    relation: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = stamped()


class StagedRelationRecord(Base):
    """Relations found while a batch loads, by producer ids, until the batch resolves them."""

    __tablename__ = "document_relations_in_batch"
    __table_args__ = tenant_table_args(
        CASE,
        case_fk("document_relations_in_batch", "batch_id", "batches"),
        Index(
            "index_document_relations_old_pk",
            CASE,
            "batch_id",
            "child_document_id",
            "parent_document_id",
            unique=True,
        ),
        Index("ix_document_relations_in_batch_batch_id", "batch_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    batch_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    parent_document_id: Mapped[str] = mapped_column(String(255))
    child_document_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = stamped()


class DepositionVolumeRecord(Base):
    __tablename__ = "deposition_volumes"
    __table_args__ = tenant_table_args(CASE, UniqueConstraint(CASE, "name"))

    npcase_id: Mapped[uuid.UUID] = case_id()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    deponent: Mapped[str | None] = mapped_column(String(255))
    taken_at: Mapped[datetime | None] = when()
    created_at: Mapped[datetime] = stamped()


class DepositionVolumeExhibitRecord(Base):
    __tablename__ = "deposition_volume_exhibits"
    __table_args__ = tenant_table_args(
        CASE,
        case_fk("deposition_volume_exhibits", "deposition_volume_id", "deposition_volumes"),
        case_fk("deposition_volume_exhibits", "exhibit_id", "exhibits"),
        Index("ix_deposition_volume_exhibits_deposition_volume_id", "deposition_volume_id"),
        Index("ix_deposition_volume_exhibits_exhibit_id", "exhibit_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    deposition_volume_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    exhibit_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    exhibit_number: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = stamped()


class DesignationRecord(Base):
    __tablename__ = "exh_designations"
    __table_args__ = tenant_table_args(
        CASE,
        case_fk("exh_designations", "exhibit_id", "exhibits"),
        case_fk("exh_designations", "label_id", "labels"),
        Index("ix_exh_designations_exhibit_id", "exhibit_id"),
        Index("ix_exh_designations_label_id", "label_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    exhibit_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    label_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    page_start: Mapped[int | None] = mapped_column(Integer)
    line_start: Mapped[int | None] = mapped_column(Integer)
    page_end: Mapped[int | None] = mapped_column(Integer)
    line_end: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = stamped()
    updated_at: Mapped[datetime] = stamped()


class ProcessCheckpointRecord(Base):
    """One row per document per batch: the composite key is the loader's exactly-once lock."""

    __tablename__ = "process_checkpoints"
    __table_args__ = tenant_table_args(
        CASE,
        UniqueConstraint(CASE, "batch_id", "nge_document_id"),
        case_fk("process_checkpoints", "batch_id", "batches"),
        Index("ix_process_checkpoints_batch_id", "batch_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    batch_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    nge_document_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    checkpoint_id: Mapped[int | None] = mapped_column(BigInteger)
    exhibit_ids: Mapped[list[str]] = mapped_column(JSONType)
    index_documents: Mapped[bool] = flag_column(True)
    created_at: Mapped[datetime] = stamped()


class DocDedupeRecord(Base):
    """The seed's five-column key (plus `scope` for per-custodian dedupe); long values enter
    it as SHA-256 digests. The exhibit it points to is the original."""

    __tablename__ = "doc_dedupe"
    __table_args__ = tenant_table_args(
        CASE,
        UniqueConstraint(CASE, "message_id", "bcc", "md5", "doc_type", "scope"),
        case_fk("doc_dedupe", "exhibit_id", "exhibits"),
        Index("ix_doc_dedupe_exhibit_id", "exhibit_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    message_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    bcc: Mapped[str] = mapped_column(String(64), primary_key=True)
    md5: Mapped[str] = mapped_column(String(255), primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(255), primary_key=True)
    scope: Mapped[str] = mapped_column(String(36), primary_key=True)
    exhibit_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = stamped()


class TagDedupeRecord(Base):
    """One tag per (SHA-256 of its text, custom field) in a case."""

    __tablename__ = "tag_dedupe"
    __table_args__ = tenant_table_args(
        CASE,
        UniqueConstraint(CASE, "name", "custom_field_id"),
        case_fk("tag_dedupe", "tag_id", "tags"),
        Index("ix_tag_dedupe_tag_id", "tag_id"),
    )

    npcase_id: Mapped[uuid.UUID] = case_id()
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    custom_field_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tag_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = stamped()


# Mappers, one per record (enums stored as their values; a checkpoint's exhibit ids as a JSON
# list of UUID text).


def _ids_out(ids: list[uuid.UUID]) -> list[str]:
    return [str(i) for i in ids]


def _ids_in(values: Any) -> list[uuid.UUID]:
    return [uuid.UUID(v) for v in values or []]


case_mapper = register(Case, CaseRecord)
custodian_mapper = register(Custodian, CustodianRecord)
batch_mapper = register(Batch, BatchRecord)
exhibit_mapper = register(Exhibit, ExhibitRecord)
attachment_mapper = register(Attachment, AttachmentRecord)
label_mapper = register(Label, LabelRecord)
tag_mapper = register(Tag, TagRecord)
custom_field_mapper = register(CustomField, CustomFieldRecord)
custom_value_mapper = register(CustomFieldValue, CustomFieldValueRecord)
tagging_mapper = register(Tagging, TaggingRecord)
custodian_exhibit_mapper = register(CustodianExhibit, CustodianExhibitRecord)
batch_source_mapper = register(BatchSource, BatchSourceRecord)
relation_mapper = register(DocumentRelation, DocumentRelationRecord)
staged_relation_mapper = register(StagedRelation, StagedRelationRecord)
volume_mapper = register(DepositionVolume, DepositionVolumeRecord)
volume_exhibit_mapper = register(DepositionVolumeExhibit, DepositionVolumeExhibitRecord)
designation_mapper = register(Designation, DesignationRecord)
checkpoint_mapper = register(
    ProcessCheckpoint,
    ProcessCheckpointRecord,
    converters={"exhibit_ids": Convert(_ids_out, _ids_in)},
)
doc_dedupe_mapper = register(DocDedupe, DocDedupeRecord)
tag_dedupe_mapper = register(TagDedupe, TagDedupeRecord)
