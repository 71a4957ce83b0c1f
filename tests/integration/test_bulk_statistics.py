"""The bulk paths beside the statements, on PostgreSQL: `persistence.bulk.analyze` never waits
behind a lock VACUUM holds, a failing ANALYZE leaves the unit of work's transaction intact and a
lost connection is reported as one; a refused COPY row is a nexus error, as a statement's."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from nexus.documents.infrastructure.loader_sql import copy_rows
from nexus.persistence.bulk import analyze
from nexus.persistence.engine import create_engine_for
from nexus.persistence.schema import info_by_name
from nexus.persistence.sql import SqlTables
from nexus.shared.errors import ConcurrencyError, ConflictError

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_engine(migrated_postgres_url: str) -> Iterator[Engine]:
    from tests.conftest import _empty_postgres

    _empty_postgres(migrated_postgres_url)
    engine = create_engine_for(migrated_postgres_url)
    yield engine
    engine.dispose()


def test_analyze_does_not_wait_behind_a_vacuum_lock(pg_engine: Engine) -> None:
    done = threading.Event()
    with pg_engine.connect() as holder:
        holder.execute(text("LOCK TABLE conversations IN SHARE UPDATE EXCLUSIVE MODE"))

        def run() -> None:
            tables = SqlTables(pg_engine)
            try:
                analyze(tables, ["conversations"])
                tables.commit()
            finally:
                tables.close()
            done.set()

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        finished = done.wait(timeout=20)
        holder.rollback()  # releases the lock, so a waiting ANALYZE would end now
    worker.join(timeout=20)
    assert finished, "ANALYZE waited for the lock VACUUM holds"


def test_a_failing_analyze_keeps_the_units_writes(pg_engine: Engine) -> None:
    users = info_by_name("users")
    tables = SqlTables(pg_engine)
    email = f"{uuid.uuid4().hex}@example.org"
    try:
        tables.update_where(users, {"email": "nobody@example.org"}, {"name": "x"})
        assert analyze(tables, ["no_such_table"]) is False
        assert analyze(tables, ["users"]) is True
        tables.update_where(users, {"email": email}, {"name": "y"})  # the transaction works
        tables.commit()
    finally:
        tables.close()


def _terminate(engine: Engine, pid: int) -> None:
    with engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_a_connection_lost_before_analyze_is_a_retryable_concurrency_error(
    pg_engine: Engine,
) -> None:
    """Not a swallowed failure followed by a COMMIT on a dead connection: the unit of work is
    told its connection is gone, and the next one works."""
    users = info_by_name("users")
    tables = SqlTables(pg_engine)
    try:
        tables.count(users, {})
        _terminate(pg_engine, tables._driver.info.backend_pid)
        with pytest.raises(ConcurrencyError) as raised:
            analyze(tables, ["users"])
        assert raised.value.retryable
    finally:
        tables.close()
    again = SqlTables(pg_engine)
    try:
        assert again.count(users, {}) == 0
    finally:
        again.close()


def test_a_refused_copy_is_a_nexus_error_and_voids_the_unit_of_work(
    pg_engine: Engine, migrated_postgres_url: str
) -> None:
    from nexus.app import create_app

    app = create_app(migrated_postgres_url)
    try:
        app.identity.register_user(email="copy@example.org", name="C", password="x" * 12)
    finally:
        app.close()
    users = info_by_name("users")
    tables = SqlTables(pg_engine)
    try:
        row = tables.fetch_one(users, {"email": "copy@example.org"})
        assert row is not None
        with pytest.raises(ConflictError):
            copy_rows(tables, users, [row], skip_existing=False)
        with pytest.raises(ConcurrencyError):
            tables.commit()
    finally:
        tables.close()
