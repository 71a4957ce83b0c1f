"""Citus distribution (docs/scaling.md): the tables the migrations declare (0010's lists, then
those of every later migration that adds tables) match the schema's tenancy, in an order Citus
accepts; without Citus (SQLite, plain PostgreSQL) migration 0010 changes nothing."""

from __future__ import annotations

import json
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from nexus import migrating
from nexus.persistence import citus
from nexus.persistence.engine import create_engine_for
from nexus.records import metadata


def _declared() -> tuple[list[str], list[tuple[str, str]]]:
    """Every migration's REFERENCE_TABLES and DISTRIBUTED_TABLES, oldest migration first."""
    scripts = ScriptDirectory.from_config(migrating.alembic_config("sqlite://"))
    reference: list[str] = []
    distributed: list[tuple[str, str]] = []
    for revision in reversed(list(scripts.walk_revisions())):
        reference += getattr(revision.module, "REFERENCE_TABLES", ())
        distributed += getattr(revision.module, "DISTRIBUTED_TABLES", ())
    return reference, distributed


def test_reference_and_distributed_tables_follow_the_declared_tenancy() -> None:
    reference, declared = _declared()
    distributed = dict(declared)
    assert len(distributed) == len(declared)
    assert set(reference) == {t.name for t in metadata.sorted_tables if not t.info.get("tenant")}
    assert distributed == {
        t.name: t.info["tenant"] for t in metadata.sorted_tables if t.info.get("tenant")
    }
    assert set(citus.ANCHORS) == set(distributed.values())
    for key, anchor in citus.ANCHORS.items():  # each anchor is the first table of its key
        assert next(t for t, k in declared if k == key) == anchor
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
    head = migrating.head_revision()
    assert migrating.current_revision(database_url) == head
    at_head = _snapshot(database_url)
    migrating.downgrade(database_url, "0009")
    migrating.upgrade(database_url, "0010")
    assert migrating.current_revision(database_url) == "0010"
    before_0010 = _snapshot(database_url)
    migrating.downgrade(database_url, "0009")
    assert _snapshot(database_url) == before_0010
    migrating.upgrade(database_url, head)
    assert _snapshot(database_url) == at_head
