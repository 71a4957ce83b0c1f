"""The Citus calls the migrations share (docs/scaling.md): a migration that creates tables
declares them in its own `REFERENCE_TABLES` (copied to every node) or `DISTRIBUTED_TABLES`
(table, tenant key), each after the tables it refers to, and calls `distribute` / `undistribute`;
on SQLite and on PostgreSQL without the citus extension both do nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, text

# The first table distributed by each tenant key (migration 0010): every later table with that
# key is co-located with it, so a tenant's rows of every table share a node.
ANCHORS = {"npcase_id": "custodians", "workspace_id": "abi_servers"}


def citus_present(bind: Connection) -> bool:
    """True on a Citus coordinator: PostgreSQL with the citus extension created."""
    if bind.dialect.name != "postgresql":
        return False
    found = bind.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'citus'")).first()
    return found is not None


def distribute(
    bind: Connection, reference: Iterable[str], distributed: Iterable[tuple[str, str]]
) -> None:
    if not citus_present(bind):
        return
    # Distributing tables that refer to reference tables in one transaction needs the
    # sequential mode (Citus refuses parallel shard creation across such foreign keys).
    bind.execute(text("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'"))
    for table in reference:
        bind.execute(text("SELECT create_reference_table(:t)"), {"t": table})
    for table, key in distributed:
        anchor = ANCHORS[key]
        bind.execute(
            text("SELECT create_distributed_table(:t, :k, colocate_with => :c)"),
            {"t": table, "k": key, "c": "none" if table == anchor else anchor},
        )


def undistribute(bind: Connection, tables: Sequence[str]) -> None:
    """Every table back to a plain local table (undistribute_table follows foreign keys, so a
    table may already be local when its turn comes)."""
    if not citus_present(bind):
        return
    bind.execute(text("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'"))
    for table in tables:
        still = bind.execute(
            text("SELECT 1 FROM pg_dist_partition WHERE logicalrelid = CAST(:t AS regclass)"),
            {"t": table},
        ).first()
        if still is not None:
            bind.execute(
                text("SELECT undistribute_table(:t, cascade_via_foreign_keys => true)"),
                {"t": table},
            )
