"""Conventions every table must keep, checked over the whole MetaData (every context)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ForeignKeyConstraint

from nexus.records import metadata

# Departures from "CASCADE or SET NULL", each documented where it is decided.
DOCUMENTED_ONDELETE = {
    # docs/lab.md: NOT NULL (so no SET NULL), and session history must not vanish with an
    # instrument row, so deleting an instrument that has sessions is refused.
    ("session_log", "instrument"): "RESTRICT",
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
            expected = DOCUMENTED_ONDELETE.get(key)
            if expected is not None:
                assert fk.ondelete == expected, key
            else:
                assert fk.ondelete in ("CASCADE", "SET NULL"), key
            assert fk.parent.name in leading, f"{table.name}.{fk.parent.name} is not indexed"
            checked += 1
    figure(f"foreign keys checked: {checked}")
    assert checked == 10


def test_every_constraint_and_index_has_a_convention_name(
    figure: Callable[[str], None],
) -> None:
    prefixes = ("pk_", "uq_", "ix_", "ck_", "fk_")
    names = []
    for table in metadata.sorted_tables:
        names += [c.name for c in table.constraints]
        names += [i.name for i in table.indexes]
    assert names
    assert all(isinstance(n, str) and n.startswith(prefixes) for n in names), names
    figure(f"named constraints and indexes: {len(names)}")
