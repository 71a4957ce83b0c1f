"""One chunk of a load, in one transaction with its checkpoints: skip what is checkpointed,
dedupe top-level documents in the case's scope, let attachments follow their parent, stage
families, and write every table in one executemany each (conflicts skipped, never checked)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any, cast

import attrs

from nexus.documents.application.classification import find_or_add_tag, tag_once
from nexus.documents.application.load_ports import (
    LoadingUnitOfWork,
    RecordProblem,
    SourceItem,
)
from nexus.documents.application.load_results import IdList
from nexus.documents.domain.cases import Batch, Case, Custodian
from nexus.documents.domain.dedupe import dedupe_key, merge_duplicate
from nexus.documents.domain.enums import AttachmentKind, SourceItemType
from nexus.documents.domain.exhibit_data import EXHIBIT_FIELDS, ExhibitData, exhibit_values
from nexus.documents.domain.exhibits import Attachment, Exhibit
from nexus.documents.domain.ids import (
    CustodianId,
    ExhibitId,
    new_attachment_id,
    new_batch_source_id,
    new_exhibit_id,
    new_staged_relation_id,
)
from nexus.shared.errors import DomainError, ValidationError

NEW = "new"
DUPLICATE = "duplicate"


@attrs.define(kw_only=True)
class LoadRun:
    """One run over a batch: what it knows between chunks and what it has done."""

    case: Case
    batch: Batch
    custodian: str | None
    custodians: dict[str, CustodianId] = attrs.field(factory=dict)
    created: IdList = attrs.field(factory=IdList)
    problems: list[RecordProblem] = attrs.field(factory=list)
    loaded: int = 0
    duplicates: int = 0
    errors: int = 0
    skipped: int = 0
    update_es: bool = False

    @property
    def merges(self) -> bool:
        return any(f != "custodians" for f in self.case.dedupe_merge_fields)


def checkpoint_key(item: SourceItem) -> str:
    """A record's checkpoint key: its producer id, or its line when it has none or is bad."""
    nge = None if item.data is None else item.data.nge_document_id
    return nge if nge else f"#{item.line}"


def parent_of(data: ExhibitData) -> str | None:
    """The producer id of the record's parent (PARENTID, else BEGATTACH when not itself)."""
    own = data.nge_document_id
    for ref in (data.parent_document_id, data.begin_attach):
        if ref and ref != own:
            return ref
    return None


# The bulk path: each row is its entity's field values in these orders, built straight from
# the validated record (`ExhibitData` checked every copied value by the same rules the entities
# use) rather than through an entity per row; the adapters map them with the tables' mappers.
ATTACHMENT_FIELDS = (
    "id",
    "npcase_id",
    "exhibit_id",
    "kind",
    "page",
    "version",
    "file_name",
    "content_type",
    "storage_key",
    "size_bytes",
    "sha256",
    "created_at",
    "updated_at",
)
_attachment_values = attrgetter(*ATTACHMENT_FIELDS)
HOLDER_FIELDS = ("npcase_id", "custodian_id", "exhibit_id", "user_id", "created_at")
_KEY = ("message_id", "bcc", "md5", "doc_type", "scope")
DEDUPE_FIELDS = ("npcase_id", "exhibit_id", "created_at", *_KEY)
SOURCE_FIELDS = ("id", "npcase_id", "batch_id", "item_type", "item_id", "created_at")
STAGED_FIELDS = (
    "id",
    "npcase_id",
    "batch_id",
    "parent_document_id",
    "child_document_id",
    "created_at",
)
CHECKPOINT_FIELDS = (
    "npcase_id",
    "batch_id",
    "nge_document_id",
    "checkpoint_id",
    "exhibit_ids",
    "index_documents",
    "created_at",
)
_EXHIBIT_INDEX = {name: i for i, name in enumerate(EXHIBIT_FIELDS)}


class _ExhibitRow:
    """An exhibit row of this chunk seen as the exhibit's fields (a duplicate in the same
    chunk merges into it as into a stored exhibit)."""

    __slots__ = ("row",)

    def __init__(self, row: list[Any]) -> None:
        object.__setattr__(self, "row", row)

    def __getattr__(self, name: str) -> Any:
        return self.row[_EXHIBIT_INDEX[name]]

    def __setattr__(self, name: str, value: Any) -> None:
        self.row[_EXHIBIT_INDEX[name]] = value


@attrs.define
class _Rows:
    exhibits: list[list[Any]] = attrs.field(factory=list)
    attachments: list[tuple[Any, ...]] = attrs.field(factory=list)
    holders: list[tuple[Any, ...]] = attrs.field(factory=list)
    keys: list[tuple[Any, ...]] = attrs.field(factory=list)
    sources: list[tuple[Any, ...]] = attrs.field(factory=list)
    staged: list[tuple[Any, ...]] = attrs.field(factory=list)
    checkpoints: list[tuple[Any, ...]] = attrs.field(factory=list)
    tags: list[tuple[ExhibitId, tuple[str, ...]]] = attrs.field(factory=list)
    merges: list[tuple[ExhibitId, ExhibitData]] = attrs.field(factory=list)


class ChunkLoader:
    """Loads one chunk of records; `load` returns False when the batch is not loadable."""

    def __init__(self, tx: LoadingUnitOfWork, run: LoadRun, now: datetime) -> None:
        self.tx = tx
        self.run = run
        self.now = now
        self.case = run.case.id
        self.batch = run.batch.id
        self.rows = _Rows()
        self.status: dict[str, str] = {}
        self.seen: dict[str, int] = {}
        self.known: dict[tuple[str, ...], ExhibitId] = {}
        self.keys: dict[int, tuple[str, ...] | None] = {}
        self.stamps: set[tuple[str, str]] = set()
        self.taken: set[tuple[str, str]] = set()
        self.chunk_exhibits: dict[ExhibitId, list[Any]] = {}
        self.counts = [0, 0, 0]

    def load(self, items: Sequence[SourceItem]) -> bool:
        tx, run = self.tx, self.run
        if not tx.load_batches.claim(self.case, self.batch, self.now):
            return False
        keys = {checkpoint_key(i) for i in items} | {f"#{i.line}" for i in items}
        done = tx.checkpoints.done(self.case, self.batch, keys)
        fresh = []
        for item in items:
            key = checkpoint_key(item)
            mark = done.get(key)
            if f"#{item.line}" in done or (mark is not None and mark.checkpoint_id == item.line):
                run.skipped += 1
            else:
                fresh.append(item)
        self.done_before = {k: c.checkpoint_id for k, c in done.items() if not k.startswith("#")}
        self._resolve_custodians(fresh)
        self._lookup_stamps(fresh)
        self._lookup_keys(fresh)
        self._lookup_parents(fresh)
        for item in fresh:
            self._one(item)
        self._write()
        loaded, duplicates, errors = self.counts
        tx.load_batches.add_counts(
            self.case, self.batch, loaded=loaded, duplicates=duplicates, errors=errors
        )
        return True

    # -- before the records ---------------------------------------------------------------

    def _custodian_name(self, data: ExhibitData) -> str | None:
        return data.custodian or self.run.custodian

    def _resolve_custodians(self, items: Sequence[SourceItem]) -> None:
        cache = self.run.custodians
        names = {name for i in items if i.data is not None for name in self._holders(i.data)}
        missing = names - cache.keys()
        if not missing:
            return
        found = self.tx.custodians.by_names(self.case, missing)
        new = [
            Custodian(npcase_id=self.case, name=n, created_at=self.now)
            for n in sorted(missing - found.keys())
        ]
        if new:
            self.tx.custodians.add_many(new, skip_existing=True)
            found = self.tx.custodians.by_names(self.case, missing)
        cache.update({name: c.id for name, c in found.items()})

    def _key(self, data: ExhibitData) -> tuple[str, ...] | None:
        name = self._custodian_name(data)
        custodian = None if name is None else self.run.custodians.get(name)
        key = dedupe_key(self.run.case, data, custodian)
        return None if key is None else tuple(key[n] for n in _KEY)

    def _lookup_keys(self, items: Sequence[SourceItem]) -> None:
        """The dedupe keys of the chunk's top-level records (kept by line for `_one`), and
        the stored exhibits among them."""
        keys = self.keys
        for i in items:
            if i.data is not None and parent_of(i.data) is None:
                keys[i.line] = self._key(i.data)
        wanted = [dict(zip(_KEY, key, strict=True)) for key in keys.values() if key]
        if wanted:
            for row in self.tx.doc_dedupe.find_keys(self.case, wanted):
                self.known[tuple(getattr(row, n) for n in _KEY)] = row.exhibit_id

    def _lookup_stamps(self, items: Sequence[SourceItem]) -> None:
        """The stamps the chunk's records ask for that the case holds already: one finder per
        chunk, not a query per record."""
        numbers = {i.data.number for i in items if i.data is not None and i.data.number}
        self.taken = self.tx.exhibits.stamps_taken(self.case, numbers) if numbers else set()

    def _lookup_parents(self, items: Sequence[SourceItem]) -> None:
        refs = {ref for i in items if i.data is not None and (ref := parent_of(i.data)) is not None}
        own = {i.data.nge_document_id for i in items if i.data is not None}
        earlier = self.tx.checkpoints.done(self.case, self.batch, refs - own)
        for ref, mark in earlier.items():
            self.status[ref] = NEW if mark.exhibit_ids else DUPLICATE

    # -- one record -----------------------------------------------------------------------

    def _problem(self, item: SourceItem, problem: RecordProblem) -> None:
        self.counts[2] += 1
        if len(self.run.problems) < 1000:
            self.run.problems.append(problem)
        self._checkpoint(f"#{item.line}", item.line, [], index=False)

    def _checkpoint(self, key: str, line: int, ids: list[ExhibitId], *, index: bool) -> None:
        self.rows.checkpoints.append((self.case, self.batch, key, line, ids, index, self.now))

    def _one(self, item: SourceItem) -> None:
        data = item.data
        if data is None:
            problem = item.problem or RecordProblem(line=item.line, field=None, rule="unreadable")
            self._problem(item, problem)
            return
        nge = data.nge_document_id
        if nge and nge.isspace():
            # The checkpoint's key (process_checkpoints.nge_document_id) must not be blank.
            blank = RecordProblem(
                line=item.line,
                field="process_checkpoints.nge_document_id",
                rule="must not be blank",
            )
            self._problem(item, blank)
            return
        if nge:
            first = self.seen.get(nge) or self.done_before.get(nge)
            if first is not None and first != item.line:
                rule = f"repeats the document at line {first}"
                self._problem(
                    item, RecordProblem(line=item.line, field="nge_document_id", rule=rule)
                )
                return
            self.seen[nge] = item.line
        parent = parent_of(data)
        key = self.keys.get(item.line) if parent is None else None
        original = None if key is None else self.known.get(key)
        if original is not None or (parent is not None and self.status.get(parent) == DUPLICATE):
            self._duplicate(item, data, original)
            return
        try:
            self._new(item, data, parent, key)
        except DomainError as error:
            field = getattr(error, "field", None)
            rule = getattr(error, "rule", None) or str(error)
            self._problem(item, RecordProblem(line=item.line, field=field, rule=rule))

    def _duplicate(self, item: SourceItem, data: ExhibitData, original: ExhibitId | None) -> None:
        self.counts[1] += 1
        if data.nge_document_id:
            self.status[data.nge_document_id] = DUPLICATE
        merged = False
        if original is not None:
            self._hold(data, original)
            if self.run.merges:
                in_chunk = self.chunk_exhibits.get(original)
                if in_chunk is not None:
                    view = cast(Exhibit, _ExhibitRow(in_chunk))
                    merged = bool(merge_duplicate(self.run.case, view, data))
                else:
                    self.rows.merges.append((original, data))
        self._checkpoint(checkpoint_key(item), item.line, [], index=merged)

    def _new(
        self, item: SourceItem, data: ExhibitData, parent: str | None, key: tuple[str, ...] | None
    ) -> None:
        case, batch, now = self.case, self.batch, self.now
        nge = data.nge_document_id
        if parent is not None and nge and parent.isspace():
            field, rule = "document_relations_in_batch.parent_document_id", "must not be blank"
            raise ValidationError(field, rule)
        exhibit_id = new_exhibit_id()
        if data.number is not None:
            self._check_stamp(data.prefix, data.number)
        attachments = self._attachments(item, data, exhibit_id)
        rows = self.rows
        row = exhibit_values(data, exhibit_id=exhibit_id, npcase_id=case, batch_id=batch, now=now)
        rows.exhibits.append(row)
        self.chunk_exhibits[exhibit_id] = row
        rows.attachments += attachments
        self._hold(data, exhibit_id)
        if key is not None:
            self.known[key] = exhibit_id
            rows.keys.append((case, exhibit_id, now, *key))
        rows.sources.append(
            (new_batch_source_id(), case, batch, SourceItemType.EXHIBIT, exhibit_id, now)
        )
        if parent is not None and nge:
            rows.staged.append((new_staged_relation_id(), case, batch, parent, nge, now))
        if data.tags:
            rows.tags.append((exhibit_id, data.tags))
        if nge:
            self.status[nge] = NEW
        self._checkpoint(checkpoint_key(item), item.line, [exhibit_id], index=True)
        self.run.created.append(exhibit_id)
        self.counts[0] += 1

    def _attachments(
        self, item: SourceItem, data: ExhibitData, exhibit_id: ExhibitId
    ) -> list[tuple[Any, ...]]:
        """The native file the record names (file_name, size, type, sha256: checked by the
        record already) and its page images (checked here, through the entity)."""
        case, now = self.case, self.now
        out: list[tuple[Any, ...]] = []
        name = data.file_name or data.display_name
        if name is not None:
            if not name or name.isspace():  # the one rule the record does not check: the
                # entity raises it (attachments.file_name must not be empty or blank).
                Attachment(
                    npcase_id=case,
                    exhibit_id=exhibit_id,
                    kind=AttachmentKind.NATIVE,
                    file_name=name,
                    created_at=now,
                    updated_at=now,
                )
            out.append(
                (
                    new_attachment_id(),
                    case,
                    exhibit_id,
                    AttachmentKind.NATIVE,
                    None,
                    1,
                    name,
                    data.content_type,
                    None,
                    data.file_size,
                    data.sha256,
                    now,
                    now,
                )
            )
        for image in item.images:
            page = Attachment(
                npcase_id=case,
                exhibit_id=exhibit_id,
                kind=AttachmentKind.IMAGE,
                page=image.page,
                file_name=_base_name(image.path),
                storage_key=image.path,
                created_at=now,
                updated_at=now,
            )
            out.append(_attachment_values(page))
        return out

    def _hold(self, data: ExhibitData, exhibit: ExhibitId) -> None:
        """Provenance: the record's custodian (else the batch's) and its ALL CUSTODIANS."""
        for name in self._holders(data):
            holder = self.run.custodians[name]
            self.rows.holders.append((self.case, holder, exhibit, data.user_id, self.now))

    def _holders(self, data: ExhibitData) -> list[str]:
        first = self._custodian_name(data)
        names = ([first] if first is not None else []) + list(data.all_custodians)
        return list(dict.fromkeys(names))

    def _check_stamp(self, prefix: str, number: str) -> None:
        stamp = (prefix, number)
        if stamp in self.stamps or stamp in self.taken:
            raise ValidationError("exhibit_data.number", f"{prefix}{number} is taken in this case")
        self.stamps.add(stamp)

    # -- the writes -----------------------------------------------------------------------

    def _write(self) -> None:
        tx, rows = self.tx, self.rows
        tx.exhibit_rows.add_values(EXHIBIT_FIELDS, rows.exhibits)
        tx.attachment_rows.add_values(ATTACHMENT_FIELDS, rows.attachments)
        tx.holder_rows.add_values(HOLDER_FIELDS, rows.holders, skip_existing=True)
        tx.dedupe_rows.add_values(DEDUPE_FIELDS, rows.keys, skip_existing=True)
        tx.source_rows.add_values(SOURCE_FIELDS, rows.sources)
        tx.staged_rows.add_values(STAGED_FIELDS, rows.staged, skip_existing=True)
        tx.checkpoint_rows.add_values(CHECKPOINT_FIELDS, rows.checkpoints)
        for exhibit, texts in rows.tags:
            for text in dict.fromkeys(texts):
                tag_once(
                    tx, self.case, exhibit, find_or_add_tag(tx, self.case, text, self.now), self.now
                )
        if rows.merges:
            self._merge(rows.merges)
        if rows.exhibits:
            self.run.update_es = True
        run = self.run
        run.loaded += self.counts[0]
        run.duplicates += self.counts[1]
        run.errors += self.counts[2]

    def _merge(self, merges: list[tuple[ExhibitId, ExhibitData]]) -> None:
        """Merge duplicates into originals of earlier chunks. Only a pair where the duplicate
        has a merge field the stored original lacks can change anything (merges only fill
        empty fields), so only those originals are read as exhibits and merged, in order."""
        tx, case = self.tx, self.case
        fields = [f for f in self.run.case.dedupe_merge_fields if f != "custodians"]
        offered = []
        for exhibit_id, data in merges:
            given = {f for f in fields if getattr(data, f) is not None}
            if given:
                offered.append((exhibit_id, data, given))
        if not offered:
            return
        empty = tx.load_originals.empty_fields(case, {e for e, _d, _g in offered}, fields)
        wanted = [(e, d) for e, d, given in offered if not given.isdisjoint(empty.get(e, ()))]
        if not wanted:
            return
        originals = tx.exhibits.get_many(case, {e for e, _ in wanted})
        for exhibit_id, data in wanted:
            original = originals.get(exhibit_id)
            if original is not None and merge_duplicate(self.run.case, original, data):
                original.updated_at = self.now
                tx.exhibits.update(original)
                self.run.update_es = True


def _base_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1][:255] or path[:255]
