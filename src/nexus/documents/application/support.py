"""The base of the documents use-case groups: shared dependencies and the checks most use
cases start with (the case exists and is live; an exhibit is in the case)."""

from __future__ import annotations

import uuid

from nexus.documents.application.ports import DocumentsQueries, DocumentsUnitOfWorkFactory
from nexus.documents.domain.cases import Case
from nexus.documents.domain.ids import CaseId
from nexus.shared.clock import Clock
from nexus.shared.errors import ConflictError
from nexus.shared.ids import parse_id


class DocumentsUseCases:
    """`app.documents` is one object made of the groups (cases, classification, exhibits);
    each method is one use case, named once."""

    def __init__(
        self, *, uow: DocumentsUnitOfWorkFactory, queries: DocumentsQueries, clock: Clock
    ) -> None:
        self.uow = uow
        self.queries = queries
        self.clock = clock


def case_id(value: str | uuid.UUID) -> CaseId:
    return CaseId(parse_id(value, field="npcases.id"))


def live(case: Case) -> Case:
    """The case, unless it is deleted (a deleted case takes no writes until restored)."""
    if case.deleted_at is not None:
        raise ConflictError(f"case {case.id} is deleted; restore it first", field="npcases")
    return case
