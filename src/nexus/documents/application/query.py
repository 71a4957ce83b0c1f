"""`ExhibitQuery`: the one value saying which exhibits of a case `list_exhibits` returns."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

import attrs

from nexus.shared.errors import ValidationError
from nexus.shared.ids import parse_id
from nexus.shared.usecases import Page


class TrashState(StrEnum):
    LIVE = "live"
    TRASHED = "trashed"
    ALL = "all"


def _custodian(value: Any) -> uuid.UUID | None:
    return None if value is None else parse_id(value, field="query.custodian_id")


def _tag(value: Any) -> uuid.UUID | None:
    return None if value is None else parse_id(value, field="query.tag_id")


def _label(value: Any) -> uuid.UUID | None:
    return None if value is None else parse_id(value, field="query.label_id")


def _batch(value: Any) -> uuid.UUID | None:
    return None if value is None else parse_id(value, field="query.batch_id")


def _trash(value: Any) -> TrashState:
    try:
        return TrashState(value)
    except ValueError:
        raise ValidationError("query.trash", "must be one of live, trashed, all") from None


def _page(value: Any) -> Page:
    if isinstance(value, Page):
        return value
    raise ValidationError("query.page", "must be a Page (Page.of(limit, offset))")


@attrs.frozen(kw_only=True)
class ExhibitQuery:
    """Filters (all optional, combined with AND) and a page. Exhibits come oldest first."""

    custodian_id: uuid.UUID | None = attrs.field(default=None, converter=_custodian)
    tag_id: uuid.UUID | None = attrs.field(default=None, converter=_tag)
    label_id: uuid.UUID | None = attrs.field(default=None, converter=_label)
    batch_id: uuid.UUID | None = attrs.field(default=None, converter=_batch)
    trash: TrashState = attrs.field(default=TrashState.LIVE, converter=_trash)
    page: Page = attrs.field(factory=Page, converter=_page)
