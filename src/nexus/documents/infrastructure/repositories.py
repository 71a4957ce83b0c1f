"""The documents context's repositories, written once for the SQL and in-memory adapters, and
its unit of work. Every method takes the case: "not in this case" and "does not exist" are one
answer. Batch finders (`*_in`, `..._many`) serve loops over input records."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from nexus.documents.domain.cases import Batch, Case, Custodian
from nexus.documents.domain.classification import CustomField, CustomFieldValue, Label, Tag
from nexus.documents.domain.enums import SourceItemType
from nexus.documents.domain.exhibits import Attachment, Exhibit
from nexus.documents.domain.ids import (
    AttachmentId,
    BatchId,
    BatchSourceId,
    CaseId,
    CustodianId,
    CustomFieldId,
    DepositionVolumeId,
    DesignationId,
    ExhibitId,
    LabelId,
    RelationId,
    StagedRelationId,
    TagId,
)
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
from nexus.documents.infrastructure import records as m
from nexus.persistence.repository import BaseRepository, Repository, ScopedRepository
from nexus.persistence.tables import Cmp
from nexus.persistence.uow import UnitOfWork


class _CaseRows:
    """Deleting by a condition inside one case (the cascades do the rest)."""

    tables: Any
    info: Any

    def _delete(self, **where: Any) -> int:
        return int(self.tables.delete(self.info, where))


class CaseRepository(Repository[Case, CaseId]):
    mapper = m.case_mapper
    kind = "case"


class CustodianRepository(ScopedRepository[Custodian, CaseId, CustodianId]):
    mapper = m.custodian_mapper
    kind = "custodian"

    def find_by_name(self, case: CaseId, name: str) -> Custodian | None:
        return self._one(npcase_id=case, name=name)

    def by_names(self, case: CaseId, names: Collection[str]) -> dict[str, Custodian]:
        return {c.name: c for c in self._in("name", names, npcase_id=case)}


class BatchRepository(ScopedRepository[Batch, CaseId, BatchId]):
    mapper = m.batch_mapper
    kind = "batch"


class ExhibitRepository(ScopedRepository[Exhibit, CaseId, ExhibitId], _CaseRows):
    mapper = m.exhibit_mapper
    kind = "exhibit"

    def find_by_stamp(self, case: CaseId, prefix: str, number: str) -> Exhibit | None:
        """An exhibit holding this stamp, live or in the trash."""
        return self._one(npcase_id=case, prefix=prefix, number=number)

    def stamps_taken(self, case: CaseId, numbers: Collection[str]) -> set[tuple[str, str]]:
        found = self._in("number", numbers, npcase_id=case) if numbers else []
        return {(e.prefix, e.number) for e in found if e.number is not None}

    def by_nge_document_ids(self, case: CaseId, ids: Collection[str]) -> dict[str, Exhibit]:
        """Producer document id -> exhibit, for the ids that have one (a batch finder)."""
        found = self._in("nge_document_id", ids, npcase_id=case)
        return {e.nge_document_id: e for e in found if e.nge_document_id is not None}

    def in_family(self, case: CaseId, family_id: str) -> list[Exhibit]:
        return self._many(("created_at", "id"), npcase_id=case, family_id=family_id)

    def trashed_before(self, case: CaseId, cutoff: datetime) -> list[Exhibit]:
        return self._many(("id",), npcase_id=case, deleted_at=Cmp("<=", cutoff))

    def delete_many(self, case: CaseId, ids: Iterable[ExhibitId]) -> int:
        """Remove exhibits; every row pointing at them goes with them (foreign keys cascade)."""
        return sum(self._delete(npcase_id=case, id=i) for i in ids)


class AttachmentRepository(ScopedRepository[Attachment, CaseId, AttachmentId]):
    mapper = m.attachment_mapper
    kind = "attachment"

    def for_exhibits(self, case: CaseId, exhibits: Collection[ExhibitId]) -> list[Attachment]:
        found = self._in("exhibit_id", exhibits, npcase_id=case)
        return sorted(found, key=lambda a: (a.exhibit_id, a.kind.value, a.page or 0, a.version))


class LabelRepository(ScopedRepository[Label, CaseId, LabelId]):
    mapper = m.label_mapper
    kind = "label"

    def of_case(self, case: CaseId) -> list[Label]:
        return self._many(("position", "name", "id"), npcase_id=case)


class TagRepository(ScopedRepository[Tag, CaseId, TagId]):
    mapper = m.tag_mapper
    kind = "tag"


class TagDedupeRepository(BaseRepository[TagDedupe]):
    mapper = m.tag_dedupe_mapper
    kind = "tag dedupe key"

    def find_key(self, case: CaseId, digest: str, field: CustomFieldId) -> TagDedupe | None:
        return self._one(npcase_id=case, name=digest, custom_field_id=field)

    def find_keys(
        self, case: CaseId, digests: Collection[str], field: CustomFieldId
    ) -> dict[str, TagDedupe]:
        """Digest -> key row, for the digests known in this case (a batch finder)."""
        found = self._in("name", digests, npcase_id=case, custom_field_id=field)
        return {k.name: k for k in found}


class CustomFieldRepository(ScopedRepository[CustomField, CaseId, CustomFieldId]):
    mapper = m.custom_field_mapper
    kind = "custom field"

    def find_by_name(self, case: CaseId, name: str) -> CustomField | None:
        return self._one(npcase_id=case, name=name)


class CustomFieldValueRepository(BaseRepository[CustomFieldValue]):
    mapper = m.custom_value_mapper
    kind = "custom field value"

    def find_value(
        self, case: CaseId, exhibit: ExhibitId, field: CustomFieldId
    ) -> CustomFieldValue | None:
        return self._one(npcase_id=case, exhibit_id=exhibit, custom_field_id=field)

    def of_exhibit(self, case: CaseId, exhibit: ExhibitId) -> list[CustomFieldValue]:
        return self._many(("custom_field_id",), npcase_id=case, exhibit_id=exhibit)


class TaggingRepository(BaseRepository[Tagging], _CaseRows):
    mapper = m.tagging_mapper
    kind = "tagging"

    def find_pair(self, case: CaseId, exhibit: ExhibitId, tag: TagId) -> Tagging | None:
        return self._one(npcase_id=case, exhibit_id=exhibit, tag_id=tag)

    def of_exhibit(self, case: CaseId, exhibit: ExhibitId) -> list[Tagging]:
        return self._many(("tag_id",), npcase_id=case, exhibit_id=exhibit)

    def untag(self, case: CaseId, exhibit: ExhibitId, tag: TagId) -> int:
        return self._delete(npcase_id=case, exhibit_id=exhibit, tag_id=tag)


class CustodianExhibitRepository(BaseRepository[CustodianExhibit]):
    mapper = m.custodian_exhibit_mapper
    kind = "custodian exhibit"

    def find_pair(
        self, case: CaseId, custodian: CustodianId, exhibit: ExhibitId
    ) -> CustodianExhibit | None:
        return self._one(npcase_id=case, custodian_id=custodian, exhibit_id=exhibit)

    def of_exhibits(self, case: CaseId, exhibits: Collection[ExhibitId]) -> list[CustodianExhibit]:
        """Provenance rows of several exhibits (a batch finder)."""
        return self._in("exhibit_id", exhibits, npcase_id=case)


class BatchSourceRepository(ScopedRepository[BatchSource, CaseId, BatchSourceId], _CaseRows):
    mapper = m.batch_source_mapper
    kind = "batch source"

    def of_batch(self, case: CaseId, batch: BatchId) -> list[BatchSource]:
        return self._many(("created_at", "id"), npcase_id=case, batch_id=batch)

    def forget_items(self, case: CaseId, item_type: SourceItemType, ids: Iterable[Any]) -> int:
        """Polymorphic rows have no foreign key: purge removes them here."""
        return sum(self._delete(npcase_id=case, item_type=item_type.value, item_id=i) for i in ids)


class RelationRepository(ScopedRepository[DocumentRelation, CaseId, RelationId]):
    mapper = m.relation_mapper
    kind = "document relation"

    def from_exhibit(self, case: CaseId, exhibit: ExhibitId) -> list[DocumentRelation]:
        return self._many(("created_at", "id"), npcase_id=case, from_id=exhibit)

    def to_exhibit(self, case: CaseId, exhibit: ExhibitId) -> list[DocumentRelation]:
        return self._many(("created_at", "id"), npcase_id=case, to_id=exhibit)

    def find_relation(
        self, case: CaseId, from_id: ExhibitId, to_id: ExhibitId, relation: str
    ) -> DocumentRelation | None:
        return self._one(npcase_id=case, from_id=from_id, to_id=to_id, relation=relation)


class StagedRelationRepository(
    ScopedRepository[StagedRelation, CaseId, StagedRelationId], _CaseRows
):
    mapper = m.staged_relation_mapper
    kind = "staged relation"

    def of_batch(self, case: CaseId, batch: BatchId) -> list[StagedRelation]:
        return self._many(("created_at", "id"), npcase_id=case, batch_id=batch)

    def clear_batch(self, case: CaseId, batch: BatchId) -> int:
        return self._delete(npcase_id=case, batch_id=batch)


class DepositionVolumeRepository(ScopedRepository[DepositionVolume, CaseId, DepositionVolumeId]):
    mapper = m.volume_mapper
    kind = "deposition volume"


class VolumeExhibitRepository(BaseRepository[DepositionVolumeExhibit]):
    mapper = m.volume_exhibit_mapper
    kind = "deposition volume exhibit"

    def of_volume(self, case: CaseId, volume: DepositionVolumeId) -> list[DepositionVolumeExhibit]:
        return self._many(("exhibit_number",), npcase_id=case, deposition_volume_id=volume)


class DesignationRepository(ScopedRepository[Designation, CaseId, DesignationId]):
    mapper = m.designation_mapper
    kind = "designation"

    def of_exhibit(self, case: CaseId, exhibit: ExhibitId) -> list[Designation]:
        return self._many(("created_at", "id"), npcase_id=case, exhibit_id=exhibit)


class CheckpointRepository(BaseRepository[ProcessCheckpoint]):
    mapper = m.checkpoint_mapper
    kind = "process checkpoint"

    def find_checkpoint(
        self, case: CaseId, batch: BatchId, nge_document_id: str
    ) -> ProcessCheckpoint | None:
        return self._one(npcase_id=case, batch_id=batch, nge_document_id=nge_document_id)

    def done(
        self, case: CaseId, batch: BatchId, nge_document_ids: Collection[str]
    ) -> dict[str, ProcessCheckpoint]:
        """Producer id -> checkpoint, for the documents of the batch already done."""
        found = self._in("nge_document_id", nge_document_ids, npcase_id=case, batch_id=batch)
        return {c.nge_document_id: c for c in found}

    def count_in_batch(self, case: CaseId, batch: BatchId) -> int:
        return self._count(npcase_id=case, batch_id=batch)


class DocDedupeRepository(BaseRepository[DocDedupe]):
    mapper = m.doc_dedupe_mapper
    kind = "document dedupe key"

    def find_key(self, case: CaseId, key: dict[str, str]) -> DocDedupe | None:
        return self._one(npcase_id=case, **key)

    def find_keys(self, case: CaseId, keys: Collection[dict[str, str]]) -> list[DocDedupe]:
        """The stored rows among `keys` (a batch finder: one statement per 500 values, then
        the full key compared). Each statement names a prefix of the key (case, message id,
        bcc, md5), so it reads the index, never the case's other rows: keys with a message id
        by message id; the others, message id '', by bcc and md5."""
        names = ("bcc", "doc_type", "md5", "message_id", "scope")
        wanted = {tuple(k[n] for n in names) for k in keys}
        by_bcc: dict[str, set[str]] = {}
        messages: set[str] = set()
        for k in keys:
            if k["message_id"]:
                messages.add(k["message_id"])
            else:
                by_bcc.setdefault(k["bcc"], set()).add(k["md5"])
        found = self._in("message_id", messages, npcase_id=case) if messages else []
        for bcc, md5s in by_bcc.items():
            found += self._in("md5", md5s, npcase_id=case, message_id="", bcc=bcc)
        return [d for d in found if tuple(getattr(d, n) for n in names) in wanted]


class DocumentsUnitOfWork(UnitOfWork):
    cases: CaseRepository
    custodians: CustodianRepository
    batches: BatchRepository
    exhibits: ExhibitRepository
    attachments: AttachmentRepository
    labels: LabelRepository
    tags: TagRepository
    tag_dedupe: TagDedupeRepository
    custom_fields: CustomFieldRepository
    custom_values: CustomFieldValueRepository
    taggings: TaggingRepository
    custodian_exhibits: CustodianExhibitRepository
    batch_sources: BatchSourceRepository
    relations: RelationRepository
    staged_relations: StagedRelationRepository
    volumes: DepositionVolumeRepository
    volume_exhibits: VolumeExhibitRepository
    designations: DesignationRepository
    checkpoints: CheckpointRepository
    doc_dedupe: DocDedupeRepository
