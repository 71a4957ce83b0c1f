"""The engine factory: SQLite with foreign keys, WAL and a busy timeout; PostgreSQL on psycopg 3."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from nexus.persistence.types import _dumps
from nexus.shared.errors import ValidationError

SQLITE_BUSY_TIMEOUT_MS = 10_000


def normalise_url(url: str) -> str:
    """`postgres://` and `postgresql://` mean psycopg 3 here; everything else is kept."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def create_engine_for(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    backend = make_url(url).get_backend_name()
    options: dict[str, Any] = {"json_serializer": _dumps, "json_deserializer": json.loads}
    if backend == "sqlite":
        options["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    elif backend == "postgresql":
        pass  # no pre-ping: SqlTables reconnects when a read finds its connection dropped
    options.update(kwargs)
    try:
        engine = create_engine(url, **options)
    except ModuleNotFoundError as missing:
        raise ValidationError(
            "database_url", f"its driver is not installed (no module {missing.name!r})"
        ) from None
    if backend == "sqlite":
        _configure_sqlite(engine)
    return engine


def engine_resource(url: str) -> Iterator[Engine]:
    """For the container: the engine lives until the container's resources are shut down."""
    engine = create_engine_for(url)
    try:
        yield engine
    finally:
        engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    in_memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: the mapper reads records after commit; expiring them would
    # re-SELECT every row (measured +55-90%).
    return sessionmaker(bind=engine, expire_on_commit=False)


def missing_sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names when it does not exist yet (None for other URLs)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.query.get("mode") == "memory":
        return None
    path = Path(parsed.database)
    return None if path.exists() else path
