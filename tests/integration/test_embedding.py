"""Embedding options on SQLite and PostgreSQL: a container names its database (a URL that says
otherwise is refused), the application's own engine, and nexus inside the application's own
transaction (joined, never committed by nexus)."""

from __future__ import annotations

import json
import threading
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
from nexus.shared.errors import ConflictError, ValidationError
from tests.conftest import create_postgres_database, drop_postgres_database, run_id


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
