"""The databases a benchmark runs on (a SQLite file; a scratch PostgreSQL or MariaDB database
created and dropped) and the raw driver beside the product: sqlite3 / psycopg / PyMySQL with
prebuilt SQL, converting values exactly as the product's column types do."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

import nexus
from nexus.app import Nexus, create_app
from nexus.container import build_container
from nexus.identity.infrastructure.hashing import Argon2PasswordHasher
from nexus.persistence.engine import create_engine_for
from nexus.settings import Settings

# Registration's Argon2 cost is not what is measured: both sides hash with these.
CHEAP_HASHER = Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, insecure=True)


def postgres_server() -> str | None:
    return os.environ.get("NEXUS_BENCH_POSTGRES_URL") or os.environ.get("NEXUS_TEST_POSTGRES_URL")


def mariadb_server() -> str | None:
    return os.environ.get("NEXUS_BENCH_MARIADB_URL") or os.environ.get("NEXUS_TEST_MARIADB_URL")


class Raw:
    """A raw DBAPI connection and the conversions the product's column types make."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        self.mariadb = parsed.get_backend_name() in ("mysql", "mariadb")
        if self.mariadb:
            import pymysql

            self.connection = pymysql.connect(
                host=parsed.host or "127.0.0.1",
                port=parsed.port or 3306,
                user=parsed.username,
                password=parsed.password or "",
                database=parsed.database,
                charset="utf8mb4",
            )
            with self.connection.cursor() as cursor:
                # The session the product opens (strict, READ COMMITTED, UTC), with ANSI quotes
                # so the benchmarks' SQL quotes identifiers one way on every engine.
                cursor.execute(
                    "SET SESSION sql_mode = 'ANSI_QUOTES,STRICT_ALL_TABLES', time_zone = '+00:00'"
                )
                cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
            self.p = "%s"
        elif self.sqlite:
            self.connection: Any = sqlite3.connect(parsed.database or "", timeout=10)
            self.connection.execute("PRAGMA foreign_keys=ON")
            self.connection.execute("PRAGMA synchronous=NORMAL")
            self.p = "?"
        else:
            import psycopg

            self.connection = psycopg.connect(
                host=parsed.host,
                port=parsed.port,
                user=parsed.username,
                password=parsed.password,
                dbname=parsed.database,
            )
            self.p = "%s"

    def reads(self) -> None:
        """PostgreSQL and MariaDB read in autocommit: one round trip, as the product does."""
        if self.mariadb:
            self.connection.autocommit(True)
        elif not self.sqlite:
            self.connection.autocommit = True

    def writes(self) -> None:
        if self.mariadb:
            self.connection.autocommit(False)
        elif not self.sqlite:
            self.connection.autocommit = False

    def sql(self, template: str) -> str:
        return template.replace("?", self.p)

    def uuid_in(self, value: uuid.UUID | None) -> Any:
        if value is None:
            return None
        return value.hex if self.sqlite else value

    def uuid_out(self, value: Any) -> uuid.UUID | None:
        if value is None:
            return None
        if self.sqlite or self.mariadb:
            return uuid.UUID(value)
        return value  # type: ignore[no-any-return]

    def at_in(self, value: datetime) -> Any:
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if self.sqlite or self.mariadb else value

    def at_out(self, value: Any) -> datetime | None:
        if value is None:
            return None
        if self.sqlite:
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        if self.mariadb:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]

    def insert(self, table: str, columns: Sequence[str]) -> str:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join(self.p for _ in columns)
        return f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608

    def close(self) -> None:
        self.connection.close()


def cheap_app(url: str | None, persistence: str | None = None) -> Nexus:
    """The app through its public factory, hashing passwords with CHEAP_HASHER."""
    settings = Settings.from_env(database_url=url, persistence=persistence)
    container = build_container(settings)
    container.password_hasher.override(CHEAP_HASHER)
    return create_app(url, persistence=persistence, container=container)


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="nexus-bench-") as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        nexus.migrate(url)
        yield url


@contextmanager
def server_database(server: str) -> Iterator[str]:
    """A scratch database on a PostgreSQL or MariaDB server, at head, dropped afterwards."""
    name = f"nexus_bench_{os.getpid()}"
    if make_url(server).get_backend_name() in ("mysql", "mariadb"):
        drop, create, options = f"DROP DATABASE IF EXISTS `{name}`", f"CREATE DATABASE `{name}`", {}
    else:
        drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        create, options = f'CREATE DATABASE "{name}"', {"isolation_level": "AUTOCOMMIT"}
    admin = create_engine_for(server, **options)
    with admin.connect() as connection:
        connection.execute(text(drop))
        connection.execute(text(create))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        nexus.migrate(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(drop))
        admin.dispose()


def each_engine(run: Callable[[str, str], None]) -> None:
    """`run(engine name, url)` on SQLite, then on PostgreSQL and MariaDB when servers are given."""
    from benchmarks.common import console

    with sqlite_database() as url:
        run("SQLite", url)
    server = postgres_server()
    if server is None:
        console.print("PostgreSQL skipped: pass --postgres URL or set NEXUS_TEST_POSTGRES_URL")
    else:
        with server_database(server) as url:
            run("PostgreSQL", url)
    server = mariadb_server()
    if server is None:
        console.print("MariaDB skipped: pass --mariadb URL or set NEXUS_TEST_MARIADB_URL")
        return
    with server_database(server) as url:
        run("MariaDB", url)
