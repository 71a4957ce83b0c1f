"""MariaDB (and MySQL) DDL: the portable equivalents of what those servers lack, so one
metadata and one migration history give the same guarantees on every engine.

- A primary key longer than InnoDB's index limit (3072 bytes) is declared as a unique key on
  the same NOT NULL columns, which MariaDB enforces through a hash of the values.
- `Text` is LONGTEXT (TEXT holds 64 KB; PostgreSQL's and SQLite's text have no such bound).
- A cast to `Uuid` (a typed NULL in a recursive query's anchor, whose type the recursive rows
  take) is `CAST(.. AS UUID)`: SQLAlchemy would drop it, and MariaDB then truncates every later
  row's value to the anchor's empty type without an error.
- Timestamps keep their microseconds: `DateTime` is `DATETIME(6)` (UTC wall clock, as on SQLite).
- Tables are utf8mb4 with a binary NO PAD collation (`utf8mb4_nopad_bin`): uniqueness and
  equality are case- and accent-sensitive and trailing spaces count ('42' and '42 ' are two
  keys), as on PostgreSQL and SQLite (the server's default collation is neither, and
  `utf8mb4_bin` is PAD SPACE).
- A partial unique index (`schema.partial_where`) becomes a STORED generated column that holds a
  digest of the indexed values when the predicate holds and NULL otherwise, with a unique index
  on it: NULLs never collide, so exactly the rows the predicate covers are held unique. Column
  and index share the index's name; dropping the index drops the column.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DateTime, Index, Text, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateIndex, CreateTable, DropIndex
from sqlalchemy.sql.elements import Cast

MYSQL_DIALECTS = ("mysql", "mariadb")
MYSQL_COLLATION = "utf8mb4_nopad_bin"  # binary and NO PAD: '42' and '42 ' differ
TABLE_OPTIONS = f"ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE={MYSQL_COLLATION}"
MAX_KEY_BYTES = 3072  # InnoDB's longest index key


def is_mysql(dialect: Dialect) -> bool:
    return dialect.name in MYSQL_DIALECTS


def partial_predicate(index: Index) -> Any:
    """The predicate a partial index was declared with (`partial_where`, or a migration's
    `postgresql_where` / `sqlite_where`), or None."""
    options = index.dialect_options
    where = options["postgresql"].get("where")
    return options["sqlite"].get("where") if where is None else where


def _emulated_names() -> frozenset[str]:
    """Names MariaDB gives to equivalents: partial unique indexes (index and generated column),
    primary keys too long for an index (kept as unique keys)."""
    from nexus.persistence.base import metadata

    names: set[str] = set()
    for table in metadata.tables.values():
        names.update(
            str(i.name) for i in table.indexes if i.unique and partial_predicate(i) is not None
        )
        pk = table.primary_key
        if pk.name and _key_bytes(pk.columns) > MAX_KEY_BYTES:
            names.add(str(pk.name))
    return frozenset(names)


def mysql_emulated(obj: Any, name: str | None, type_: str) -> bool:
    """True for a schema object that is MariaDB's stand-in for a feature it lacks (Alembic's
    comparison leaves those out on MariaDB)."""
    return type_ in ("index", "column", "unique_constraint") and name in _emulated_names()


def _datetime(type_: DateTime, compiler: Any, **kw: Any) -> str:
    return "DATETIME(6)"


def _key_bytes(columns: Any) -> int:
    """The most bytes an index over these columns can need (utf8mb4: four per character)."""
    return sum(4 * length if (length := getattr(c.type, "length", None)) else 16 for c in columns)


def _text(type_: Text, compiler: Any, **kw: Any) -> str:
    if getattr(type_, "length", None):
        return str(compiler.visit_text(type_, **kw))
    return "LONGTEXT"


def _cast(element: Cast[Any], compiler: Any, **kw: Any) -> str:
    if isinstance(element.type, Uuid):
        target = "UUID" if compiler.dialect.is_mariadb else "CHAR(32)"
        return f"CAST({compiler.process(element.clause, **kw)} AS {target})"
    return str(compiler.visit_cast(element, **kw))


def _create_table(element: CreateTable, compiler: Any, **kw: Any) -> str:
    sql = compiler.visit_create_table(element, **kw).rstrip()
    table = element.element
    pk = table.primary_key
    if pk.name and _key_bytes(pk.columns) > MAX_KEY_BYTES:
        # A key longer than InnoDB's index limit: a unique key over the same NOT NULL columns
        # is the same guarantee, and MariaDB enforces a long one through a hash of the values.
        sql = sql.replace(
            f"CONSTRAINT {compiler.preparer.format_constraint(pk)} PRIMARY KEY",
            f"CONSTRAINT {compiler.preparer.format_constraint(pk)} UNIQUE",
        )
    return f"{sql} {TABLE_OPTIONS}"


def _create_index(element: CreateIndex, compiler: Any, **kw: Any) -> str:
    index = element.element
    where = partial_predicate(index)
    if where is None or not index.unique:
        # A non-unique partial index is only an access path: the full index serves as well.
        return str(compiler.visit_create_index(element, **kw))
    preparer = compiler.preparer
    sql = compiler.sql_compiler
    name = preparer.format_index(index)
    parts = []
    for expression in index.expressions:
        column = sql.process(expression, include_table=False, literal_binds=True)
        parts.append(f"CHAR_LENGTH({column}), ':', {column}")
    predicate = sql.process(where, include_table=False, literal_binds=True)
    key = f"IF({predicate}, UNHEX(SHA2(CONCAT({', '.join(parts)}), 256)), NULL)"
    return (
        f"ALTER TABLE {preparer.format_table(index.table)} "
        f"ADD COLUMN {name} BINARY(32) AS ({key}) STORED, "
        f"ADD UNIQUE INDEX {name} ({name})"
    )


def _drop_index(element: DropIndex, compiler: Any, **kw: Any) -> str:
    index = element.element
    preparer = compiler.preparer
    name = preparer.format_index(index)
    return (
        f"ALTER TABLE {preparer.format_table(index.table)} "
        f"DROP INDEX {name}, DROP COLUMN IF EXISTS {name}"
    )


for _dialect in MYSQL_DIALECTS:
    compiles(DateTime, _dialect)(_datetime)
    compiles(Text, _dialect)(_text)
    compiles(Cast, _dialect)(_cast)
    compiles(CreateTable, _dialect)(_create_table)
    compiles(CreateIndex, _dialect)(_create_index)
    compiles(DropIndex, _dialect)(_drop_index)
