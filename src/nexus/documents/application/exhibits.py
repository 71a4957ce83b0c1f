"""Use cases on exhibits: add one document, read and list, relate and families, the trash."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from nexus.documents.application.cases import find_or_add_custodian
from nexus.documents.application.classification import find_or_add_tag, tag_once
from nexus.documents.application.ports import DocumentsUnitOfWork
from nexus.documents.application.query import ExhibitQuery
from nexus.documents.application.results import (
    AddExhibitResult,
    ExhibitResult,
    FamilyResult,
    PurgeResult,
    RelationResult,
)
from nexus.documents.application.support import DocumentsUseCases, case_id, live
from nexus.documents.domain.dedupe import dedupe_key, merge_duplicate
from nexus.documents.domain.enums import RelationKind, SourceItemType
from nexus.documents.domain.exhibit_data import ExhibitData, build_exhibit, native_attachment
from nexus.documents.domain.exhibits import Exhibit
from nexus.documents.domain.ids import CaseId, ExhibitId
from nexus.documents.domain.links import (
    BatchSource,
    CustodianExhibit,
    DocumentRelation,
    StagedRelation,
)
from nexus.documents.domain.processing import DocDedupe
from nexus.shared.entity import to_enum
from nexus.shared.errors import ConflictError, ValidationError
from nexus.shared.ids import parse_id
from nexus.shared.usecases import transaction

MAX_PURGE_DAYS = 36_500


def _exhibit(value: str | uuid.UUID, field: str = "exhibit_id") -> ExhibitId:
    return ExhibitId(parse_id(value, field=field))


def _data(data: Any) -> ExhibitData:
    return data if isinstance(data, ExhibitData) else ExhibitData.from_dict(data)


def _check_stamp_free(tx: DocumentsUnitOfWork, exhibit: Exhibit) -> None:
    """A trashed exhibit keeps its stamp until it is purged (the partial unique index holds
    live exhibits to it; this holds trashed ones, so a restore never collides)."""
    if exhibit.number is None:
        return
    holder = tx.exhibits.find_by_stamp(exhibit.npcase_id, exhibit.prefix, exhibit.number)
    if holder is not None:
        where = "a trashed exhibit until it is purged" if holder.in_trash else "a live exhibit"
        raise ConflictError(
            f"exhibits.prefix+number: {exhibit.stamp} is held by {where}",
            field="exhibits.prefix+number",
        )


class Exhibits(DocumentsUseCases):
    @transaction
    def add_exhibit(
        self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID, data: ExhibitData | dict[str, Any]
    ) -> AddExhibitResult:
        """Add one document: its exhibit, native attachment, custodian link, tags, batch
        source and family relation, in one transaction. A duplicate (same dedupe key in the
        case's scope) creates no exhibit: its custodian joins the original's (provenance) and
        the case's merge fields fill what the original lacks."""
        record = _data(data)
        case = live(tx.cases.get(case_id(case_id_)))
        now = self.clock.now()
        batch = None if record.batch_id is None else tx.batches.get(case.id, record.batch_id)
        custodian = None
        if record.custodian is not None:
            custodian = find_or_add_custodian(tx, case.id, record.custodian, now)
        elif batch is not None and batch.custodian_id is not None:
            custodian = tx.custodians.get(case.id, batch.custodian_id)
        custodian_id = None if custodian is None else custodian.id
        key = dedupe_key(case, record, custodian_id)
        known = None if key is None else tx.doc_dedupe.find_key(case.id, key)
        if known is not None:
            original = tx.exhibits.get(case.id, known.exhibit_id)
            changed = merge_duplicate(case, original, record)
            if changed:
                original.updated_at = now
                tx.exhibits.update(original)
            if custodian_id is not None and (
                tx.custodian_exhibits.find_pair(case.id, custodian_id, original.id) is None
            ):
                tx.custodian_exhibits.add(
                    CustodianExhibit(
                        npcase_id=case.id,
                        custodian_id=custodian_id,
                        exhibit_id=original.id,
                        user_id=record.user_id,
                        created_at=now,
                    )
                )
            return AddExhibitResult(
                update_es=bool(changed), exhibit_ids=[], duplicate_of=original.id
            )
        exhibit = build_exhibit(record, npcase_id=case.id, now=now)
        _check_stamp_free(tx, exhibit)
        tx.exhibits.add(exhibit)
        attachment = native_attachment(record, exhibit, now)
        if attachment is not None:
            tx.attachments.add(attachment)
        if custodian_id is not None:
            tx.custodian_exhibits.add(
                CustodianExhibit(
                    npcase_id=case.id,
                    custodian_id=custodian_id,
                    exhibit_id=exhibit.id,
                    user_id=record.user_id,
                    created_at=now,
                )
            )
        for text in dict.fromkeys(record.tags):
            tag_once(tx, case.id, exhibit.id, find_or_add_tag(tx, case.id, text, now), now)
        if key is not None:
            tx.doc_dedupe.add(
                DocDedupe(npcase_id=case.id, exhibit_id=exhibit.id, created_at=now, **key)
            )
        if batch is not None:
            tx.batch_sources.add(
                BatchSource(
                    npcase_id=case.id,
                    batch_id=batch.id,
                    item_type=SourceItemType.EXHIBIT,
                    item_id=exhibit.id,
                    created_at=now,
                )
            )
        parent_ref = record.parent_document_id
        if parent_ref is not None:
            parent = tx.exhibits.by_nge_document_ids(case.id, [parent_ref]).get(parent_ref)
            if parent is not None:
                tx.relations.add(
                    DocumentRelation(
                        npcase_id=case.id,
                        from_id=parent.id,
                        to_id=exhibit.id,
                        relation=RelationKind.ATTACHMENT,
                        created_at=now,
                    )
                )
            elif batch is not None and record.nge_document_id is not None:
                tx.staged_relations.add(
                    StagedRelation(
                        npcase_id=case.id,
                        batch_id=batch.id,
                        parent_document_id=parent_ref,
                        child_document_id=record.nge_document_id,
                        created_at=now,
                    )
                )
            else:
                raise ValidationError(
                    "exhibit_data.parent_document_id", "names no document of this case"
                )
        return AddExhibitResult(update_es=True, exhibit_ids=[exhibit.id])

    @transaction
    def get_exhibit(
        self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID, exhibit_id: str | uuid.UUID
    ) -> ExhibitResult:
        """The exhibit (trashed or not), with its custodians, tags and attachment file names."""
        case = case_id(case_id_)
        exhibit = tx.exhibits.get(case, _exhibit(exhibit_id))
        holders = tx.custodian_exhibits.of_exhibits(case, [exhibit.id])
        custodians = tx.custodians.get_many(case, [h.custodian_id for h in holders])
        taggings = tx.taggings.of_exhibit(case, exhibit.id)
        tags = tx.tags.get_many(case, [t.tag_id for t in taggings])
        attachments = tx.attachments.for_exhibits(case, [exhibit.id])
        return ExhibitResult.of(
            exhibit,
            custodians=sorted(c.name for c in custodians.values()),
            tags=sorted(t.name for t in tags.values()),
            attachments=[a.file_name for a in attachments],
        )

    def list_exhibits(
        self, case_id_: str | uuid.UUID, query: ExhibitQuery | None = None
    ) -> list[ExhibitResult]:
        """The case's exhibits matching the query (live ones by default), oldest first."""
        return self.queries.list_exhibits(case_id(case_id_), query or ExhibitQuery())

    def count_exhibits(self, case_id_: str | uuid.UUID, query: ExhibitQuery | None = None) -> int:
        """How many exhibits `list_exhibits` pages through with the same filters."""
        return self.queries.count_exhibits(case_id(case_id_), query or ExhibitQuery())

    # -- relations ------------------------------------------------------------------------

    @transaction
    def relate(
        self,
        tx: DocumentsUnitOfWork,
        case_id_: str | uuid.UUID,
        from_id: str | uuid.UUID,
        to_id: str | uuid.UUID,
        relation: str,
    ) -> RelationResult:
        """Record that `to_id` is the `relation` (parent, attachment, duplicate, thread) of
        `from_id`; relating twice gives the same row."""
        case = live(tx.cases.get(case_id(case_id_)))
        kind = to_enum(RelationKind, "document_relations.relation", relation)
        source = tx.exhibits.get(case.id, _exhibit(from_id, "from_id"))
        target = tx.exhibits.get(case.id, _exhibit(to_id, "to_id"))
        found = tx.relations.find_relation(case.id, source.id, target.id, kind.value)
        if found is None:
            found = DocumentRelation(
                npcase_id=case.id,
                from_id=source.id,
                to_id=target.id,
                relation=kind,
                created_at=self.clock.now(),
            )
            tx.relations.add(found)
        return RelationResult.from_entity(found)

    @transaction
    def family(
        self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID, exhibit_id: str | uuid.UUID
    ) -> FamilyResult:
        """The exhibit's parent, its attachments, and every relation touching it."""
        case = case_id(case_id_)
        exhibit = tx.exhibits.get(case, _exhibit(exhibit_id))
        outgoing = tx.relations.from_exhibit(case, exhibit.id)
        incoming = tx.relations.to_exhibit(case, exhibit.id)
        parents = [r.from_id for r in incoming if r.relation is RelationKind.ATTACHMENT] + [
            r.to_id for r in outgoing if r.relation is RelationKind.PARENT
        ]
        children = [r.to_id for r in outgoing if r.relation is RelationKind.ATTACHMENT] + [
            r.from_id for r in incoming if r.relation is RelationKind.PARENT
        ]
        return FamilyResult(
            exhibit_id=exhibit.id,
            parent_id=parents[0] if parents else None,
            attachment_ids=list(dict.fromkeys(children)),
            related=[RelationResult.from_entity(r) for r in outgoing + incoming],
        )

    # -- the trash ------------------------------------------------------------------------

    @transaction
    def trash(
        self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID, exhibit_id: str | uuid.UUID
    ) -> ExhibitResult:
        exhibit = tx.exhibits.get(case_id(case_id_), _exhibit(exhibit_id))
        exhibit.trash(self.clock.now())
        tx.exhibits.update(exhibit)
        return ExhibitResult.of(exhibit)

    @transaction
    def restore(
        self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID, exhibit_id: str | uuid.UUID
    ) -> ExhibitResult:
        """Back from the trash; refused (ConflictError) when a live exhibit took its stamp."""
        exhibit = tx.exhibits.get(case_id(case_id_), _exhibit(exhibit_id))
        exhibit.restore(self.clock.now())
        tx.exhibits.update(exhibit)
        return ExhibitResult.of(exhibit)

    @transaction
    def purge(
        self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID, older_than_days: int = 90
    ) -> PurgeResult:
        """Remove exhibits trashed more than `older_than_days` ago, with every row pointing at
        them (attachments, taggings, provenance, relations, designations, values, deposition
        marks, dedupe keys, batch sources), in one transaction."""
        if isinstance(older_than_days, bool) or not isinstance(older_than_days, int):
            raise ValidationError("older_than_days", "must be a whole number of days")
        if not 0 <= older_than_days <= MAX_PURGE_DAYS:
            raise ValidationError("older_than_days", f"must be between 0 and {MAX_PURGE_DAYS}")
        case: CaseId = tx.cases.get(case_id(case_id_)).id
        cutoff = self.clock.now() - timedelta(days=older_than_days)
        doomed = [e.id for e in tx.exhibits.trashed_before(case, cutoff)]
        attachments = [a.id for a in tx.attachments.for_exhibits(case, doomed)]
        tx.batch_sources.forget_items(case, SourceItemType.ATTACHMENT, attachments)
        tx.batch_sources.forget_items(case, SourceItemType.EXHIBIT, doomed)
        tx.exhibits.delete_many(case, doomed)
        return PurgeResult(purged=len(doomed), exhibit_ids=[*doomed])
