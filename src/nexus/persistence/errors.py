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

# MariaDB's error numbers, mapped to the SQLSTATE classes the translation below reads.
_MYSQL_SQLSTATES = {
    1062: "23505",  # duplicate entry for a key
    1451: "23503",  # a row still referred to
    1452: "23503",  # a reference to no row
    1216: "23503",
    1217: "23503",
    1048: "23502",  # column cannot be null
    1364: "23502",  # field has no default value
    4025: "23514",  # CONSTRAINT .. failed (a CHECK)
    3819: "23514",
    1406: "22001",  # data too long
    1264: "22003",  # out of range
    1292: "22008",  # incorrect datetime value
    1366: "22021",  # incorrect string value
    1213: "40P01",  # deadlock
    1205: "40001",  # lock wait timeout
}
# The last "for key": the duplicate value quoted before it may hold anything.
_MYSQL_KEY = re.compile(r".*for key '(?:\w+\.)?(?P<name>\w+)'", re.S)
_MYSQL_CONSTRAINT = re.compile(r"CONSTRAINT `(?P<name>\w+)`")
_MYSQL_COLUMN = re.compile(r"(?:Column|column|Field) '(?P<col>\w+)'")
_TABLE_OF_STATEMENT = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+`?(?P<t>\w+)", re.I)


def _mysql_code(error: BaseException) -> int | None:
    """MariaDB's error number of a PyMySQL error (None for other drivers)."""
    orig = getattr(error, "orig", None)
    args = getattr(orig, "args", ())
    if type(orig).__module__.startswith("pymysql") and args and isinstance(args[0], int):
        return int(args[0])
    return None


def _sqlstate(error: BaseException) -> str | None:
    code = _mysql_code(error)
    if code is not None:
        return _MYSQL_SQLSTATES.get(code)
    return getattr(getattr(error, "orig", None), "sqlstate", None)


def _mysql_diag(error: sa_exc.DBAPIError) -> tuple[str | None, str | None, str | None]:
    """(constraint, table, column) from MariaDB's message and the statement that failed."""
    text = str(error.orig)
    match = _TABLE_OF_STATEMENT.search(error.statement or "")
    table = match.group("t") if match else None
    constraint = None
    if m := _MYSQL_KEY.search(text):
        constraint = m.group("name")
        if constraint == "PRIMARY" and table is not None and table in metadata.tables:
            constraint = metadata.tables[table].primary_key.name
    elif m := _MYSQL_CONSTRAINT.search(text):
        constraint = m.group("name")
    column = m.group("col") if (m := _MYSQL_COLUMN.search(text)) else None
    return constraint, table, column


def _is_retryable(error: BaseException) -> bool:
    if not isinstance(error, sa_exc.OperationalError):
        return False
    if _sqlstate(error) in _RETRYABLE_SQLSTATES:
        return True
    return any(marker in str(error.orig) for marker in _SQLITE_LOCKED)


def translate(error: sa_exc.DBAPIError) -> DomainError:
    """Turn an IntegrityError (or a value the database refused) into the matching domain error;
    a deadlock, serialization failure or SQLite lock timeout into a ConcurrencyError."""
    text = str(error.orig)
    sqlstate = _sqlstate(error)
    if _is_retryable(error):
        return ConcurrencyError(
            f"the database gave up on a conflict with another writer ({text.splitlines()[0]}); "
            "try again"
        )
    constraint, table, column = (
        _pg_diag(error) if _mysql_code(error) is None else _mysql_diag(error)
    )

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
    if sqlstate in ("22P05", "22021") or "\\u0000" in text or "NUL (0x00)" in text:
        return ValidationError("value", "contains characters the database cannot store")
    if sqlstate == "22001":
        field = f"{table}.{column}" if table and column else "value"
        return ValidationError(field, "is longer than its column allows")
    if sqlstate in ("22003", "22008") or "too large to convert" in text:
        return ValidationError("value", "is out of range for its column")
    return DomainError(f"the database refused the change: {text.splitlines()[0]}")


def is_translatable(error: BaseException) -> bool:
    if isinstance(error, sa_exc.IntegrityError | sa_exc.DataError) or _is_retryable(error):
        return True
    # MariaDB reports a failed CHECK, a missing value or a bad datetime as operational errors.
    return _mysql_code(error) in _MYSQL_SQLSTATES
