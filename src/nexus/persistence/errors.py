"""Translation of database errors into domain errors, naming the field and the rule."""

from __future__ import annotations

import re

from sqlalchemy import exc as sa_exc

from nexus.persistence.base import metadata
from nexus.shared.errors import ConcurrencyError, ConflictError, DomainError, ValidationError

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<cols>[\w., ]+)")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)")
_SQLITE_NOT_NULL = re.compile(r"NOT NULL constraint failed: (?P<col>[\w.]+)")


def _constraint_columns(name: str) -> tuple[str, list[str]] | None:
    for table in metadata.tables.values():
        for constraint in table.constraints:
            if constraint.name == name:
                return table.name, [c.name for c in getattr(constraint, "columns", [])]
        for index in table.indexes:
            if index.name == name:
                return table.name, [c.name for c in index.columns if hasattr(c, "name")]
    return None


_PG_KEY = re.compile(r"Key \((?P<cols>[^)]+)\)=")


def _pg_key_columns(error: sa_exc.DBAPIError, table: str | None) -> str | None:
    detail = getattr(getattr(error.orig, "diag", None), "message_detail", None) or ""
    m = _PG_KEY.search(detail)
    if m is None or table is None:
        return None
    cols = [c.strip().strip('"') for c in m.group("cols").split(",")]
    return f"{table}.{'+'.join(cols)}"


def _pg_diag(error: sa_exc.DBAPIError) -> tuple[str | None, str | None, str | None]:
    diag = getattr(error.orig, "diag", None)
    if diag is None:
        return None, None, None
    return (
        getattr(diag, "constraint_name", None),
        getattr(diag, "table_name", None),
        getattr(diag, "column_name", None),
    )


# Another transaction got in the way; running the unit of work again can succeed.
_RETRYABLE_SQLSTATES = ("40P01", "40001")  # deadlock detected, serialization failure
_SQLITE_LOCKED = ("database is locked", "database table is locked")


def _is_retryable(error: BaseException) -> bool:
    if not isinstance(error, sa_exc.OperationalError):
        return False
    if getattr(error.orig, "sqlstate", None) in _RETRYABLE_SQLSTATES:
        return True
    return any(marker in str(error.orig) for marker in _SQLITE_LOCKED)


def translate(error: sa_exc.DBAPIError) -> DomainError:
    """Turn an IntegrityError (or a value the database refused) into the matching domain error;
    a deadlock, serialization failure or SQLite lock timeout into a ConcurrencyError."""
    text = str(error.orig)
    sqlstate = getattr(error.orig, "sqlstate", None)
    if _is_retryable(error):
        return ConcurrencyError(
            f"the database gave up on a conflict with another writer ({text.splitlines()[0]}); "
            "try again"
        )
    constraint, table, column = _pg_diag(error)

    if sqlstate == "23505" or "UNIQUE constraint failed" in text:
        field = None
        if constraint and (found := _constraint_columns(constraint)):
            field = f"{found[0]}.{'+'.join(found[1])}"
        elif m := _SQLITE_UNIQUE.search(text):
            cols = [c.strip() for c in m.group("cols").split(",")]
            table_name = cols[0].split(".")[0]
            field = f"{table_name}.{'+'.join(c.split('.')[-1] for c in cols)}"
        field = field or _pg_key_columns(error, table) or "value"
        return ConflictError(
            f"{field}: already exists (must be unique)", field=field, by_storage=True
        )
    if sqlstate == "23503" or "FOREIGN KEY constraint failed" in text:
        field = "reference"
        if constraint and (found := _constraint_columns(constraint)):
            field = f"{found[0]}.{'+'.join(found[1])}"
        return ConflictError(
            f"{field}: refers to a row that does not exist, or is still referred to",
            field=field,
            by_storage=True,
        )
    if sqlstate == "23514" or "CHECK constraint failed" in text:
        name = constraint
        if name is None and (m := _SQLITE_CHECK.search(text)):
            name = m.group("name")
        return ValidationError(name or "value", "violates a database check constraint")
    if sqlstate == "23502" or "NOT NULL constraint failed" in text:
        field = f"{table}.{column}" if table and column else None
        if field is None and (m := _SQLITE_NOT_NULL.search(text)):
            field = m.group("col")
        return ValidationError(field or "value", "is required")
    if sqlstate in ("22P05", "22021") or "\\u0000" in text:
        return ValidationError("value", "contains characters the database cannot store")
    if sqlstate == "22001":
        field = f"{table}.{column}" if table and column else "value"
        return ValidationError(field, "is longer than its column allows")
    if sqlstate in ("22003", "22008") or "too large to convert" in text:
        return ValidationError("value", "is out of range for its column")
    return DomainError(f"the database refused the change: {text.splitlines()[0]}")


def is_translatable(error: BaseException) -> bool:
    return isinstance(error, sa_exc.IntegrityError | sa_exc.DataError) or _is_retryable(error)
