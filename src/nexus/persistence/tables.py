"""The table gateway the generic repositories stand on, and its two implementations: SQL (Core
statements built once per shape and reused, run on one connection per unit of work) and in
memory (the twin, on `persistence.memory`). Repositories and finders are written once, on this.
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

import attrs
from sqlalchemy import Engine, and_, bindparam, delete, exists, func, insert, or_, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from nexus.persistence.errors import is_translatable, translate
from nexus.persistence.memory import InMemoryStore, InMemoryTransaction
from nexus.persistence.schema import Row, TableInfo, info_by_name
from nexus.shared.errors import ConcurrencyError

# Stays under SQLite's bound-parameter limit on old builds (999).
IN_CHUNK = 500


@attrs.frozen
class Cmp:
    """A comparison other than equality: `Cmp("<", 5)`; `or_null` also accepts NULL."""

    op: str
    value: Any
    or_null: bool = False


@attrs.frozen
class Exists:
    """A guard on a related row: `Exists("users", on={"id": "user_id"}, where={"is_active":
    True})` holds when the users row whose id is this row's user_id is active."""

    table: str
    on: Mapping[str, str]
    where: Mapping[str, Any]


@attrs.frozen
class Add:
    """`column = column + amount` in a conditional write."""

    amount: int


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "!=": operator.ne,
    "==": operator.eq,
}


class Tables(Protocol):
    """What a repository asks of its storage. `where` maps column -> value (None is IS NULL);
    rows come back as sequences in the table's column order."""

    def fetch_one(self, info: TableInfo, where: Mapping[str, Any]) -> Sequence[Any] | None: ...

    def fetch_many(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        order_by: tuple[str, ...] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Sequence[Any]]: ...

    def fetch_in(
        self, info: TableInfo, column: str, values: Iterable[Any], where: Mapping[str, Any]
    ) -> list[Sequence[Any]]: ...

    def count(self, info: TableInfo, where: Mapping[str, Any]) -> int: ...

    def insert(self, info: TableInfo, row: Row) -> None: ...

    def insert_many(
        self, info: TableInfo, rows: Sequence[Row], *, skip_existing: bool = False
    ) -> None: ...

    def update(
        self,
        info: TableInfo,
        pk: Mapping[str, Any],
        changes: Mapping[str, Any],
        version: tuple[str, int] | None,
    ) -> int: ...

    def delete(self, info: TableInfo, where: Mapping[str, Any]) -> int: ...

    def update_where(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        values: Mapping[str, Any],
        returning: tuple[str, ...] = (),
    ) -> list[tuple[Any, ...]]: ...

    def commit(self) -> None: ...

    def close(self) -> None: ...


def _kind(value: Any) -> Any:
    if value is None:
        return "null"
    if isinstance(value, Cmp):
        return (value.op, value.or_null)
    if isinstance(value, Exists):
        return ("exists", value.table, tuple(value.on.items()), _shape(value.where))
    return "=="


def _shape(where: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((c, _kind(v)) for c, v in where.items())


class SqlTables:
    """One unit of work's connection. On PostgreSQL it reads in autocommit (one round trip per
    read, no BEGIN/ROLLBACK) and opens the transaction at its first write; at READ COMMITTED a
    statement sees the same rows either way. Statements are built once per shape and cached."""

    _cache: dict[Any, Any] = {}

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None
        self._writing = False
        self._autocommit = engine.dialect.name == "postgresql"

    # -- the connection -----------------------------------------------------------------------

    def _conn(self) -> Connection:
        if self._connection is None:
            connection = self.engine.connect()
            if self._autocommit:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            self._connection = connection
        return self._connection

    def _begin_writing(self) -> None:
        if self._writing:
            return
        self._writing = True
        if self._autocommit:
            connection = self._conn()
            connection.rollback()
            self._connection = connection.execution_options(isolation_level="READ COMMITTED")

    def execute(self, statement: Any, params: Any = None, *, write: bool = False) -> Any:
        if write:
            self._begin_writing()
        try:
            return self._conn().execute(statement, params)
        except sa_exc.DBAPIError as error:
            if error.connection_invalidated:
                lost = self._writing
                self._drop()
                if not lost:
                    # Nothing of this unit of work was on the lost connection: run it again.
                    return self._conn().execute(statement, params)
                raise ConcurrencyError(
                    "the connection to the database was lost; try again"
                ) from error
            if is_translatable(error):
                raise translate(error) from error
            raise

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(sa_exc.DBAPIError):
                self._connection.close()
        self._connection = None
        self._writing = False

    def commit(self) -> None:
        if self._connection is None or not self._writing:
            return
        try:
            self._connection.commit()
        except sa_exc.DBAPIError as error:
            if is_translatable(error):
                raise translate(error) from error
            raise
        finally:
            self._writing = False

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._writing = False

    # -- statements ---------------------------------------------------------------------------

    def _where(self, info: TableInfo, where: Mapping[str, Any], prefix: str = "w") -> Any:
        c = info.table.c
        parts: list[Any] = []
        for name, value in where.items():
            if value is None:
                parts.append(c[name].is_(None))
            elif isinstance(value, Exists):
                other = info_by_name(value.table)
                condition = and_(
                    *(other.table.c[o] == c[t] for o, t in value.on.items()),
                    self._where(other, value.where, f"x_{value.table}"),
                )
                parts.append(exists().where(condition))
            elif isinstance(value, Cmp):
                compared = _OPS[value.op](c[name], bindparam(f"{prefix}_{name}"))
                parts.append(or_(c[name].is_(None), compared) if value.or_null else compared)
            else:
                parts.append(c[name] == bindparam(f"{prefix}_{name}"))
        return and_(*parts) if parts else None

    @classmethod
    def _params(cls, where: Mapping[str, Any], prefix: str = "w") -> dict[str, Any]:
        params: dict[str, Any] = {}
        for k, v in where.items():
            if v is None:
                continue
            if isinstance(v, Exists):
                params.update(cls._params(v.where, f"x_{v.table}"))
            else:
                params[f"{prefix}_{k}"] = v.value if isinstance(v, Cmp) else v
        return params

    def _select(self, info: TableInfo, where: Mapping[str, Any], order: tuple[str, ...]) -> Any:
        key = ("select", info.name, _shape(where), order)
        statement = self._cache.get(key)
        if statement is None:
            statement = select(info.table)
            condition = self._where(info, where)
            if condition is not None:
                statement = statement.where(condition)
            for column in order:
                col = info.table.c[column.lstrip("-")]
                statement = statement.order_by(col.desc() if column.startswith("-") else col)
            self._cache[key] = statement
        return statement

    def fetch_one(self, info: TableInfo, where: Mapping[str, Any]) -> Sequence[Any] | None:
        statement = self._select(info, where, ())
        row: Sequence[Any] | None = self.execute(statement, self._params(where)).first()
        return row

    def fetch_many(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        order_by: tuple[str, ...] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Sequence[Any]]:
        statement = self._select(info, where, order_by)
        if limit is not None or offset:
            statement = statement.limit(limit).offset(offset)
        return list(self.execute(statement, self._params(where)).all())

    def fetch_in(
        self, info: TableInfo, column: str, values: Iterable[Any], where: Mapping[str, Any]
    ) -> list[Sequence[Any]]:
        wanted = list(dict.fromkeys(values))
        key = ("in", info.name, column, _shape(where))
        statement = self._cache.get(key)
        if statement is None:
            statement = select(info.table).where(
                info.table.c[column].in_(bindparam("values", expanding=True))
            )
            condition = self._where(info, where)
            if condition is not None:
                statement = statement.where(condition)
            self._cache[key] = statement
        found: list[Sequence[Any]] = []
        params = self._params(where)
        for i in range(0, len(wanted), IN_CHUNK):
            params["values"] = wanted[i : i + IN_CHUNK]
            found.extend(self.execute(statement, params).all())
        return found

    def count(self, info: TableInfo, where: Mapping[str, Any]) -> int:
        key = ("count", info.name, _shape(where))
        statement = self._cache.get(key)
        if statement is None:
            statement = select(func.count()).select_from(info.table)
            condition = self._where(info, where)
            if condition is not None:
                statement = statement.where(condition)
            self._cache[key] = statement
        return int(self.execute(statement, self._params(where)).scalar_one())

    def insert(self, info: TableInfo, row: Row) -> None:
        self.execute(self._insert(info), dict(row), write=True)

    def insert_many(
        self, info: TableInfo, rows: Sequence[Row], *, skip_existing: bool = False
    ) -> None:
        # Every row has every column (the mapper's row dicts), so this is one executemany;
        # `skip_existing` makes it INSERT .. ON CONFLICT DO NOTHING (any key or unique).
        if rows:
            self.execute(self._insert(info, skip_existing), list(rows), write=True)

    def _insert(self, info: TableInfo, skip_existing: bool = False) -> Any:
        dialect = self.engine.dialect.name if skip_existing else ""
        key = ("insert", info.name, dialect)
        statement = self._cache.get(key)
        if statement is None:
            if skip_existing:
                module = postgresql if dialect == "postgresql" else sqlite
                statement = module.insert(info.table).on_conflict_do_nothing()
            else:
                statement = insert(info.table)
            self._cache[key] = statement
        return statement

    def update(
        self,
        info: TableInfo,
        pk: Mapping[str, Any],
        changes: Mapping[str, Any],
        version: tuple[str, int] | None,
    ) -> int:
        where = dict(pk)
        if version is not None:
            where[version[0]] = version[1]
        key = ("update", info.name, _shape(where), tuple(changes))
        statement = self._cache.get(key)
        if statement is None:
            statement = (
                update(info.table)
                .where(self._where(info, where))
                .values({c: bindparam(f"v_{c}") for c in changes})
            )
            self._cache[key] = statement
        params = self._params(where) | {f"v_{c}": v for c, v in changes.items()}
        return int(self.execute(statement, params, write=True).rowcount)

    def delete(self, info: TableInfo, where: Mapping[str, Any]) -> int:
        key = ("delete", info.name, _shape(where))
        statement = self._cache.get(key)
        if statement is None:
            statement = self._cache[key] = delete(info.table).where(self._where(info, where))
        return int(self.execute(statement, self._params(where), write=True).rowcount)

    def update_where(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        values: Mapping[str, Any],
        returning: tuple[str, ...] = (),
    ) -> list[tuple[Any, ...]]:
        shape = tuple((c, "add" if isinstance(v, Add) else "set") for c, v in values.items())
        key = ("update_where", info.name, _shape(where), shape, returning)
        statement = self._cache.get(key)
        if statement is None:
            c = info.table.c
            statement = (
                update(info.table)
                .where(self._where(info, where))
                .values(
                    {
                        name: (c[name] + bindparam(f"v_{name}"))
                        if kind == "add"
                        else bindparam(f"v_{name}")
                        for name, kind in shape
                    }
                )
            )
            if returning:
                statement = statement.returning(*(c[r] for r in returning))
            self._cache[key] = statement
        params = self._params(where) | {
            f"v_{k}": (v.amount if isinstance(v, Add) else v) for k, v in values.items()
        }
        result = self.execute(statement, params, write=True)
        if returning:
            return [tuple(r) for r in result.all()]
        return [()] * int(result.rowcount)


def _check(column: str, wanted: Any, tx: InMemoryTransaction) -> Callable[[Row], bool]:
    if wanted is None:
        return lambda row: row[column] is None
    if isinstance(wanted, Cmp):
        compare, value, or_null = _OPS[wanted.op], wanted.value, wanted.or_null
        return lambda row: or_null if row[column] is None else bool(compare(row[column], value))
    if isinstance(wanted, Exists):
        other = info_by_name(wanted.table)
        guard = _matches(wanted.where, tx)
        pairs = tuple(wanted.on.items())

        def related(row: Row) -> bool:
            if tuple(o for o, _t in pairs) == other.primary_key:
                found = tx.row(other, tuple(row[t] for _o, t in pairs))
                return found is not None and guard(found)
            return any(all(r[o] == row[t] for o, t in pairs) and guard(r) for r in tx.rows(other))

        return related
    return lambda row: bool(row[column] == wanted)


def _matches(where: Mapping[str, Any], tx: InMemoryTransaction) -> Callable[[Row], bool]:
    checks = [_check(column, wanted, tx) for column, wanted in where.items()]
    return lambda row: all(check(row) for check in checks)


def _sort_key(column: str) -> Callable[[Row], Any]:
    name = column.lstrip("-")
    return lambda row: (row[name] is not None, row[name])


class MemoryTables:
    """The in-memory twin of SqlTables, on one InMemoryTransaction."""

    def __init__(self, store: InMemoryStore) -> None:
        self.tx = InMemoryTransaction(store)

    @staticmethod
    def _out(info: TableInfo, row: Row) -> list[Any]:
        return [row[c] for c in info.columns]

    def _lookup(self, info: TableInfo, where: Mapping[str, Any]) -> list[Row]:
        """Rows matching `where`: through the primary key or a unique index when `where` pins
        one down (then filtered by the rest), else a scan."""
        matches = _matches(where, self.tx)
        plain = {c for c, v in where.items() if v is not None and not isinstance(v, Cmp | Exists)}
        if set(info.primary_key) <= plain:
            row = self.tx.row(info, tuple(where[c] for c in info.primary_key))
            return [row] if row is not None and matches(row) else []
        for rule in info.uniques:
            if rule.applies is None and set(rule.columns) <= plain:
                row = self.tx.by_unique(info, rule.name, tuple(where[c] for c in rule.columns))
                return [row] if row is not None and matches(row) else []
        return self.tx.select(info, matches)

    def fetch_one(self, info: TableInfo, where: Mapping[str, Any]) -> Sequence[Any] | None:
        found = self._lookup(info, where)
        return self._out(info, found[0]) if found else None

    def fetch_many(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        order_by: tuple[str, ...] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Sequence[Any]]:
        rows = self._lookup(info, where)
        for column in reversed(order_by):
            rows.sort(key=_sort_key(column), reverse=column.startswith("-"))
        end = None if limit is None else offset + limit
        return [self._out(info, row) for row in rows[offset:end]]

    def fetch_in(
        self, info: TableInfo, column: str, values: Iterable[Any], where: Mapping[str, Any]
    ) -> list[Sequence[Any]]:
        wanted = set(values)
        matches = _matches(where, self.tx)
        return [
            self._out(info, row)
            for row in self.tx.rows(info)
            if row[column] in wanted and matches(row)
        ]

    def count(self, info: TableInfo, where: Mapping[str, Any]) -> int:
        if not where:
            return sum(1 for _ in self.tx.rows(info))
        return len(self._lookup(info, where))

    def insert(self, info: TableInfo, row: Row) -> None:
        self.tx.insert(info, row)

    def insert_many(
        self, info: TableInfo, rows: Sequence[Row], *, skip_existing: bool = False
    ) -> None:
        for row in rows:
            if skip_existing and self.tx.conflicts(info, row):
                continue
            self.tx.insert(info, row)

    def update(
        self,
        info: TableInfo,
        pk: Mapping[str, Any],
        changes: Mapping[str, Any],
        version: tuple[str, int] | None,
    ) -> int:
        key = tuple(pk[c] for c in info.primary_key)
        self.tx.lock(info.name, key)
        current = self.tx.row(info, key)
        if current is None or not _matches(pk, self.tx)(current):
            return 0
        if version is not None and current[version[0]] != version[1]:
            return 0
        self.tx.update(info, key, {**current, **changes})
        return 1

    def delete(self, info: TableInfo, where: Mapping[str, Any]) -> int:
        found = self._lookup(info, where)
        for row in found:
            self.tx.delete(info, info.pk_of(row))
        return len(found)

    def update_where(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        values: Mapping[str, Any],
        returning: tuple[str, ...] = (),
    ) -> list[tuple[Any, ...]]:
        matches = _matches(where, self.tx)
        out: list[tuple[Any, ...]] = []
        for candidate in self._lookup(info, where):
            key = info.pk_of(candidate)
            self.tx.lock(info.name, key)
            # As PostgreSQL does after waiting for a row lock: judge the latest committed row.
            current = self.tx.row(info, key)
            if current is None or not matches(current):
                continue
            new = dict(current)
            for column, value in values.items():
                new[column] = current[column] + value.amount if isinstance(value, Add) else value
            self.tx.update(info, key, new)
            out.append(tuple(new[c] for c in returning))
        return out

    def commit(self) -> None:
        self.tx.commit()

    def close(self) -> None:
        self.tx.release()
