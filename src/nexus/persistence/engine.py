"""The engine factory: SQLite with foreign keys, WAL and a busy timeout; PostgreSQL on psycopg 3;
MariaDB (and MySQL) on PyMySQL at READ COMMITTED, strict, utf8mb4 with binary comparison."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from nexus.persistence import mysql as _mysql_ddl  # noqa: F401  (registers MariaDB's DDL)
from nexus.persistence.mysql import MYSQL_COLLATION
from nexus.persistence.types import _dumps
from nexus.shared.errors import ValidationError

SQLITE_BUSY_TIMEOUT_MS = 10_000
# The one list of database backends nexus runs on; anything else is refused at engine creation.
SUPPORTED_BACKENDS = frozenset({"sqlite", "postgresql", "mysql", "mariadb"})
MYSQL_BACKENDS = frozenset({"mysql", "mariadb"})
# Every MariaDB session: strict (a value too long or out of range is an error, never truncated),
# the isolation nexus assumes on every engine (REPEATABLE READ is the server's default), and
# binary NO PAD comparison of text, so uniqueness is PostgreSQL's (case- and accent-sensitive,
# trailing spaces count).
MYSQL_SQL_MODE = "STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO"


def normalise_url(url: str) -> str:
    """`postgres://` and `postgresql://` mean psycopg 3 here, `mysql://` and `mariadb://` mean
    PyMySQL; everything else is kept."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif parsed.drivername in MYSQL_BACKENDS:
        parsed = parsed.set(drivername=f"{parsed.drivername}+pymysql")
    if parsed.get_backend_name() in MYSQL_BACKENDS and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return parsed.render_as_string(hide_password=False)


def check_backend(url: str) -> str:
    """The URL's backend, or a ValidationError when nexus does not run on it."""
    try:
        backend = make_url(url).get_backend_name()
    except Exception:  # SQLAlchemy's ArgumentError: not a URL at all
        raise ValidationError(
            "database_url", "must be a database URL like sqlite:///nexus.db"
        ) from None
    if backend not in SUPPORTED_BACKENDS:
        supported = ", ".join(sorted(SUPPORTED_BACKENDS))
        raise ValidationError(
            "database_url", f"the {backend} backend is not supported (supported: {supported})"
        )
    driver = make_url(url).drivername.partition("+")[2]
    if backend in MYSQL_BACKENDS and driver not in ("", "pymysql"):
        raise ValidationError(
            "database_url", f"MariaDB runs on PyMySQL: use {backend}:// or {backend}+pymysql://"
        )
    return backend


def create_engine_for(url: str, *, schema: str | None = None, **kwargs: Any) -> Engine:
    """nexus's engine for `url`; `schema` (PostgreSQL) is its connections' search_path, so
    nexus's tables and version table live in that schema. `kwargs` go to SQLAlchemy's
    create_engine (pool settings: pool_size, max_overflow, pool_recycle, ...)."""
    backend = check_backend(url)
    url = normalise_url(url)
    options: dict[str, Any] = {"json_serializer": _dumps, "json_deserializer": json.loads}
    if schema is not None:
        if backend != "postgresql":
            name = "SQLite" if backend == "sqlite" else "MariaDB"
            raise ValidationError("schema", f"is for PostgreSQL ({name} has no schemas)")
        options["connect_args"] = {"options": f"-c search_path={schema}"}
    read_only = False
    if backend == "sqlite":
        options["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        read_only_url = sqlite_read_only_url(url)
        if read_only_url is not None:
            url, read_only = read_only_url, True
    elif backend == "postgresql":
        pass  # no pre-ping: SqlTables reconnects when a read finds its connection dropped
    else:  # MariaDB / MySQL
        options["isolation_level"] = "READ COMMITTED"
        options["pool_recycle"] = 3600  # the server closes idle sessions (wait_timeout)
    options.update(kwargs)
    try:
        engine = create_engine(url, **options)
    except ModuleNotFoundError as missing:
        raise ValidationError(
            "database_url", f"its driver is not installed (no module {missing.name!r})"
        ) from None
    if backend == "sqlite":
        _configure_sqlite(engine, read_only=read_only)
    elif backend in MYSQL_BACKENDS:
        _configure_mysql(engine)
    return engine


def _writable(path: Path) -> bool:
    """Writable by this process, and not marked read-only (no write bit: even root, who may
    write anything, then opens it read-only)."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def sqlite_read_only_url(url: str) -> str | None:
    """A read-only URI for a SQLite file nexus cannot write (a read-only file, or read-only
    media), so it can still be read; None when the file is writable or is not a plain file.
    On a read-only directory SQLite cannot create the WAL index either: `immutable=1`."""
    parsed = make_url(url)
    database = parsed.database
    if database in (None, "", ":memory:") or database.startswith("file:") or parsed.query:
        return None
    path = Path(database)
    try:
        if not path.is_file():
            return None
        directory_writable = _writable(path.resolve().parent)
        writable = _writable(path)
    except OSError:  # a name too long, ...: SQLite reports it when it opens the file
        return None
    if writable and directory_writable:
        return None
    query = {"mode": "ro", "uri": "true"} | ({} if directory_writable else {"immutable": "1"})
    return parsed.set(database=f"file:{path.resolve().as_posix()}", query=query).render_as_string(
        hide_password=False
    )


def engine_resource(url: str, schema: str | None = None) -> Iterator[Engine]:
    """For the container: the engine lives until the container's resources are shut down."""
    engine = create_engine_for(url, schema=schema)
    try:
        yield engine
    finally:
        engine.dispose()


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    in_memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if not in_memory and not read_only:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()


def _configure_mysql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"SET SESSION sql_mode = '{MYSQL_SQL_MODE}', time_zone = '+00:00'")
            cursor.execute(f"SET NAMES utf8mb4 COLLATE {MYSQL_COLLATION}")
        finally:
            cursor.close()


def missing_sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names when it does not exist yet (None for other URLs)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.query.get("mode") == "memory":
        return None
    path = Path(parsed.database)
    return None if path.exists() else path
