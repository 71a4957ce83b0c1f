"""The documents context's mappers (enums stored as their values; a checkpoint's exhibit ids
as a JSON list of UUID text)."""

from __future__ import annotations

import uuid
from typing import Any

from nexus.documents.domain.cases import Batch, Case, Custodian
from nexus.documents.domain.classification import CustomField, CustomFieldValue, Label, Tag
from nexus.documents.domain.exhibits import Attachment, Exhibit
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
from nexus.documents.domain.processing import DocDedupe, ProcessCheckpoint, TagDedupe
from nexus.documents.infrastructure import records as r
from nexus.persistence.mapper import Convert, register


def _ids_out(ids: list[uuid.UUID]) -> list[str]:
    return [str(i) for i in ids]


def _ids_in(values: Any) -> list[uuid.UUID]:
    return [uuid.UUID(v) for v in values or []]


case_mapper = register(Case, r.CaseRecord)
custodian_mapper = register(Custodian, r.CustodianRecord)
batch_mapper = register(Batch, r.BatchRecord)
exhibit_mapper = register(Exhibit, r.ExhibitRecord)
attachment_mapper = register(Attachment, r.AttachmentRecord)
label_mapper = register(Label, r.LabelRecord)
tag_mapper = register(Tag, r.TagRecord)
custom_field_mapper = register(CustomField, r.CustomFieldRecord)
custom_value_mapper = register(CustomFieldValue, r.CustomFieldValueRecord)
tagging_mapper = register(Tagging, r.TaggingRecord)
custodian_exhibit_mapper = register(CustodianExhibit, r.CustodianExhibitRecord)
batch_source_mapper = register(BatchSource, r.BatchSourceRecord)
relation_mapper = register(DocumentRelation, r.DocumentRelationRecord)
staged_relation_mapper = register(StagedRelation, r.StagedRelationRecord)
volume_mapper = register(DepositionVolume, r.DepositionVolumeRecord)
volume_exhibit_mapper = register(DepositionVolumeExhibit, r.DepositionVolumeExhibitRecord)
designation_mapper = register(Designation, r.DesignationRecord)
checkpoint_mapper = register(
    ProcessCheckpoint,
    r.ProcessCheckpointRecord,
    converters={"exhibit_ids": Convert(_ids_out, _ids_in)},
)
doc_dedupe_mapper = register(DocDedupe, r.DocDedupeRecord)
tag_dedupe_mapper = register(TagDedupe, r.TagDedupeRecord)
