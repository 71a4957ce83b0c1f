"""Event timestamps that keep the UTC offset they were given and compare by instant.

A timestamp is stored as its instant (UTC) plus its offset in seconds; `fixed_offset` gives the
one canonical in-memory form, so a value read back equals the value written, offset included.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from nexus.shared.errors import ValidationError


def fixed_offset(value: object, *, field: str = "timestamp") -> datetime:
    """The same instant and wall clock, with a fixed-offset tzinfo instead of a zone.

    Zone rules (and PEP 495's fold-sensitive comparisons) are dropped; the offset that applied
    at that instant is kept. Naive values are refused.
    """
    if not isinstance(value, datetime):
        raise ValidationError(field, "must be a datetime", value=value)
    offset = value.utcoffset()
    if value.tzinfo is None or offset is None:
        raise ValidationError(field, "must be timezone-aware (naive datetimes are refused)")
    _check_instant_in_range(value, offset, field)
    if isinstance(value.tzinfo, timezone) and value.tzinfo == timezone(offset):
        return value.replace(fold=0)
    return value.replace(tzinfo=timezone(offset), fold=0)


def _check_instant_in_range(value: datetime, offset: timedelta, field: str) -> None:
    """The instant is stored in UTC: a wall clock near year 1 or 9999 whose UTC instant falls
    outside datetime's range (0001-01-01T00:30+01:00, 9999-12-31T23:00-05:00) cannot be."""
    try:
        value.replace(tzinfo=None) - offset
    except OverflowError:
        raise ValidationError(
            field,
            "must be an instant between 0001-01-01 and 9999-12-31 in UTC",
            value=value,
        ) from None


def split_instant(value: datetime, *, field: str = "timestamp") -> tuple[datetime, int]:
    """(instant in UTC, offset in seconds): the two columns a timestamp is stored in. An
    instant out of range is a ValidationError (entities already refuse it)."""
    offset = value.utcoffset()
    if offset is None:
        raise ValidationError(field, "must be timezone-aware (naive datetimes are refused)")
    _check_instant_in_range(value, offset, field)
    return value.astimezone(UTC), int(offset.total_seconds())


def join_instant(instant: datetime, offset_seconds: int) -> datetime:
    """The stored instant shown again in the offset it was given in."""
    return instant.astimezone(timezone(timedelta(seconds=offset_seconds)))
