"""The SQL table gateway: Core statements built once per shape, compiled once per dialect and run
on the DBAPI cursor of one pooled connection per unit of work (no SQLAlchemy execution path on
the data path). On PostgreSQL and MariaDB reads run in autocommit (one round trip each, no
BEGIN/ROLLBACK) and the transaction opens at the first write. MariaDB has no UPDATE .. RETURNING
and no ON CONFLICT: a conditional write that returns columns locks its rows first (SELECT ..
FOR UPDATE, which reads the latest committed rows, as PostgreSQL's UPDATE does after a wait), and
an insert that skips existing rows is INSERT .. ON DUPLICATE KEY UPDATE of a key to itself."""

from __future__ import annotations

import contextlib
import functools
import itertools
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

import attrs
from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    delete,
    event,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.pool import QueuePool

from nexus.persistence.errors import is_translatable, translate
from nexus.persistence.mysql import is_mysql
from nexus.persistence.schema import Row, TableInfo, info_by_name
from nexus.persistence.statements import Prepared, UnsupportedStatementError, wrap
from nexus.persistence.tables import (
    _OPS,
    _PREDICATE_TYPES,
    IN_CHUNK,
    Add,
    Cmp,
    ConditionalWrite,
    Exists,
    Param,
)
from nexus.shared.errors import ConcurrencyError

T = TypeVar("T")


def _padded(n: int) -> int:
    """IN lists are compiled for a few sizes (powers of two up to IN_CHUNK); shorter lists
    repeat their last value, which IN ignores."""
    size = 1
    while size < n:
        size *= 2
    return min(size, IN_CHUNK)


# Compiled statements per dialect kind (`EngineState.statements_now`): engines of one server,
# driver and JSON serializer share them.
_STATEMENTS: dict[Any, dict[Any, Prepared]] = {}


class EngineState:
    """What every unit of work on one engine shares, looked up once per engine (a unit of work
    then reads attributes, not weak dictionaries): the dialect's kind, the connections a
    finished unit of work left for the next one, and, once a connection told the server's
    version, the compiled statements for it.

    Idle connections: handing one over is a list pop, where a pool checkout and checkin cost
    more than the read itself. Only for a QueuePool (a SQLite memory database is one connection
    per thread); at most the pool's size; closed when the engine is disposed. Never for an
    application's own engine (`adopt`)."""

    def __init__(self, engine: Engine) -> None:
        # No reference to the engine: the state lives in a weak dictionary keyed by it.
        self.dialect = engine.dialect
        self.pg = self.dialect.name == "postgresql"
        self.my = is_mysql(self.dialect)
        self.statements: dict[Any, Prepared] | None = None
        pool = engine.pool
        self.idle: list[Any] | None = [] if isinstance(pool, QueuePool) else None
        self.keep = pool.size() if isinstance(pool, QueuePool) else 0
        # A connection idle longer than the pool's recycle time (MariaDB's wait_timeout) goes
        # back to the pool, which replaces it, instead of being used dead.
        recycle = getattr(pool, "_recycle", -1)
        self.recycle: float | None = recycle if recycle is not None and recycle >= 0 else None
        if self.idle is not None:
            event.listen(engine, "engine_disposed", lambda e: _drain(e, invalidate=True))

    def statements_now(self, open_one: Callable[[], Any]) -> dict[Any, Prepared]:
        if self.statements is None:
            if self.dialect.server_version_info is None:
                # The dialect learns the server's version on the engine's first connection (a
                # new one: an engine with pooled connections has made it already).
                open_one()
            dialect = self.dialect
            # What compiling and the type processors depend on: the driver's dialect class,
            # the server's version, the parameter style and the JSON (de)serializers.
            kind = (
                type(dialect),
                dialect.server_version_info,
                dialect.paramstyle,
                getattr(dialect, "_json_serializer", None),
                getattr(dialect, "_json_deserializer", None),
            )
            self.statements = _STATEMENTS.setdefault(kind, {})
        return self.statements


_STATES: weakref.WeakKeyDictionary[Engine, EngineState] = weakref.WeakKeyDictionary()
_STATES_LOCK = threading.Lock()


def state_of(engine: Engine) -> EngineState:
    state = _STATES.get(engine)
    if state is None:
        with _STATES_LOCK:
            state = _STATES.get(engine)
            if state is None:
                state = _STATES[engine] = EngineState(engine)
    return state


def adopt(engine: Engine) -> None:
    """An application's own engine (`create_app(engine=...)`): nexus keeps none of its pool's
    connections between units of work (each goes back to the application's pool), so nexus
    never holds what the application may need."""
    _drain(engine)
    state_of(engine).idle = None


def release_idle(engine: Engine) -> None:
    """Give back the connections nexus keeps for its next unit of work (`Nexus.close`)."""
    _drain(engine)


def _autocommit(dialect: Any, driver: Any, *, on: bool) -> None:
    """Autocommit on the driver connection (PostgreSQL, MariaDB; SQLite has no such mode)."""
    if dialect.name == "postgresql":
        driver.autocommit = on
    elif is_mysql(dialect) and driver.get_autocommit() != on:
        driver.autocommit(on)


def _drain(engine: Engine, *, invalidate: bool = False) -> None:
    """Give every idle connection back (or close it, when the server dropped them all)."""
    state = _STATES.get(engine)
    idle = [] if state is None or state.idle is None else state.idle
    while idle:
        try:
            fairy, _driver, _since = idle.pop()
        except IndexError:
            return
        with contextlib.suppress(Exception):
            if invalidate:
                fairy.invalidate()
            else:
                _autocommit(engine.dialect, fairy.driver_connection, on=False)
        with contextlib.suppress(Exception):
            fairy.close()


def _plan(where: Mapping[str, Any], prefix: str = "w") -> tuple[Any, dict[str, Any]]:
    """A `where`'s shape (what its statement is compiled for: `shape_of`) and its bind values,
    in one pass over it."""
    shape: list[tuple[str, Any]] = []
    params: dict[str, Any] = {}
    for name, value in where.items():
        kind = type(value)
        if value is None:
            shape.append((name, "null"))
        elif kind is Cmp:
            shape.append((name, (value.op, value.or_null)))
            params[f"{prefix}_{name}"] = value.value
        elif kind is Exists:
            shape.append((name, value.shape))
            params.update(_plan(value.where, f"{prefix}_x_{name}")[1])
        else:
            shape.append((name, "=="))
            params[f"{prefix}_{name}"] = value
    return tuple(shape), params


def _plan_values(values: Mapping[str, Any], params: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """An update's SET shape (`set` or `add` per column); its bind values go into `params`."""
    shape: list[tuple[str, str]] = []
    for name, value in values.items():
        if type(value) is Add:
            shape.append((name, "add"))
            params[f"v_{name}"] = value.amount
        else:
            shape.append((name, "set"))
            params[f"v_{name}"] = value
    return tuple(shape)


class _WritePlan:
    """A `ConditionalWrite` planned once per table: its statement's cache key (the one
    `update_where` gives the same conditions), its constant binds, and which bind takes which
    given value."""

    def __init__(self, write: ConditionalWrite, table: str) -> None:
        where_shape, params = _plan(write.where)
        self.shape = _plan_values(write.values, params)
        self.key = ("update_where", table, where_shape, self.shape, write.returning)
        self.constants: dict[str, Any] = {}
        binds: list[tuple[str, str]] = []
        for bind, value in params.items():
            if type(value) is Param:
                binds.append((bind, value.name))
            else:
                self.constants[bind] = value
        self.binds = tuple(binds)
        # Params planned as an equality: given None, the condition is IS NULL instead.
        self.nullable = tuple(value.name for value in write.where.values() if type(value) is Param)


class _Missing:
    """A Param's value not given."""


_MISSING = _Missing()
_NOT_PLANNED = (_Missing, *_PREDICATE_TYPES)  # what `ConditionalWrite.fill` refuses


class SqlTables:
    """One unit of work's connection and the statements it runs. At READ COMMITTED a statement
    sees the same rows in autocommit as in a transaction, so reads need none."""

    def __init__(self, engine: Engine, state: EngineState | None = None) -> None:
        state = state_of(engine) if state is None else state
        self.engine = engine
        self.dialect = state.dialect
        self._state = state
        self._pg = state.pg
        self._my = state.my
        self._fairy: Any = None
        self._driver: Any = None
        self._cursor: Any = None
        self._idle = state.idle
        self._writing = False  # a transaction is open (PostgreSQL) or a write was issued
        self._dirty = False  # a write of this transaction reached the database
        self._failed = False  # a write was refused: the transaction is void (see _refuse_void)

    # -- the connection -----------------------------------------------------------------------

    def _open(self) -> Any:
        if self._cursor is None:
            fairy: Any = None
            driver: Any = None
            idle = self._idle
            if idle:
                try:  # not `contextlib.suppress`: this runs once per unit of work
                    fairy, driver, since = idle.pop()
                except IndexError:  # another thread took the last one
                    pass
                else:
                    recycle = self._state.recycle
                    if recycle is not None and time.monotonic() - since > recycle:
                        with contextlib.suppress(Exception):
                            _autocommit(self.dialect, driver, on=False)
                        with contextlib.suppress(Exception):
                            fairy.close()
                        fairy = None
            if fairy is None:
                fairy = self.engine.raw_connection()
                driver = fairy.driver_connection
            # Held before the driver is asked anything: a connection that turns out dead here
            # is dropped by `_run`'s handler, as one that dies on a statement.
            self._fairy = fairy
            self._driver = driver
            if self._pg:
                if driver.autocommit == self._writing:  # psycopg's setter costs, unchanged too
                    driver.autocommit = not self._writing
            elif self._my:
                _autocommit(self.dialect, driver, on=True)
                if self._writing:
                    driver.begin()
            self._cursor = driver.cursor()
        return self._cursor

    def _begin_writing(self) -> None:
        if not self._writing:
            self._writing = True
            if self._driver is not None:
                if self._pg:
                    self._driver.autocommit = False
                elif self._my:
                    self._driver.begin()

    def _prepare(self, key: Any, build: Callable[[], Any]) -> Prepared:
        statements = self._state.statements
        if statements is None:
            statements = self._state.statements_now(self._open)
        prepared = statements.get(key)
        if prepared is None:
            prepared = statements[key] = Prepared(build(), self.dialect)
        return prepared

    def _refuse_void(self) -> None:
        """After a refused write the transaction is void on every adapter: PostgreSQL aborts it
        (its COMMIT would keep nothing), so nothing more is sent and commit raises."""
        if self._failed:
            raise ConcurrencyError(
                "an earlier write of this unit of work was refused, so it was rolled back; "
                "start it again"
            )

    def _run(
        self, prepared: Prepared, params: Any, *, write: bool = False, many: bool = False
    ) -> Any:
        if self._failed:
            self._refuse_void()
        args = [prepared.parameters(p) for p in params] if many else prepared.parameters(params)
        for attempt in (1, 2):
            cursor = None
            try:
                if write and not self._writing:
                    self._begin_writing()
                cursor = self._cursor
                if cursor is None:
                    cursor = self._open()
                if self.engine._has_events and self.engine.dispatch.before_cursor_execute:
                    # Listeners on the engine (statement counters, fault injection) see every
                    # statement, as on SQLAlchemy's execution path (`_has_events` is its own
                    # flag for an engine with listeners, set by the first one).
                    self.engine.dispatch.before_cursor_execute(
                        None, cursor, prepared.sql, args, None, many
                    )
                if many:
                    cursor.executemany(prepared.sql, args)
                else:
                    cursor.execute(prepared.sql, args)
            except self.dialect.loaded_dbapi.Error as error:
                if self.dialect.is_disconnect(error, self._driver, cursor):
                    lost = self._dirty
                    self._invalidate(error)
                    if not lost and attempt == 1:
                        # Nothing of this unit of work was on the lost connection: run it again.
                        continue
                    raise ConcurrencyError(
                        "the connection to the database was lost; try again"
                    ) from error
                wrapped = wrap(error, self.dialect, prepared.sql, args)
                if self._writing:
                    self._failed = True
                if is_translatable(wrapped):
                    raise translate(wrapped) from error
                raise wrapped from error
            if write:
                self._dirty = True
            return cursor
        raise AssertionError("unreachable")

    def _invalidate(self, error: BaseException) -> None:
        """Drop this connection and every pooled one older than it (a server restart or a
        terminated backend takes them all), as SQLAlchemy does on a disconnect."""
        fairy, self._fairy, self._driver, self._cursor = self._fairy, None, None, None
        self._writing = self._dirty = False
        _drain(self.engine, invalidate=True)
        with contextlib.suppress(Exception):
            self.engine.pool._invalidate(fairy, error)
        with contextlib.suppress(Exception):
            if fairy.is_valid:  # the pool's invalidation usually took it already
                fairy.invalidate(error)
            fairy.close()

    def commit(self) -> None:
        if self._failed:
            self._refuse_void()
        driver = self._driver
        if driver is None or not self._writing:
            return
        try:
            driver.commit()
        except self.dialect.loaded_dbapi.Error as error:
            if self.dialect.is_disconnect(error, driver, self._cursor):
                self._invalidate(error)
                raise ConcurrencyError(
                    "the connection to the database was lost during COMMIT: whether this "
                    "change was kept is unknown; look before trying again",
                    retryable=False,
                ) from error
            self._raise_wrapped(error, "COMMIT")
        finally:
            self._writing = self._dirty = False
        if self._pg:
            driver.autocommit = True

    def _raise_wrapped(self, error: Exception, sql: str) -> NoReturn:
        """A driver error at the end of a transaction, as the statements' errors are raised."""
        wrapped = wrap(error, self.dialect, sql, ())
        if is_translatable(wrapped):
            raise translate(wrapped) from error
        raise wrapped from error

    def close(self) -> None:
        fairy, driver, cursor = self._fairy, self._driver, self._cursor
        self._fairy = self._driver = self._cursor = None
        writing, self._writing, self._dirty = self._writing, False, False
        self._failed = False
        if fairy is None:
            return
        try:
            if cursor is not None:
                cursor.close()
            if writing:
                driver.rollback()
            idle = self._idle
            if idle is not None and len(idle) < self._state.keep:
                if self._pg and not driver.autocommit:
                    driver.autocommit = True
                idle.append((fairy, driver, time.monotonic()))
                return
            # What the pool and SQLAlchemy expect.
            _autocommit(self.dialect, driver, on=False)
        except self.dialect.loaded_dbapi.Error as error:
            fairy.invalidate(error)
        fairy.close()

    # -- statements ---------------------------------------------------------------------------

    def _where(self, info: TableInfo, where: Mapping[str, Any], prefix: str = "w") -> Any:
        c = info.table.c
        parts: list[Any] = []
        for name, value in where.items():
            if value is None:
                parts.append(c[name].is_(None))
            elif isinstance(value, Exists):
                other = info_by_name(value.table)
                guard = self._where(other, value.where, f"{prefix}_x_{name}")
                condition = and_(
                    *(other.table.c[o] == c[t] for o, t in value.on.items()),
                    *(() if guard is None else (guard,)),  # no `where`: the related row exists
                )
                parts.append(exists().where(condition))
            elif isinstance(value, Cmp):
                compared = _OPS[value.op](c[name], bindparam(f"{prefix}_{name}"))
                parts.append(or_(c[name].is_(None), compared) if value.or_null else compared)
            else:
                parts.append(c[name] == bindparam(f"{prefix}_{name}"))
        return and_(*parts) if parts else None

    def _select(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        shape: Any,
        order: tuple[str, ...],
        page: str = "",
    ) -> Prepared:
        def build() -> Any:
            statement = select(info.table)
            condition = self._where(info, where)
            if condition is not None:
                statement = statement.where(condition)
            for column in order:
                col = info.table.c[column.lstrip("-")]
                statement = statement.order_by(col.desc() if column.startswith("-") else col)
            if "l" in page:
                statement = statement.limit(bindparam("p_limit"))
            if "o" in page:
                statement = statement.offset(bindparam("p_offset"))
            return statement

        return self._prepare(("select", info.name, shape, order, page), build)

    def fetch_one(self, info: TableInfo, where: Mapping[str, Any]) -> Sequence[Any] | None:
        shape, params = _plan(where)
        prepared = self._select(info, where, shape, ())
        rows = prepared.rows(self._run(prepared, params))
        return rows[0] if rows else None

    def on_driver(self, sql: str, action: Callable[[Any], T]) -> T:
        """`action(driver connection)` inside this unit of work's write transaction, for a bulk
        path the statements here do not cover (PostgreSQL COPY, ANALYZE): it commits or rolls
        back with the unit of work, and its driver errors are raised as a statement's are (a
        lost connection a ConcurrencyError, a refused row a nexus error naming the rule, the
        unit of work void after it); `sql` names what it runs in an error."""
        self._refuse_void()
        try:
            self._begin_writing()
            self._open()
            result = action(self._driver)
        except self.dialect.loaded_dbapi.Error as error:
            if self.dialect.is_disconnect(error, self._driver, None):
                self._invalidate(error)
                raise ConcurrencyError(
                    "the connection to the database was lost; try again"
                ) from error
            self._failed = True
            wrapped = wrap(error, self.dialect, sql, ())
            if is_translatable(wrapped):
                raise translate(wrapped) from error
            raise wrapped from error
        self._dirty = True
        return result

    def run(self, statement: Any, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        """A prebuilt read statement (built once and kept by the caller: a graph traversal)
        on this unit of work's connection, compiled once per dialect; one the compiled path
        cannot take (IN lists) goes through SQLAlchemy's execute on a fresh connection."""
        try:
            prepared = self._prepare(("run", statement), lambda: statement)
        except UnsupportedStatementError:
            with self.engine.connect() as connection:
                return self._execute(connection, statement, params, voids=False)
        return prepared.rows(self._run(prepared, dict(params)))

    def _execute(
        self, connection: Connection, statement: Any, params: Mapping[str, Any], *, voids: bool
    ) -> list[Sequence[Any]]:
        """A statement through SQLAlchemy's execute, its driver errors raised as `_run` raises
        them (a value the database refuses: a ValidationError naming the rule); `voids` when
        `connection` holds this unit of work's transaction, which an error then voids."""
        try:
            return [tuple(r) for r in connection.execute(statement, dict(params))]
        except sa_exc.DBAPIError as error:
            if voids and self._writing:
                self._failed = True
            if is_translatable(error):
                raise translate(error) from error
            raise

    def fetch_many(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        order_by: tuple[str, ...] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Sequence[Any]]:
        shape, params = _plan(where)
        page = ""
        if limit is not None:
            page, params["p_limit"] = "l", limit
        if offset:
            page, params["p_offset"] = page + "o", offset
        prepared = self._select(info, where, shape, order_by, page)
        return prepared.rows(self._run(prepared, params))

    def fetch_in(
        self, info: TableInfo, column: str, values: Iterable[Any], where: Mapping[str, Any]
    ) -> list[Sequence[Any]]:
        wanted = list(dict.fromkeys(values))
        found: list[Sequence[Any]] = []
        shape, params = _plan(where)
        for i in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[i : i + IN_CHUNK]
            size = _padded(len(chunk))
            chunk += [chunk[-1]] * (size - len(chunk))
            prepared = self._prepare(
                ("in", info.name, column, shape, size),
                functools.partial(self._select_in, info, column, where, size),
            )
            params.update({f"in_{j}": v for j, v in enumerate(chunk)})
            found.extend(prepared.rows(self._run(prepared, params)))
        return found

    def _select_in(self, info: TableInfo, column: str, where: Mapping[str, Any], n: int) -> Any:
        col = info.table.c[column]
        statement = select(info.table).where(
            col.in_([bindparam(f"in_{j}", type_=col.type) for j in range(n)])
        )
        condition = self._where(info, where)
        return statement if condition is None else statement.where(condition)

    def count(self, info: TableInfo, where: Mapping[str, Any]) -> int:
        def build() -> Any:
            statement = select(func.count()).select_from(info.table)
            condition = self._where(info, where)
            return statement if condition is None else statement.where(condition)

        shape, params = _plan(where)
        prepared = self._prepare(("count", info.name, shape), build)
        return int(prepared.rows(self._run(prepared, params))[0][0])

    def insert(self, info: TableInfo, row: Row) -> None:
        self._run(self._insert(info, tuple(row)), row, write=True)

    def insert_many(
        self, info: TableInfo, rows: Sequence[Row], *, skip_existing: bool = False
    ) -> None:
        # Every row has every column (the mapper's row dicts), so this is one executemany;
        # `skip_existing` makes it INSERT .. ON CONFLICT DO NOTHING (any key or unique).
        if rows:
            prepared = self._insert(info, tuple(rows[0]), skip_existing)
            self._run(prepared, rows, write=True, many=True)

    def _insert(
        self, info: TableInfo, columns: tuple[str, ...], skip_existing: bool = False
    ) -> Prepared:
        def build() -> Any:
            values = {c: bindparam(c, type_=info.table.c[c].type) for c in columns}
            if not skip_existing:
                return insert(info.table).values(values)
            if self._my:
                # Any key or unique: the row already there is kept (a key set to itself).
                key = self.dialect.identifier_preparer.quote(info.primary_key[0])
                statement = mysql.insert(info.table).values(values)
                return statement.on_duplicate_key_update({info.primary_key[0]: literal_column(key)})
            module = postgresql if self._pg else sqlite
            return module.insert(info.table).values(values).on_conflict_do_nothing()

        return self._prepare(("insert", info.name, columns, skip_existing), build)

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
        shape, params = _plan(where)
        prepared = self._prepare(
            ("update", info.name, shape, tuple(changes)),
            lambda: (
                update(info.table)
                .where(self._where(info, where))
                .values({c: bindparam(f"v_{c}", type_=info.table.c[c].type) for c in changes})
            ),
        )
        for c, v in changes.items():
            params[f"v_{c}"] = v
        return int(self._run(prepared, params, write=True).rowcount)

    def delete(self, info: TableInfo, where: Mapping[str, Any]) -> int:
        shape, params = _plan(where)
        prepared = self._prepare(
            ("delete", info.name, shape),
            lambda: delete(info.table).where(self._where(info, where)),
        )
        return int(self._run(prepared, params, write=True).rowcount)

    def update_where(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        values: Mapping[str, Any],
        returning: tuple[str, ...] = (),
    ) -> list[tuple[Any, ...]]:
        if returning and self._my:
            return self._update_locked(info, where, values, returning)
        where_shape, params = _plan(where)
        shape = _plan_values(values, params)
        prepared = self._prepare(
            ("update_where", info.name, where_shape, shape, returning),
            lambda: self._update_statement(info, where, shape, returning),
        )
        return self._updated(prepared, params, returning)

    def write_where(
        self, info: TableInfo, write: ConditionalWrite, given: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        plan = write.plans.get(info.name)
        if plan is None:
            plan = write.plans[info.name] = _WritePlan(write, info.name)
        params = plan.constants.copy()
        for bind, name in plan.binds:
            value = params[bind] = given.get(name, _MISSING)
            if (value is None and name in plan.nullable) or type(value) in _NOT_PLANNED:
                # A NULL where an equality was planned (IS NULL: another statement); what
                # `fill` refuses (a missing value, a condition given as a value).
                break
        else:
            if not (write.returning and self._my):
                prepared = self._prepare(
                    plan.key,
                    lambda: self._update_statement(info, write.where, plan.shape, write.returning),
                )
                return self._updated(prepared, params, write.returning)
        # MariaDB's locked path, or the statement a NULL gives.
        where, values = write.fill(given)
        return self.update_where(info, where, values, write.returning)

    def _update_statement(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        shape: tuple[tuple[str, str], ...],
        returning: tuple[str, ...],
    ) -> Any:
        c = info.table.c
        statement = (
            update(info.table)
            .where(self._where(info, where))
            .values(
                {
                    name: (c[name] + bindparam(f"v_{name}", type_=c[name].type))
                    if kind == "add"
                    else bindparam(f"v_{name}", type_=c[name].type)
                    for name, kind in shape
                }
            )
        )
        return statement.returning(*(c[r] for r in returning)) if returning else statement

    def _updated(
        self, prepared: Prepared, params: dict[str, Any], returning: tuple[str, ...]
    ) -> list[tuple[Any, ...]]:
        cursor = self._run(prepared, params, write=True)
        if returning:
            return [tuple(r) for r in prepared.rows(cursor)]
        return [()] * int(cursor.rowcount)

    def _update_locked(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        values: Mapping[str, Any],
        returning: tuple[str, ...],
    ) -> list[tuple[Any, ...]]:
        """`update_where` with RETURNING where the database has none (MariaDB): lock the rows
        `where` matches (a locking read judges the latest committed rows, after waiting for a
        concurrent writer), update each by its key under that lock, read back `returning`."""
        pk = info.primary_key
        # Columns the write leaves alone are read with the lock, in the same statement.
        unchanged = not set(returning) & set(values)
        out: list[tuple[Any, ...]] = []
        for locked in self._select_locked(info, where, returning if unchanged else ()):
            pinned = dict(zip(pk, locked[: len(pk)], strict=True))
            if self.update_where(info, {**where, **pinned}, values):
                if unchanged:
                    out.append(tuple(locked[len(pk) :]))
                    continue
                row = self.fetch_one(info, pinned)
                if row is not None:
                    out.append(tuple(row[info.columns.index(c)] for c in returning))
        return out

    def _select_locked(
        self, info: TableInfo, where: Mapping[str, Any], also: tuple[str, ...] = ()
    ) -> list[Sequence[Any]]:
        """The primary key (then the `also` columns) of each row `where` matches, locked."""
        columns = tuple(info.table.c[c] for c in (*info.primary_key, *also))

        def build() -> Any:
            statement = select(*columns).with_for_update()
            condition = self._where(info, where)
            return statement if condition is None else statement.where(condition)

        shape, params = _plan(where)
        prepared = self._prepare(("locked", info.name, shape, also), build)
        return prepared.rows(self._run(prepared, params, write=True))


_SAVEPOINTS = itertools.count(1)


@attrs.frozen
class Joined:
    """An application's connection nexus joined (`app.joined`): the transaction it was inside
    when the block began, and the thread that may use it (one connection is one session: two
    threads' savepoints on it would interleave, one's rollback taking the other's work)."""

    connection: Connection
    transaction: Any
    thread: int = attrs.field(factory=threading.get_ident)


class JoinedTables(SqlTables):
    """A unit of work inside a transaction the embedding application holds (`app.joined(conn)`):
    its statements run on the application's connection, inside a SAVEPOINT that its commit
    releases and that is rolled back otherwise (a refused write included, so the application's
    transaction stays usable). The application's transaction is never committed nor rolled
    back here: what nexus wrote is kept or dropped with it. A unit of work opened once that
    transaction has ended (a task started in the block that runs later) is refused."""

    def __init__(self, joined: Joined) -> None:
        super().__init__(joined.connection.engine)
        self._joined = joined
        self._connection = joined.connection
        self._idle = None
        self._savepoint: str | None = None
        self._lost = False  # the database rolled back the application's whole transaction

    def _open(self) -> Any:
        if self._lost:
            raise _transaction_lost()
        if self._cursor is None:
            connection, transaction = self._connection, self._joined.transaction
            if (
                connection.closed
                or not transaction.is_active
                or connection.get_transaction() is not transaction
            ):
                raise ConcurrencyError(
                    "the application's transaction this use case joined (app.joined) has "
                    "ended; run it inside the block, before the application commits",
                    retryable=False,
                )
            self._fairy = connection.connection
            driver: Any = self._fairy.driver_connection
            self._driver = driver
            savepoint = f"nexus_uow_{next(_SAVEPOINTS)}"
            cursor = self._guarded("SAVEPOINT", None, driver.cursor)
            try:
                if self.dialect.name == "sqlite" and not driver.in_transaction:
                    # pysqlite begins a transaction only before DML; a SAVEPOINT outside one
                    # would itself be the transaction, whose RELEASE would commit the
                    # application's work.
                    self._control(cursor, "BEGIN")
                self._control(cursor, f"SAVEPOINT {savepoint}")
            except BaseException:
                with contextlib.suppress(Exception):
                    cursor.close()
                self._fairy = self._driver = None
                raise
            self._savepoint = savepoint
            self._cursor = cursor
            self._writing = True  # any refused statement voids this unit of work
        return self._cursor

    def _control(self, cursor: Any, sql: str) -> None:
        """BEGIN / SAVEPOINT / RELEASE / ROLLBACK TO on the application's connection, its
        errors raised as the statements' are (a lost connection is a ConcurrencyError)."""
        self._guarded(sql, cursor, lambda: cursor.execute(sql))

    def _guarded(self, sql: str, cursor: Any, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except self.dialect.loaded_dbapi.Error as error:
            if self.dialect.is_disconnect(error, self._fairy.driver_connection, cursor):
                raise ConcurrencyError(
                    "the connection to the database was lost; the application's transaction "
                    "is gone",
                    retryable=False,
                ) from error
            wrapped = wrap(error, self.dialect, sql, ())
            if is_translatable(wrapped):
                raise translate(wrapped) from error
            raise ConcurrencyError(
                f"the application's transaction cannot run nexus's {sql.split()[0]} "
                f"({str(error).splitlines()[0][:200]}); roll it back",
                retryable=False,
            ) from error

    def _run(
        self, prepared: Prepared, params: Any, *, write: bool = False, many: bool = False
    ) -> Any:
        try:
            return super()._run(prepared, params, write=write, many=many)
        except ConcurrencyError as error:
            if self._my and error.retryable and _is_deadlock(error.__cause__):
                # InnoDB rolls back the victim's whole transaction, the application's included
                # (not only this savepoint): running the use case again would write outside it.
                self._lost = True
                raise _transaction_lost() from error
            raise

    def _begin_writing(self) -> None:
        self._writing = True  # the application's transaction is open: nothing to switch

    def _invalidate(self, error: BaseException) -> None:
        self._fairy = self._driver = self._cursor = None
        self._writing = self._dirty = False
        raise ConcurrencyError(
            "the connection to the database was lost; the application's transaction is gone",
            retryable=False,
        ) from error

    def commit(self) -> None:
        self._refuse_void()
        if self._cursor is None:
            return
        name, self._savepoint = self._savepoint, None
        cursor = self._cursor
        try:
            self._control(cursor, f"RELEASE SAVEPOINT {name}")
        finally:
            self._writing = self._dirty = False
            cursor.close()
            self._cursor = self._fairy = self._driver = None

    def close(self) -> None:
        cursor, name, lost = self._cursor, self._savepoint, self._lost
        self._savepoint = None
        self._writing = self._dirty = self._failed = False
        if cursor is None:
            self._fairy = self._driver = None
            return
        try:
            if name is not None and not lost:
                # The savepoint is gone with the transaction when the database rolled it back.
                self._control(cursor, f"ROLLBACK TO SAVEPOINT {name}")
                self._control(cursor, f"RELEASE SAVEPOINT {name}")
        finally:
            self._fairy = self._driver = self._cursor = None
            cursor.close()

    def run(self, statement: Any, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        try:
            prepared = self._prepare(("run", statement), lambda: statement)
        except UnsupportedStatementError:
            self._open()
            return self._execute(self._connection, statement, params, voids=True)
        return prepared.rows(self._run(prepared, dict(params)))


def _is_deadlock(error: BaseException | None) -> bool:
    """MariaDB's deadlock (1213), from the driver error a ConcurrencyError was raised from."""
    args: tuple[Any, ...] = getattr(error, "args", ())
    return bool(args) and args[0] == 1213


def _transaction_lost() -> ConcurrencyError:
    return ConcurrencyError(
        "the database rolled back the application's whole transaction (a deadlock on MariaDB "
        "rolls back more than the use case's savepoint): roll it back and run it again",
        retryable=False,
    )
