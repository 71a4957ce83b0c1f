"""How a case classifies its documents: tags (issue codes, possibly choices of a custom field),
labels and folders (a tree), custom fields and their values per exhibit."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from nexus.documents.domain import config
from nexus.documents.domain.enums import FieldType, LabelKind, to_field_type, to_label_kind
from nexus.documents.domain.ids import (
    CaseId,
    CustomFieldId,
    ExhibitId,
    LabelId,
    TagId,
    new_custom_field_id,
    new_label_id,
    new_tag_id,
)
from nexus.shared.entity import Entity, aware_datetime, integer, text
from nexus.shared.errors import ValidationError

NAME = text(min_length=1, max_length=255)
POSITION = integer(minimum=0, maximum=2**31 - 1)
TAG_TEXT_MAX = 1_000_000
VALUE_TEXT_MAX = 100_000


@attrs.define(kw_only=True)
class Tag(Entity):
    """A tag of any length: tag_dedupe (keyed by the SHA-256 of the text) makes equal texts
    one tag."""

    __label__ = "tags"

    id: TagId = attrs.field(factory=new_tag_id)
    npcase_id: CaseId
    name: str = attrs.field(validator=text(min_length=1, max_length=TAG_TEXT_MAX))
    custom_field_id: CustomFieldId | None = None
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())


@attrs.define(kw_only=True)
class Label(Entity):
    """A label or a folder; folders nest (`parent_id`), and removing one removes its subtree."""

    __label__ = "labels"

    id: LabelId = attrs.field(factory=new_label_id)
    npcase_id: CaseId
    name: str = attrs.field(validator=NAME)
    kind: LabelKind = attrs.field(default=LabelKind.LABEL, converter=to_label_kind)
    parent_id: LabelId | None = None
    position: int = attrs.field(default=0, validator=POSITION)
    created_at: datetime = attrs.field(validator=aware_datetime())


@attrs.define(kw_only=True)
class CustomField(Entity):
    """A field a case defines for its documents; a choice field lists its options."""

    __label__ = "custom_fields"

    id: CustomFieldId = attrs.field(factory=new_custom_field_id)
    npcase_id: CaseId
    name: str = attrs.field(validator=NAME)
    field_type: FieldType = attrs.field(converter=to_field_type)
    options: list[str] | None = attrs.field(default=None)
    position: int = attrs.field(default=0, validator=POSITION)
    created_at: datetime = attrs.field(validator=aware_datetime())

    @options.validator
    def _check_options(self, _attribute: Any, value: Any) -> None:
        config.choice_options(value, required=self.field_type is FieldType.CHOICE)

    def canonical(self, value: Any) -> str:
        """The stored text of `value` for this field's type, or a ValidationError naming the
        field: text as given, numbers in decimal, dates as ISO 8601, a choice from `options`."""
        where = f"custom_field_values.{self.name}"
        if self.field_type is FieldType.TEXT:
            if not isinstance(value, str) or "\x00" in value or len(value) > VALUE_TEXT_MAX:
                raise ValidationError(where, f"must be text of at most {VALUE_TEXT_MAX} chars")
            return value
        if self.field_type is FieldType.NUMBER:
            return _number(where, value)
        if self.field_type is FieldType.DATE:
            return _date(where, value)
        if not isinstance(value, str) or value not in (self.options or []):
            raise ValidationError(where, f"must be one of {', '.join(self.options or [])}")
        return value


def _number(where: str, value: Any) -> str:
    if isinstance(value, bool):
        raise ValidationError(where, "must be a number", value=value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(where, "must be a finite number", value=value)
    try:
        number = Decimal(str(value).strip()) if isinstance(value, str | int | float) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or len(str(value)) > 64:
        raise ValidationError(where, "must be a number", value=value)
    return format(number.normalize(), "f") if number == number.to_integral() else str(number)


def _date(where: str, value: Any) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValidationError(where, "must be timezone-aware (naive datetimes are refused)")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed.astimezone(UTC).isoformat()
    raise ValidationError(where, "must be an ISO 8601 date, or a date-time with an offset")


@attrs.define(kw_only=True)
class CustomFieldValue(Entity):
    """One exhibit's value of one custom field, stored as canonical text for its type."""

    __label__ = "custom_field_values"

    npcase_id: CaseId
    exhibit_id: ExhibitId
    custom_field_id: CustomFieldId
    value: str = attrs.field(validator=text(max_length=VALUE_TEXT_MAX))
    updated_at: datetime = attrs.field(validator=aware_datetime())
