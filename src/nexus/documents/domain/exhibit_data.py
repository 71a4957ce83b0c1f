"""`ExhibitData`, the validated input record of one document (what a load file or a JSON line
gives), and `build_exhibit`, the one place mapping it to the entity (`exhibit_values` is the
same mapping as a row of field values, for the loader's bulk path)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any, ClassVar

import attrs

from nexus.documents.domain.enums import AttachmentKind
from nexus.documents.domain.exhibits import Attachment, Exhibit
from nexus.documents.domain.fields import (
    EXTENSION,
    LONG,
    MD5,
    MESSAGE_ID,
    SHA256,
    SHORT,
    STAMP,
    WHEN,
    lower,
    optional_count,
    optional_size,
)
from nexus.documents.domain.ids import BatchId, CaseId, ExhibitId
from nexus.documents.domain.record_init import RecordInit
from nexus.shared.errors import ValidationError
from nexus.shared.ids import UserId

LABEL = "exhibit_data"
MAX_TAGS = 1000
MAX_TAG_LENGTH = 1_000_000


# What a producer's field map may call a field (the load-file readers' targets).
ALIASES = {"from": "email_from", "to": "recipients", "verified_page_count": "page_count"}


def _texts(field: str, value: Any, max_items: int, max_length: int) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValidationError(f"{LABEL}.{field}", "must be a list of texts", value=value)
    if len(value) > max_items:
        raise ValidationError(f"{LABEL}.{field}", f"must hold at most {max_items} items")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or "\x00" in item:
            raise ValidationError(f"{LABEL}.{field}[{i}]", "must be non-blank text without NUL")
        if len(item) > max_length:
            raise ValidationError(f"{LABEL}.{field}[{i}]", f"must be at most {max_length} chars")
    return tuple(value)


def _tags(value: Any) -> tuple[str, ...]:
    return _texts("tags", value, MAX_TAGS, MAX_TAG_LENGTH)


def _attachment_ids(value: Any) -> tuple[str, ...]:
    return _texts("attachment_ids", value, 100_000, 255)


def _all_custodians(value: Any) -> tuple[str, ...]:
    return _texts("all_custodians", value, 10_000, 255)


def _addresses(value: Any) -> Any:
    """A list of addresses (a split load-file field) is kept as one `; `-separated text."""
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return "; ".join(v.strip() for v in value if v.strip()) or None
    return value


def _empty_if_none(value: Any) -> Any:
    return "" if value is None else value


def _parse_uuid(value: Any) -> Any:
    """UUID text becomes a UUID; anything else is left for the validator to refuse."""
    if isinstance(value, str):
        try:
            return uuid.UUID(value.strip())
        except ValueError:
            return value
    return value


def _uuid(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, uuid.UUID):
        raise ValidationError(f"{LABEL}.{attribute.name}", "must be a UUID", value=value)


def _parse_instant(value: Any) -> Any:
    """ISO 8601 text becomes a datetime, a date its midnight in UTC; anything else is left
    for the validator."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def _instant(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, str):
        raise ValidationError(
            f"{LABEL}.{attribute.name}", "must be an ISO 8601 date-time with an offset"
        )
    WHEN(instance, attribute, value)


_NAMES: dict[type[Any], tuple[str, ...]] = {}
_NAME_SETS: dict[type[Any], frozenset[str]] = {}


def _field_names(cls: type[Any]) -> tuple[str, ...]:
    found = _NAMES.get(cls)
    if found is None:
        found = _NAMES[cls] = tuple(f.name for f in attrs.fields(cls))
    return found


def _field_set(cls: type[Any]) -> frozenset[str]:
    found = _NAME_SETS.get(cls)
    if found is None:
        found = _NAME_SETS[cls] = frozenset(_field_names(cls))
    return found


_FAST: dict[type[Any], RecordInit] = {}


def _fast_init(cls: type[Any]) -> RecordInit:
    found = _FAST.get(cls)
    if found is None:
        # end_attach's range check reads begin_attach: it runs whichever of the two is given.
        found = _FAST[cls] = RecordInit(
            cls, label=LABEL, aliases=ALIASES, always=frozenset({"end_attach"})
        )
    return found


def _check_attach_range(instance: Any, attribute: Any, value: Any) -> None:
    if (instance.begin_attach is None) != (instance.end_attach is None):
        raise ValidationError(f"{LABEL}.end_attach", "begin_attach and end_attach go together")


@attrs.frozen(kw_only=True)
class ExhibitData:
    """One document to add, every field optional but checked: document, email, office,
    processing and file metadata. Values that break a rule raise a ValidationError naming
    `exhibit_data.<field>` and the rule; nothing is built from a bad record."""

    __label__: ClassVar[str] = LABEL

    # document
    prefix: str = attrs.field(default="", converter=_empty_if_none, validator=STAMP)
    number: str | None = attrs.field(default=None, validator=STAMP)
    title: str | None = attrs.field(default=None, validator=LONG)
    shortcut: str | None = attrs.field(default=None, validator=SHORT)
    notes: str | None = attrs.field(default=None, validator=LONG)
    author: str | None = attrs.field(default=None, validator=SHORT)
    document_date: datetime | None = attrs.field(
        default=None, converter=_parse_instant, validator=_instant
    )
    document_type: str | None = attrs.field(default=None, validator=SHORT)
    user_id: UserId | None = attrs.field(default=None, converter=_parse_uuid, validator=_uuid)
    batch_id: BatchId | None = attrs.field(default=None, converter=_parse_uuid, validator=_uuid)
    # email
    message_id: str | None = attrs.field(default=None, validator=MESSAGE_ID)
    email_from: str | None = attrs.field(default=None, validator=LONG)
    recipients: str | None = attrs.field(default=None, converter=_addresses, validator=LONG)
    cc: str | None = attrs.field(default=None, converter=_addresses, validator=LONG)
    bcc: str | None = attrs.field(default=None, converter=_addresses, validator=LONG)
    subject: str | None = attrs.field(default=None, validator=LONG)
    sent_at: datetime | None = attrs.field(
        default=None, converter=_parse_instant, validator=_instant
    )
    received_at: datetime | None = attrs.field(
        default=None, converter=_parse_instant, validator=_instant
    )
    # office
    last_author: str | None = attrs.field(default=None, validator=SHORT)
    app_name: str | None = attrs.field(default=None, validator=SHORT)
    file_created_at: datetime | None = attrs.field(
        default=None, converter=_parse_instant, validator=_instant
    )
    file_modified_at: datetime | None = attrs.field(
        default=None, converter=_parse_instant, validator=_instant
    )
    # processing
    family_id: str | None = attrs.field(default=None, validator=SHORT)
    nge_document_id: str | None = attrs.field(default=None, validator=SHORT)
    end_document_id: str | None = attrs.field(default=None, validator=SHORT)
    parent_document_id: str | None = attrs.field(default=None, validator=SHORT)
    attachment_ids: tuple[str, ...] = attrs.field(default=(), converter=_attachment_ids)
    begin_attach: str | None = attrs.field(default=None, validator=SHORT)
    end_attach: str | None = attrs.field(default=None, validator=[SHORT, _check_attach_range])
    md5: str | None = attrs.field(default=None, converter=lower, validator=MD5)
    sha256: str | None = attrs.field(default=None, converter=lower, validator=SHA256)
    page_count: int | None = attrs.field(default=None, validator=optional_count)
    custodian: str | None = attrs.field(default=None, validator=SHORT)
    all_custodians: tuple[str, ...] = attrs.field(default=(), converter=_all_custodians)
    tags: tuple[str, ...] = attrs.field(default=(), converter=_tags)
    # file
    file_name: str | None = attrs.field(default=None, validator=SHORT)
    display_name: str | None = attrs.field(default=None, validator=SHORT)
    extension: str | None = attrs.field(default=None, validator=EXTENSION)
    file_path: str | None = attrs.field(default=None, validator=LONG)
    root_folder: str | None = attrs.field(default=None, validator=LONG)
    mailbox_file: str | None = attrs.field(default=None, validator=LONG)
    mailbox_path: str | None = attrs.field(default=None, validator=LONG)
    native_path: str | None = attrs.field(default=None, validator=LONG)
    text_path: str | None = attrs.field(default=None, validator=LONG)
    file_size: int | None = attrs.field(default=None, validator=optional_size)
    content_type: str | None = attrs.field(default=None, validator=SHORT)
    created_at: datetime | None = attrs.field(
        default=None, converter=_parse_instant, validator=_instant
    )
    updated_at: datetime | None = attrs.field(
        default=None, converter=_parse_instant, validator=_instant
    )

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return _field_names(cls)

    @classmethod
    def from_dict(cls, values: Any) -> ExhibitData:
        """From a JSON object (a JSON Lines record) or a field map's output: unknown keys are
        refused, instants are ISO 8601 text with an offset (or datetimes; a date is its UTC
        midnight), ids are UUID text, address lists are joined; `from`, `to` and
        `verified_page_count` are read as `email_from`, `recipients` and `page_count`."""
        if type(values) is dict and not attrs.validators.get_disabled():
            build = _fast_init(cls).plan(tuple(values))
            if build is not None:
                return build(values)  # type: ignore[no-any-return]
        return cls._from_dict(values)

    @classmethod
    def _from_dict(cls, values: Any) -> ExhibitData:
        """`from_dict` through the class's `__init__`: every field converted and validated
        (the fast path's reference, and the path of the dicts it has no plan for)."""
        if not isinstance(values, dict):
            raise ValidationError(LABEL, "must be a JSON object", value=values)
        # A text key is its name as it compares (a str subclass included, as the fast path's
        # plans see it); any other key is its text, which names no field.
        renamed: dict[str, Any] = {
            ALIASES.get(k, k) if isinstance(k, str) else str(k): v for k, v in values.items()
        }
        if len(renamed) != len(values):
            raise ValidationError(LABEL, "names a field twice (under an alias)")
        names = _field_set(cls)
        if not names.issuperset(renamed):
            unknown = sorted(k for k in renamed if k not in names)
            raise ValidationError(f"{LABEL}.{unknown[0]}", "is not a field of ExhibitData")
        for key, value in renamed.items():
            if isinstance(value, bool):
                raise ValidationError(f"{LABEL}.{key}", "must not be true or false")
        return cls(**renamed)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object `from_dict` reads back into an equal record (None fields left out)."""
        out: dict[str, Any] = {}
        for name in self.field_names():
            value = getattr(self, name)
            if value is None or (name == "prefix" and value == "") or value == ():
                continue
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, uuid.UUID):
                value = str(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out


# Fields the builder does not copy into `exhibits`: processing and file details that go to
# the native attachment, the custodian link, tags and staged relations (the seed's rule).
NOT_IN_EXHIBITS = frozenset(
    (
        "parent_document_id",
        "end_document_id",
        "attachment_ids",
        "all_custodians",
        "native_path",
        "text_path",
        "begin_attach",
        "end_attach",
        "page_count",
        "custodian",
        "tags",
        "file_name",
        "display_name",
        "file_size",
        "content_type",
        "created_at",
        "updated_at",
    )
)
COPIED = tuple(n for n in ExhibitData.field_names() if n not in NOT_IN_EXHIBITS)


def build_exhibit(data: ExhibitData, *, npcase_id: CaseId, now: datetime) -> Exhibit:
    """The one place input becomes an exhibit. `verified_page_count` is set by processing,
    never at creation; the record's own created/updated instants win over `now`."""
    values = {name: getattr(data, name) for name in COPIED}
    return Exhibit(
        npcase_id=npcase_id,
        verified_page_count=None,
        created_at=data.created_at or now,
        updated_at=data.updated_at or data.created_at or now,
        **values,
    )


# The loader's bulk path: an exhibit as its field values in this order, without the entity.
_FROM_DATA = tuple(n for n in COPIED if n != "batch_id")
_copied = attrgetter(*_FROM_DATA)
EXHIBIT_FIELDS = (
    "id",
    "npcase_id",
    "batch_id",
    "created_at",
    "updated_at",
    "verified_page_count",
    "deleted_at",
    *_FROM_DATA,
)


def exhibit_values(
    data: ExhibitData, *, exhibit_id: ExhibitId, npcase_id: CaseId, batch_id: BatchId, now: datetime
) -> list[Any]:
    """What `build_exhibit` builds (with the batch set), as the exhibit's field values in
    `EXHIBIT_FIELDS` order, for a record whose values were validated by `ExhibitData` (the
    rules `Exhibit` applies to the same fields)."""
    created = data.created_at or now
    row: list[Any] = [exhibit_id, npcase_id, batch_id, created, data.updated_at or created]
    row += (None, None)
    row += _copied(data)
    return row


def native_attachment(data: ExhibitData, exhibit: Exhibit, now: datetime) -> Attachment | None:
    """The native file the record names (file_name, size, type, sha256), if it names one."""
    name = data.file_name or data.display_name
    if name is None:
        return None
    return Attachment(
        npcase_id=exhibit.npcase_id,
        exhibit_id=exhibit.id,
        kind=AttachmentKind.NATIVE,
        file_name=name,
        content_type=data.content_type,
        size_bytes=data.file_size,
        sha256=data.sha256,
        created_at=now,
        updated_at=now,
    )
