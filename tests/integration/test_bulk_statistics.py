"""`persistence.bulk.analyze` on PostgreSQL: it never waits behind a lock VACUUM holds, and a
failing ANALYZE leaves the unit of work's transaction and its writes intact."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from nexus.persistence.bulk import analyze
from nexus.persistence.engine import create_engine_for
from nexus.persistence.schema import info_by_name
from nexus.persistence.sql import SqlTables

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
