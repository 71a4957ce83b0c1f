"""The documents context's typed ids (UUIDv7): one per table with a surrogate key."""

from __future__ import annotations

import uuid
from typing import NewType

from nexus.shared.ids import new_id

CaseId = NewType("CaseId", uuid.UUID)
BatchId = NewType("BatchId", uuid.UUID)
ExhibitId = NewType("ExhibitId", uuid.UUID)
AttachmentId = NewType("AttachmentId", uuid.UUID)
CustodianId = NewType("CustodianId", uuid.UUID)
LabelId = NewType("LabelId", uuid.UUID)
TagId = NewType("TagId", uuid.UUID)
CustomFieldId = NewType("CustomFieldId", uuid.UUID)
RelationId = NewType("RelationId", uuid.UUID)
StagedRelationId = NewType("StagedRelationId", uuid.UUID)
BatchSourceId = NewType("BatchSourceId", uuid.UUID)
DepositionVolumeId = NewType("DepositionVolumeId", uuid.UUID)
DesignationId = NewType("DesignationId", uuid.UUID)

# tag_dedupe.custom_field_id is part of its primary key, so "no custom field" is the nil UUID.
NO_CUSTOM_FIELD = CustomFieldId(uuid.UUID(int=0))


def new_case_id() -> CaseId:
    return CaseId(new_id())


def new_batch_id() -> BatchId:
    return BatchId(new_id())


def new_exhibit_id() -> ExhibitId:
    return ExhibitId(new_id())


def new_attachment_id() -> AttachmentId:
    return AttachmentId(new_id())


def new_custodian_id() -> CustodianId:
    return CustodianId(new_id())


def new_label_id() -> LabelId:
    return LabelId(new_id())


def new_tag_id() -> TagId:
    return TagId(new_id())


def new_custom_field_id() -> CustomFieldId:
    return CustomFieldId(new_id())


def new_relation_id() -> RelationId:
    return RelationId(new_id())


def new_staged_relation_id() -> StagedRelationId:
    return StagedRelationId(new_id())


def new_batch_source_id() -> BatchSourceId:
    return BatchSourceId(new_id())


def new_deposition_volume_id() -> DepositionVolumeId:
    return DepositionVolumeId(new_id())


def new_designation_id() -> DesignationId:
    return DesignationId(new_id())
