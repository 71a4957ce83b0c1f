"""The documents read side, written once for both adapters. Lists filter by the case first;
relation filters (custodian, tag, label) are batch reads of their join tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from nexus.documents.application.query import ExhibitQuery, TrashState
from nexus.documents.application.results import (
    CaseResult,
    CustodianResult,
    CustomFieldResult,
    ExhibitResult,
    LabelResult,
    TagResult,
    VolumeResult,
)
from nexus.documents.domain.ids import CaseId
from nexus.documents.infrastructure import records as m
from nexus.persistence.repository import Queries
from nexus.persistence.tables import Cmp
from nexus.shared.usecases import Page

ORDER = ("created_at", "id")
# Every instant is at or after this: `deleted_at >= it` means "in the trash".
IN_TRASH = Cmp(">=", datetime.min.replace(tzinfo=UTC))


class DocumentsQueries(Queries):
    def list_cases(self, *, include_deleted: bool, page: Page) -> list[CaseResult]:
        where: dict[str, Any] = {} if include_deleted else {"deleted_at": None}
        found = self._rows(m.case_mapper, where, ORDER, page.limit, page.offset)
        return [CaseResult.from_entity(c) for c in found]

    def count_cases(self, *, include_deleted: bool) -> int:
        return self._count(m.case_mapper, **({} if include_deleted else {"deleted_at": None}))

    @staticmethod
    def _exhibit_filter(case: CaseId, query: ExhibitQuery) -> dict[str, Any]:
        where: dict[str, Any] = {"npcase_id": case}
        if query.trash is TrashState.LIVE:
            where["deleted_at"] = None
        elif query.trash is TrashState.TRASHED:
            where["deleted_at"] = IN_TRASH
        if query.batch_id is not None:
            where["batch_id"] = query.batch_id
        return where

    def count_exhibits(self, case: CaseId, query: ExhibitQuery) -> int:
        where = self._exhibit_filter(case, query)
        ids = self._related_ids(case, query)
        if ids is None:
            return self._count(m.exhibit_mapper, **where)
        return len(self._rows_in(m.exhibit_mapper, "id", ids, **where))

    def list_exhibits(self, case: CaseId, query: ExhibitQuery) -> list[ExhibitResult]:
        where = self._exhibit_filter(case, query)
        ids = self._related_ids(case, query)
        page = query.page
        if ids is None:
            found = self._rows(m.exhibit_mapper, where, ORDER, page.limit, page.offset)
        else:
            rows = self._rows_in(m.exhibit_mapper, "id", ids, **where)
            rows.sort(key=lambda e: (e.created_at, e.id))
            found = rows[page.offset : page.offset + page.limit]
        return [ExhibitResult.of(e) for e in found]

    def _related_ids(self, case: CaseId, query: ExhibitQuery) -> set[Any] | None:
        """The exhibit ids the relation filters allow (None: no relation filter)."""
        sets: list[set[Any]] = []
        if query.custodian_id is not None:
            rows = self._rows(
                m.custodian_exhibit_mapper,
                {"npcase_id": case, "custodian_id": query.custodian_id},
            )
            sets.append({r.exhibit_id for r in rows})
        if query.tag_id is not None:
            rows_t = self._rows(m.tagging_mapper, {"npcase_id": case, "tag_id": query.tag_id})
            sets.append({r.exhibit_id for r in rows_t})
        if query.label_id is not None:
            rows_d = self._rows(
                m.designation_mapper, {"npcase_id": case, "label_id": query.label_id}
            )
            sets.append({r.exhibit_id for r in rows_d})
        if not sets:
            return None
        return set.intersection(*sets)

    def list_custodians(self, case: CaseId) -> list[CustodianResult]:
        found = self._rows(m.custodian_mapper, {"npcase_id": case}, ("name",))
        return [CustodianResult.from_entity(c) for c in found]

    def list_tags(self, case: CaseId) -> list[TagResult]:
        found = self._rows(m.tag_mapper, {"npcase_id": case}, ORDER)
        return [TagResult.from_entity(t) for t in found]

    def list_labels(self, case: CaseId) -> list[LabelResult]:
        found = self._rows(m.label_mapper, {"npcase_id": case}, ("position", "name", "id"))
        return [LabelResult.from_entity(label) for label in found]

    def list_custom_fields(self, case: CaseId) -> list[CustomFieldResult]:
        found = self._rows(m.custom_field_mapper, {"npcase_id": case}, ("position", "name"))
        return [CustomFieldResult.from_entity(f) for f in found]

    def list_volumes(self, case: CaseId) -> list[VolumeResult]:
        volumes = self._rows(m.volume_mapper, {"npcase_id": case}, ("name",))
        marks = self._rows_in(
            m.volume_exhibit_mapper, "deposition_volume_id", [v.id for v in volumes], npcase_id=case
        )
        by_volume: dict[Any, dict[str, Any]] = {}
        for mark in marks:
            by_volume.setdefault(mark.deposition_volume_id, {})[mark.exhibit_number] = (
                mark.exhibit_id
            )
        return [VolumeResult.from_entity(v, exhibits=by_volume.get(v.id, {})) for v in volumes]
