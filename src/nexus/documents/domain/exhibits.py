"""An exhibit (a document of a case, with its exhibit stamp) and its attachments (pages,
versions and renditions of its files)."""

from __future__ import annotations

from datetime import datetime

import attrs

from nexus.documents.domain.enums import AttachmentKind, to_attachment_kind
from nexus.documents.domain.fields import (
    EXTENSION,
    LONG,
    MD5,
    MESSAGE_ID,
    SHA256,
    SHORT,
    STAMP,
    WHEN,
    lower,
    optional_count,
    optional_size,
)
from nexus.documents.domain.ids import (
    AttachmentId,
    BatchId,
    CaseId,
    ExhibitId,
    new_attachment_id,
    new_exhibit_id,
)
from nexus.shared.entity import Entity, aware_datetime, integer, text
from nexus.shared.errors import ConflictError
from nexus.shared.ids import UserId


@attrs.define(kw_only=True)
class Exhibit(Entity):
    """A document. `prefix` + `number` is its exhibit stamp, unique among the live exhibits of
    its case; `deleted_at` set means it is in the trash."""

    __label__ = "exhibits"

    id: ExhibitId = attrs.field(factory=new_exhibit_id)
    npcase_id: CaseId
    batch_id: BatchId | None = None
    user_id: UserId | None = None
    prefix: str = attrs.field(default="", validator=STAMP)
    number: str | None = attrs.field(default=None, validator=STAMP)
    # document
    title: str | None = attrs.field(default=None, validator=LONG)
    shortcut: str | None = attrs.field(default=None, validator=SHORT)
    notes: str | None = attrs.field(default=None, validator=LONG)
    author: str | None = attrs.field(default=None, validator=SHORT)
    document_date: datetime | None = attrs.field(default=None, validator=WHEN)
    document_type: str | None = attrs.field(default=None, validator=SHORT)
    # email
    message_id: str | None = attrs.field(default=None, validator=MESSAGE_ID)
    email_from: str | None = attrs.field(default=None, validator=LONG)
    recipients: str | None = attrs.field(default=None, validator=LONG)
    cc: str | None = attrs.field(default=None, validator=LONG)
    bcc: str | None = attrs.field(default=None, validator=LONG)
    subject: str | None = attrs.field(default=None, validator=LONG)
    sent_at: datetime | None = attrs.field(default=None, validator=WHEN)
    received_at: datetime | None = attrs.field(default=None, validator=WHEN)
    # office
    last_author: str | None = attrs.field(default=None, validator=SHORT)
    app_name: str | None = attrs.field(default=None, validator=SHORT)
    file_created_at: datetime | None = attrs.field(default=None, validator=WHEN)
    file_modified_at: datetime | None = attrs.field(default=None, validator=WHEN)
    # processing
    family_id: str | None = attrs.field(default=None, validator=SHORT)
    nge_document_id: str | None = attrs.field(default=None, validator=SHORT)
    md5: str | None = attrs.field(default=None, converter=lower, validator=MD5)
    sha256: str | None = attrs.field(default=None, converter=lower, validator=SHA256)
    verified_page_count: int | None = attrs.field(default=None, validator=optional_count)
    # file
    extension: str | None = attrs.field(default=None, validator=EXTENSION)
    file_path: str | None = attrs.field(default=None, validator=LONG)
    root_folder: str | None = attrs.field(default=None, validator=LONG)
    mailbox_file: str | None = attrs.field(default=None, validator=LONG)
    mailbox_path: str | None = attrs.field(default=None, validator=LONG)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())
    deleted_at: datetime | None = attrs.field(default=None, validator=WHEN)

    @property
    def stamp(self) -> str | None:
        return None if self.number is None else f"{self.prefix}{self.number}"

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None

    def trash(self, now: datetime) -> None:
        if self.deleted_at is None:
            self.deleted_at = now
            self.updated_at = now

    def restore(self, now: datetime) -> None:
        if self.deleted_at is not None:
            self.deleted_at = None
            self.updated_at = now

    def check_live(self) -> None:
        if self.deleted_at is not None:
            raise ConflictError(f"exhibit {self.id} is in the trash", field="exhibits.deleted_at")


@attrs.define(kw_only=True)
class Attachment(Entity):
    """One file of an exhibit: its native, a page image, its text or a PDF rendition."""

    __label__ = "attachments"

    id: AttachmentId = attrs.field(factory=new_attachment_id)
    npcase_id: CaseId
    exhibit_id: ExhibitId
    kind: AttachmentKind = attrs.field(converter=to_attachment_kind)
    page: int | None = attrs.field(default=None, validator=optional_count)
    version: int = attrs.field(default=1, validator=integer(minimum=1, maximum=2**31 - 1))
    file_name: str = attrs.field(validator=text(min_length=1, max_length=255))
    content_type: str | None = attrs.field(default=None, validator=SHORT)
    storage_key: str | None = attrs.field(
        default=None, validator=text(max_length=1024, optional=True)
    )
    size_bytes: int | None = attrs.field(default=None, validator=optional_size)
    sha256: str | None = attrs.field(default=None, converter=lower, validator=SHA256)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())
