"""What the documents use cases return: plain frozen values, never records."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import attrs

from nexus.documents.domain.exhibits import Exhibit
from nexus.shared.results import Result


@attrs.frozen(kw_only=True)
class CaseResult(Result):
    id: uuid.UUID
    name: str
    near_dupe_info: dict[str, Any] | None
    bulk_redaction_info: dict[str, Any] | None
    dedupe_message_id: bool
    dedupe_scope: str
    dedupe_merge_fields: list[str]
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


@attrs.frozen(kw_only=True)
class CustodianResult(Result):
    id: uuid.UUID
    npcase_id: uuid.UUID
    name: str


@attrs.frozen(kw_only=True)
class BatchResult(Result):
    id: uuid.UUID
    npcase_id: uuid.UUID
    name: str
    import_type: str
    status: str
    custodian_id: uuid.UUID | None
    document_count: int
    duplicate_count: int
    error_count: int
    created_at: datetime
    completed_at: datetime | None


@attrs.frozen(kw_only=True)
class ExhibitResult(Result):
    """An exhibit's columns, its stamp, and (from get_exhibit) its custodians, tags and
    attachments."""

    id: uuid.UUID
    npcase_id: uuid.UUID
    batch_id: uuid.UUID | None
    stamp: str | None
    prefix: str
    number: str | None
    title: str | None
    shortcut: str | None
    notes: str | None
    author: str | None
    document_date: datetime | None
    document_type: str | None
    message_id: str | None
    email_from: str | None
    recipients: str | None
    cc: str | None
    bcc: str | None
    subject: str | None
    sent_at: datetime | None
    received_at: datetime | None
    last_author: str | None
    app_name: str | None
    file_created_at: datetime | None
    file_modified_at: datetime | None
    family_id: str | None
    nge_document_id: str | None
    md5: str | None
    sha256: str | None
    verified_page_count: int | None
    extension: str | None
    file_path: str | None
    root_folder: str | None
    mailbox_file: str | None
    mailbox_path: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    custodians: list[str] = attrs.field(factory=list)
    tags: list[str] = attrs.field(factory=list)
    attachments: list[str] = attrs.field(factory=list)

    @classmethod
    def of(cls, exhibit: Exhibit, **extra: Any) -> ExhibitResult:
        values = {
            f.name: getattr(exhibit, f.name)
            for f in attrs.fields(cls)
            if f.name not in ("custodians", "tags", "attachments")
        }
        return cls(**(values | extra))


@attrs.frozen(kw_only=True)
class AddExhibitResult(Result):
    """The seed's ExhibitCreateResponse: whether the search index needs refreshing and the
    exhibits created; a duplicate creates none and names the original."""

    update_es: bool
    exhibit_ids: list[uuid.UUID]
    duplicate_of: uuid.UUID | None = None


@attrs.frozen(kw_only=True)
class TagResult(Result):
    id: uuid.UUID
    npcase_id: uuid.UUID
    name: str
    custom_field_id: uuid.UUID | None


@attrs.frozen(kw_only=True)
class LabelResult(Result):
    id: uuid.UUID
    npcase_id: uuid.UUID
    name: str
    kind: str
    parent_id: uuid.UUID | None
    position: int


@attrs.frozen(kw_only=True)
class CustomFieldResult(Result):
    id: uuid.UUID
    npcase_id: uuid.UUID
    name: str
    field_type: str
    options: list[str] | None
    position: int


@attrs.frozen(kw_only=True)
class DesignationResult(Result):
    id: uuid.UUID
    exhibit_id: uuid.UUID
    label_id: uuid.UUID
    page_start: int | None
    line_start: int | None
    page_end: int | None
    line_end: int | None
    notes: str | None


@attrs.frozen(kw_only=True)
class VolumeResult(Result):
    id: uuid.UUID
    npcase_id: uuid.UUID
    name: str
    deponent: str | None
    taken_at: datetime | None
    exhibits: dict[str, uuid.UUID] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class RelationResult(Result):
    id: uuid.UUID
    from_id: uuid.UUID
    to_id: uuid.UUID
    relation: str


@attrs.frozen(kw_only=True)
class FamilyResult(Result):
    """An exhibit's family: its parent (if any), its attachments and other relations."""

    exhibit_id: uuid.UUID
    parent_id: uuid.UUID | None
    attachment_ids: list[uuid.UUID]
    related: list[RelationResult]


@attrs.frozen(kw_only=True)
class PurgeResult(Result):
    purged: int
    exhibit_ids: list[uuid.UUID]
