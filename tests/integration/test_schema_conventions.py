"""Conventions every table must keep, checked over the whole MetaData (every context)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from nexus.records import metadata

# Departures from "CASCADE or SET NULL", each documented where it is decided.
DOCUMENTED_ONDELETE = {
    # docs/lab.md: NOT NULL (so no SET NULL), and session history must not vanish with an
    # instrument row, so deleting an instrument that has sessions is refused.
    ("session_log", "instrument"): "RESTRICT",
    # docs/documents.md: a batch with documents, and a custodian with batches, are not removed
    # by accident; their composite keys (npcase_id, ...) cannot SET NULL (npcase_id is NOT NULL).
    ("exhibits", "fk_exhibits_batch_id_batches"): "RESTRICT",
    ("batches", "fk_batches_custodian_id_custodians"): "RESTRICT",
}
# Indexes keeping the loader seed's own names (docs/documents.md), so a team moving from it
# finds them.
SEED_INDEX_NAMES = {
    "index_custodian_exhibits_on_custodian_id",
    "index_custodian_exhibits_on_exhibit_id",
    "index_custodian_exhibits_on_user_id",
    "index_document_relations_on_from_id_and_relation",
    "index_document_relations_on_to_id_and_relation",
    "index_document_relations_old_pk",
}


def test_every_foreign_key_names_ondelete_and_is_indexed(figure: Callable[[str], None]) -> None:
    checked = 0
    for table in metadata.sorted_tables:
        leading = {i.columns[0].name for i in table.indexes if i.columns} | {
            next(iter(c.columns)).name
            for c in table.constraints
            if hasattr(c, "columns") and not isinstance(c, ForeignKeyConstraint) and c.columns
        }
        for fk in table.foreign_keys:
            key = (table.name, fk.parent.name)
            expected = DOCUMENTED_ONDELETE.get(key) or DOCUMENTED_ONDELETE.get(
                (table.name, str(fk.constraint.name) if fk.constraint is not None else "")
            )
            if expected is not None:
                assert fk.ondelete == expected, key
            else:
                assert fk.ondelete in ("CASCADE", "SET NULL"), key
            assert fk.parent.name in leading, f"{table.name}.{fk.parent.name} is not indexed"
            checked += 1
    figure(f"foreign keys checked: {checked}")
    assert checked == sum(len(t.foreign_keys) for t in metadata.tables.values()) >= 10


def test_every_constraint_and_index_has_a_convention_name(
    figure: Callable[[str], None],
) -> None:
    prefixes = ("pk_", "uq_", "ix_", "ck_", "fk_")
    names = []
    for table in metadata.sorted_tables:
        names += [c.name for c in table.constraints]
        names += [i.name for i in table.indexes]
    assert names
    assert all(
        isinstance(n, str) and (n.startswith(prefixes) or n in SEED_INDEX_NAMES) for n in names
    ), names
    figure(f"named constraints and indexes: {len(names)}")


# Global tables that carry a tenant id without belonging to the tenant (conventions: "Foreign
# keys from tenant tables to global tables stay plain"; these point the other way, optionally).
GLOBAL_WITH_TENANT_COLUMN = {
    ("api_keys", "workspace_id"),  # an identity API key may be scoped to one workspace
}
TENANT_COLUMNS = ("workspace_id", "npcase_id")
TENANT_ROOTS = {"workspace_id": "workspaces", "npcase_id": "npcases"}


def _tenant_of(table: Table) -> str | None:
    declared: str | None = table.info.get("tenant")
    return declared


def test_every_table_with_a_tenant_column_declares_its_tenancy() -> None:
    for table in metadata.sorted_tables:
        for column in TENANT_COLUMNS:
            if column not in table.c or table.name == TENANT_ROOTS[column]:
                continue
            if (table.name, column) in GLOBAL_WITH_TENANT_COLUMN:
                assert _tenant_of(table) is None, table.name
                continue
            assert _tenant_of(table) == column, (
                f"{table.name} has {column} but does not declare it as its tenant key "
                "(tenant_table_args in nexus.persistence.schema)"
            )


def tenancy_violations(tables: list[Table]) -> tuple[int, list[str]]:
    """conventions.md "Tenancy and distribution": the tenant key first in the primary key, in
    every unique key, and in every foreign key to another table of the same tenant. Returns
    (tenant tables checked, violations)."""
    checked, violations = 0, []
    for table in tables:
        tenant = _tenant_of(table)
        if tenant is None:
            continue
        checked += 1
        pk = [c.name for c in table.primary_key.columns]
        if pk[0] != tenant or len(pk) < 2:
            violations.append(f"{table.name}: primary key {pk}")
        uniques = [
            (str(c.name), [col.name for col in c.columns])
            for c in table.constraints
            if isinstance(c, UniqueConstraint)
        ] + [(str(i.name), [col.name for col in i.columns]) for i in table.indexes if i.unique]
        violations += [f"{table.name}.{n}: {cols}" for n, cols in uniques if tenant not in cols]
        for fk in table.constraints:
            if not isinstance(fk, ForeignKeyConstraint):
                continue
            parent = fk.referred_table
            root = parent.name == TENANT_ROOTS[tenant]
            if parent.info.get("tenant") == tenant or root:
                pairs = {
                    c.name: e.column.name for c, e in zip(fk.columns, fk.elements, strict=True)
                }
                if pairs.get(tenant) != ("id" if root else tenant):
                    violations.append(f"{table.name}.{fk.name} -> {parent.name}: no {tenant}")
    return checked, violations


def test_tenant_tables_keep_the_tenancy_rules(figure: Callable[[str], None]) -> None:
    checked, violations = tenancy_violations(list(metadata.sorted_tables))
    assert violations == []
    figure(f"tenant tables checked: {checked}")


def test_the_tenancy_check_catches_each_broken_rule() -> None:
    broken = MetaData()
    Table("workspaces", broken, Column("id", Integer, primary_key=True))
    Table(
        "things",
        broken,
        Column("workspace_id", Integer, primary_key=True),
        Column("id", Integer, primary_key=True),
        info={"tenant": "workspace_id"},
    )
    Table(
        "bad",
        broken,
        Column("id", Integer, primary_key=True),
        Column("workspace_id", Integer),
        Column("thing_id", Integer),
        Column("name", String(10)),
        UniqueConstraint("name", name="uq_bad_name"),
        ForeignKeyConstraint(["thing_id"], ["things.id"], name="fk_bad_thing"),
        info={"tenant": "workspace_id"},
    )
    _checked, violations = tenancy_violations(list(broken.sorted_tables))
    assert violations == [
        "bad: primary key ['id']",
        "bad.uq_bad_name: ['name']",
        "bad.fk_bad_thing -> things: no workspace_id",
    ]
