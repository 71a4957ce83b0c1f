"""Typed, time-ordered (UUIDv7) identifiers generated in the domain."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import NewType, TypeVar

from uuid_utils.compat import uuid7 as _uuid7

IdT = TypeVar("IdT", bound=uuid.UUID)


def new_id() -> uuid.UUID:
    """A fresh UUIDv7 (RFC 9562): Unix milliseconds, a counter ordering ids made in the same
    millisecond, random bits; time-ordered, so B-tree inserts stay ordered. From uuid-utils
    (the Rust `uuid` crate), as a standard `uuid.UUID`: 0.6 µs an id where `uuid6` took 9 µs
    and moved its clock 1 ms ahead per id; safe across threads and forks."""
    return _uuid7()


def parse_id(value: str | uuid.UUID, *, field: str = "id") -> uuid.UUID:
    """Parse a UUID from text, raising the domain's ValidationError on garbage."""
    from nexus.shared.errors import ValidationError

    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value).strip())
    except ValueError:
        raise ValidationError(field, "must be a UUID", value=value) from None


def parse_typed_id(kind: Callable[[uuid.UUID], IdT], value: str | uuid.UUID, field: str) -> IdT:
    """`parse_id`, typed: `parse_typed_id(UserId, value, "user_id")` is a UserId."""
    if value.__class__ is uuid.UUID:  # the common case; a NewType is its value at run time
        return value  # type: ignore[return-value]
    return kind(parse_id(value, field=field))


# One NewType per aggregate, so mypy refuses a WorkspaceId where a UserId is wanted. They cost
# nothing at run time: a UserId is a uuid.UUID, which is what the Uuid column stores.
UserId = NewType("UserId", uuid.UUID)
OrganizationId = NewType("OrganizationId", uuid.UUID)
WorkspaceId = NewType("WorkspaceId", uuid.UUID)


def new_user_id() -> UserId:
    return UserId(new_id())


def new_organization_id() -> OrganizationId:
    return OrganizationId(new_id())
