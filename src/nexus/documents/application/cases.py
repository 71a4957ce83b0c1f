"""Use cases on cases, custodians, batches and deposition volumes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from nexus.documents.application.ports import DocumentsUnitOfWork
from nexus.documents.application.results import (
    BatchResult,
    CaseResult,
    CustodianResult,
    VolumeResult,
)
from nexus.documents.application.support import DocumentsUseCases, case_id, live
from nexus.documents.domain.cases import Batch, Case, Custodian
from nexus.documents.domain.config import DEFAULT_MERGE_FIELDS
from nexus.documents.domain.ids import (
    BatchId,
    CaseId,
    DepositionVolumeId,
    ExhibitId,
)
from nexus.documents.domain.links import DepositionVolume, DepositionVolumeExhibit
from nexus.shared.errors import ValidationError
from nexus.shared.ids import UserId, parse_id
from nexus.shared.usecases import Page, transaction


def find_or_add_custodian(
    tx: DocumentsUnitOfWork, case: CaseId, name: str, now: datetime
) -> Custodian:
    """The case's custodian of this name, created on first use."""
    custodian = Custodian(npcase_id=case, name=name, created_at=now)
    found = tx.custodians.find_by_name(case, custodian.name)
    if found is not None:
        return found
    tx.custodians.add(custodian)
    return custodian


class Cases(DocumentsUseCases):
    @transaction
    def create_case(
        self,
        tx: DocumentsUnitOfWork,
        *,
        name: str,
        dedupe_scope: str = "global",
        dedupe_message_id: bool = True,
        dedupe_merge_fields: list[str] | None = None,
        near_dupe_info: dict[str, Any] | None = None,
        bulk_redaction_info: dict[str, Any] | None = None,
    ) -> CaseResult:
        now = self.clock.now()
        case = Case(
            name=name,
            dedupe_scope=dedupe_scope,
            dedupe_message_id=dedupe_message_id,
            dedupe_merge_fields=(
                list(DEFAULT_MERGE_FIELDS) if dedupe_merge_fields is None else dedupe_merge_fields
            ),
            near_dupe_info=near_dupe_info,
            bulk_redaction_info=bulk_redaction_info,
            created_at=now,
            updated_at=now,
        )
        tx.cases.add(case)
        return CaseResult.from_entity(case)

    @transaction
    def get_case(self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID) -> CaseResult:
        """The case, deleted or not (`deleted_at` says which)."""
        return CaseResult.from_entity(tx.cases.get(case_id(case_id_)))

    def list_cases(
        self, *, include_deleted: bool = False, limit: int = 100, offset: int = 0
    ) -> list[CaseResult]:
        return self.queries.list_cases(include_deleted=include_deleted, page=Page.of(limit, offset))

    def count_cases(self, *, include_deleted: bool = False) -> int:
        """How many cases `list_cases` pages through."""
        return self.queries.count_cases(include_deleted=include_deleted)

    @transaction
    def configure_case(
        self, tx: DocumentsUnitOfWork, /, case_id_: str | uuid.UUID, **changes: Any
    ) -> CaseResult:
        """Change the name, dedupe settings or JSON configuration (validated first)."""
        allowed = {
            "name",
            "dedupe_scope",
            "dedupe_message_id",
            "dedupe_merge_fields",
            "near_dupe_info",
            "bulk_redaction_info",
        }
        case = live(tx.cases.get(case_id(case_id_)))
        for field, value in changes.items():
            if field not in allowed:
                raise ValidationError(f"npcases.{field}", "cannot be changed (unknown field)")
            setattr(case, field, value)
        case.updated_at = self.clock.now()
        tx.cases.update(case)
        return CaseResult.from_entity(case)

    @transaction
    def delete_case(self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID) -> CaseResult:
        """Soft delete: the case and its rows stay until restored (or removed by an operator)."""
        case = tx.cases.get(case_id(case_id_))
        case.delete(self.clock.now())
        tx.cases.update(case)
        return CaseResult.from_entity(case)

    @transaction
    def restore_case(self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID) -> CaseResult:
        case = tx.cases.get(case_id(case_id_))
        case.restore(self.clock.now())
        tx.cases.update(case)
        return CaseResult.from_entity(case)

    # -- custodians and batches -----------------------------------------------------------

    @transaction
    def add_custodian(
        self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID, name: str
    ) -> CustodianResult:
        """The custodian of this name (created when new: adding twice gives the same one)."""
        case = live(tx.cases.get(case_id(case_id_)))
        return CustodianResult.from_entity(
            find_or_add_custodian(tx, case.id, name, self.clock.now())
        )

    def list_custodians(self, case_id_: str | uuid.UUID) -> list[CustodianResult]:
        return self.queries.list_custodians(case_id(case_id_))

    @transaction
    def create_batch(
        self,
        tx: DocumentsUnitOfWork,
        case_id_: str | uuid.UUID,
        *,
        name: str,
        import_type: str = "load_file",
        custodian: str | None = None,
        user_id: str | uuid.UUID | None = None,
    ) -> BatchResult:
        """An import batch (one custodian per batch, created by name when new)."""
        case = live(tx.cases.get(case_id(case_id_)))
        now = self.clock.now()
        holder = None if custodian is None else find_or_add_custodian(tx, case.id, custodian, now)
        batch = Batch(
            npcase_id=case.id,
            name=name,
            import_type=import_type,
            custodian_id=None if holder is None else holder.id,
            user_id=None if user_id is None else UserId(parse_id(user_id, field="user_id")),
            created_at=now,
            updated_at=now,
        )
        tx.batches.add(batch)
        return BatchResult.from_entity(batch)

    @transaction
    def get_batch(
        self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID, batch_id: str | uuid.UUID
    ) -> BatchResult:
        batch = tx.batches.get(case_id(case_id_), BatchId(parse_id(batch_id, field="batch_id")))
        return BatchResult.from_entity(batch)

    # -- deposition volumes ---------------------------------------------------------------

    @transaction
    def add_deposition_volume(
        self,
        tx: DocumentsUnitOfWork,
        case_id_: str | uuid.UUID,
        *,
        name: str,
        deponent: str | None = None,
        taken_at: datetime | None = None,
    ) -> VolumeResult:
        case = live(tx.cases.get(case_id(case_id_)))
        volume = DepositionVolume(
            npcase_id=case.id,
            name=name,
            deponent=deponent,
            taken_at=taken_at,
            created_at=self.clock.now(),
        )
        tx.volumes.add(volume)
        return VolumeResult.from_entity(volume, exhibits={})

    @transaction
    def mark_deposition_exhibit(
        self,
        tx: DocumentsUnitOfWork,
        case_id_: str | uuid.UUID,
        volume_id: str | uuid.UUID,
        exhibit_id: str | uuid.UUID,
        exhibit_number: str,
    ) -> VolumeResult:
        """Record that the exhibit was marked `exhibit_number` in this volume."""
        case = live(tx.cases.get(case_id(case_id_)))
        volume = tx.volumes.get(
            case.id, DepositionVolumeId(parse_id(volume_id, field="deposition_volume_id"))
        )
        exhibit = tx.exhibits.get(case.id, ExhibitId(parse_id(exhibit_id, field="exhibit_id")))
        tx.volume_exhibits.add(
            DepositionVolumeExhibit(
                npcase_id=case.id,
                deposition_volume_id=volume.id,
                exhibit_id=exhibit.id,
                exhibit_number=exhibit_number,
                created_at=self.clock.now(),
            )
        )
        marked = tx.volume_exhibits.of_volume(case.id, volume.id)
        return VolumeResult.from_entity(
            volume, exhibits={m.exhibit_number: m.exhibit_id for m in marked}
        )

    def list_deposition_volumes(self, case_id_: str | uuid.UUID) -> list[VolumeResult]:
        return self.queries.list_volumes(case_id(case_id_))
