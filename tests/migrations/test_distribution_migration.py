"""Migration 0010 (Citus distribution, docs/scaling.md): its table lists match the schema's
tenancy, in an order Citus accepts; without Citus (SQLite, plain PostgreSQL) it changes nothing."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from nexus import migrating
from nexus.persistence.engine import create_engine_for
from nexus.records import metadata


def _migration() -> ModuleType:
    scripts = ScriptDirectory.from_config(migrating.alembic_config("sqlite://"))
    revision = scripts.get_revision("0010")
    assert revision is not None
    return revision.module


def test_reference_and_distributed_tables_follow_the_declared_tenancy() -> None:
    module = _migration()
    reference = list(module.REFERENCE_TABLES)
    distributed = dict(module.DISTRIBUTED_TABLES)
    assert len(distributed) == len(module.DISTRIBUTED_TABLES)
    assert set(reference) == {t.name for t in metadata.sorted_tables if not t.info.get("tenant")}
    assert distributed == {
        t.name: t.info["tenant"] for t in metadata.sorted_tables if t.info.get("tenant")
    }
    order = reference + list(distributed)
    for table in metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            parent = fk.referred_table.name
            if parent == table.name:
                continue
            # Citus: a table is registered after the tables it refers to ...
            assert order.index(parent) < order.index(table.name), (table.name, parent)
            # ... a reference table never refers to a distributed one ...
            assert not (table.name in reference and parent in distributed), (table.name, parent)
            # ... and a foreign key between distributed tables carries their common key.
            if table.name in distributed and parent in distributed:
                key = distributed[table.name]
                assert distributed[parent] == key, (table.name, parent)
                assert key in [c.name for c in fk.columns], (table.name, parent)


def _described(items: list[Any]) -> list[str]:
    """Reflected constraints as text (a partial index's predicate by its SQL, not its id)."""
    return sorted(json.dumps(item, default=str, sort_keys=True) for item in items)


def _snapshot(url: str) -> dict[str, Any]:
    engine = create_engine_for(url)
    try:
        inspector = inspect(engine)
        found: dict[str, Any] = {}
        for name in sorted(inspector.get_table_names()):
            found[name] = (
                [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)],
                inspector.get_pk_constraint(name),
                _described(inspector.get_foreign_keys(name)),
                _described(inspector.get_indexes(name)),
                _described(inspector.get_unique_constraints(name)),
            )
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                citus = connection.execute(
                    text("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
                ).first()
            assert citus is None, "this test is about a server without Citus"
        return found
    finally:
        engine.dispose()


def test_without_citus_the_distribution_migration_changes_nothing(database_url: str) -> None:
    assert migrating.current_revision(database_url) == "0010"
    at_head = _snapshot(database_url)
    migrating.downgrade(database_url, "0009")
    assert migrating.current_revision(database_url) == "0009"
    assert _snapshot(database_url) == at_head
    migrating.upgrade(database_url, "0010")
    assert migrating.current_revision(database_url) == "0010"
    assert _snapshot(database_url) == at_head
