"""Use cases loading a production into a case: `load`, `resume_batch`, `list_batches`. Each
chunk of records commits with its checkpoints; a restarted load skips what is checkpointed, so
a load killed anywhere and run again leaves exactly the tables of an uninterrupted one."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from nexus.documents.application.cases import find_or_add_custodian
from nexus.documents.application.load_chunk import ChunkLoader, LoadRun
from nexus.documents.application.load_ports import (
    LoadingUnitOfWork,
    LoadingUnitOfWorkFactory,
    LoadSpec,
    Progress,
    RecordSource,
    SourceItem,
    SourceReading,
)
from nexus.documents.application.load_results import IdList, LoadResult, ProblemResult
from nexus.documents.application.ports import DocumentsQueries, DocumentsUnitOfWorkFactory
from nexus.documents.application.results import BatchResult
from nexus.documents.application.support import DocumentsUseCases, case_id, live
from nexus.documents.domain.cases import Batch
from nexus.documents.domain.enums import BatchStatus, RelationKind
from nexus.documents.domain.ids import (
    BatchId,
    CaseId,
    ExhibitId,
    StagedRelationId,
    new_relation_id,
)
from nexus.documents.domain.links import DocumentRelation
from nexus.shared.clock import Clock
from nexus.shared.collector import fewer_collections
from nexus.shared.errors import ConcurrencyError, ConflictError, ValidationError
from nexus.shared.ids import parse_id

FORMATS = ("dat", "jsonl")
ATTACHED = RelationKind.ATTACHMENT
RELATION_FIELDS = ("id", "npcase_id", "from_id", "to_id", "relation", "created_at")
CHUNK = 1000
PAGE = 5000


# A chunk's records and rows live until the chunk commits, long enough for the collector's young
# generations to promote them (measured: full collections were 15-20% of a SQLite load's CPU).
LOAD_GC_THRESHOLD = 100_000


def _chunks(items: Iterable[SourceItem], size: int) -> Iterator[list[SourceItem]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _spec(source: Any, format_: Any, field_map: Any, opt: Any, time_zone: Any) -> LoadSpec:
    if not isinstance(source, str) or not source.strip():
        raise ValidationError("source", "must name a load file")
    if format_ not in FORMATS:
        raise ValidationError("format", f"must be one of {', '.join(FORMATS)}", value=format_)
    for field, value in (("field_map", field_map), ("opt", opt)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValidationError(field, "must name a file")
    if not isinstance(time_zone, str) or not time_zone:
        raise ValidationError("time_zone", "must be an IANA zone name")
    return LoadSpec(
        source=source, format=format_, field_map=field_map, opt=opt, time_zone=time_zone
    )


class Loading(DocumentsUseCases):
    """Loading load files (DAT, JSON Lines) into a case, exactly once."""

    def __init__(
        self,
        *,
        uow: DocumentsUnitOfWorkFactory,
        queries: DocumentsQueries,
        clock: Clock,
        load_uow: LoadingUnitOfWorkFactory | None = None,
        records: RecordSource | None = None,
    ) -> None:
        super().__init__(uow=uow, queries=queries, clock=clock)
        self.load_uow = load_uow
        self.records = records
        self.chunk_size = CHUNK

    def _source(self) -> RecordSource:
        if self.records is None:
            raise ConflictError("loading is not configured in this application", field="loader")
        return self.records

    def _tx(self) -> LoadingUnitOfWork:
        if self.load_uow is None or self.records is None:
            raise ConflictError("loading is not configured in this application", field="loader")
        return self.load_uow()

    def load(
        self,
        case_id_: str | uuid.UUID,
        source: str,
        *,
        custodian: str | None = None,
        format: str = "dat",
        field_map: str | None = None,
        opt: str | None = None,
        time_zone: str = "UTC",
        batch_name: str | None = None,
        progress: Progress | None = None,
    ) -> LoadResult:
        """Load a file into a new batch of the case (custodian: the batch's, created by name
        when new). Bad records are counted and listed with their lines; the rest goes on.
        With `batch_name` naming a batch of the case, that batch is resumed instead."""
        spec = _spec(source, format, field_map, opt, time_zone)
        case = case_id(case_id_)
        reading = self._source()(spec)  # a missing or unreadable file creates no batch
        name = batch_name if batch_name is not None else source.replace("\\", "/").split("/")[-1]
        batch = self._open_batch(case, name[:255] or "load", custodian, reuse=batch_name)
        return self._run(case, batch.id, spec, progress, reading)

    def resume_batch(
        self,
        case_id_: str | uuid.UUID,
        batch_id: str | uuid.UUID,
        source: str,
        *,
        format: str = "dat",
        field_map: str | None = None,
        opt: str | None = None,
        time_zone: str = "UTC",
        progress: Progress | None = None,
    ) -> LoadResult:
        """Go on with a batch that stopped (killed, interrupted, failed) from the same file:
        what is checkpointed is skipped; a loaded batch returns its result."""
        spec = _spec(source, format, field_map, opt, time_zone)
        batch = BatchId(parse_id(batch_id, field="batch_id"))
        return self._run(case_id(case_id_), batch, spec, progress)

    def list_batches(self, case_id_: str | uuid.UUID) -> list[BatchResult]:
        """The case's batches, oldest first."""
        with self._tx() as tx:
            batches = tx.load_batches.of_case(tx.cases.get(case_id(case_id_)).id)
            return [BatchResult.from_entity(b) for b in batches]

    # -- the steps ------------------------------------------------------------------------

    def _open_batch(
        self, case: CaseId, name: str, custodian: str | None, *, reuse: str | None
    ) -> Batch:
        now = self.clock.now()
        with self._tx() as tx:
            live(tx.cases.get(case))
            if reuse is not None:
                found = tx.load_batches.find_by_name(case, reuse)
                if found is not None:
                    return found
            holder = None if custodian is None else find_or_add_custodian(tx, case, custodian, now)
            batch = Batch(
                npcase_id=case,
                name=name,
                custodian_id=None if holder is None else holder.id,
                created_at=now,
                updated_at=now,
            )
            tx.batches.add(batch)
            tx.commit()
            return batch

    def _run(
        self,
        case_: CaseId,
        batch_id: BatchId,
        spec: LoadSpec,
        progress: Progress | None,
        reading: SourceReading | None = None,
    ) -> LoadResult:
        with self._tx() as tx:
            case = live(tx.cases.get(case_))
            batch = tx.batches.get(case.id, batch_id)
            holder = (
                None
                if batch.custodian_id is None
                else tx.custodians.get(case.id, batch.custodian_id)
            )
        run = LoadRun(case=case, batch=batch, custodian=None if holder is None else holder.name)
        if batch.status is not BatchStatus.LOADED:
            if reading is None:
                reading = self._source()(spec)
            with fewer_collections(LOAD_GC_THRESHOLD):
                try:
                    analyze_at = 1
                    for number, chunk in enumerate(_chunks(reading, self.chunk_size), 1):
                        with self._tx() as tx:
                            if not ChunkLoader(tx, run, self.clock.now()).load(chunk):
                                break
                            tx.commit()
                        if number == analyze_at:  # after chunks 1, 4, 16, 64, ...
                            analyze_at *= 4
                            self._refresh_statistics()
                        if progress is not None:
                            progress(
                                run.loaded + run.duplicates + run.errors + run.skipped,
                                reading.position(),
                                reading.size,
                            )
                    else:
                        self._finish(run)
                except Exception:
                    self._fail(case.id, batch_id)
                    raise
        return self._result(run)

    def _refresh_statistics(self) -> None:
        # Only for the planner: a connection lost here is the next chunk's to find again.
        with contextlib.suppress(ConcurrencyError), self._tx() as tx:
            tx.load_checkpoints.refresh_statistics()
            tx.commit()

    def _fail(self, case: CaseId, batch_id: BatchId) -> None:
        with self._tx() as tx:
            batch = tx.batches.find(case, batch_id)
            if batch is not None and batch.status is not BatchStatus.LOADED:
                batch.fail(self.clock.now())
                tx.batches.update(batch)
                tx.commit()

    def _finish(self, run: LoadRun) -> None:
        """Resolve the staged families (the parent may have come after the child) and make
        the status and counts final, in one transaction."""
        case, batch_id, now = run.case.id, run.batch.id, self.clock.now()
        with self._tx() as tx:
            if not tx.load_batches.claim(case, batch_id, now):
                return
            after: StagedRelationId | None = None
            while page := tx.load_staged.staged_page(case, batch_id, after, PAGE):
                after = page[-1].id
                wanted = {s.parent_document_id for s in page} | {s.child_document_id for s in page}
                # A document's checkpoint names the exhibit it created (none for a duplicate),
                # committed with it: a smaller row to read than the exhibit's.
                found = tx.load_checkpoints.created(case, batch_id, wanted)
                relations = []
                for s in page:
                    parent = found.get(s.parent_document_id)
                    child = found.get(s.child_document_id)
                    if parent is None or child is None:
                        continue
                    if parent == child:  # the entity's rule (from_id != to_id), raised by it
                        DocumentRelation(
                            npcase_id=case,
                            from_id=parent,
                            to_id=child,
                            relation=ATTACHED,
                            created_at=now,
                        )
                    relations.append((new_relation_id(), case, parent, child, ATTACHED, now))
                tx.relation_rows.add_values(RELATION_FIELDS, relations, skip_existing=True)
            tx.load_staged.clear_batch(case, batch_id)
            batch = tx.batches.get(case, batch_id)
            batch.finish(
                now,
                documents=batch.document_count,
                duplicates=batch.duplicate_count,
                errors=batch.error_count,
            )
            tx.batches.update(batch)
            tx.commit()

    def _result(self, run: LoadRun) -> LoadResult:
        case, batch_id = run.case.id, run.batch.id
        with self._tx() as tx:
            batch = tx.batches.get(case, batch_id)
            ids = run.created
            if run.skipped or (batch.status is BatchStatus.LOADED and not run.loaded):
                ids = IdList()
                after: ExhibitId | None = None
                while page := tx.load_exhibits.ids_page(case, batch_id, after, PAGE):
                    for exhibit_id in page:
                        ids.append(exhibit_id)
                    after = page[-1]
        return LoadResult(
            batch_id=batch.id,
            npcase_id=case,
            status=batch.status.value,
            loaded=batch.document_count,
            duplicates=batch.duplicate_count,
            errors=batch.error_count,
            problems=[ProblemResult.of(p) for p in run.problems],
            update_es=run.update_es,
            exhibit_ids=ids,
            skipped=run.skipped,
        )
