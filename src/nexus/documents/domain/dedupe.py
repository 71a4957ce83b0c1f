"""Document deduplication rules: the key of an incoming record in its case, and what a
duplicate merges into the original (the fields the case names, where the original is empty)."""

from __future__ import annotations

from nexus.documents.domain.cases import Case
from nexus.documents.domain.enums import DedupeScope
from nexus.documents.domain.exhibit_data import ExhibitData
from nexus.documents.domain.exhibits import Exhibit
from nexus.documents.domain.ids import CustodianId
from nexus.documents.domain.processing import DocDedupe

EMAIL = "email"
EFILE = "efile"


def dedupe_key(
    case: Case, data: ExhibitData, custodian: CustodianId | None
) -> dict[str, str] | None:
    """The doc_dedupe key columns of `data` in `case`, or None when the record has nothing to
    match on (no MD5, and no message id or the case ignores message ids)."""
    message_id = data.message_id if case.dedupe_message_id else None
    if data.md5 is None and message_id is None:
        return None
    doc_type = EMAIL if data.message_id is not None else (data.document_type or EFILE)
    return DocDedupe.key_for(
        message_id=message_id,
        bcc=data.bcc,
        md5=data.md5,
        doc_type=doc_type,
        custodian_id=custodian if case.dedupe_scope is DedupeScope.CUSTODIAN else None,
    )


def merge_duplicate(case: Case, original: Exhibit, data: ExhibitData) -> list[str]:
    """Copy into `original` the merge fields it lacks and the duplicate has; the names of the
    fields that changed. (Custodians merge as provenance rows, not here.)"""
    changed = []
    for field in case.dedupe_merge_fields:
        if field == "custodians":
            continue
        incoming = getattr(data, field)
        if getattr(original, field) is None and incoming is not None:
            setattr(original, field, incoming)
            changed.append(field)
    return changed
