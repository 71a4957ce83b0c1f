"""The partitioned test engine (tests/partitioning.py) is nexus's head schema, with every tenant
table hash-partitioned by its tenant key and nothing else changed."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from nexus.persistence.engine import create_engine_for
from nexus.records import metadata
from tests.conftest import PARTITIONED_ENV
from tests.partitioning import PARTITION_SCHEMA, PARTITIONS, tenant_key

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.partitioned,
    pytest.mark.skipif(
        not os.environ.get(PARTITIONED_ENV),
        reason=f"the partitioned engine runs in its own CI step ({PARTITIONED_ENV}=1)",
    ),
]


def test_every_tenant_table_is_hash_partitioned_by_its_tenant_key(
    partitioned_postgres_url: str, figure: Callable[[str], None]
) -> None:
    engine = create_engine_for(partitioned_postgres_url)
    try:
        with engine.connect() as connection:
            keys = dict(
                connection.execute(
                    text(
                        "SELECT c.relname, pg_get_partkeydef(c.oid) FROM pg_partitioned_table p "
                        "JOIN pg_class c ON c.oid = p.partrelid"
                    )
                ).all()
            )
            counts = dict(
                connection.execute(
                    text(
                        "SELECT p.relname, count(*) FROM pg_inherits i "
                        "JOIN pg_class p ON p.oid = i.inhparent "
                        "JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind = 'r' "
                        "GROUP BY p.relname"
                    )
                ).all()
            )
    finally:
        engine.dispose()
    expected = {t.name: f"HASH ({tenant_key(t)})" for t in metadata.sorted_tables if tenant_key(t)}
    assert keys == expected
    assert counts == dict.fromkeys(expected, PARTITIONS)
    figure(f"{len(expected)} tenant tables in {PARTITIONS} hash partitions each")


def test_the_partitioned_schema_is_the_migrations_head(partitioned_postgres_url: str) -> None:
    """Alembic's comparison (what `nexus db check` runs) finds no difference but the foreign
    keys PostgreSQL adds by itself from a table to each partition of a partitioned parent."""
    engine = create_engine_for(partitioned_postgres_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    clones = [
        d
        for d in differences
        if isinstance(d, tuple)
        and d[0] == "remove_fk"
        and d[1].referred_table.schema == PARTITION_SCHEMA
    ]
    assert clones  # the comparison did look at the partitioned parents' foreign keys
    assert [d for d in differences if d not in clones] == []
