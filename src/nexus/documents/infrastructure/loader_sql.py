"""The loader's repositories and unit of work, on both adapters: the batch lock each chunk
takes (a conditional UPDATE: a second loader waits on it), counts, and the paged finders that
resolve families and list a batch's exhibits in bounded memory."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from nexus.documents.domain.cases import Batch
from nexus.documents.domain.enums import BatchStatus, SourceItemType
from nexus.documents.domain.ids import BatchId, CaseId, ExhibitId, StagedRelationId
from nexus.documents.domain.links import StagedRelation
from nexus.documents.infrastructure.repositories import (
    AttachmentRepository,
    BatchRepository,
    BatchSourceRepository,
    CheckpointRepository,
    CustodianExhibitRepository,
    DocDedupeRepository,
    DocumentsUnitOfWork,
    ExhibitRepository,
    StagedRelationRepository,
)
from nexus.persistence.schema import Row, TableInfo
from nexus.persistence.sql import SqlTables
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


# The paged finders below run many pages in one unit of work (the batch's last transaction):
# they map rows without recording them for change tracking (`_many`/`_in` would keep every row
# read until commit), so memory stays bounded by a page whatever the batch's size.


class LoadStagedRepository(StagedRelationRepository):
    def staged_page(
        self, case: CaseId, batch: BatchId, after: StagedRelationId | None, limit: int
    ) -> list[StagedRelation]:
        where: dict[str, object] = {"npcase_id": case, "batch_id": batch}
        if after is not None:
            where["id"] = Cmp(">", after)
        rows = self.tables.fetch_many(self.info, where, ("id",), limit, 0)
        return [self.mapper.from_row(r) for r in rows]


class LoadCheckpointRepository(CheckpointRepository):
    def created(
        self, case: CaseId, batch: BatchId, nge_document_ids: Collection[str]
    ) -> dict[str, ExhibitId]:
        where = {"npcase_id": case, "batch_id": batch}
        rows = self.tables.fetch_in(self.info, "nge_document_id", nge_document_ids, where)
        marks = [self.mapper.from_row(r) for r in rows]
        return {m.nge_document_id: m.exhibit_ids[0] for m in marks if m.exhibit_ids}


class LoadExhibitRepository(BatchSourceRepository):
    """The batch's exhibits, read from its `batch_sources` rows (written with each exhibit):
    ids only, so a small row per exhibit rather than the exhibit's."""

    def ids_page(
        self, case: CaseId, batch: BatchId, after: ExhibitId | None, limit: int
    ) -> list[ExhibitId]:
        where: dict[str, object] = {
            "npcase_id": case,
            "batch_id": batch,
            "item_type": SourceItemType.EXHIBIT.value,
        }
        if after is not None:
            where["item_id"] = Cmp(">", after)
        rows = self.tables.fetch_many(self.info, where, ("item_id",), limit, 0)
        return [ExhibitId(self.mapper.from_row(r).item_id) for r in rows]


# -- PostgreSQL: COPY into a temporary table, then INSERT .. SELECT .. ON CONFLICT -----------

COPY_MIN_ROWS = 50


def _driver_connection(tables: Any) -> Any:
    """The psycopg connection of a SQL unit of work on PostgreSQL, inside its write
    transaction; None elsewhere (memory, SQLite), where executemany is the bulk path."""
    if not isinstance(tables, SqlTables) or tables.engine.dialect.name != "postgresql":
        return None
    return tables.writing_connection()


def copy_rows(connection: Any, info: TableInfo, rows: Sequence[Row], skip_existing: bool) -> None:
    from psycopg.types.json import Jsonb  # only on PostgreSQL

    columns = info.columns
    names = ", ".join(f'"{c}"' for c in columns)
    staging = f'"_load_{info.name}"'
    wrap = [c in info.json_columns for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE "{info.name}") ON COMMIT DELETE ROWS'
        )
        with cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [
                        Jsonb(row[c]) if json and row[c] is not None else row[c]
                        for c, json in zip(columns, wrap, strict=True)
                    ]
                )
        conflict = " ON CONFLICT DO NOTHING" if skip_existing else ""
        cursor.execute(
            f'INSERT INTO "{info.name}" ({names}) SELECT {names} FROM {staging}{conflict}'  # noqa: S608 - names from the metadata
        )
        cursor.execute(f"TRUNCATE {staging}")


class CopyRows:
    """`add_many` through COPY on PostgreSQL for big chunks; executemany elsewhere."""

    tables: Any
    info: TableInfo
    mapper: Any

    def add_many(self, entities: Iterable[Any], *, skip_existing: bool = False) -> None:
        items = list(entities)
        connection = _driver_connection(self.tables) if len(items) >= COPY_MIN_ROWS else None
        if connection is None:
            super().add_many(items, skip_existing=skip_existing)  # type: ignore[misc]
            return
        row_of = self.mapper.row_of
        copy_rows(connection, self.info, [row_of(e) for e in items], skip_existing)


class CopyExhibits(CopyRows, ExhibitRepository):
    pass


class CopyAttachments(CopyRows, AttachmentRepository):
    pass


class CopyHolders(CopyRows, CustodianExhibitRepository):
    pass


class CopyDedupe(CopyRows, DocDedupeRepository):
    pass


class CopySources(CopyRows, BatchSourceRepository):
    pass


class CopyCheckpoints(CopyRows, CheckpointRepository):
    pass


class CopyStaged(CopyRows, LoadStagedRepository):
    pass


class LoadingUnitOfWork(DocumentsUnitOfWork):
    """The documents unit of work, bulk tables writing through COPY on PostgreSQL."""

    exhibits: CopyExhibits
    attachments: CopyAttachments
    custodian_exhibits: CopyHolders
    doc_dedupe: CopyDedupe
    batch_sources: CopySources
    checkpoints: CopyCheckpoints
    staged_relations: CopyStaged
    load_batches: LoadBatchRepository
    load_staged: LoadStagedRepository
    load_exhibits: LoadExhibitRepository
    load_checkpoints: LoadCheckpointRepository
