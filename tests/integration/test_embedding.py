"""Embedding options on SQLite and PostgreSQL: a container names its database (a URL that says
otherwise is refused), the application's own engine, and nexus inside the application's own
transaction (joined, never committed by nexus)."""

from __future__ import annotations

import contextlib
import contextvars
import json
import threading
import time
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text
from typer.testing import CliRunner

import nexus
from nexus import migrating
from nexus.cli.main import app as cli_app
from nexus.container import build_container
from nexus.persistence.engine import normalise_url
from nexus.settings import Settings
from nexus.shared.actors import OPERATOR
from nexus.shared.errors import ConcurrencyError, ConflictError, ValidationError
from tests.conftest import (
    create_mariadb_database,
    create_postgres_database,
    drop_mariadb_database,
    drop_postgres_database,
    run_id,
)
from tests.contract.conversations_setup import _user, _workspace
from tests.unit.chat_export_builders import linear_gpt, write_json


def instrument(pid: str) -> dict[str, str]:
    return {
        "instrument_pid": pid,
        "api_url": f"https://nemo.example.org/api/tools/?id={pid}",
        "calendar_url": "https://nemo.example.org/calendar/1",
        "location": "Bldg 217",
        "display_name": pid,
        "property_tag": "012345",
        "filestore_path": "Titan",
    }


def pids(app: nexus.Nexus) -> list[str]:
    return [i.instrument_pid for i in app.lab.list_instruments()]


def app_engine(database_url: str, **options: Any) -> Engine:
    """An engine as an application builds it (plain SQLAlchemy, its own pool settings)."""
    engine = create_engine(normalise_url(database_url), **options)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _fk(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

    return engine


def count_instruments(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM instruments")).scalar_one())


# -- a container names its database ----------------------------------------------------------


def test_a_url_naming_another_database_than_the_container_is_refused(
    database_url: str, tmp_path: Any
) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    container = build_container(Settings(database_url=database_url))
    try:
        with pytest.raises(ValidationError, match="another database") as refused:
            nexus.create_app(other, container=container)
        assert refused.value.field == "database_url"
        assert not (tmp_path / "other.db").exists()
        with pytest.raises(ValidationError) as wrong_adapter:
            nexus.create_app(container=container, persistence="memory")
        assert wrong_adapter.value.field == "persistence"
        # The same database (spelled either way) or no URL at all: the container's database.
        for url in (database_url, None):
            app = nexus.create_app(url, container=container)
            assert app.settings.database_url == database_url
        app.lab.register_instrument(**instrument("CONTAINER-1"))
        assert count_instruments(container.engine()) == 1
    finally:
        container.shutdown_resources()


def test_without_a_url_the_container_wins_over_the_environment(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("NEXUS_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    container = build_container(Settings(database_url=database_url))
    with nexus.create_app(container=container) as app:
        assert app.settings.database_url == database_url
        app.lab.register_instrument(**instrument("ENV-1"))
    assert not (tmp_path / "env.db").exists()


# -- the application's own engine -------------------------------------------------------------


def test_the_applications_engine_is_used_and_left_open(database_url: str) -> None:
    engine = app_engine(database_url, pool_size=3, max_overflow=0)
    try:
        app = nexus.create_app(engine=engine)
        assert app.container.engine() is engine
        app.lab.register_instrument(**instrument("OWN-ENGINE-1"))
        assert pids(app) == ["OWN-ENGINE-1"]
        app.close()
        # nexus never disposes the application's engine: it still works after close.
        assert count_instruments(engine) == 1
        with pytest.raises(ValidationError, match="another database"):
            nexus.create_app("sqlite:///elsewhere.db", engine=engine)
        with pytest.raises(ValidationError):
            nexus.create_app(engine=engine, persistence="memory")
    finally:
        engine.dispose()


def test_a_sqlite_engine_without_foreign_keys_is_refused(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    nexus.migrate(url)
    engine = create_engine(url)
    try:
        with pytest.raises(ValidationError, match="foreign keys") as refused:
            nexus.create_app(engine=engine)
        assert refused.value.field == "engine"
    finally:
        engine.dispose()


# -- nexus inside the application's transaction ----------------------------------------------


@pytest.fixture
def shared(database_url: str) -> Any:
    engine = app_engine(database_url)
    app = nexus.create_app(engine=engine)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE app_notes (body VARCHAR(50))"))
    yield app, engine
    app.close()
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE app_notes"))
    engine.dispose()


def notes(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return [r[0] for r in connection.execute(text("SELECT body FROM app_notes"))]


def test_nexus_writes_commit_and_roll_back_with_the_applications_transaction(
    shared: Any,
) -> None:
    app, engine = shared
    with engine.connect() as connection:
        with connection.begin():
            connection.execute(text("INSERT INTO app_notes VALUES ('kept')"))
            with app.joined(connection):
                app.lab.register_instrument(**instrument("JOINED-1"))
                # Inside the transaction nexus reads what it and the application wrote.
                assert pids(app) == ["JOINED-1"]
            # Nothing is committed until the application commits.
            assert count_instruments(engine) == 0
        assert count_instruments(engine) == 1
        assert notes(engine) == ["kept"]

        transaction = connection.begin()
        connection.execute(text("INSERT INTO app_notes VALUES ('dropped')"))
        with app.joined(connection):
            app.lab.register_instrument(**instrument("JOINED-2"))
        transaction.rollback()
    assert pids(app) == ["JOINED-1"]
    assert notes(engine) == ["kept"]


def test_a_refused_use_case_leaves_the_applications_transaction_usable(shared: Any) -> None:
    app, engine = shared
    app.lab.register_instrument(**instrument("TAKEN"))
    with engine.connect() as connection, connection.begin():
        connection.execute(text("INSERT INTO app_notes VALUES ('before')"))
        with app.joined(connection):
            app.lab.register_instrument(**instrument("JOINED-3"))
            with pytest.raises(ConflictError):
                app.lab.register_instrument(**instrument("TAKEN"))
            with pytest.raises(ValidationError):
                app.lab.register_instrument(**(instrument("BAD") | {"timezone": "Mars/Base"}))
            app.lab.register_instrument(**instrument("JOINED-4"))
        connection.execute(text("INSERT INTO app_notes VALUES ('after')"))
    assert pids(app) == ["JOINED-3", "JOINED-4", "TAKEN"]
    assert sorted(notes(engine)) == ["after", "before"]


def test_joining_is_per_thread_and_checked(shared: Any, database_url: str) -> None:
    app, engine = shared
    seen: list[list[str]] = []
    with engine.connect() as connection:
        with pytest.raises(ValidationError, match="inside a transaction"), app.joined(connection):
            pass
        transaction = connection.begin()
        with app.joined(connection):
            app.lab.register_instrument(**instrument("UNCOMMITTED"))
            # Another thread is not inside the application's transaction.
            worker = threading.Thread(target=lambda: seen.append(pids(app)))
            worker.start()
            worker.join()
        transaction.rollback()
    assert seen == [[]]
    assert pids(app) == []
    memory = nexus.create_app(persistence="memory")
    with (
        engine.connect() as connection,
        connection.begin(),
        pytest.raises(ValidationError, match="in-memory"),
        memory.joined(connection),
    ):
        pass


def test_a_thread_that_inherited_the_block_is_refused(shared: Any) -> None:
    """asyncio.to_thread copies context variables: its use cases would share the application's
    connection with the joining thread, their savepoints interleaving. They are refused."""
    app, engine = shared
    outcomes: list[BaseException | None] = []

    def other_thread(pid: str) -> None:
        try:
            app.lab.register_instrument(**instrument(pid))
            outcomes.append(None)
        except Exception as error:
            outcomes.append(error)

    with engine.connect() as connection, connection.begin(), app.joined(connection):
        app.lab.register_instrument(**instrument("MINE"))
        context = contextvars.copy_context()
        workers = [
            threading.Thread(target=context.copy().run, args=(other_thread, f"THEIRS-{i}"))
            for i in range(2)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        app.lab.register_instrument(**instrument("MINE-AFTER"))
    assert len(outcomes) == 2
    for refused in outcomes:
        assert isinstance(refused, ValidationError)
        assert refused.field == "joined"
        assert "another thread" in str(refused)
    assert pids(app) == ["MINE", "MINE-AFTER"]


def test_a_use_case_after_the_applications_transaction_ended_is_refused(shared: Any) -> None:
    """A task started in the block keeps its context after the block: once the application's
    transaction ended (even with another one begun on the same connection) it is refused,
    without touching the connection."""
    app, engine = shared
    with engine.connect() as connection:
        transaction = connection.begin()
        with app.joined(connection):
            later = contextvars.copy_context()
        transaction.commit()
        with pytest.raises(ConcurrencyError, match="has ended"):
            later.run(app.lab.register_instrument, **instrument("LATE-1"))
        assert not connection.in_transaction()
        with connection.begin(), pytest.raises(ConcurrencyError, match="has ended"):
            later.run(app.lab.register_instrument, **instrument("LATE-2"))
    assert pids(app) == []


def test_a_chat_import_inside_the_block_writes_on_the_applications_connection(
    shared: Any, tmp_path: Any
) -> None:
    """On a database server an import writes in a second thread; inside the block it writes
    in the joining thread, on the application's connection, and goes with its rollback."""
    app, engine = shared
    owner = _user(app, "owner")
    workspace = _workspace(app, owner)
    path = write_json(tmp_path / "conversations.json", [linear_gpt("c1", "hi", "yo")])
    with engine.connect() as connection:
        transaction = connection.begin()
        with app.joined(connection):
            result = app.conversations.import_chat_export(workspace, path, actor=owner)
            assert (result.conversations_added, result.messages_added) == (1, 2)
            assert len(app.conversations.recent_conversations(workspace, actor=OPERATOR)) == 1
        transaction.rollback()
    assert app.conversations.recent_conversations(workspace, actor=OPERATOR) == []


def test_nexus_keeps_none_of_the_applications_pool(database_url: str) -> None:
    """With the application's engine, every connection nexus used is back in its pool after
    each use case, so a pool of one serves the application and nexus in turn."""
    engine = app_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=2)
    try:
        app = nexus.create_app(engine=engine)
        app.lab.register_instrument(**instrument("POOL-1"))
        assert pids(app) == ["POOL-1"]
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        assert count_instruments(engine) == 1
        app.close()
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def _drop_connection(engine: Engine, connection: Any) -> None:
    """The server ends the application's connection (a failover, an administrator)."""
    if engine.dialect.name == "sqlite":
        connection.connection.driver_connection.close()
        return
    pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    with engine.connect() as killer:
        killer.execute(text(f"SELECT pg_terminate_backend({pid})"))


def test_a_lost_or_aborted_application_transaction_is_a_domain_error(shared: Any) -> None:
    """nexus's BEGIN / SAVEPOINT on the application's connection fail as its statements do:
    a DomainError (ConcurrencyError, not retried), never a driver error."""
    app, engine = shared
    connection = engine.connect()
    transaction = connection.begin()
    _drop_connection(engine, connection)
    with pytest.raises(ConcurrencyError, match="lost"), app.joined(connection):
        app.lab.register_instrument(**instrument("LOST"))
    with contextlib.suppress(Exception):
        transaction.rollback()
    with contextlib.suppress(Exception):
        connection.close()
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection, connection.begin():
            with contextlib.suppress(Exception):
                connection.execute(text("SELECT 1/0"))
            with pytest.raises(ConcurrencyError, match="SAVEPOINT"), app.joined(connection):
                app.lab.list_instruments()
    assert pids(app) == []


def test_a_mariadb_deadlock_while_joined_says_the_transaction_is_gone(
    mariadb_server_url: str,
) -> None:
    """InnoDB rolls back a deadlock victim's whole transaction, the application's own writes
    included: nexus says so (a ConcurrencyError it does not retry, which would write outside
    the application's transaction), and leaves no driver error behind."""
    name = f"nexus_joined_{run_id()}"
    url = create_mariadb_database(mariadb_server_url, name)
    engine = app_engine(url)
    try:
        nexus.migrate(url)
        app = nexus.create_app(engine=engine)
        for pid in ("Q-1", "Q-2"):
            app.lab.register_instrument(**instrument(pid))
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE app_log (note VARCHAR(50)) ENGINE=InnoDB"))
            connection.execute(text("CREATE TABLE app_bulk (note VARCHAR(5)) ENGINE=InnoDB"))
        holds_q2 = threading.Event()

        def other() -> None:  # the heavier transaction: InnoDB picks the other one as victim
            with engine.connect() as b, b.begin():
                b.execute(text("INSERT INTO app_bulk VALUES (:n)"), [{"n": "x"}] * 500)
                b.execute(text("UPDATE instruments SET location='B' WHERE instrument_pid='Q-2'"))
                holds_q2.set()
                time.sleep(0.3)
                b.execute(text("UPDATE instruments SET location='B' WHERE instrument_pid='Q-1'"))

        with engine.connect() as a:
            transaction = a.begin()
            a.execute(text("INSERT INTO app_log VALUES ('before nexus')"))
            a.execute(text("SELECT 1 FROM instruments WHERE instrument_pid='Q-1' FOR UPDATE"))
            worker = threading.Thread(target=other)
            worker.start()
            holds_q2.wait()
            with pytest.raises(ConcurrencyError, match="rolled back") as lost, app.joined(a):
                app.lab.update_instrument("Q-2", location="nexus")
            worker.join()
            assert lost.value.retryable is False
            # The application's write went with its transaction; the connection still works.
            assert a.execute(text("SELECT count(*) FROM app_log")).scalar() == 0
            transaction.rollback()
        app.close()
        with pytest.raises(ValidationError, match="MariaDB has no schemas"):
            nexus.create_app(url, schema="nexus_core")
    finally:
        engine.dispose()
        drop_mariadb_database(mariadb_server_url, name)


# -- a database shared with an application whose Alembic history is its own ------------------

APP_REVISION = "app_0042"


def give_the_application_its_schema(engine: Engine) -> None:
    """The application's own Alembic history and tables, as a Flask/Django app would have."""
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        connection.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": APP_REVISION})
        connection.execute(text("CREATE TABLE app_users (id INTEGER PRIMARY KEY, email TEXT)"))


def application_revision(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())


def test_nexus_shares_a_sqlite_database_through_its_own_version_table(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engine = app_engine(url)
    try:
        give_the_application_its_schema(engine)
        with pytest.raises(ValidationError, match="not a nexus database"):
            nexus.migrate(url)
        nexus.migrate(url, version_table="nexus_alembic_version")
        assert migrating.current_revision(url, version_table="nexus_alembic_version") == (
            migrating.head_revision()
        )
        migrating.check(url, version_table="nexus_alembic_version")  # the app's tables ignored
        with nexus.create_app(url, version_table="nexus_alembic_version") as app:
            app.lab.register_instrument(**instrument("SHARED-1"))
            assert pids(app) == ["SHARED-1"]
        with pytest.raises(ValidationError, match="not a nexus database"):
            nexus.create_app(url)
        # The command line reads the version table from $NEXUS_VERSION_TABLE.
        runner = CliRunner()
        env = {"NEXUS_VERSION_TABLE": "nexus_alembic_version", "NEXUS_DATABASE_URL": url}
        current = runner.invoke(cli_app, ["db", "current", "--json"], env=env)
        assert current.exit_code == 0, current.stderr
        assert json.loads(current.stdout)["current"] == migrating.head_revision()
        listed = runner.invoke(cli_app, ["lab", "instruments", "list", "--json"], env=env)
        assert [i["instrument_pid"] for i in json.loads(listed.stdout)] == ["SHARED-1"]
        refused = runner.invoke(
            cli_app, ["lab", "instruments", "list"], env={"NEXUS_DATABASE_URL": url}
        )
        assert refused.exit_code == 1
        migrating.downgrade(url, "base", version_table="nexus_alembic_version")
        with engine.connect() as connection:
            left = {
                r[0]
                for r in connection.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'table'")
                )
            }
        assert {"app_users", "alembic_version"} <= left
        assert "instruments" not in left
        assert application_revision(engine) == APP_REVISION
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_nexus_shares_a_postgres_database_in_its_own_schema(postgres_server_url: str) -> None:
    name = f"nexus_shared_{run_id()}"
    url = create_postgres_database(postgres_server_url, name)
    engine = app_engine(url)
    try:
        give_the_application_its_schema(engine)
        place = {"version_table": "nexus_version", "schema": "nexus_core"}
        nexus.migrate(url, **place)
        assert migrating.current_revision(url, **place) == migrating.head_revision()
        migrating.check(url, **place)
        with nexus.create_app(url, **place) as app:
            app.lab.register_instrument(**instrument("SCHEMA-1"))
            assert pids(app) == ["SCHEMA-1"]
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM nexus_core.instruments"))
            assert count.scalar() == 1
            public = connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            )
            assert {r[0] for r in public} == {"alembic_version", "app_users"}
        assert application_revision(engine) == APP_REVISION
        # The application's own engine, its connections on nexus's schema.
        in_schema = app_engine(url, connect_args={"options": "-c search_path=nexus_core"})
        try:
            with nexus.create_app(engine=in_schema, **place) as app:
                assert pids(app) == ["SCHEMA-1"]
        finally:
            in_schema.dispose()
        with pytest.raises(ValidationError, match="search_path") as refused:
            nexus.create_app(engine=engine, **place)
        assert refused.value.field == "engine"
        # Joined, the application's connection must be on nexus's schema too.
        with nexus.create_app(url, **place) as app:
            with engine.connect() as connection, connection.begin():
                with pytest.raises(ValidationError, match="nexus_core") as elsewhere:
                    app.joined(connection).__enter__()
                assert elsewhere.value.field == "connection"
                connection.execute(text("SET LOCAL search_path = nexus_core"))
                with app.joined(connection):
                    app.lab.register_instrument(**instrument("SCHEMA-2"))
            assert pids(app) == ["SCHEMA-1", "SCHEMA-2"]
    finally:
        engine.dispose()
        drop_postgres_database(postgres_server_url, name)


def test_version_table_and_schema_names_are_checked(tmp_path: Any) -> None:
    with pytest.raises(ValidationError) as bad_name:
        nexus.create_app(f"sqlite:///{tmp_path / 'x.db'}", version_table="v; DROP TABLE x")
    assert bad_name.value.field == "version_table"
    with pytest.raises(ValidationError) as no_schemas:
        nexus.create_app(f"sqlite:///{tmp_path / 'x.db'}", schema="nexus_core")
    assert no_schemas.value.field == "schema"
