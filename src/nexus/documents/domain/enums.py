"""The documents context's enumerations, each stored as its value with a named CHECK."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from nexus.shared.errors import ValidationError

E = TypeVar("E", bound=StrEnum)


class DedupeScope(StrEnum):
    GLOBAL = "global"
    CUSTODIAN = "custodian"


class ImportType(StrEnum):
    MAILBOX = "mailbox"
    FILES = "files"
    LOAD_FILE = "load_file"
    MANUAL = "manual"


class BatchStatus(StrEnum):
    PENDING = "pending"
    LOADING = "loading"
    LOADED = "loaded"
    FAILED = "failed"


class AttachmentKind(StrEnum):
    NATIVE = "native"
    IMAGE = "image"
    TEXT = "text"
    PDF = "pdf"


class LabelKind(StrEnum):
    FOLDER = "folder"
    LABEL = "label"


class FieldType(StrEnum):
    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    CHOICE = "choice"


class RelationKind(StrEnum):
    PARENT = "parent"
    ATTACHMENT = "attachment"
    DUPLICATE = "duplicate"
    THREAD = "thread"


class SourceItemType(StrEnum):
    """batch_sources.item_type keeps the seed's (Rails) class names."""

    EXHIBIT = "Exhibit"
    ATTACHMENT = "Attachment"


def convert(enum: type[E], field: str, value: object) -> E:
    """`value` as a member of `enum`, or a ValidationError naming `field` and the choices."""
    if isinstance(value, enum):
        return value
    try:
        return enum(value)  # type: ignore[arg-type]
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise ValidationError(field, f"must be one of {allowed}", value=value) from None


def converter(enum: type[E], field: str) -> Callable[[object], E]:
    return lambda value: convert(enum, field, value)
