"""Shared fixtures: engines (SQLite, PostgreSQL and MariaDB, a clean database per test),
containers with each adapter set, a frozen clock and cheap Argon2 parameters.

MariaDB runs the contract suites and the migration tests only (tests/contract,
tests/migrations): the other tests' MariaDB parameters are deselected, to keep the suite short."""

from __future__ import annotations

import functools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

import nexus
from nexus import migrating
from nexus.app import Nexus
from nexus.container import Container, build_container
from nexus.identity.infrastructure.hashing import Argon2PasswordHasher
from nexus.persistence.engine import create_engine_for
from nexus.records import metadata
from nexus.settings import Settings
from nexus.shared.clock import FixedClock
from nexus.workspaces.infrastructure.key_ring import KeyRing

# The CLI's command tree is built once per test process, as the installed `nexus` builds it
# once per run: typer rebuilds it on every CliRunner.invoke, about 55 ms of every CLI test call.
typer.testing._get_command = functools.cache(typer.main.get_command)  # type: ignore[attr-defined]

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

POSTGRES_ENV = "NEXUS_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "NEXUS_REQUIRE_POSTGRES"
MARIADB_ENV = "NEXUS_TEST_MARIADB_URL"
REQUIRE_MARIADB_ENV = "NEXUS_REQUIRE_MARIADB"
# Where the MariaDB parameter runs; elsewhere it is deselected.
MARIADB_SUITES = ("tests/contract/", "tests/migrations/")

# The engines every contract and integration test runs on (MariaDB: contract and migrations).
ENGINES = [
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
]
# ... and the in-memory adapter beside them, for repository contract suites.
ADAPTERS = ["memory", *ENGINES]
# PostgreSQL with every tenant table hash-partitioned by its tenant key (tests/partitioning.py):
# the `database_url` and `container` fixtures add it when NEXUS_TEST_PARTITIONED is set (.ci/run
# runs the tenant-scoped contract suites on it with `-m partitioned`).
PARTITIONED_ENV = "NEXUS_TEST_PARTITIONED"
PARTITIONED = (
    [pytest.param("postgres-partitioned", marks=[pytest.mark.postgres, pytest.mark.partitioned])]
    if os.environ.get(PARTITIONED_ENV)
    else []
)
# ... and its guard: a statement of nexus that no tenant key routes to one partition fails.
pytest_plugins = ["tests.pruning_probe"] if PARTITIONED else []


def run_id() -> str:
    """Unique per test process, so concurrent runs on one server never share a database."""
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def _unavailable(reason: str, require: str, name: str) -> None:
    if os.environ.get(require):
        pytest.fail(f"{name} tests must run here but cannot: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The MariaDB parameter of a test outside the contract and migration suites is dropped."""
    kept, dropped = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        on_mariadb = params is not None and "mariadb" in params.params.values()
        path = Path(str(item.fspath)).relative_to(config.rootpath).as_posix()
        if on_mariadb and not path.startswith(MARIADB_SUITES):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _server_url(env: str, require: str, name: str) -> str:
    """The URL `env` names once the server answers; else skip (fail when `require` is set)."""
    url = os.environ.get(env)
    if not url:
        _unavailable(f"{name}: {env} is not set", require, name)
        raise AssertionError("unreachable")
    try:
        engine = create_engine_for(url)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as error:  # any failure to reach the server means "skip" (or fail in CI)
        _unavailable(f"{name} at {env} is unreachable: {error}", require, name)
    return url


def _on_server(server_url: str, *statements: str, **options: Any) -> None:
    admin = create_engine_for(server_url, **options)
    try:
        with admin.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        admin.dispose()


def _database_url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    return _server_url(POSTGRES_ENV, REQUIRE_POSTGRES_ENV, "PostgreSQL")


def create_postgres_database(server_url: str, name: str) -> str:
    """Drop and create database `name` on the server; return its URL."""
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    # A test database need not survive a server crash: commits do not wait for the WAL flush
    # (the tests kill clients, never the server). Halves commit-heavy tests.
    fast = f'ALTER DATABASE "{name}" SET synchronous_commit = off'
    create = f'CREATE DATABASE "{name}"'
    _on_server(server_url, drop, create, fast, isolation_level="AUTOCOMMIT")
    return _database_url(server_url, name)


def drop_postgres_database(server_url: str, name: str) -> None:
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    _on_server(server_url, drop, isolation_level="AUTOCOMMIT")


def _migrated(
    server_url: str, create: Callable[[str, str], str], drop: Callable[[str, str], None]
) -> Iterator[str]:
    """One database per test process, migrated to head once; emptied before every test."""
    name = f"nexus_test_{run_id()}"
    url = create(server_url, name)
    nexus.migrate(url)
    yield url
    drop(server_url, name)


@pytest.fixture(scope="session")
def migrated_postgres_url(postgres_server_url: str) -> Iterator[str]:
    yield from _migrated(postgres_server_url, create_postgres_database, drop_postgres_database)


@pytest.fixture(scope="session")
def mariadb_server_url() -> str:
    return _server_url(MARIADB_ENV, REQUIRE_MARIADB_ENV, "MariaDB")


def create_mariadb_database(server_url: str, name: str) -> str:
    """Drop and create database `name` on the MariaDB server; return its URL."""
    _on_server(server_url, f"DROP DATABASE IF EXISTS `{name}`", f"CREATE DATABASE `{name}`")
    return _database_url(server_url, name)


def drop_mariadb_database(server_url: str, name: str) -> None:
    _on_server(server_url, f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture(scope="session")
def migrated_mariadb_url(mariadb_server_url: str) -> Iterator[str]:
    yield from _migrated(mariadb_server_url, create_mariadb_database, drop_mariadb_database)


def _empty_mariadb(url: str) -> None:
    """DELETE (not TRUNCATE, which rebuilds each table) with keys off for this session."""
    engine = create_engine_for(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("SET SESSION foreign_key_checks = 0")
            for table in metadata.sorted_tables:
                connection.exec_driver_sql(f"DELETE FROM `{table.name}`")  # noqa: S608
            connection.exec_driver_sql("SET SESSION foreign_key_checks = 1")
    finally:
        engine.dispose()


def _clean_server_database(request: pytest.FixtureRequest) -> str:
    """The URL of this process's PostgreSQL or MariaDB database, emptied."""
    if request.param == "mariadb":
        url: str = request.getfixturevalue("migrated_mariadb_url")
        _empty_mariadb(url)
        return url
    return _postgres_url(request)


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    nexus.migrate(f"sqlite:///{path}")
    engine = create_engine_for(f"sqlite:///{path}")
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def partitioned_postgres_url(postgres_server_url: str) -> Iterator[str]:
    """Like `migrated_postgres_url`, with the tenant tables hash-partitioned."""
    from tests.partitioning import create_partitioned_schema

    name = f"nexus_test_partitioned_{run_id()}"
    url = create_postgres_database(postgres_server_url, name)
    create_partitioned_schema(url)
    yield url
    drop_postgres_database(postgres_server_url, name)


def _postgres_url(request: pytest.FixtureRequest) -> str:
    """The PostgreSQL database of the fixture's engine parameter, emptied."""
    name = "partitioned_postgres_url" if request.param == "postgres-partitioned" else None
    url: str = request.getfixturevalue(name or "migrated_postgres_url")
    _empty_postgres(url)
    return url


_EMPTY_STATEMENTS = ";".join(  # names from nexus's own metadata
    f'DELETE FROM "{t.name}"'  # noqa: S608
    for t in reversed(metadata.sorted_tables)
)


def _empty_postgres(url: str) -> None:
    """Delete every row, children first, in one round trip. DELETE, not TRUNCATE: on the small
    tables of a test TRUNCATE costs 0.3-0.6 s (a new file per table, then a checkpoint's fsyncs
    at DROP DATABASE), DELETE 0.03 s; neither resets sequences."""
    engine = create_engine_for(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(_EMPTY_STATEMENTS)
    finally:
        engine.dispose()


def _back_to_head(url: str) -> None:
    """A test that downgraded the shared PostgreSQL database leaves it at head again."""
    if migrating.current_revision(url) != migrating.head_revision():
        nexus.migrate(url)


@pytest.fixture(params=[*ENGINES, *PARTITIONED])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a clean database at head, on SQLite, PostgreSQL and MariaDB."""
    if request.param == "sqlite":
        target = tmp_path / "nexus.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    url = _clean_server_database(request)
    yield url
    _back_to_head(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine_for(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 1, 9, 30, tzinfo=UTC))


@pytest.fixture(scope="session")
def cheap_hasher() -> Argon2PasswordHasher:
    """Tests only: Argon2id with tiny parameters. Production code cannot build this."""
    return Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, insecure=True)


def make_container(
    persistence: str, database_url: str, clock: FixedClock, hasher: Argon2PasswordHasher
) -> Container:
    container = build_container(Settings(database_url=database_url, persistence=persistence))
    container.clock.override(clock)
    container.password_hasher.override(hasher)
    if not database_url.startswith("sqlite"):
        # A server database has no key file beside it: a per-test ring (SQLite uses its key file).
        container.workspaces.key_ring.override(KeyRing.ephemeral())
    return container


@pytest.fixture(params=[*ADAPTERS, *PARTITIONED])
def container(
    request: pytest.FixtureRequest, clock: FixedClock, cheap_hasher: Argon2PasswordHasher
) -> Iterator[Container]:
    """A container on the in-memory adapters, SQLite, PostgreSQL or MariaDB."""
    if request.param == "memory":
        url = "sqlite://"
        persistence = "memory"
    else:
        persistence = "sqlalchemy"
        if request.param == "sqlite":
            target = request.getfixturevalue("tmp_path") / "nexus.db"
            shutil.copyfile(request.getfixturevalue("migrated_sqlite_template"), target)
            url = f"sqlite:///{target}"
        else:
            url = _clean_server_database(request)
    built = make_container(persistence, url, clock, cheap_hasher)
    yield built
    built.shutdown_resources()


@pytest.fixture
def app(container: Container) -> Nexus:
    """The embedding API over each adapter set."""
    persistence = "memory" if container.config.persistence() == "memory" else "sqlalchemy"
    return Nexus(
        container,
        Settings(database_url=container.config.database_url(), persistence=persistence),
    )


@pytest.fixture
def memory_app(clock: FixedClock, cheap_hasher: Argon2PasswordHasher) -> Nexus:
    """Fast use-case tests: the in-memory adapters only."""
    container = make_container("memory", "sqlite://", clock, cheap_hasher)
    return Nexus(container, Settings(database_url="sqlite://", persistence="memory"))


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.org"


@pytest.fixture
def figure(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Record a figure a test measured (a count, a ratio); printed in the run's summary."""

    def record(text: str) -> None:
        request.node.user_properties.append(("figure", text))

    return record


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    lines = []
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for key, value in getattr(report, "user_properties", ()):
                if key == "figure":
                    lines.append(f"{report.nodeid}: {value}")
    if lines:
        terminalreporter.section("nexus figures")
        for line in sorted(lines):
            terminalreporter.write_line(line)
