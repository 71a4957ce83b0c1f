"""The rows joining exhibits to the rest of their case: taggings, custodians (provenance),
batch sources, relations (and their per-batch staging), deposition volumes, designations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from nexus.documents.domain.enums import RelationKind, SourceItemType, to_item_type, to_relation
from nexus.documents.domain.ids import (
    BatchId,
    BatchSourceId,
    CaseId,
    CustodianId,
    DepositionVolumeId,
    DesignationId,
    ExhibitId,
    LabelId,
    RelationId,
    StagedRelationId,
    TagId,
    new_batch_source_id,
    new_deposition_volume_id,
    new_designation_id,
    new_relation_id,
    new_staged_relation_id,
)
from nexus.shared.entity import Entity, aware_datetime, integer, text
from nexus.shared.errors import ValidationError
from nexus.shared.ids import UserId

CREATED = aware_datetime()
DOCUMENT_ID = text(min_length=1, max_length=255)
PAGE_LINE = integer(minimum=1, maximum=2**31 - 1)


@attrs.define(kw_only=True)
class Tagging(Entity):
    __label__ = "taggings"

    npcase_id: CaseId
    exhibit_id: ExhibitId
    tag_id: TagId
    created_at: datetime = attrs.field(validator=CREATED)


@attrs.define(kw_only=True)
class CustodianExhibit(Entity):
    """A custodian holds the exhibit: the provenance deduplication must never lose."""

    __label__ = "custodian_exhibits"

    npcase_id: CaseId
    custodian_id: CustodianId
    exhibit_id: ExhibitId
    user_id: UserId | None = None
    created_at: datetime = attrs.field(validator=CREATED)


@attrs.define(kw_only=True)
class BatchSource(Entity):
    """An item a batch brought in (polymorphic, as in the seed: an Exhibit or Attachment)."""

    __label__ = "batch_sources"

    id: BatchSourceId = attrs.field(factory=new_batch_source_id)
    npcase_id: CaseId
    batch_id: BatchId
    item_type: SourceItemType = attrs.field(converter=to_item_type)
    item_id: Any  # an ExhibitId or an AttachmentId, as item_type says
    created_at: datetime = attrs.field(validator=CREATED)


@attrs.define(kw_only=True)
class DocumentRelation(Entity):
    """`from_id` is the `relation` of `to_id`: parent, attachment, duplicate or thread."""

    __label__ = "document_relations"

    id: RelationId = attrs.field(factory=new_relation_id)
    npcase_id: CaseId
    from_id: ExhibitId
    to_id: ExhibitId = attrs.field()
    relation: RelationKind = attrs.field(converter=to_relation)
    created_at: datetime = attrs.field(validator=CREATED)

    @to_id.validator
    def _not_itself(self, _attribute: Any, value: Any) -> None:
        if value == self.from_id:
            raise ValidationError("document_relations.to_id", "must differ from from_id")


@attrs.define(kw_only=True)
class StagedRelation(Entity):
    """A parent/child pair found while a batch loads, by producer document ids; resolved into
    document_relations when the batch ends (the parent may arrive after the child)."""

    __label__ = "document_relations_in_batch"

    id: StagedRelationId = attrs.field(factory=new_staged_relation_id)
    npcase_id: CaseId
    batch_id: BatchId
    parent_document_id: str = attrs.field(validator=DOCUMENT_ID)
    child_document_id: str = attrs.field(validator=DOCUMENT_ID)
    created_at: datetime = attrs.field(validator=CREATED)


@attrs.define(kw_only=True)
class DepositionVolume(Entity):
    __label__ = "deposition_volumes"

    id: DepositionVolumeId = attrs.field(factory=new_deposition_volume_id)
    npcase_id: CaseId
    name: str = attrs.field(validator=text(min_length=1, max_length=255))
    deponent: str | None = attrs.field(default=None, validator=text(max_length=255, optional=True))
    taken_at: datetime | None = attrs.field(default=None, validator=aware_datetime(optional=True))
    created_at: datetime = attrs.field(validator=CREATED)


@attrs.define(kw_only=True)
class DepositionVolumeExhibit(Entity):
    """An exhibit used in a deposition volume, with its number as marked in that volume."""

    __label__ = "deposition_volume_exhibits"

    npcase_id: CaseId
    deposition_volume_id: DepositionVolumeId
    exhibit_id: ExhibitId
    exhibit_number: str = attrs.field(validator=text(min_length=1, max_length=50))
    created_at: datetime = attrs.field(validator=CREATED)


def _optional_page_line(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        PAGE_LINE(instance, attribute, value)


@attrs.define(kw_only=True)
class Designation(Entity):
    """An exhibit under a label, optionally at a page/line range (transcript designations)."""

    __label__ = "exh_designations"

    id: DesignationId = attrs.field(factory=new_designation_id)
    npcase_id: CaseId
    exhibit_id: ExhibitId
    label_id: LabelId
    page_start: int | None = attrs.field(default=None, validator=_optional_page_line)
    line_start: int | None = attrs.field(default=None, validator=_optional_page_line)
    page_end: int | None = attrs.field(default=None, validator=_optional_page_line)
    line_end: int | None = attrs.field(default=None, validator=_optional_page_line)
    notes: str | None = attrs.field(default=None, validator=text(max_length=100_000, optional=True))
    created_at: datetime = attrs.field(validator=CREATED)
    updated_at: datetime = attrs.field(validator=CREATED)

    def __attrs_post_init__(self) -> None:
        start = (self.page_start or 0, self.line_start or 0)
        end = (self.page_end or 0, self.line_end or 0)
        if self.page_end is not None and self.page_start is None:
            raise ValidationError("exh_designations.page_start", "is required with page_end")
        if self.page_end is not None and end < start:
            raise ValidationError("exh_designations.page_end", "must not come before the start")
