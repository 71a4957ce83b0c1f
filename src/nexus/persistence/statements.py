"""Statements compiled once per dialect and run on the DBAPI cursor at the driver's speed, with
SQLAlchemy's bind and result type processors applied (UTCDateTime, JSON, Uuid on SQLite) and
driver errors wrapped as SQLAlchemy would wrap them, so error translation is unchanged."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from uuid import UUID, SafeUUID

from sqlalchemy import Uuid
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Dialect

Processor = Callable[[Any], Any]


class UnsupportedStatementError(Exception):
    """The statement needs SQLAlchemy's execution machinery (expanding or post-compile binds)."""


class Prepared:
    """One statement's SQL for one dialect, the order of its binds with their processors, and
    (once the first execution described them) its result columns' processors."""

    def __init__(self, statement: Any, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise UnsupportedStatementError(str(statement))
        if getattr(compiled, "escaped_bind_names", None):
            raise UnsupportedStatementError(str(statement))
        processors = compiled._bind_processors
        self.dialect = dialect
        self.sql: str = compiled.string
        self.named = not dialect.positional
        names = list(compiled.positiontup or ()) if dialect.positional else list(compiled.binds)
        self.binds: tuple[tuple[str, Processor | None], ...] = tuple(
            (name, processors.get(name)) for name in names
        )
        # Values the statement carries itself (a literal SQLAlchemy turned into a bind).
        self.fixed = {
            name: bind.effective_value
            for name, bind in compiled.binds.items()
            if bind.value is not None or bind.callable is not None
        }
        self._results: tuple[tuple[int, Processor], ...] | None = None
        self._result_types = [entry.type for entry in compiled._result_columns]
        self._bind = _binder(self.binds, named=self.named)

    def parameters(self, values: Mapping[str, Any]) -> Any:
        if self.fixed:
            values = self.fixed | dict(values)
        try:
            return self._bind(values)
        except (TypeError, ValueError) as error:
            raise sa_exc.StatementError(str(error), self.sql, dict(values), error) from error

    def result_processors(self, description: Sequence[Any]) -> tuple[tuple[int, Processor], ...]:
        found = self._results
        if found is None:
            procs = []
            for i, (type_, column) in enumerate(zip(self._result_types, description, strict=True)):
                proc = type_._cached_result_processor(self.dialect, column[1])
                if proc is not None and isinstance(type_, Uuid) and type_.as_uuid:
                    proc = uuid_from_text  # a character-based UUID column (SQLite, MariaDB)
                if proc is not None:
                    procs.append((i, proc))
            found = self._results = tuple(procs)
        return found

    def rows(self, cursor: Any) -> list[Sequence[Any]]:
        fetched = cursor.fetchall()
        procs = self._results
        if procs is None:  # a driver builds its description on each call: once is enough
            procs = self.result_processors(cursor.description)
        if not procs:
            return fetched  # type: ignore[no-any-return]
        out: list[Sequence[Any]] = []
        for row in fetched:
            values = list(row)
            for i, proc in procs:
                values[i] = proc(values[i])
            out.append(values)
        return out


_new = object.__new__
_set = object.__setattr__
_UNKNOWN = SafeUUID.unknown


def uuid_from_text(value: Any) -> UUID | None:
    """What SQLAlchemy's character-based Uuid result processor gives (`UUID(value)`), at a third
    of its cost for the 32 hex digits nexus stores: with no '-', '{', '}' or ':' in the text,
    `UUID(hex)` is `UUID(int=int(hex, 16))`, and its range and version checks cannot fail."""
    if value is None:
        return None
    if value.__class__ is str and len(value) == 32 and value.isalnum():
        number = int(value, 16)
        made = _new(UUID)
        _set(made, "int", number)
        _set(made, "is_safe", _UNKNOWN)
        return made
    return UUID(value)


def _binder(binds: tuple[tuple[str, Processor | None], ...], *, named: bool) -> Processor:
    """The driver's parameters from a mapping of bind values, as one function built once per
    statement: a tuple in bind order (qmark, format) or a dict (named, pyformat), each value
    through its type's bind processor. The names are the statement's own bind names."""
    scope: dict[str, Any] = {}
    parts = []
    for i, (name, processor) in enumerate(binds):
        value = f"v[{name!r}]"
        if processor is not None:
            scope[f"p{i}"] = processor
            value = f"p{i}({value})"
        parts.append(f"{name!r}: {value}" if named else value)
    body = "{" + ", ".join(parts) + "}" if named else "(" + "".join(p + ", " for p in parts) + ")"
    exec(f"def bind(v):\n    return {body}\n", scope)  # noqa: S102 - generated from bind names
    return scope["bind"]  # type: ignore[no-any-return]


def wrap(error: Exception, dialect: Dialect, sql: str, params: Any) -> sa_exc.DBAPIError:
    """The driver's error as SQLAlchemy raises it (IntegrityError, OperationalError, ...)."""
    dbapi_error = dialect.loaded_dbapi.Error
    wrapped = sa_exc.DBAPIError.instance(sql, params, error, dbapi_error, dialect=dialect)
    return wrapped  # type: ignore[return-value]
