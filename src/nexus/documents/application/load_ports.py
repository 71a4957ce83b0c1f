"""The loader's ports: the source of records (load-file readers, in infrastructure) and the
unit of work with the loader's batch, checkpoint and family finders."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import datetime
from typing import Any, Protocol

import attrs

from nexus.documents.application.ports import DocumentsUnitOfWork
from nexus.documents.domain.cases import Batch
from nexus.documents.domain.exhibit_data import ExhibitData
from nexus.documents.domain.ids import BatchId, CaseId, ExhibitId, StagedRelationId
from nexus.documents.domain.links import StagedRelation


@attrs.frozen(kw_only=True)
class RecordProblem:
    """A record that was not loaded: its line, the field and the rule it broke."""

    line: int
    field: str | None
    rule: str

    def __str__(self) -> str:
        return f"line {self.line}" + (f", {self.field}" if self.field else "") + f": {self.rule}"


@attrs.frozen(kw_only=True)
class PageImage:
    """One page image of a document (Opticon): its page number and path."""

    page: int
    path: str


@attrs.frozen(kw_only=True)
class SourceItem:
    """One record of a load file: the validated record, or the problem that stopped it."""

    line: int
    data: ExhibitData | None = None
    problem: RecordProblem | None = None
    images: tuple[PageImage, ...] = ()


@attrs.frozen(kw_only=True)
class LoadSpec:
    """What to read: a file, its format (`dat` or `jsonl`), an optional field map and OPT."""

    source: str
    format: str = "dat"
    field_map: str | None = None
    opt: str | None = None
    time_zone: str = "UTC"


class RecordSource(Protocol):
    """Opens a load file: its records in file order (`size` in bytes, `position()` read so far)."""

    def __call__(self, spec: LoadSpec) -> SourceReading: ...


class SourceReading(Protocol):
    size: int

    def __iter__(self) -> Iterator[SourceItem]: ...

    def position(self) -> int: ...


class LoadBatches(Protocol):
    def claim(self, case: CaseId, batch: BatchId, now: datetime) -> bool:
        """Lock the batch for this transaction and mark it loading; False when it is not
        loadable any more (loaded, or deleted). A second loader waits here."""
        ...

    def add_counts(
        self, case: CaseId, batch: BatchId, *, loaded: int, duplicates: int, errors: int
    ) -> None: ...

    def of_case(self, case: CaseId) -> list[Batch]: ...

    def find_by_name(self, case: CaseId, name: str) -> Batch | None: ...


class LoadStaged(Protocol):
    def staged_page(
        self, case: CaseId, batch: BatchId, after: StagedRelationId | None, limit: int
    ) -> list[StagedRelation]:
        """The batch's staged family pairs after `after`, in id order."""
        ...

    def clear_batch(self, case: CaseId, batch: BatchId) -> int: ...


class LoadExhibits(Protocol):
    def ids_page(
        self, case: CaseId, batch: BatchId, after: ExhibitId | None, limit: int
    ) -> list[ExhibitId]:
        """The batch's exhibit ids after `after`, in id order."""
        ...


class LoadOriginals(Protocol):
    def empty_fields(
        self, case: CaseId, ids: Collection[ExhibitId], fields: Sequence[str]
    ) -> dict[ExhibitId, frozenset[str]]:
        """Per stored exhibit among `ids`, which of `fields` it has no value in."""
        ...


class LoadCheckpoints(Protocol):
    def created(
        self, case: CaseId, batch: BatchId, nge_document_ids: Collection[str]
    ) -> dict[str, ExhibitId]:
        """Producer id -> the exhibit its checkpoint says it created (none for a duplicate)."""
        ...

    def refresh_statistics(self) -> None:
        """Let the database's planner see the rows a load added (where it needs telling)."""
        ...


class BulkRows(Protocol):
    def add_values(
        self,
        fields: tuple[str, ...],
        rows: Sequence[Sequence[Any]],
        *,
        skip_existing: bool = False,
    ) -> None:
        """Write rows given as their entity's field values in `fields` order (every field of
        the entity, each value valid by the entity's rules: the caller checked them), without
        building the entities; `skip_existing` leaves out rows whose key is taken."""
        ...


class LoadingUnitOfWork(DocumentsUnitOfWork, Protocol):
    """The documents unit of work with the loader's finders and its bulk writers (one per
    table a chunk writes)."""

    @property
    def exhibit_rows(self) -> BulkRows: ...

    @property
    def attachment_rows(self) -> BulkRows: ...

    @property
    def holder_rows(self) -> BulkRows: ...

    @property
    def dedupe_rows(self) -> BulkRows: ...

    @property
    def source_rows(self) -> BulkRows: ...

    @property
    def staged_rows(self) -> BulkRows: ...

    @property
    def checkpoint_rows(self) -> BulkRows: ...

    @property
    def relation_rows(self) -> BulkRows: ...

    @property
    def load_batches(self) -> LoadBatches: ...

    @property
    def load_staged(self) -> LoadStaged: ...

    @property
    def load_exhibits(self) -> LoadExhibits: ...

    @property
    def load_checkpoints(self) -> LoadCheckpoints: ...

    @property
    def load_originals(self) -> LoadOriginals: ...


LoadingUnitOfWorkFactory = Callable[[], LoadingUnitOfWork]
Progress = Callable[[int, int, int], None]
"""Called after each chunk: (records done, bytes read, bytes in all)."""
