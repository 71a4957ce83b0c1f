"""The loader's repositories and unit of work, on both adapters: the batch lock each chunk
takes (a conditional UPDATE: a second loader waits on it), counts, and the paged finders that
resolve families and list a batch's exhibits in bounded memory."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
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
    RelationRepository,
    StagedRelationRepository,
)
from nexus.persistence.bulk import analyze, run_many
from nexus.persistence.schema import TableInfo
from nexus.persistence.sql import SqlTables
from nexus.persistence.statements import Prepared, UnsupportedStatementError
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
    def refresh_statistics(self) -> None:
        """PostgreSQL: ANALYZE the tables the loader's finders read (`persistence.bulk.analyze`):
        planned on an empty table's statistics, each checkpoint or dedupe-key lookup read every
        row of the batch instead of its keys. Elsewhere nothing."""
        read = (CheckpointRepository, DocDedupeRepository, StagedRelationRepository)
        analyze(self.tables, [r.info.name for r in (*read, ExhibitRepository)])

    def created(
        self, case: CaseId, batch: BatchId, nge_document_ids: Collection[str]
    ) -> dict[str, ExhibitId]:
        where = {"npcase_id": case, "batch_id": batch}
        rows = self.tables.fetch_in(self.info, "nge_document_id", nge_document_ids, where)
        # Two columns of each row, without building its checkpoint (the mapper's reading of
        # exhibit_ids: a JSON list of UUID texts).
        key, ids = self._positions["nge_document_id"], self._positions["exhibit_ids"]
        return {row[key]: ExhibitId(uuid.UUID(row[ids][0])) for row in rows if row[ids]}


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


class LoadOriginalRepository(ExhibitRepository):
    def empty_fields(
        self, case: CaseId, ids: Collection[ExhibitId], fields: Sequence[str]
    ) -> dict[ExhibitId, frozenset[str]]:
        """Per stored exhibit among `ids`, which of `fields` (plain columns) it has no value
        in: read as rows, without building an exhibit per row."""
        rows = self.tables.fetch_in(self.info, "id", ids, {"npcase_id": case})
        key = self._positions["id"]
        at = [(field, self._positions[field]) for field in fields]
        return {row[key]: frozenset(f for f, i in at if row[i] is None) for row in rows}


# -- the bulk path: rows from field values, INSERT .. ON CONFLICT, COPY on PostgreSQL ---------

COPY_MIN_ROWS = 50


def _copies(tables: Any) -> bool:
    """A SQL unit of work on PostgreSQL, where COPY is the bulk path (executemany elsewhere)."""
    return isinstance(tables, SqlTables) and tables.dialect.name == "postgresql"


def copy_rows(
    tables: SqlTables, info: TableInfo, rows: Sequence[Sequence[Any]], skip_existing: bool
) -> None:
    """COPY rows (tuples in the table's column order, JSON values wrapped) into a temporary
    table, then INSERT .. SELECT them (ON CONFLICT DO NOTHING when `skip_existing`), in the
    unit of work's transaction, its errors raised as its statements' are."""
    tables.on_driver(
        f'COPY "{info.name}"', lambda connection: _copy(connection, info, rows, skip_existing)
    )


def _copy(
    connection: Any, info: TableInfo, rows: Sequence[Sequence[Any]], skip_existing: bool
) -> None:
    names = ", ".join(f'"{c}"' for c in info.columns)
    staging = f'"_load_{info.name}"'
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE "{info.name}") ON COMMIT DELETE ROWS'
        )
        with cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)
        conflict = " ON CONFLICT DO NOTHING" if skip_existing else ""
        cursor.execute(
            f'INSERT INTO "{info.name}" ({names}) SELECT {names} FROM {staging}{conflict}'  # noqa: S608 - names from the metadata
        )
        cursor.execute(f"TRUNCATE {staging}")


def _jsonb(value: Any) -> Any:
    from psycopg.types.json import Jsonb  # only on PostgreSQL

    return None if value is None else Jsonb(value)


class _Insert:
    """One table's prebuilt bulk INSERT (`SqlTables`' own, skipping existing rows or not) and
    the function turning field values in one order into the driver's parameters for it (the
    mapper's conversions, then the statement's bind processors: what the generic path binds)."""

    def __init__(self, prepared: Prepared, info: TableInfo, mapper: Any, fields: Sequence[str]):
        names = [name for name, _p in prepared.binds]
        if prepared.fixed or sorted(names) != sorted(info.columns):
            raise UnsupportedStatementError(prepared.sql)
        self.sql = prepared.sql
        # Named parameters (psycopg): a dict per row, keyed by column; positional: a tuple.
        order = None if prepared.named else names
        self.values = mapper.values_function(fields, order, dict(prepared.binds))


class _Copy:
    """Field values to COPY rows: the mapper's conversions, JSON values wrapped."""

    def __init__(self, info: TableInfo, mapper: Any, fields: Sequence[str]) -> None:
        wrap_json = {c: _jsonb for c in info.json_columns}
        self.values = mapper.values_function(fields, info.columns, wrap_json)


_INSERTS: dict[tuple[Any, ...], _Insert] = {}
_COPIES: dict[tuple[Any, ...], _Copy] = {}
_DICTS: dict[tuple[Any, ...], Callable[[Sequence[Any]], Any]] = {}


class CopyRows:
    """The loader's bulk writes: `add_values` (field values, already valid, to rows without
    building entities) and `add_many`; COPY on PostgreSQL for big chunks, one executemany of a
    prebuilt statement elsewhere, the generic path in memory."""

    tables: Any
    info: TableInfo
    mapper: Any

    def add_values(
        self,
        fields: tuple[str, ...],
        rows: Sequence[Sequence[Any]],
        *,
        skip_existing: bool = False,
    ) -> None:
        if not rows:
            return
        tables, info = self.tables, self.info
        if not isinstance(tables, SqlTables):
            key: tuple[Any, ...] = (info.name, fields)
            build = _DICTS.get(key)
            if build is None:
                build = _DICTS[key] = self.mapper.values_function(fields)
            tables.insert_many(info, [build(r) for r in rows], skip_existing=skip_existing)
            return
        if _copies(tables) and len(rows) >= COPY_MIN_ROWS:
            key = ("copy", info.name, fields)
            copier = _COPIES.get(key)
            if copier is None:
                copier = _COPIES[key] = _Copy(info, self.mapper, fields)
            build = copier.values
            copy_rows(tables, info, [build(r) for r in rows], skip_existing)
            return
        prepared = tables._insert(info, info.columns, skip_existing)
        statement = _INSERTS.get((prepared, fields))
        if statement is None:
            statement = _INSERTS[prepared, fields] = _Insert(prepared, info, self.mapper, fields)
        build = statement.values
        run_many(tables, statement.sql, [build(r) for r in rows])

    def add_many(self, entities: Iterable[Any], *, skip_existing: bool = False) -> None:
        items = list(entities)
        if not (_copies(self.tables) and len(items) >= COPY_MIN_ROWS):
            super().add_many(items, skip_existing=skip_existing)  # type: ignore[misc]
            return
        row_of, columns = self.mapper.row_of, self.info.columns
        json = set(self.info.json_columns)
        rows = [
            [_jsonb(v) if c in json else v for c, v in ((c, row[c]) for c in columns)]
            for row in map(row_of, items)
        ]
        copy_rows(self.tables, self.info, rows, skip_existing)


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


class CopyRelations(CopyRows, RelationRepository):
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
    load_originals: LoadOriginalRepository
    load_checkpoints: LoadCheckpointRepository
    exhibit_rows: CopyExhibits
    attachment_rows: CopyAttachments
    holder_rows: CopyHolders
    dedupe_rows: CopyDedupe
    source_rows: CopySources
    staged_rows: CopyStaged
    checkpoint_rows: CopyCheckpoints
    relation_rows: CopyRelations
