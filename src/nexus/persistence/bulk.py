"""A bulk insert whose rows the caller builds already in the driver's form: for a hot path (a
chat import's messages) where `insert_many`'s per-row work (a row dict per entity, every value
through its column's bind processor) costs as much as the driver's own insert. The caller asks
`bind_processors` how each column's values are converted, applies them where it knows best (a
value shared by many rows converted once), and hands the rows to `insert_rows`, which runs the
same prebuilt INSERT as `insert_many` through `SqlTables`' statement path: listeners, driver
errors translated, a refused write voiding the unit of work, a lost connection, all as there."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nexus.persistence.schema import TableInfo
from nexus.persistence.sql import JoinedTables, SqlTables
from nexus.persistence.statements import Prepared, Processor


class _Ready:
    """A statement whose parameters come ready for the driver."""

    def __init__(self, sql: str) -> None:
        self.sql = sql

    @staticmethod
    def parameters(values: Any) -> Any:
        return values


def run_many(tables: SqlTables, sql: str, args: Sequence[Any]) -> None:
    """One executemany of `sql` (a statement `SqlTables` prepared) with `args` already in the
    driver's form (tuples, or dicts for a named parameter style), as a write of the unit of work
    through `SqlTables`' statement path."""
    if args:
        tables._run(_Ready(sql), args, write=True, many=True)  # type: ignore[arg-type]


class _AsIs:
    """A prepared INSERT whose parameters are passed as they come (already converted)."""

    def __init__(self, prepared: Prepared, columns: tuple[str, ...]) -> None:
        self.sql = prepared.sql
        names = tuple(name for name, _ in prepared.binds)
        if not prepared.named and names != columns:
            raise ValueError(f"rows must hold the columns in the statement's order: {names}")
        self._names = names if prepared.named else None

    def parameters(self, values: Sequence[Any]) -> Any:
        if self._names is None:
            return values
        return dict(zip(self._names, values, strict=True))


def bind_processors(
    tables: SqlTables, info: TableInfo, columns: tuple[str, ...]
) -> tuple[Processor | None, ...]:
    """Each column's bind processor (None: the value goes to the driver as it is), in the order
    of `columns`, for rows given to `insert_rows`."""
    prepared = tables._insert(info, columns)
    found = dict(prepared.binds)
    return tuple(found[column] for column in columns)


def insert_rows(
    tables: SqlTables, info: TableInfo, columns: tuple[str, ...], rows: Sequence[Sequence[Any]]
) -> None:
    """One executemany of `rows` (tuples in the order of `columns`, every value already passed
    through its column's bind processor) with the INSERT `insert_many` would run."""
    if rows:
        prepared = tables._insert(info, columns)
        tables._run(_AsIs(prepared, columns), rows, write=True, many=True)  # type: ignore[arg-type]


def analyze(tables: Any, names: Sequence[str]) -> bool:
    """PostgreSQL: let the planner count the rows a bulk run added to tables `names` (ANALYZE),
    in the unit of work's transaction and a savepoint of its own, so that a failure changes
    nothing. A bulk run adds rows faster than autovacuum looks (once a minute, when it is on):
    planned on an empty table's statistics, a lookup reads every row instead of its keys.
    SKIP_LOCKED: it never waits behind a VACUUM, CREATE INDEX CONCURRENTLY or another
    ANALYZE (the lock they hold); a table so held is left for later. Nothing on other engines,
    in memory, or inside an application's transaction (`app.joined`: the lock would last until
    the application commits). Whether the statement ran."""
    if (
        not isinstance(tables, SqlTables)
        or isinstance(tables, JoinedTables)
        or tables.dialect.name != "postgresql"
    ):
        return False
    quote = tables.dialect.identifier_preparer.quote
    statement = f"ANALYZE (SKIP_LOCKED) {', '.join(quote(name) for name in names)}"
    error = tables.dialect.loaded_dbapi.Error

    def run(connection: Any) -> bool:
        try:
            with connection.transaction():  # a savepoint: its failure is undone alone
                connection.execute(statement)
        except error as failed:
            if tables.dialect.is_disconnect(failed, connection, None):
                raise  # the unit of work's transaction is gone: on_driver says so
            return False
        return True

    return tables.on_driver(statement, run)
