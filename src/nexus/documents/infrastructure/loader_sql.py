"""The loader's repositories and unit of work, on both adapters: the batch lock each chunk
takes (a conditional UPDATE: a second loader waits on it), counts, and the paged finders that
resolve families and list a batch's exhibits in bounded memory."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from nexus.documents.domain.cases import Batch
from nexus.documents.domain.enums import BatchStatus
from nexus.documents.domain.exhibits import Exhibit
from nexus.documents.domain.ids import BatchId, CaseId, ExhibitId, StagedRelationId
from nexus.documents.domain.links import StagedRelation
from nexus.documents.infrastructure.repositories import (
    BatchRepository,
    DocumentsUnitOfWork,
    ExhibitRepository,
    StagedRelationRepository,
)
from nexus.persistence.tables import Add, Cmp


class LoadBatchRepository(BatchRepository):
    def claim(self, case: CaseId, batch: BatchId, now: datetime) -> bool:
        """The UPDATE takes the batch's row lock (SQLite: the write lock) until commit."""
        changed = self._update_where(
            {
                "npcase_id": case,
                "id": batch,
                "status": Cmp("!=", BatchStatus.LOADED.value),
                "deleted_at": None,
            },
            {"status": BatchStatus.LOADING.value, "updated_at": now},
        )
        return bool(changed)

    def add_counts(
        self, case: CaseId, batch: BatchId, *, loaded: int, duplicates: int, errors: int
    ) -> None:
        self._update_where(
            {"npcase_id": case, "id": batch},
            {
                "document_count": Add(loaded),
                "duplicate_count": Add(duplicates),
                "error_count": Add(errors),
            },
        )

    def of_case(self, case: CaseId) -> list[Batch]:
        return self._many(("created_at", "id"), npcase_id=case, deleted_at=None)

    def find_by_name(self, case: CaseId, name: str) -> Batch | None:
        found = self._many(("created_at", "id"), limit=1, npcase_id=case, name=name)
        return found[0] if found else None


class LoadStagedRepository(StagedRelationRepository):
    def staged_page(
        self, case: CaseId, batch: BatchId, after: StagedRelationId | None, limit: int
    ) -> list[StagedRelation]:
        where: dict[str, object] = {"npcase_id": case, "batch_id": batch}
        if after is not None:
            where["id"] = Cmp(">", after)
        return self._many(("id",), limit, 0, **where)


class LoadExhibitRepository(ExhibitRepository):
    def of_batch_by_document_ids(
        self, case: CaseId, batch: BatchId, nge_document_ids: Collection[str]
    ) -> dict[str, Exhibit]:
        found = self._in("nge_document_id", nge_document_ids, npcase_id=case, batch_id=batch)
        return {e.nge_document_id: e for e in found if e.nge_document_id is not None}

    def ids_page(
        self, case: CaseId, batch: BatchId, after: ExhibitId | None, limit: int
    ) -> list[ExhibitId]:
        where: dict[str, object] = {"npcase_id": case, "batch_id": batch}
        if after is not None:
            where["id"] = Cmp(">", after)
        return [e.id for e in self._many(("id",), limit, 0, **where)]


class LoadingUnitOfWork(DocumentsUnitOfWork):
    load_batches: LoadBatchRepository
    load_staged: LoadStagedRepository
    load_exhibits: LoadExhibitRepository
