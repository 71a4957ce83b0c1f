"""The documents context's enumerations, each stored as its value with a named CHECK."""

from __future__ import annotations

from enum import StrEnum

from nexus.shared.entity import to_enum


class DedupeScope(StrEnum):
    GLOBAL = "global"
    CUSTODIAN = "custodian"


class ImportType(StrEnum):
    MAILBOX = "mailbox"
    FILES = "files"
    LOAD_FILE = "load_file"
    MANUAL = "manual"


class BatchStatus(StrEnum):
    PENDING = "pending"
    LOADING = "loading"
    LOADED = "loaded"
    FAILED = "failed"


class AttachmentKind(StrEnum):
    NATIVE = "native"
    IMAGE = "image"
    TEXT = "text"
    PDF = "pdf"


class LabelKind(StrEnum):
    FOLDER = "folder"
    LABEL = "label"


class FieldType(StrEnum):
    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    CHOICE = "choice"


class RelationKind(StrEnum):
    PARENT = "parent"
    ATTACHMENT = "attachment"
    DUPLICATE = "duplicate"
    THREAD = "thread"


class SourceItemType(StrEnum):
    """batch_sources.item_type keeps the seed's (Rails) class names."""

    EXHIBIT = "Exhibit"
    ATTACHMENT = "Attachment"


def to_dedupe_scope(value: object) -> DedupeScope:
    return to_enum(DedupeScope, "npcases.dedupe_scope", value)


def to_import_type(value: object) -> ImportType:
    return to_enum(ImportType, "batches.import_type", value)


def to_batch_status(value: object) -> BatchStatus:
    return to_enum(BatchStatus, "batches.status", value)


def to_attachment_kind(value: object) -> AttachmentKind:
    return to_enum(AttachmentKind, "attachments.kind", value)


def to_label_kind(value: object) -> LabelKind:
    return to_enum(LabelKind, "labels.kind", value)


def to_field_type(value: object) -> FieldType:
    return to_enum(FieldType, "custom_fields.field_type", value)


def to_relation(value: object) -> RelationKind:
    return to_enum(RelationKind, "document_relations.relation", value)


def to_item_type(value: object) -> SourceItemType:
    return to_enum(SourceItemType, "batch_sources.item_type", value)
