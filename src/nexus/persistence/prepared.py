"""Prebuilt read statements run on the DBAPI cursor: compiled once per dialect to their SQL
text, parameter order and the column types' bind and result processors, so a hot read (a
graph traversal) skips SQLAlchemy's per-call execution context and result objects and costs
what the raw driver costs plus the type conversions. Statements with expanding (IN-list)
parameters are not prepared; `SqlTables.run` sends those through `Connection.execute`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None


class PreparedRead:
    """One statement compiled for one dialect; `rows(cursor, params)` runs it."""

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self.compiled = compiled
        self.usable = not any(b.expanding for b in compiled.binds.values())
        self.sql = compiled.string
        self.positional = bool(compiled.positional)
        self.order: tuple[str, ...] = tuple(compiled.positiontup or ())
        self.binds: dict[str, Processor] = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in compiled.binds.items()
        }
        columns = getattr(statement, "selected_columns", ())
        processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        self.results: tuple[tuple[int, Callable[[Any], Any]], ...] = tuple(
            (i, p) for i, p in enumerate(processors) if p is not None
        )

    def parameters(self, params: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        values = dict(self.compiled.construct_params(dict(params)) or {})
        for name, process in self.binds.items():
            if process is not None and values.get(name) is not None:
                values[name] = process(values[name])
        if self.positional:
            return [values[name] for name in self.order]
        return values

    def rows(self, driver_connection: Any, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        cursor = driver_connection.cursor()
        try:
            cursor.execute(self.sql, self.parameters(params))
            rows = cursor.fetchall()
        finally:
            cursor.close()
        if not self.results:
            return rows  # type: ignore[no-any-return]
        converted: list[Sequence[Any]] = []
        for row in rows:
            values = list(row)
            for i, process in self.results:
                if values[i] is not None:
                    values[i] = process(values[i])
            converted.append(values)
        return converted


_new_uuid = object.__new__
_set = object.__setattr__
_UNKNOWN = uuid.SafeUUID.unknown


def uuid_from_hex(value: Any) -> uuid.UUID:
    """A UUID from the 32 hex digits SQLite stores, without `UUID.__init__`'s parsing (a third
    of its cost); anything else goes through `uuid.UUID`."""
    if isinstance(value, str) and len(value) == 32 and value.isalnum():
        try:
            number = int(value, 16)
        except ValueError:
            return uuid.UUID(value)
        found = _new_uuid(uuid.UUID)
        _set(found, "int", number)
        _set(found, "is_safe", _UNKNOWN)
        return found
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _result_processor(type_: Any, dialect: Dialect) -> Processor:
    """The column type's result processor; for a UUID stored as hex text, the fast one."""
    if (
        isinstance(type_, Uuid)
        and type_.as_uuid
        and not (type_.native_uuid and dialect.supports_native_uuid)
    ):
        return uuid_from_hex
    processor: Processor = type_.dialect_impl(dialect).result_processor(dialect, None)
    return processor
