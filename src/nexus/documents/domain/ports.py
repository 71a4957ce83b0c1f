"""The documents context's repository ports. Every method takes the case (the tenant key)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any, Protocol, TypeVar

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
from nexus.shared.ports import ScopedRows, Writes

E = TypeVar("E")
K = TypeVar("K")


class CaseRows(ScopedRows[E, CaseId, K], Protocol[E, K]):
    """A table keyed by (npcase_id, id): "not in this case" is NotFoundError too."""


class CaseRepository(Writes[Case], Protocol):
    def get(self, key: CaseId) -> Case: ...

    def find(self, key: CaseId) -> Case | None: ...


class CustodianRepository(CaseRows[Custodian, CustodianId], Protocol):
    def find_by_name(self, case: CaseId, name: str) -> Custodian | None: ...

    def by_names(self, case: CaseId, names: Collection[str]) -> dict[str, Custodian]: ...


class BatchRepository(CaseRows[Batch, BatchId], Protocol): ...


class ExhibitRepository(CaseRows[Exhibit, ExhibitId], Protocol):
    def find_by_stamp(self, case: CaseId, prefix: str, number: str) -> Exhibit | None:
        """An exhibit holding this stamp, live or in the trash."""
        ...

    def stamps_taken(self, case: CaseId, numbers: Collection[str]) -> set[tuple[str, str]]:
        """The (prefix, number) stamps held, live or in the trash, among these numbers (a
        batch finder)."""
        ...

    def by_nge_document_ids(self, case: CaseId, ids: Collection[str]) -> dict[str, Exhibit]: ...

    def in_family(self, case: CaseId, family_id: str) -> list[Exhibit]: ...

    def trashed_before(self, case: CaseId, cutoff: datetime) -> list[Exhibit]: ...

    def delete_many(self, case: CaseId, ids: Iterable[ExhibitId]) -> int: ...


class AttachmentRepository(CaseRows[Attachment, AttachmentId], Protocol):
    def for_exhibits(self, case: CaseId, exhibits: Collection[ExhibitId]) -> list[Attachment]: ...


class LabelRepository(CaseRows[Label, LabelId], Protocol):
    def of_case(self, case: CaseId) -> list[Label]: ...


class TagRepository(CaseRows[Tag, TagId], Protocol): ...


class TagDedupeRepository(Writes[TagDedupe], Protocol):
    def find_key(self, case: CaseId, digest: str, field: CustomFieldId) -> TagDedupe | None: ...

    def find_keys(
        self, case: CaseId, digests: Collection[str], field: CustomFieldId
    ) -> dict[str, TagDedupe]: ...


class CustomFieldRepository(CaseRows[CustomField, CustomFieldId], Protocol):
    def find_by_name(self, case: CaseId, name: str) -> CustomField | None: ...


class CustomFieldValueRepository(Writes[CustomFieldValue], Protocol):
    def find_value(
        self, case: CaseId, exhibit: ExhibitId, field: CustomFieldId
    ) -> CustomFieldValue | None: ...

    def of_exhibit(self, case: CaseId, exhibit: ExhibitId) -> list[CustomFieldValue]: ...


class TaggingRepository(Writes[Tagging], Protocol):
    def find_pair(self, case: CaseId, exhibit: ExhibitId, tag: TagId) -> Tagging | None: ...

    def of_exhibit(self, case: CaseId, exhibit: ExhibitId) -> list[Tagging]: ...

    def untag(self, case: CaseId, exhibit: ExhibitId, tag: TagId) -> int: ...


class CustodianExhibitRepository(Writes[CustodianExhibit], Protocol):
    def find_pair(
        self, case: CaseId, custodian: CustodianId, exhibit: ExhibitId
    ) -> CustodianExhibit | None: ...

    def of_exhibits(
        self, case: CaseId, exhibits: Collection[ExhibitId]
    ) -> list[CustodianExhibit]: ...


class BatchSourceRepository(CaseRows[BatchSource, BatchSourceId], Protocol):
    def of_batch(self, case: CaseId, batch: BatchId) -> list[BatchSource]: ...

    def forget_items(self, case: CaseId, item_type: SourceItemType, ids: Iterable[Any]) -> int: ...


class RelationRepository(CaseRows[DocumentRelation, RelationId], Protocol):
    def from_exhibit(self, case: CaseId, exhibit: ExhibitId) -> list[DocumentRelation]: ...

    def to_exhibit(self, case: CaseId, exhibit: ExhibitId) -> list[DocumentRelation]: ...

    def find_relation(
        self, case: CaseId, from_id: ExhibitId, to_id: ExhibitId, relation: str
    ) -> DocumentRelation | None: ...


class StagedRelationRepository(CaseRows[StagedRelation, StagedRelationId], Protocol):
    def of_batch(self, case: CaseId, batch: BatchId) -> list[StagedRelation]: ...

    def clear_batch(self, case: CaseId, batch: BatchId) -> int: ...


class DepositionVolumeRepository(CaseRows[DepositionVolume, DepositionVolumeId], Protocol): ...


class VolumeExhibitRepository(Writes[DepositionVolumeExhibit], Protocol):
    def of_volume(
        self, case: CaseId, volume: DepositionVolumeId
    ) -> list[DepositionVolumeExhibit]: ...


class DesignationRepository(CaseRows[Designation, DesignationId], Protocol):
    def of_exhibit(self, case: CaseId, exhibit: ExhibitId) -> list[Designation]: ...


class CheckpointRepository(Writes[ProcessCheckpoint], Protocol):
    def find_checkpoint(
        self, case: CaseId, batch: BatchId, nge_document_id: str
    ) -> ProcessCheckpoint | None: ...

    def done(
        self, case: CaseId, batch: BatchId, nge_document_ids: Collection[str]
    ) -> dict[str, ProcessCheckpoint]: ...

    def count_in_batch(self, case: CaseId, batch: BatchId) -> int: ...


class DocDedupeRepository(Writes[DocDedupe], Protocol):
    def find_key(self, case: CaseId, key: dict[str, str]) -> DocDedupe | None: ...

    def find_keys(self, case: CaseId, keys: Collection[dict[str, str]]) -> list[DocDedupe]: ...
