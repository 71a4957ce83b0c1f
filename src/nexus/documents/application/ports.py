"""The unit-of-work and query ports the documents use cases depend on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from nexus.documents.application.query import ExhibitQuery
from nexus.documents.application.results import (
    CaseResult,
    CustodianResult,
    CustomFieldResult,
    ExhibitResult,
    LabelResult,
    TagResult,
    VolumeResult,
)
from nexus.documents.domain import ports
from nexus.documents.domain.ids import CaseId
from nexus.shared.uow import UnitOfWork
from nexus.shared.usecases import Page


class DocumentsUnitOfWork(UnitOfWork, Protocol):
    """The repositories a unit of work opens (read-only, so adapters may narrow them)."""

    @property
    def cases(self) -> ports.CaseRepository: ...

    @property
    def custodians(self) -> ports.CustodianRepository: ...

    @property
    def batches(self) -> ports.BatchRepository: ...

    @property
    def exhibits(self) -> ports.ExhibitRepository: ...

    @property
    def attachments(self) -> ports.AttachmentRepository: ...

    @property
    def labels(self) -> ports.LabelRepository: ...

    @property
    def tags(self) -> ports.TagRepository: ...

    @property
    def tag_dedupe(self) -> ports.TagDedupeRepository: ...

    @property
    def custom_fields(self) -> ports.CustomFieldRepository: ...

    @property
    def custom_values(self) -> ports.CustomFieldValueRepository: ...

    @property
    def taggings(self) -> ports.TaggingRepository: ...

    @property
    def custodian_exhibits(self) -> ports.CustodianExhibitRepository: ...

    @property
    def batch_sources(self) -> ports.BatchSourceRepository: ...

    @property
    def relations(self) -> ports.RelationRepository: ...

    @property
    def staged_relations(self) -> ports.StagedRelationRepository: ...

    @property
    def volumes(self) -> ports.DepositionVolumeRepository: ...

    @property
    def volume_exhibits(self) -> ports.VolumeExhibitRepository: ...

    @property
    def designations(self) -> ports.DesignationRepository: ...

    @property
    def checkpoints(self) -> ports.CheckpointRepository: ...

    @property
    def doc_dedupe(self) -> ports.DocDedupeRepository: ...


DocumentsUnitOfWorkFactory = Callable[[], DocumentsUnitOfWork]


class DocumentsQueries(Protocol):
    """Read side: lists in one or a few statements, DTOs out; every one takes the case."""

    def list_cases(self, *, include_deleted: bool, page: Page) -> list[CaseResult]: ...

    def count_cases(self, *, include_deleted: bool) -> int: ...

    def list_exhibits(self, case: CaseId, query: ExhibitQuery) -> list[ExhibitResult]: ...

    def count_exhibits(self, case: CaseId, query: ExhibitQuery) -> int:
        """How many `list_exhibits` pages through (its page aside)."""
        ...

    def list_custodians(self, case: CaseId) -> list[CustodianResult]: ...

    def list_tags(self, case: CaseId) -> list[TagResult]: ...

    def list_labels(self, case: CaseId) -> list[LabelResult]: ...

    def list_custom_fields(self, case: CaseId) -> list[CustomFieldResult]: ...

    def list_volumes(self, case: CaseId) -> list[VolumeResult]: ...
