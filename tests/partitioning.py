"""The "postgres-partitioned" test engine: a PostgreSQL database in which every tenant table is
HASH-partitioned by its tenant key, the way a sharded deployment splits it.

How it is produced: the one MetaData (which `nexus db check` holds equal to the migration
chain's head) is copied, each table that declares a tenant key (`tenant_table_args`) gets
`postgresql_partition_by="HASH (<tenant key>)"`, the copy is created, each partitioned table gets
`PARTITIONS` partitions (`CREATE TABLE .. PARTITION OF .. FOR VALUES WITH (MODULUS, REMAINDER)`)
in a schema of their own, and Alembic's version table is stamped at head. A migration variant
would have to rewrite every `create_table` of the history (and PostgreSQL cannot turn a plain
table into a partitioned one in place); rendering the head schema tests the same tables, keys
and indexes, and `test_partitioned_schema.py` checks that Alembic's comparison finds no
difference between this database and the migrations.

The tenant roots (`workspaces`, `npcases`) and the global tables stay plain: they are the
reference tables of a distributed deployment (docs/scaling.md).
"""

from __future__ import annotations

from sqlalchemy import MetaData, Table, UniqueConstraint, text
from sqlalchemy.schema import AddConstraint

from nexus import migrating
from nexus.persistence.engine import create_engine_for
from nexus.records import metadata

PARTITIONS = 4
# The partitions live apart, so `nexus db check` (which compares the default schema) sees
# exactly the tables the migrations create.
PARTITION_SCHEMA = "nexus_partitions"


def tenant_key(table: Table) -> str | None:
    key: str | None = table.info.get("tenant")
    return key


def partitioned_metadata() -> MetaData:
    """A copy of nexus's metadata with every tenant table hash-partitioned by its tenant key."""
    copy = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        rendered = table.to_metadata(copy)
        key = tenant_key(table)
        if key is not None:
            rendered.dialect_options["postgresql"]["partition_by"] = f"HASH ({key})"
    return copy


def _repeating_the_primary_key(schema: MetaData) -> list[UniqueConstraint]:
    """The unique constraints that repeat their table's primary key, taken off their tables:
    PostgreSQL drops such a constraint inside one CREATE TABLE, so migration 0006 adds them with
    ALTER TABLE, and so does this (docs/documents.md, "belt-and-braces")."""
    found = []
    for table in schema.sorted_tables:
        pk = [c.name for c in table.primary_key.columns]
        for constraint in list(table.constraints):
            if isinstance(constraint, UniqueConstraint) and [c.name for c in constraint] == pk:
                table.constraints.remove(constraint)
                found.append(constraint)
    return found


def create_partitioned_schema(url: str, partitions: int = PARTITIONS) -> None:
    """Fill the empty database at `url` with nexus's head schema, tenant tables partitioned."""
    schema = partitioned_metadata()
    repeated = _repeating_the_primary_key(schema)
    engine = create_engine_for(url)
    try:
        with engine.begin() as connection:
            schema.create_all(connection)
            for constraint in repeated:
                connection.execute(AddConstraint(constraint))
            connection.execute(text(f'CREATE SCHEMA "{PARTITION_SCHEMA}"'))
            for table in schema.sorted_tables:
                if tenant_key(table) is None:
                    continue
                for remainder in range(partitions):
                    connection.execute(
                        text(
                            f'CREATE TABLE "{PARTITION_SCHEMA}"."{table.name}_p{remainder}" '
                            f'PARTITION OF "{table.name}" '
                            f"FOR VALUES WITH (MODULUS {partitions}, REMAINDER {remainder})"
                        )
                    )
    finally:
        engine.dispose()
    from alembic import command

    command.stamp(migrating.alembic_config(url), "head")
