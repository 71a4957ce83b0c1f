"""Use cases on tags (deduplicated through tag_dedupe), labels and folders, custom fields and
their values, and designations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from nexus.documents.application.ports import DocumentsUnitOfWork
from nexus.documents.application.results import (
    CustomFieldResult,
    DesignationResult,
    LabelResult,
    TagResult,
)
from nexus.documents.application.support import DocumentsUseCases, case_id, live
from nexus.documents.domain.classification import CustomField, CustomFieldValue, Label, Tag
from nexus.documents.domain.enums import LabelKind
from nexus.documents.domain.ids import (
    NO_CUSTOM_FIELD,
    CaseId,
    CustomFieldId,
    ExhibitId,
    LabelId,
    TagId,
)
from nexus.documents.domain.links import Designation, Tagging
from nexus.documents.domain.processing import TagDedupe, tag_key
from nexus.shared.errors import ConflictError, ValidationError
from nexus.shared.ids import parse_id
from nexus.shared.usecases import transaction


def find_or_add_tag(
    tx: DocumentsUnitOfWork,
    case: CaseId,
    text: str,
    now: datetime,
    field: CustomFieldId | None = None,
) -> Tag:
    """The case's tag with this text (and custom field), created on first use. The key is the
    SHA-256 of the full text, so a 100,000-character tag is one tag like any other; two
    writers racing leave one (the loser's insert conflicts and the use case runs again)."""
    tag = Tag(npcase_id=case, name=text, custom_field_id=field, created_at=now, updated_at=now)
    digest = tag_key(tag.name)
    known = tx.tag_dedupe.find_key(case, digest, field or NO_CUSTOM_FIELD)
    if known is not None:
        return tx.tags.get(case, known.tag_id)
    tx.tags.add(tag)
    tx.tag_dedupe.add(
        TagDedupe(
            npcase_id=case,
            name=digest,
            custom_field_id=field or NO_CUSTOM_FIELD,
            tag_id=tag.id,
            created_at=now,
        )
    )
    return tag


def tag_once(
    tx: DocumentsUnitOfWork, case: CaseId, exhibit: ExhibitId, tag: Tag, now: datetime
) -> None:
    if tx.taggings.find_pair(case, exhibit, tag.id) is None:
        tx.taggings.add(Tagging(npcase_id=case, exhibit_id=exhibit, tag_id=tag.id, created_at=now))


def _exhibit(value: str | uuid.UUID) -> ExhibitId:
    return ExhibitId(parse_id(value, field="exhibit_id"))


def _field(value: str | uuid.UUID | None) -> CustomFieldId | None:
    return None if value is None else CustomFieldId(parse_id(value, field="custom_field_id"))


class Classification(DocumentsUseCases):
    # -- tags -----------------------------------------------------------------------------

    @transaction
    def create_tag(
        self,
        tx: DocumentsUnitOfWork,
        case_id_: str | uuid.UUID,
        name: str,
        *,
        custom_field_id: str | uuid.UUID | None = None,
    ) -> TagResult:
        """The tag with this text (the same text always gives the same tag)."""
        case = live(tx.cases.get(case_id(case_id_)))
        field = _field(custom_field_id)
        if field is not None:
            tx.custom_fields.get(case.id, field)
        return TagResult.from_entity(find_or_add_tag(tx, case.id, name, self.clock.now(), field))

    def list_tags(self, case_id_: str | uuid.UUID) -> list[TagResult]:
        return self.queries.list_tags(case_id(case_id_))

    @transaction
    def tag_exhibit(
        self,
        tx: DocumentsUnitOfWork,
        case_id_: str | uuid.UUID,
        exhibit_id: str | uuid.UUID,
        tag: str,
    ) -> TagResult:
        """Tag the exhibit with this text (the tag is created on first use); idempotent."""
        case = live(tx.cases.get(case_id(case_id_)))
        exhibit = tx.exhibits.get(case.id, _exhibit(exhibit_id))
        now = self.clock.now()
        found = find_or_add_tag(tx, case.id, tag, now)
        tag_once(tx, case.id, exhibit.id, found, now)
        return TagResult.from_entity(found)

    @transaction
    def untag_exhibit(
        self,
        tx: DocumentsUnitOfWork,
        case_id_: str | uuid.UUID,
        exhibit_id: str | uuid.UUID,
        tag_id: str | uuid.UUID,
    ) -> bool:
        """True when the tagging existed."""
        case = tx.cases.get(case_id(case_id_))
        tag = TagId(parse_id(tag_id, field="tag_id"))
        return tx.taggings.untag(case.id, _exhibit(exhibit_id), tag) > 0

    # -- labels and folders ---------------------------------------------------------------

    @transaction
    def create_label(
        self,
        tx: DocumentsUnitOfWork,
        case_id_: str | uuid.UUID,
        name: str,
        *,
        kind: str = "label",
        parent_id: str | uuid.UUID | None = None,
        position: int = 0,
    ) -> LabelResult:
        """A label, or a folder (`kind="folder"`) under `parent_id` (a folder of this case)."""
        case = live(tx.cases.get(case_id(case_id_)))
        parent = None
        if parent_id is not None:
            parent = tx.labels.get(case.id, LabelId(parse_id(parent_id, field="parent_id")))
            if parent.kind is not LabelKind.FOLDER:
                raise ValidationError("labels.parent_id", "must be a folder")
        label = Label(
            npcase_id=case.id,
            name=name,
            kind=kind,
            parent_id=None if parent is None else parent.id,
            position=position,
            created_at=self.clock.now(),
        )
        tx.labels.add(label)
        return LabelResult.from_entity(label)

    def list_labels(self, case_id_: str | uuid.UUID) -> list[LabelResult]:
        return self.queries.list_labels(case_id(case_id_))

    @transaction
    def delete_label(
        self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID, label_id: str | uuid.UUID
    ) -> None:
        """Remove a label, or a folder with its whole subtree and their designations (the
        foreign keys cascade)."""
        case = live(tx.cases.get(case_id(case_id_)))
        tx.labels.remove(case.id, LabelId(parse_id(label_id, field="label_id")))

    # -- custom fields --------------------------------------------------------------------

    @transaction
    def create_custom_field(
        self,
        tx: DocumentsUnitOfWork,
        case_id_: str | uuid.UUID,
        name: str,
        field_type: str,
        *,
        options: list[str] | None = None,
        position: int = 0,
    ) -> CustomFieldResult:
        case = live(tx.cases.get(case_id(case_id_)))
        field = CustomField(
            npcase_id=case.id,
            name=name,
            field_type=field_type,
            options=options,
            position=position,
            created_at=self.clock.now(),
        )
        if tx.custom_fields.find_by_name(case.id, field.name) is not None:
            raise ConflictError(
                f"custom_fields.name: {field.name!r} exists in this case",
                field="custom_fields.name",
            )
        tx.custom_fields.add(field)
        return CustomFieldResult.from_entity(field)

    def list_custom_fields(self, case_id_: str | uuid.UUID) -> list[CustomFieldResult]:
        return self.queries.list_custom_fields(case_id(case_id_))

    @transaction
    def set_custom_value(
        self,
        tx: DocumentsUnitOfWork,
        case_id_: str | uuid.UUID,
        exhibit_id: str | uuid.UUID,
        field_id: str | uuid.UUID,
        value: Any,
    ) -> str:
        """Set the exhibit's value of the field, checked against its type; returns the stored
        text (numbers in decimal, dates in ISO 8601)."""
        case = live(tx.cases.get(case_id(case_id_)))
        exhibit = tx.exhibits.get(case.id, _exhibit(exhibit_id))
        field = tx.custom_fields.get(
            case.id, CustomFieldId(parse_id(field_id, field="custom_field_id"))
        )
        stored = field.canonical(value)
        now = self.clock.now()
        current = tx.custom_values.find_value(case.id, exhibit.id, field.id)
        if current is None:
            tx.custom_values.add(
                CustomFieldValue(
                    npcase_id=case.id,
                    exhibit_id=exhibit.id,
                    custom_field_id=field.id,
                    value=stored,
                    updated_at=now,
                )
            )
        else:
            current.value = stored
            current.updated_at = now
            tx.custom_values.update(current)
        return stored

    @transaction
    def custom_values(
        self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID, exhibit_id: str | uuid.UUID
    ) -> dict[str, str]:
        """Field name -> stored value, for the exhibit's values."""
        case = tx.cases.get(case_id(case_id_))
        values = tx.custom_values.of_exhibit(case.id, _exhibit(exhibit_id))
        fields = tx.custom_fields.get_many(case.id, [v.custom_field_id for v in values])
        return {fields[v.custom_field_id].name: v.value for v in values}

    # -- designations ---------------------------------------------------------------------

    @transaction
    def designate(
        self,
        tx: DocumentsUnitOfWork,
        case_id_: str | uuid.UUID,
        exhibit_id: str | uuid.UUID,
        label_id: str | uuid.UUID,
        *,
        page_start: int | None = None,
        line_start: int | None = None,
        page_end: int | None = None,
        line_end: int | None = None,
        notes: str | None = None,
    ) -> DesignationResult:
        """Put the exhibit under a label, optionally at a page/line range."""
        case = live(tx.cases.get(case_id(case_id_)))
        exhibit = tx.exhibits.get(case.id, _exhibit(exhibit_id))
        label = tx.labels.get(case.id, LabelId(parse_id(label_id, field="label_id")))
        now = self.clock.now()
        designation = Designation(
            npcase_id=case.id,
            exhibit_id=exhibit.id,
            label_id=label.id,
            page_start=page_start,
            line_start=line_start,
            page_end=page_end,
            line_end=line_end,
            notes=notes,
            created_at=now,
            updated_at=now,
        )
        tx.designations.add(designation)
        return DesignationResult.from_entity(designation)

    @transaction
    def designations(
        self, tx: DocumentsUnitOfWork, case_id_: str | uuid.UUID, exhibit_id: str | uuid.UUID
    ) -> list[DesignationResult]:
        case = tx.cases.get(case_id(case_id_))
        found = tx.designations.of_exhibit(case.id, _exhibit(exhibit_id))
        return [DesignationResult.from_entity(d) for d in found]
