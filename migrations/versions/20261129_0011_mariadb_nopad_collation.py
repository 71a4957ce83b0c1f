"""MariaDB: nexus's tables in utf8mb4_nopad_bin, so trailing spaces count in keys and lookups
('42' and '42 ' are two keys, as on PostgreSQL and SQLite; utf8mb4_bin is PAD SPACE); a no-op
on a database created with it and on the other engines

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 18:40:00.000000
"""

from collections.abc import Sequence
from typing import Any

from alembic import op
from sqlalchemy import Index
from sqlalchemy.schema import CreateIndex, DropIndex

from nexus.persistence.mysql import MYSQL_COLLATION, is_mysql, partial_predicate
from nexus.records import metadata

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if not is_mysql(bind.dialect):
        return
    # Only nexus's own tables (and its version table): the database may hold an embedding
    # application's too.
    found = bind.exec_driver_sql(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' "
        "AND table_collation <> %s",
        (MYSQL_COLLATION,),
    ).scalars()
    tables = sorted(set(found) & {*metadata.tables, op.get_context().version_table})
    if not tables:
        return
    # MariaDB will not change the collation of a column in a foreign key (not even with the
    # checks off): the keys among these tables are dropped, the tables converted, and the keys
    # added again as they were, checked (a reference that held only under PAD SPACE fails the
    # upgrade rather than dangle). No unique key gains a duplicate: NO PAD only tells apart
    # values PAD SPACE held equal.
    # Nor will it add a foreign key on a column a STORED generated one is computed from: the
    # partial unique indexes (mysql.py's generated digest columns) are dropped too, and built
    # again last.
    indexes = _partial_unique_indexes(bind, tables)
    for index in indexes:
        bind.execute(DropIndex(index))
    keys = _foreign_keys(bind, tables)
    for key in keys:
        bind.exec_driver_sql(f"ALTER TABLE `{key['table']}` DROP FOREIGN KEY `{key['name']}`")
    for table in tables:
        bind.exec_driver_sql(
            f"ALTER TABLE `{table}` CONVERT TO CHARACTER SET utf8mb4 COLLATE {MYSQL_COLLATION}"
        )
        # A JSON column is utf8mb4_bin whatever its table's collation (as a fresh database has
        # it): declared again, it is.
        for column in metadata.tables[table].columns if table in metadata.tables else ():
            if bind.dialect.type_compiler_instance.process(column.type) == "JSON":
                null = "NULL" if column.nullable else "NOT NULL"
                bind.exec_driver_sql(f"ALTER TABLE `{table}` MODIFY `{column.name}` JSON {null}")
    for key in keys:
        bind.exec_driver_sql(
            f"ALTER TABLE `{key['table']}` ADD CONSTRAINT `{key['name']}` "
            f"FOREIGN KEY ({_names(key['columns'])}) "
            f"REFERENCES `{key['referred']}` ({_names(key['referred_columns'])})"
            + _rule("DELETE", key["on_delete"])
            + _rule("UPDATE", key["on_update"])
        )
    for index in indexes:
        bind.execute(CreateIndex(index))


def _partial_unique_indexes(bind: Any, tables: list[str]) -> list[Index]:
    """The partial unique indexes of `tables` the database has (as mysql.py builds them)."""
    present = set(
        bind.exec_driver_sql(
            "SELECT DISTINCT index_name FROM information_schema.statistics "
            "WHERE table_schema = DATABASE()"
        ).scalars()
    )
    return [
        index
        for table in tables
        if table in metadata.tables
        for index in sorted(metadata.tables[table].indexes, key=lambda i: str(i.name))
        if index.unique and partial_predicate(index) is not None and index.name in present
    ]


def _rule(event: str, rule: str) -> str:
    """The clause as the key was declared: RESTRICT is what no clause means."""
    return "" if rule == "RESTRICT" else f" ON {event} {rule}"


def _names(columns: list[str]) -> str:
    return ", ".join(f"`{c}`" for c in columns)


def _foreign_keys(bind: Any, tables: list[str]) -> list[dict[str, Any]]:
    """Every foreign key from or to one of `tables`, with its columns in order and its rules."""
    rows = bind.exec_driver_sql(
        "SELECT k.table_name, k.constraint_name, k.column_name, k.referenced_table_name, "
        "k.referenced_column_name, r.delete_rule, r.update_rule "
        "FROM information_schema.key_column_usage k "
        "JOIN information_schema.referential_constraints r "
        "ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name "
        "AND r.table_name = k.table_name "
        "WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL "
        "ORDER BY k.table_name, k.constraint_name, k.ordinal_position"
    ).all()
    keys: dict[tuple[str, str], dict[str, Any]] = {}
    for table, name, column, referred, referred_column, on_delete, on_update in rows:
        if table not in tables and referred not in tables:
            continue
        key = keys.setdefault(
            (table, name),
            {
                "table": table,
                "name": name,
                "columns": [],
                "referred": referred,
                "referred_columns": [],
                "on_delete": on_delete,
                "on_update": on_update,
            },
        )
        key["columns"].append(column)
        key["referred_columns"].append(referred_column)
    return list(keys.values())


def downgrade() -> None:
    # Kept: going back to PAD SPACE would merge keys that differ only by trailing spaces (the
    # conversion would fail on them), and nothing before 0011 needs PAD SPACE.
    pass
