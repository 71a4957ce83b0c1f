"""What the adapters read from the SQLAlchemy metadata, once per table: key, tenant key, unique
rules (with a partial index's predicate), foreign keys with their `ondelete`, the version column.

The SQL adapter lets the database enforce these; the in-memory twin enforces the same rules from
this description, so nothing is declared twice.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from sqlalchemy import (
    JSON,
    Column,
    ColumnElement,
    ForeignKeyConstraint,
    Index,
    Table,
    UniqueConstraint,
)
from sqlalchemy.sql import elements, operators

from nexus.persistence.base import Base

Row = Mapping[str, Any]
Predicate = Callable[[Row], bool]

# Tenant keys, in the order a table is searched for one (conventions: "Tenancy and distribution").
TENANT_KEYS = ("workspace_id", "npcase_id")


@attrs.frozen
class UniqueRule:
    """A unique constraint or unique index: its columns and, for a partial index, the predicate
    saying which rows it covers."""

    name: str
    columns: tuple[str, ...]
    applies: Predicate | None = None

    def key_of(self, row: Row) -> tuple[Any, ...] | None:
        """The indexed value of `row`, or None when the rule does not cover it (a NULL in the
        key, as in SQL, or a row outside the partial index)."""
        if self.applies is not None and not self.applies(row):
            return None
        values = tuple(row[c] for c in self.columns)
        return None if any(v is None for v in values) else values


@attrs.frozen
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]
    ondelete: str  # CASCADE, SET NULL, RESTRICT or NO ACTION


@attrs.frozen
class TableInfo:
    """Everything the generic adapters need to know about one table."""

    table: Table
    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    tenant_key: str | None
    version: str | None
    uniques: tuple[UniqueRule, ...]
    foreign_keys: tuple[ForeignKey, ...]
    json_columns: frozenset[str]

    def pk_of(self, row: Row) -> tuple[Any, ...]:
        return tuple(row[c] for c in self.primary_key)


def tenant_table_args(tenant_key: str, *args: Any) -> tuple[Any, ...]:
    """`__table_args__` of a tenant table: its constraints, and the declaration of its tenant
    key, which the schema test then holds to the tenancy rules (key first in the primary key,
    in every unique key and in every foreign key to the same tenant's tables)."""
    if tenant_key not in TENANT_KEYS:
        raise ValueError(f"unknown tenant key {tenant_key!r}")
    return (*args, {"info": {"tenant": tenant_key}})


def partial_where(predicate: ColumnElement[bool]) -> dict[str, Any]:
    """Index keyword arguments stating a partial index's predicate once for every engine:
    `Index(..., unique=True, **partial_where(column("x") == "y"))`."""
    return {"sqlite_where": predicate, "postgresql_where": predicate}


_COMPARE: dict[Any, Callable[[Any, Any], bool]] = {
    operators.eq: operator.eq,
    operators.ne: operator.ne,
    operators.lt: operator.lt,
    operators.le: operator.le,
    operators.gt: operator.gt,
    operators.ge: operator.ge,
    operators.is_: lambda a, b: a is b,
    operators.is_not: lambda a, b: a is not b,
    operators.in_op: lambda a, b: a in b,
    operators.not_in_op: lambda a, b: a not in b,
}


def evaluator(expression: Any) -> Predicate:
    """A Python predicate over a row dict for the simple SQL predicates partial indexes use:
    comparisons of a column with literals, IN lists, IS [NOT] NULL, AND / OR / NOT."""
    if isinstance(expression, elements.BooleanClauseList):
        parts = [evaluator(clause) for clause in expression.clauses]
        if expression.operator is operators.and_:
            return lambda row: all(p(row) for p in parts)
        return lambda row: any(p(row) for p in parts)
    if isinstance(expression, elements.UnaryExpression) and expression.operator is operators.inv:
        inner = evaluator(expression.element)
        return lambda row: not inner(row)
    if isinstance(expression, elements.BinaryExpression) and expression.operator in _COMPARE:
        column = expression.left
        if not isinstance(column, elements.ColumnClause):
            raise TypeError(f"unsupported partial-index predicate: {expression}")
        compare = _COMPARE[expression.operator]
        value = _literal(expression.right)
        name = column.name
        return lambda row: compare(row[name], value)
    raise TypeError(f"unsupported partial-index predicate: {expression}")


def _literal(element: Any) -> Any:
    if isinstance(element, elements.Null):
        return None
    if isinstance(element, elements.BindParameter):
        value = element.value
        return tuple(value) if isinstance(value, list | tuple) else value
    if isinstance(element, elements.ClauseList):
        return tuple(_literal(e) for e in element.clauses)
    if isinstance(element, elements.Grouping):
        return _literal(element.element)
    if isinstance(element, elements.True_):
        return True
    if isinstance(element, elements.False_):
        return False
    raise TypeError(f"unsupported literal in a partial-index predicate: {element}")


def _is_json(column: Column[Any]) -> bool:
    type_ = column.type
    impl = getattr(type_, "impl", None)
    return isinstance(type_, JSON) or isinstance(impl, JSON) or hasattr(type_, "mapping")


def _uniques(table: Table) -> list[UniqueRule]:
    rules: list[UniqueRule] = []
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            rules.append(UniqueRule(str(constraint.name), tuple(c.name for c in constraint)))
    for index in table.indexes:
        if not index.unique:
            continue
        where = _index_where(index)
        rules.append(
            UniqueRule(
                str(index.name),
                tuple(c.name for c in index.columns),
                None if where is None else evaluator(where),
            )
        )
    for column in table.columns:
        if column.unique and not any(r.columns == (column.name,) for r in rules):
            rules.append(UniqueRule(f"uq_{table.name}_{column.name}", (column.name,)))
    return rules


def _index_where(index: Index) -> Any:
    options = index.dialect_options
    where = options["postgresql"].get("where")
    sqlite_where = options["sqlite"].get("where")
    if where is None:
        return sqlite_where
    if sqlite_where is not None and str(sqlite_where) != str(where):
        raise TypeError(f"index {index.name}: its predicate differs per engine; state it once")
    return where


def describe(table: Table, version: str | None = None) -> TableInfo:
    fks = [
        ForeignKey(
            name=str(fk.name),
            columns=tuple(c.name for c in fk.columns),
            parent=fk.referred_table.name,
            parent_columns=tuple(e.column.name for e in fk.elements),
            ondelete=(fk.ondelete or "NO ACTION").upper(),
        )
        for fk in table.constraints
        if isinstance(fk, ForeignKeyConstraint)
    ]
    pk = tuple(c.name for c in table.primary_key.columns)
    tenant = table.info.get("tenant")
    return TableInfo(
        table=table,
        name=table.name,
        columns=tuple(c.name for c in table.columns),
        primary_key=pk,
        tenant_key=tenant,
        version=version,
        uniques=tuple(_uniques(table)),
        foreign_keys=tuple(sorted(fks, key=lambda f: f.name)),
        json_columns=frozenset(c.name for c in table.columns if _is_json(c)),
    )


_described: dict[str, TableInfo] = {}
_children: dict[str, tuple[tuple[TableInfo, ForeignKey], ...]] = {}


def _describe_all() -> None:
    """Describe every mapped table at once (a foreign key's parent and children included)."""
    versions: dict[str, str | None] = {}
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        if isinstance(table, Table):
            col = mapper.version_id_col
            versions[table.name] = None if col is None else col.name
    for table in Base.metadata.tables.values():
        if table.name not in _described:
            _described[table.name] = describe(table, versions.get(table.name))
    _children.clear()


def info_for(record: type[Any]) -> TableInfo:
    """The description of a record class's table (its version column from the ORM mapping)."""
    return info_by_name(record.__table__.name)


def info_by_name(name: str) -> TableInfo:
    found = _described.get(name)
    if found is None:
        _describe_all()
        found = _described[name]
    return found


def children_of(parent: str) -> tuple[tuple[TableInfo, ForeignKey], ...]:
    """Every (child table, foreign key) pointing at `parent`."""
    found = _children.get(parent)
    if found is None:
        info_by_name(parent)
        found = tuple(
            (child, fk)
            for child in list(_described.values())
            for fk in child.foreign_keys
            if fk.parent == parent
        )
        _children[parent] = found
    return found
