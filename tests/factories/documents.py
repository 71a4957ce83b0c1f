"""Valid documents entities with overridable fields, for tests (one example per mapper)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from nexus.documents.domain.cases import Batch, Case, Custodian
from nexus.documents.domain.classification import CustomField, CustomFieldValue, Label, Tag
from nexus.documents.domain.enums import AttachmentKind, FieldType, RelationKind, SourceItemType
from nexus.documents.domain.exhibit_data import ExhibitData
from nexus.documents.domain.exhibits import Attachment, Exhibit
from nexus.documents.domain.ids import CaseId, new_case_id, new_exhibit_id
from nexus.documents.domain.links import (
    BatchSource,
    CustodianExhibit,
    DepositionVolume,
    DepositionVolumeExhibit,
    Designation,
    DocumentRelation,
    StagedRelation,
    Tagging,
)
from nexus.documents.domain.processing import DocDedupe, ProcessCheckpoint, TagDedupe, tag_key
from nexus.shared.ids import new_id
from tests.factories.common import NOW

CASE_ID = CaseId(uuid.UUID("0190a000-0000-7000-8000-000000000001"))


def _ids(*names: str) -> dict[str, Any]:
    return {n: new_id() for n in names}


def _build(cls: type[Any], defaults: dict[str, Any], overrides: dict[str, Any]) -> Any:
    return cls(**{**defaults, **overrides})


def make_case(**overrides: Any) -> Case:
    defaults = {
        "id": new_case_id(),
        "name": "Acme v. Widget Co.",
        "near_dupe_info": {"enabled": True, "threshold": 90},
        "bulk_redaction_info": {"enabled": False, "terms": ["SSN"]},
        "created_at": NOW,
        "updated_at": NOW,
    }
    return _build(Case, defaults, overrides)


def make_custodian(**overrides: Any) -> Custodian:
    return _build(
        Custodian, {"npcase_id": CASE_ID, "name": "Jane Doe", "created_at": NOW}, overrides
    )


def make_batch(**overrides: Any) -> Batch:
    defaults = {"npcase_id": CASE_ID, "name": "PROD001", "created_at": NOW, "updated_at": NOW}
    return _build(Batch, defaults, overrides)


def make_exhibit(**overrides: Any) -> Exhibit:
    defaults = {
        "npcase_id": CASE_ID,
        "prefix": "ACME",
        "number": f"{uuid.uuid4().int % 10**7:07d}",
        "title": "Q3 forecast",
        "message_id": "<abc@example.org>",
        "md5": "0" * 32,
        "sent_at": NOW,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return _build(Exhibit, defaults, overrides)


def make_attachment(**overrides: Any) -> Attachment:
    defaults = {
        "npcase_id": CASE_ID,
        "exhibit_id": new_exhibit_id(),
        "kind": AttachmentKind.NATIVE,
        "file_name": "forecast.xlsx",
        "size_bytes": 12_345,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return _build(Attachment, defaults, overrides)


def make_label(**overrides: Any) -> Label:
    return _build(Label, {"npcase_id": CASE_ID, "name": "Hot", "created_at": NOW}, overrides)


def make_tag(**overrides: Any) -> Tag:
    defaults = {"npcase_id": CASE_ID, "name": "Privileged", "created_at": NOW, "updated_at": NOW}
    return _build(Tag, defaults, overrides)


def make_custom_field(**overrides: Any) -> CustomField:
    defaults = {
        "npcase_id": CASE_ID,
        "name": "Review status",
        "field_type": FieldType.CHOICE,
        "options": ["open", "done"],
        "created_at": NOW,
    }
    return _build(CustomField, defaults, overrides)


def make_custom_value(**overrides: Any) -> CustomFieldValue:
    defaults = {"npcase_id": CASE_ID, "value": "open", "updated_at": NOW}
    return _build(CustomFieldValue, defaults | _ids("exhibit_id", "custom_field_id"), overrides)


def make_tagging(**overrides: Any) -> Tagging:
    return _build(
        Tagging, {"npcase_id": CASE_ID, "created_at": NOW} | _ids("exhibit_id", "tag_id"), overrides
    )


def make_custodian_exhibit(**overrides: Any) -> CustodianExhibit:
    defaults = {"npcase_id": CASE_ID, "created_at": NOW} | _ids("custodian_id", "exhibit_id")
    return _build(CustodianExhibit, defaults, overrides)


def make_batch_source(**overrides: Any) -> BatchSource:
    defaults = {
        "npcase_id": CASE_ID,
        "item_type": SourceItemType.EXHIBIT,
        "created_at": NOW,
    } | _ids("batch_id", "item_id")
    return _build(BatchSource, defaults, overrides)


def make_relation(**overrides: Any) -> DocumentRelation:
    defaults = {
        "npcase_id": CASE_ID,
        "relation": RelationKind.ATTACHMENT,
        "created_at": NOW,
    } | _ids("from_id", "to_id")
    return _build(DocumentRelation, defaults, overrides)


def make_staged_relation(**overrides: Any) -> StagedRelation:
    defaults = {
        "npcase_id": CASE_ID,
        "batch_id": new_id(),
        "parent_document_id": "DOC-0001",
        "child_document_id": "DOC-0002",
        "created_at": NOW,
    }
    return _build(StagedRelation, defaults, overrides)


def make_volume(**overrides: Any) -> DepositionVolume:
    defaults = {"npcase_id": CASE_ID, "name": "Smith Vol. I", "taken_at": NOW, "created_at": NOW}
    return _build(DepositionVolume, defaults, overrides)


def make_volume_exhibit(**overrides: Any) -> DepositionVolumeExhibit:
    defaults = {"npcase_id": CASE_ID, "exhibit_number": "Smith 12", "created_at": NOW} | _ids(
        "deposition_volume_id", "exhibit_id"
    )
    return _build(DepositionVolumeExhibit, defaults, overrides)


def make_designation(**overrides: Any) -> Designation:
    defaults = {
        "npcase_id": CASE_ID,
        "page_start": 3,
        "line_start": 1,
        "page_end": 4,
        "line_end": 12,
        "created_at": NOW,
        "updated_at": NOW,
    } | _ids("exhibit_id", "label_id")
    return _build(Designation, defaults, overrides)


def make_checkpoint(**overrides: Any) -> ProcessCheckpoint:
    defaults = {
        "npcase_id": CASE_ID,
        "batch_id": new_id(),
        "nge_document_id": "DOC-0001",
        "checkpoint_id": 7,
        "exhibit_ids": [new_exhibit_id()],
        "created_at": NOW,
    }
    return _build(ProcessCheckpoint, defaults, overrides)


def make_doc_dedupe(**overrides: Any) -> DocDedupe:
    key = DocDedupe.key_for(message_id="<m@x>", bcc="a@x;b@x", md5="A" * 32, doc_type="email")
    defaults = {"npcase_id": CASE_ID, "exhibit_id": new_exhibit_id(), "created_at": NOW} | key
    return _build(DocDedupe, defaults, overrides)


def make_tag_dedupe(**overrides: Any) -> TagDedupe:
    defaults = {
        "npcase_id": CASE_ID,
        "name": tag_key("Privileged"),
        "tag_id": new_id(),
        "created_at": NOW,
    }
    return _build(TagDedupe, defaults, overrides)


def make_exhibit_data(**overrides: Any) -> ExhibitData:
    defaults: dict[str, Any] = {
        "prefix": "ACME",
        "number": "0000001",
        "title": "Q3 forecast",
        "message_id": "<q3@example.org>",
        "email_from": "ceo@example.org",
        "recipients": "cfo@example.org",
        "sent_at": NOW,
        "md5": "ab" * 16,
        "nge_document_id": "DOC-0001",
        "file_name": "q3.msg",
        "custodian": "Jane Doe",
        "tags": ("Hot",),
    }
    return ExhibitData(**{**defaults, **overrides})


DOCUMENTS_EXAMPLES: dict[type[Any], Callable[[], Any]] = {
    Case: make_case,
    Custodian: make_custodian,
    Batch: make_batch,
    Exhibit: make_exhibit,
    Attachment: make_attachment,
    Label: make_label,
    Tag: make_tag,
    CustomField: make_custom_field,
    CustomFieldValue: make_custom_value,
    Tagging: make_tagging,
    CustodianExhibit: make_custodian_exhibit,
    BatchSource: make_batch_source,
    DocumentRelation: make_relation,
    StagedRelation: make_staged_relation,
    DepositionVolume: make_volume,
    DepositionVolumeExhibit: make_volume_exhibit,
    Designation: make_designation,
    ProcessCheckpoint: make_checkpoint,
    DocDedupe: make_doc_dedupe,
    TagDedupe: make_tag_dedupe,
}
