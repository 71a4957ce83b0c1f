"""The check that a database is nexus's: one look per engine (cached), passing nexus's own
databases at any revision and an empty one, refusing tables without a nexus revision."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from nexus.dbguard import ensure_nexus_database, nexus_revisions
from nexus.persistence.engine import create_engine_for
from nexus.shared.errors import ValidationError


def test_nexus_history_is_read_from_the_migration_files() -> None:
    assert {"0001", "0003", "0009"} <= nexus_revisions()


def test_a_nexus_database_passes_and_is_checked_once_per_engine(engine: Engine) -> None:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    ensure_nexus_database(engine)
    first = len(statements)
    ensure_nexus_database(engine)
    assert len(statements) == first  # cached: no second look
    assert first <= 2  # the table list, then the revision (none on SQLite: read by SQLite itself)


def test_an_empty_database_passes_and_foreign_tables_do_not(tmp_path: Path) -> None:
    empty = create_engine_for(f"sqlite:///{tmp_path / 'empty.db'}")
    ensure_nexus_database(empty)
    empty.dispose()
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    connection.close()
    engine = create_engine_for(f"sqlite:///{other}")
    with pytest.raises(ValidationError, match=r"has tables \(invoices\) but no nexus revision"):
        ensure_nexus_database(engine)
    engine.dispose()
