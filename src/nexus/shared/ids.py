"""Typed, time-ordered (UUIDv7) identifiers generated in the domain."""

from __future__ import annotations

import os
import struct
import time
import uuid
from collections.abc import Callable, Iterator
from typing import NewType, TypeVar

IdT = TypeVar("IdT", bound=uuid.UUID)

_VERSION_7 = 0x7 << 76
_VARIANT = 0b10 << 62
_RANDOM_62 = (1 << 62) - 1
_last = [0, 0]  # the last id's millisecond and counter
_POOL = 512
_random: Iterator[int] = iter(())


def _random_64() -> int:
    """64 bits from the OS's CSPRNG, read 4 KiB at a time (one system call per 512 ids)."""
    global _random
    value = next(_random, None)
    if value is None:
        _random = iter(struct.unpack(f"<{_POOL}Q", os.urandom(8 * _POOL)))
        value = next(_random)
    return value


def new_id() -> uuid.UUID:
    """A fresh UUIDv7 (RFC 9562): the Unix time in milliseconds, then a 12-bit counter that
    orders ids made in the same millisecond (method 1; its start is random, an overflow moves
    to the next millisecond), then 62 random bits. Time-ordered, so B-tree inserts stay
    ordered; one `uuid.UUID` built per id (bulk imports make millions)."""
    ms = time.time_ns() // 1_000_000
    last_ms, counter = _last
    if ms > last_ms:
        counter = _random_64() & 0x3FF  # a random start that leaves room to count
    else:
        ms, counter = last_ms, counter + 1
        if counter > 0xFFF:
            ms, counter = last_ms + 1, 0
    _last[0], _last[1] = ms, counter
    random_bits = _random_64() & _RANDOM_62
    return uuid.UUID(int=(ms << 80) | _VERSION_7 | (counter << 64) | _VARIANT | random_bits)


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
