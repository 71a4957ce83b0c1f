"""The databases a benchmark runs on (a SQLite file; a scratch PostgreSQL database created and
dropped) and the raw driver beside the product: sqlite3 / psycopg with prebuilt SQL, converting
values exactly as the product's column types do."""

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


class Raw:
    """A raw DBAPI connection and the conversions the product's column types make."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        if self.sqlite:
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
        """PostgreSQL reads in autocommit: one round trip, as the product does."""
        if not self.sqlite:
            self.connection.autocommit = True

    def writes(self) -> None:
        if not self.sqlite:
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
        return uuid.UUID(value) if self.sqlite else value  # type: ignore[no-any-return]

    def at_in(self, value: datetime) -> Any:
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if self.sqlite else value

    def at_out(self, value: Any) -> datetime | None:
        if value is None:
            return None
        if self.sqlite:
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
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
def postgres_database(server: str) -> Iterator[str]:
    name = f"nexus_bench_{os.getpid()}"
    admin = create_engine_for(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        nexus.migrate(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def each_engine(run: Callable[[str, str], None]) -> None:
    """`run(engine name, url)` on SQLite, then on PostgreSQL when a server is given."""
    with sqlite_database() as url:
        run("SQLite", url)
    server = postgres_server()
    if server is None:
        from benchmarks.common import console

        console.print("PostgreSQL skipped: pass --postgres URL or set NEXUS_TEST_POSTGRES_URL")
        return
    with postgres_database(server) as url:
        run("PostgreSQL", url)
