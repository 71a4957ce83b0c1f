"""The project's column types: aware-UTC datetimes and JSON (JSONB on PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Dialect, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator

# The instant bound last on SQLite and its text, shared by every UTCDateTime column: a write
# often binds one instant to several (a write's time and its condition, created_at and
# updated_at). One tuple, replaced whole, so threads never see half of one.
_last_bound: tuple[Any, str] = (None, "")


def _sqlite_text(value: datetime) -> str:
    """An aware UTC instant as SQLite text: "YYYY-MM-DD HH:MM:SS.ffffff", the first 26
    characters of its isoformat (the year has four digits), as the general path writes it."""
    global _last_bound
    seen = _last_bound
    if seen[0] is value:
        return seen[1]
    text = value.isoformat(" ", "microseconds")[:26]
    _last_bound = (value, text)
    return text


class UTCDateTime(TypeDecorator[datetime]):
    """Stores an instant in UTC and always returns an aware UTC datetime.

    `timestamptz` on PostgreSQL. SQLite and MariaDB (`DATETIME(6)`) have no zone, so the value
    is written as UTC wall clock (on SQLite in a fixed-width format, which sorts by instant) and
    UTC is re-attached on load. A naive
    datetime is refused on bind: it is a bug, not a value.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.__class__ is datetime and value.tzinfo is UTC:  # already UTC: the common case
            return value.replace(tzinfo=None) if dialect.name == "sqlite" else value
        if not isinstance(value, datetime):
            raise TypeError(f"UTCDateTime needs a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused: nexus stores only timezone-aware datetimes")
        value = value.astimezone(UTC)
        if dialect.name != "postgresql":
            # SQLite and MariaDB: UTC wall clock (DATETIME(6) on MariaDB keeps microseconds).
            return value.replace(tzinfo=None)
        return value

    def bind_processor(self, dialect: Dialect) -> Any:
        general = super().bind_processor(dialect)
        if dialect.name != "sqlite" or general is None:
            return general

        def process(value: Any) -> Any:
            # An instant already in UTC (what entities hold) as the SQLite text the general
            # path writes, in one call: bulk loads bind many.
            if value.__class__ is datetime and value.tzinfo is UTC:
                return _sqlite_text(value)
            return general(value)

        return process

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# allow_nan=False: NaN is not JSON, and PostgreSQL's jsonb refuses it anyway; refuse it on every
# engine the same way. One encoder for every value (json.dumps with options builds an encoder per
# call, a third of a small value's cost); encoding keeps no state between calls.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


# JSON holds configuration and metadata, never data that is queried or joined.
JSONType = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def flag_column(default: bool) -> Any:
    """A NOT NULL boolean with both a Python default and a server default (model guide rule).
    The server default is the literal `true`/`false`, which both engines accept and which
    Alembic's server-default comparison reads back unchanged on both."""
    return mapped_column(
        Boolean, default=default, server_default=text("true" if default else "false")
    )
