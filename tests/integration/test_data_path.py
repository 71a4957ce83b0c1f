"""The data path's promises, on real databases: a read-only use case is one round trip on
PostgreSQL (libpq's own trace of the protocol: no BEGIN, no ROLLBACK, no pre-ping); a dropped
connection is recovered from; read-modify-write use cases never re-read a row they loaded."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.persistence.engine import create_engine_for
from nexus.settings import Settings
from nexus.shared.clock import FixedClock
from tests.conftest import make_container, unique_email

PASSWORD = "correct horse battery"


def _app(url: str, clock: FixedClock, hasher: Any) -> Nexus:
    container = make_container("sqlalchemy", url, clock, hasher)
    return Nexus(container, Settings(database_url=url, persistence="sqlalchemy"))


@pytest.fixture
def pg_url(migrated_postgres_url: str) -> str:
    from tests.conftest import _empty_postgres

    _empty_postgres(migrated_postgres_url)
    return migrated_postgres_url


class Trace:
    """libpq's trace of every connection the engine opens: what the server was sent."""

    def __init__(self, engine: Engine) -> None:
        self.file = tempfile.NamedTemporaryFile("w+", suffix=".trace", delete=False)  # noqa: SIM115
        self.mark = 0

        @event.listens_for(engine, "connect")
        def _trace(dbapi_connection: Any, _record: Any) -> None:
            from psycopg import pq

            dbapi_connection.pgconn.trace(self.file.fileno())
            dbapi_connection.pgconn.set_trace_flags(
                pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE
            )

    def since_mark(self) -> list[str]:
        """Frontend and backend messages since `start()`."""
        return Path(self.file.name).read_text().splitlines()[self.mark :]

    def start(self) -> None:
        self.mark = len(Path(self.file.name).read_text().splitlines())

    def close(self) -> None:
        self.file.close()
        Path(self.file.name).unlink(missing_ok=True)


@pytest.fixture
def traced_pg_app(
    pg_url: str, clock: FixedClock, cheap_hasher: Any
) -> Iterator[tuple[Nexus, Trace]]:
    app = _app(pg_url, clock, cheap_hasher)
    trace = Trace(app.container.engine())
    yield app, trace
    app.close()
    trace.close()


def _round_trips(messages: list[str]) -> tuple[int, list[str]]:
    """Round trips (the server's ReadyForQuery answers) and the messages the client sent."""
    ready = sum(1 for m in messages if m.startswith("B") and "ReadyForQuery" in m)
    sent = [m for m in messages if m.startswith("F")]
    return ready, sent


@pytest.mark.parametrize("use_case", ["get_user", "list_users", "get_instrument"])
def test_a_read_only_use_case_is_one_round_trip_on_postgresql(
    traced_pg_app: tuple[Nexus, Trace], use_case: str, figure: Callable[[str], None]
) -> None:
    app, trace = traced_pg_app
    user = app.identity.register_user(email=unique_email(), name="Reader", password=PASSWORD)
    app.lab.register_instrument(
        instrument_pid="TRACE-1",
        api_url="https://trace.example.org/api/tools/?id=1",
        calendar_url="https://trace.example.org/calendar",
        location="Lab",
        display_name="Traced instrument",
        property_tag="T1",
        filestore_path="./trace",
    )
    calls: dict[str, Callable[[], Any]] = {
        "get_user": lambda: app.identity.get_user(user.id),
        "list_users": lambda: app.identity.list_users(limit=10),
        "get_instrument": lambda: app.lab.get_instrument("TRACE-1"),
    }
    call = calls[use_case]
    for _ in range(8):  # past psycopg's automatic prepare threshold, as a running app is
        call()
    trace.start()
    call()
    ready, sent = _round_trips(trace.since_mark())
    kinds = [m.split("\t")[2].split()[0] for m in sent]
    figure(f"{use_case}: {ready} round trip(s); client messages: {kinds}")
    assert ready == 1
    texts = " ".join(sent).upper()
    assert "BEGIN" not in texts
    assert "ROLLBACK" not in texts
    assert "COMMIT" not in texts


def test_a_write_use_case_is_begin_statements_commit_on_postgresql(
    traced_pg_app: tuple[Nexus, Trace], figure: Callable[[str], None]
) -> None:
    app, trace = traced_pg_app
    user = app.identity.register_user(email=unique_email(), name="Keys", password=PASSWORD)
    raw = app.identity.create_api_key(user.id, name="k", actor=OPERATOR).raw_key
    for _ in range(8):
        app.identity.authenticate_api_key(raw)
    trace.start()
    app.identity.authenticate_api_key(raw)
    ready, _sent = _round_trips(trace.since_mark())
    figure(f"authenticate_api_key: {ready} round trips")
    assert ready == 3  # BEGIN, the one conditional UPDATE .. RETURNING, COMMIT


def test_a_dropped_connection_is_recovered_from(
    pg_url: str, clock: FixedClock, cheap_hasher: Any, figure: Callable[[str], None]
) -> None:
    name = f"nexus-drop-{uuid.uuid4().hex[:12]}"
    url = make_url(pg_url).update_query_dict({"application_name": name})
    app = _app(url.render_as_string(hide_password=False), clock, cheap_hasher)
    admin = create_engine_for(pg_url, isolation_level="AUTOCOMMIT")

    def drop_the_apps_connections() -> int:
        with admin.connect() as connection:
            return len(
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        "AND application_name = :name"
                    ),
                    {"name": name},
                ).all()
            )

    try:
        user = app.identity.register_user(email=unique_email(), name="Before", password=PASSWORD)
        app.identity.get_user(user.id)
        dropped = drop_the_apps_connections()
        assert dropped >= 1
        assert app.identity.get_user(user.id).name == "Before"  # a read, first after the drop
        app.identity.register_user(email=unique_email(), name="After", password=PASSWORD)
        again = drop_the_apps_connections()
        other = app.identity.register_user(  # a write, first after the drop
            email=unique_email(), name="Write first", password=PASSWORD
        )
        assert app.identity.get_user(other.id).name == "Write first"
        figure(f"connections dropped under the app: {dropped} then {again}; every call succeeded")
    finally:
        app.close()
        admin.dispose()


def _selects_of(engine: Engine, table: str, key: str, action: Callable[[], Any]) -> list[str]:
    """The SELECTs of `table` by its key `key` that `action` sends."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        said = " ".join(statement.split())
        if said.startswith("SELECT") and f"FROM {table} WHERE {table}.{key} =" in said:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return seen


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"])
def test_read_modify_write_use_cases_read_each_row_once(
    engine_name: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    clock: FixedClock,
    cheap_hasher: Any,
    figure: Callable[[str], None],
) -> None:
    if engine_name == "sqlite":
        import shutil

        target = tmp_path / "nexus.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_template"), target)
        url = f"sqlite:///{target}"
    else:
        url = request.getfixturevalue("pg_url")
    app = _app(url, clock, cheap_hasher)
    try:
        engine = app.container.engine()
        owner = app.identity.register_user(email=unique_email(), name="Owner", password=PASSWORD)
        org = app.identity.create_organization(name="Before", slug="rmw-org", owner_id=owner.id)
        app.lab.register_instrument(
            instrument_pid="RMW-1",
            api_url="https://rmw.example.org/api/tools/?id=1",
            calendar_url="https://rmw.example.org/calendar",
            location="Old",
            display_name="RMW instrument",
            property_tag="R1",
            filestore_path="./rmw",
        )
        renames = _selects_of(
            engine,
            "organizations",
            "id",
            lambda: app.identity.update_organization(org.id, actor=owner.id, name="After"),
        )
        moves = _selects_of(
            engine,
            "instruments",
            "instrument_pid",
            lambda: app.lab.update_instrument("RMW-1", location="New"),
        )
        figure(
            f"{engine_name}: update_organization selects organizations {len(renames)}x, "
            f"update_instrument selects instruments {len(moves)}x"
        )
        assert len(renames) == 1
        assert len(moves) == 1
        assert app.lab.get_instrument("RMW-1").location == "New"
    finally:
        app.close()


def _kill_other_sessions(admin: Engine) -> int:
    """KILL every MariaDB session of this database but the admin's own."""
    with admin.connect() as connection:
        ids = connection.execute(
            text(
                "SELECT id FROM information_schema.processlist "
                "WHERE db = DATABASE() AND id <> CONNECTION_ID()"
            )
        ).scalars()
        killed = 0
        for session in list(ids):
            connection.exec_driver_sql(f"KILL {int(session)}")
            killed += 1
        return killed


@pytest.fixture
def mariadb_url(migrated_mariadb_url: str) -> str:
    from tests.conftest import _empty_mariadb

    _empty_mariadb(migrated_mariadb_url)
    return migrated_mariadb_url


def test_a_killed_mariadb_connection_is_recovered_from(
    mariadb_url: str, clock: FixedClock, cheap_hasher: Any, figure: Callable[[str], None]
) -> None:
    """A connection the server closed while idle (KILL, wait_timeout) dies at the first thing
    the next unit of work asks of it (autocommit, BEGIN): that unit of work takes a new one."""
    app = _app(mariadb_url, clock, cheap_hasher)
    admin = create_engine_for(mariadb_url)
    try:
        user = app.identity.register_user(email=unique_email(), name="Before", password=PASSWORD)
        raw = app.identity.create_api_key(user.id, name="k", actor=OPERATOR).raw_key
        killed = _kill_other_sessions(admin)
        assert killed >= 1
        other = app.identity.register_user(  # a write, first after the kill
            email=unique_email(), name="Write first", password=PASSWORD
        )
        _kill_other_sessions(admin)
        assert app.identity.authenticate_api_key(raw).user_id == user.id
        _kill_other_sessions(admin)
        assert app.identity.get_user(other.id).name == "Write first"  # a read, first after
        figure(f"MariaDB sessions killed under the app: {killed}; every call succeeded")
    finally:
        app.close()
    fresh = _app(mariadb_url, clock, cheap_hasher)  # killed before its first unit of work
    try:
        fresh.container.engine().connect().close()  # a pooled connection, then killed
        _kill_other_sessions(admin)
        assert fresh.identity.count_users() == 2
    finally:
        fresh.close()
        admin.dispose()


def test_a_connection_lost_at_commit_is_a_concurrency_error(pg_url: str) -> None:
    """COMMIT on a dead connection: whether the change was kept is unknown, so the error says
    so and is not retried; the dead connection is dropped, and the next unit of work works."""
    from nexus.persistence.schema import info_by_name
    from nexus.persistence.sql import SqlTables
    from nexus.shared.errors import ConcurrencyError

    engine = create_engine_for(pg_url)
    admin = create_engine_for(pg_url, isolation_level="AUTOCOMMIT")
    info = info_by_name("users")
    try:
        tables = SqlTables(engine)
        try:
            assert tables.update_where(info, {"email": "nobody@example.org"}, {"name": "x"}) == []
            pid = tables._driver.info.backend_pid
            with admin.connect() as connection:
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            with pytest.raises(ConcurrencyError, match="during COMMIT") as raised:
                tables.commit()
            assert raised.value.retryable is False
        finally:
            tables.close()
        again = SqlTables(engine)
        try:
            assert again.count(info, {}) == 0
        finally:
            again.close()
    finally:
        engine.dispose()
        admin.dispose()


def test_an_idle_connection_past_the_pools_recycle_time_is_not_reused(
    tmp_path: Path, migrated_sqlite_template: Path, figure: Callable[[str], None]
) -> None:
    """nexus's idle list honours `pool_recycle` (MariaDB's wait_timeout closes idle sessions):
    a connection idle longer goes back to the pool, which replaces it."""
    from nexus.persistence.sql import SqlTables

    shutil.copyfile(migrated_sqlite_template, tmp_path / "recycle.db")
    url = f"sqlite:///{tmp_path / 'recycle.db'}"
    drivers = []
    for recycle in (3600, 0):
        engine = create_engine_for(url, pool_recycle=recycle)
        try:
            seen = []
            for _ in range(2):
                tables = SqlTables(engine)
                try:
                    tables.fetch_one(info_of_users(), {"email": "nobody@example.org"})
                    seen.append(tables._driver)
                finally:
                    tables.close()
            drivers.append(seen)
        finally:
            engine.dispose()
    kept, recycled = drivers
    assert kept[0] is kept[1]  # within the recycle time: the same connection, from the list
    assert recycled[0] is not recycled[1]  # past it: a new one from the pool
    figure("idle connection reused within pool_recycle, replaced past it")


def info_of_users() -> Any:
    from nexus.persistence.schema import info_by_name

    return info_by_name("users")
