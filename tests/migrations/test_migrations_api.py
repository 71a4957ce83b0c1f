"""nexus.migrate and the migrations that ship with the package."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

import nexus
from nexus import migrating
from nexus.persistence.engine import create_engine_for


def test_migrate_upgrades_an_empty_database_to_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    nexus.migrate(url)
    assert migrating.current_revision(url) == migrating.head_revision()
    engine = create_engine_for(url)
    assert "users" in inspect(engine).get_table_names()
    engine.dispose()
    migrating.downgrade(url, "base")
    assert migrating.current_revision(url) is None


def test_migrate_on_postgres(database_url: str) -> None:
    nexus.migrate(database_url)
    assert migrating.current_revision(database_url) == migrating.head_revision()
    migrating.check(database_url)


def test_migrations_are_found_from_the_package() -> None:
    assert (migrating.migrations_path() / "env.py").is_file()
    assert any(migrating.migrations_path().glob("versions/*.py"))
