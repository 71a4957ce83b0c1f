"""A case (`npcases`, the tenant), its custodians and its import batches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from nexus.documents.domain import config
from nexus.documents.domain.enums import (
    BatchStatus,
    DedupeScope,
    ImportType,
    to_batch_status,
    to_dedupe_scope,
    to_import_type,
)
from nexus.documents.domain.ids import (
    BatchId,
    CaseId,
    CustodianId,
    new_batch_id,
    new_case_id,
    new_custodian_id,
)
from nexus.shared.entity import Entity, aware_datetime, boolean, integer, text
from nexus.shared.errors import ConflictError
from nexus.shared.ids import UserId

NAME = text(min_length=1, max_length=255)


@attrs.define(kw_only=True)
class Case(Entity):
    """An e-discovery case: every other documents row belongs to exactly one."""

    __label__ = "npcases"

    id: CaseId = attrs.field(factory=new_case_id)
    name: str = attrs.field(validator=NAME)
    near_dupe_info: dict[str, Any] | None = attrs.field(
        default=None, converter=config.near_dupe_info
    )
    bulk_redaction_info: dict[str, Any] | None = attrs.field(
        default=None, converter=config.bulk_redaction_info
    )
    dedupe_message_id: bool = attrs.field(default=True, validator=boolean)
    dedupe_scope: DedupeScope = attrs.field(default=DedupeScope.GLOBAL, converter=to_dedupe_scope)
    dedupe_merge_fields: list[str] = attrs.field(
        factory=lambda: list(config.DEFAULT_MERGE_FIELDS), converter=config.merge_fields
    )
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())
    deleted_at: datetime | None = attrs.field(default=None, validator=aware_datetime(optional=True))

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def delete(self, now: datetime) -> None:
        if self.deleted_at is None:
            self.deleted_at = now
            self.updated_at = now

    def restore(self, now: datetime) -> None:
        if self.deleted_at is not None:
            self.deleted_at = None
            self.updated_at = now


@attrs.define(kw_only=True)
class Custodian(Entity):
    """A person or source who held documents; unique by name within a case."""

    __label__ = "custodians"

    id: CustodianId = attrs.field(factory=new_custodian_id)
    npcase_id: CaseId
    name: str = attrs.field(validator=NAME)
    created_at: datetime = attrs.field(validator=aware_datetime())


def _count(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    integer(minimum=0)(instance, attribute, value)


@attrs.define(kw_only=True)
class Batch(Entity):
    """One import into a case: one custodian, a status, and its counts once it is loaded."""

    __label__ = "batches"

    id: BatchId = attrs.field(factory=new_batch_id)
    npcase_id: CaseId
    name: str = attrs.field(validator=NAME)
    import_type: ImportType = attrs.field(default=ImportType.LOAD_FILE, converter=to_import_type)
    status: BatchStatus = attrs.field(default=BatchStatus.PENDING, converter=to_batch_status)
    custodian_id: CustodianId | None = None
    user_id: UserId | None = None
    document_count: int = attrs.field(default=0, validator=_count)
    duplicate_count: int = attrs.field(default=0, validator=_count)
    error_count: int = attrs.field(default=0, validator=_count)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())
    completed_at: datetime | None = attrs.field(
        default=None, validator=aware_datetime(optional=True)
    )
    deleted_at: datetime | None = attrs.field(default=None, validator=aware_datetime(optional=True))

    def start(self, now: datetime) -> None:
        if self.status in (BatchStatus.LOADED,):
            raise ConflictError(f"batch {self.id} is loaded already", field="batches.status")
        self.status = BatchStatus.LOADING
        self.updated_at = now

    def finish(self, now: datetime, *, documents: int, duplicates: int, errors: int) -> None:
        """Counts and status become final together."""
        self.document_count = documents
        self.duplicate_count = duplicates
        self.error_count = errors
        self.status = BatchStatus.LOADED
        self.completed_at = now
        self.updated_at = now

    def fail(self, now: datetime) -> None:
        self.status = BatchStatus.FAILED
        self.updated_at = now
