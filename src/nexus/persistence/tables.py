"""The table gateway the generic repositories stand on (the protocol, its conditions) and its
in-memory implementation, the twin of `persistence.sql`. Repositories are written once, on this.
"""

from __future__ import annotations

import copy
import functools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Protocol

import attrs

from nexus.persistence.memory import InMemoryStore, InMemoryTransaction
from nexus.persistence.schema import Row, TableInfo, info_by_name
from nexus.shared.errors import ConcurrencyError, DomainError

# Stays under SQLite's bound-parameter limit on old builds (999).
IN_CHUNK = 500


@attrs.frozen
class Cmp:
    """A comparison other than equality: `Cmp("<", 5)`; `or_null` also accepts NULL."""

    op: str
    value: Any
    or_null: bool = False


@attrs.frozen
class Exists:
    """A guard on a related row: `Exists("users", on={"id": "user_id"}, where={"is_active":
    True})` holds when the users row whose id is this row's user_id is active."""

    table: str
    on: Mapping[str, str]
    where: Mapping[str, Any]
    # Its part of a statement's cache key, computed once (guards are usually module constants).
    shape: tuple[Any, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        shape = ("exists", self.table, tuple(self.on.items()), shape_of(self.where))
        object.__setattr__(self, "shape", shape)


@attrs.frozen
class Add:
    """`column = column + amount` in a conditional write."""

    amount: int


_PREDICATE_TYPES = (Cmp, Exists, Add)


@attrs.frozen
class Param:
    """Where a `ConditionalWrite` takes a value given with each call."""

    name: str


def _read_only(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def _holds_param(value: Any) -> bool:
    kind = type(value)
    if kind is Param:
        return True
    if kind is Cmp or kind is Add:
        return _holds_param(value.value if kind is Cmp else value.amount)
    if kind is Exists:
        return any(_holds_param(v) for v in value.where.values())
    return False


@attrs.frozen(eq=False)
class ConditionalWrite:
    """An `update_where` declared once (a module constant), run with each call's values by
    `Tables.write_where`: the hot paths' writes (an API key's use, a token's) skip building
    and planning their conditions per call. A `Param` stands for a value in `where` (as an
    equality or a `Cmp`'s value) and in `values` (a written value, not an `Add`'s amount); an
    `Exists` guard is constant. A given value is a value: a NULL for an equality means IS
    NULL, as in `update_where`; a `Cmp`, `Add` or `Exists` given is refused."""

    where: Mapping[str, Any] = attrs.field(converter=_read_only)
    values: Mapping[str, Any] = attrs.field(converter=_read_only)
    returning: tuple[str, ...] = ()
    params: frozenset[str] = attrs.field(init=False, repr=False)
    # An adapter's plan of this write per table (SqlTables: its statement and binds), kept
    # with the write, so a write made per call leaves nothing behind.
    plans: dict[str, Any] = attrs.field(init=False, repr=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        names: set[str] = set()
        for column, value in (*self.where.items(), *self.values.items()):
            inner = value.value if type(value) is Cmp else value
            if type(inner) is Param:
                names.add(inner.name)
            elif _holds_param(value):
                raise TypeError(
                    f"{column}: a Param of a ConditionalWrite is an equality's value, a Cmp's "
                    "or a written value (an Exists guard and an Add are constant)"
                )
        object.__setattr__(self, "params", frozenset(names))

    def fill(self, given: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """`where` and `values` with the given values in place of the Params."""
        missing = self.params - given.keys()
        if missing:
            raise TypeError(f"ConditionalWrite: no value for {sorted(missing)}")
        for name in self.params:
            if type(given[name]) in _PREDICATE_TYPES:
                raise TypeError(f"ConditionalWrite: {name} is given a condition, not a value")
        return _filled(self.where, given), _filled(self.values, given)


def _filled(template: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column, value in template.items():
        if type(value) is Param:
            value = given[value.name]
        elif type(value) is Cmp and type(value.value) is Param:
            value = Cmp(value.op, given[value.value.name], or_null=value.or_null)
        out[column] = value
    return out


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "!=": operator.ne,
    "==": operator.eq,
}


class Tables(Protocol):
    """What a repository asks of its storage. `where` maps column -> value (None is IS NULL);
    rows come back as sequences in the table's column order."""

    def fetch_one(self, info: TableInfo, where: Mapping[str, Any]) -> Sequence[Any] | None: ...

    def fetch_many(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        order_by: tuple[str, ...] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Sequence[Any]]: ...

    def fetch_in(
        self, info: TableInfo, column: str, values: Iterable[Any], where: Mapping[str, Any]
    ) -> list[Sequence[Any]]: ...

    def count(self, info: TableInfo, where: Mapping[str, Any]) -> int: ...

    def insert(self, info: TableInfo, row: Row) -> None: ...

    def insert_many(
        self, info: TableInfo, rows: Sequence[Row], *, skip_existing: bool = False
    ) -> None: ...

    def update(
        self,
        info: TableInfo,
        pk: Mapping[str, Any],
        changes: Mapping[str, Any],
        version: tuple[str, int] | None,
    ) -> int: ...

    def delete(self, info: TableInfo, where: Mapping[str, Any]) -> int: ...

    def update_where(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        values: Mapping[str, Any],
        returning: tuple[str, ...] = (),
    ) -> list[tuple[Any, ...]]: ...

    def write_where(
        self, info: TableInfo, write: ConditionalWrite, given: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        """`update_where` with `write`'s conditions, values and returning, `given` in place
        of its Params."""
        ...

    def commit(self) -> None: ...

    def close(self) -> None: ...


_PREDICATES = (Cmp, Exists)


def _kind(value: Any) -> Any:
    if value is None:
        return "null"
    kind = type(value)
    if kind is Cmp:
        return (value.op, value.or_null)
    if kind is Exists:
        return value.shape
    return "=="


def shape_of(where: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((c, _kind(v)) for c, v in where.items())


def _check(column: str, wanted: Any, tx: InMemoryTransaction) -> Callable[[Row], bool]:
    if wanted is None:
        return lambda row: row[column] is None
    if isinstance(wanted, Cmp):
        compare, value, or_null = _OPS[wanted.op], wanted.value, wanted.or_null
        return lambda row: or_null if row[column] is None else bool(compare(row[column], value))
    if isinstance(wanted, Exists):
        other = info_by_name(wanted.table)
        guard = _matches(wanted.where, tx)
        pairs = tuple(wanted.on.items())

        def related(row: Row) -> bool:
            if tuple(o for o, _t in pairs) == other.primary_key:
                found = tx.row(other, tuple(row[t] for _o, t in pairs))
                return found is not None and guard(found)
            return any(all(r[o] == row[t] for o, t in pairs) and guard(r) for r in tx.rows(other))

        return related
    return lambda row: bool(row[column] == wanted)


def _matches(where: Mapping[str, Any], tx: InMemoryTransaction) -> Callable[[Row], bool]:
    checks = [_check(column, wanted, tx) for column, wanted in where.items()]
    return lambda row: all(check(row) for check in checks)


def _sort_key(column: str) -> Callable[[Row], Any]:
    name = column.lstrip("-")
    return lambda row: (row[name] is not None, row[name])


def _voiding(method: Callable[..., Any]) -> Callable[..., Any]:
    """A write of the memory twin: refused, it voids the transaction, as on the databases."""

    @functools.wraps(method)
    def run(self: MemoryTables, *args: Any, **kwargs: Any) -> Any:
        self._refuse_void()
        try:
            return method(self, *args, **kwargs)
        except DomainError:
            self._failed = True
            raise

    return run


def _checked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(self: MemoryTables, *args: Any, **kwargs: Any) -> Any:
        self._refuse_void()
        return method(self, *args, **kwargs)

    return run


class MemoryTables:
    """The in-memory twin of SqlTables, on one InMemoryTransaction."""

    def __init__(self, store: InMemoryStore) -> None:
        self.tx = InMemoryTransaction(store)
        self._failed = False

    def _refuse_void(self) -> None:
        if self._failed:
            raise ConcurrencyError(
                "an earlier write of this unit of work was refused, so it was rolled back; "
                "start it again"
            )

    @staticmethod
    def _out(info: TableInfo, row: Row) -> list[Any]:
        return [row[c] for c in info.columns]

    def _lookup(self, info: TableInfo, where: Mapping[str, Any]) -> list[Row]:
        """Rows matching `where`: through the primary key or a unique index when `where` pins
        one down (then filtered by the rest), else a scan."""
        matches = _matches(where, self.tx)
        plain = {c for c, v in where.items() if v is not None and not isinstance(v, Cmp | Exists)}
        if set(info.primary_key) <= plain:
            row = self.tx.row(info, tuple(where[c] for c in info.primary_key))
            return [row] if row is not None and matches(row) else []
        for rule in info.uniques:
            if rule.applies is None and set(rule.columns) <= plain:
                row = self.tx.by_unique(info, rule.name, tuple(where[c] for c in rule.columns))
                return [row] if row is not None and matches(row) else []
        return self.tx.select(info, matches)

    def fetch_one(self, info: TableInfo, where: Mapping[str, Any]) -> Sequence[Any] | None:
        if self._failed:
            self._refuse_void()
        if tuple(where) == info.primary_key:
            key = tuple(where.values())
            for value in key:
                if value is None or type(value) in _PREDICATES:
                    break
            else:
                # By primary key: one dict lookup, no predicate to build.
                row = self.tx.row(info, key)
                return None if row is None else [row[c] for c in info.columns]
        found = self._lookup(info, where)
        return self._out(info, found[0]) if found else None

    @_checked
    def fetch_many(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        order_by: tuple[str, ...] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Sequence[Any]]:
        rows = self._lookup(info, where)
        for column in reversed(order_by):
            rows.sort(key=_sort_key(column), reverse=column.startswith("-"))
        end = None if limit is None else offset + limit
        return [self._out(info, row) for row in rows[offset:end]]

    @_checked
    def fetch_in(
        self, info: TableInfo, column: str, values: Iterable[Any], where: Mapping[str, Any]
    ) -> list[Sequence[Any]]:
        wanted = set(values)
        matches = _matches(where, self.tx)
        return [
            self._out(info, row)
            for row in self.tx.rows(info)
            if row[column] in wanted and matches(row)
        ]

    @_checked
    def count(self, info: TableInfo, where: Mapping[str, Any]) -> int:
        if not where:
            return sum(1 for _ in self.tx.rows(info))
        return len(self._lookup(info, where))

    @staticmethod
    def _own(info: TableInfo, row: Row) -> Row:
        """The row with its own copy of every JSON value: the caller's dict or list must not
        become committed state it could still edit in place (readers get copies too)."""
        if not info.json_columns:
            return row
        return {c: copy.deepcopy(v) if c in info.json_columns else v for c, v in row.items()}

    @_voiding
    def insert(self, info: TableInfo, row: Row) -> None:
        self.tx.insert(info, self._own(info, row))

    @_voiding
    def insert_many(
        self, info: TableInfo, rows: Sequence[Row], *, skip_existing: bool = False
    ) -> None:
        for row in rows:
            if skip_existing and self.tx.conflicts(info, row):
                continue
            self.tx.insert(info, self._own(info, row))

    @_voiding
    def update(
        self,
        info: TableInfo,
        pk: Mapping[str, Any],
        changes: Mapping[str, Any],
        version: tuple[str, int] | None,
    ) -> int:
        key = tuple(pk[c] for c in info.primary_key)
        self.tx.lock(info.name, key)
        current = self.tx.row(info, key)
        if current is None or not _matches(pk, self.tx)(current):
            return 0
        if version is not None and current[version[0]] != version[1]:
            return 0
        self.tx.update(info, key, {**current, **self._own(info, changes)})
        return 1

    @_voiding
    def delete(self, info: TableInfo, where: Mapping[str, Any]) -> int:
        found = self._lookup(info, where)
        for row in found:
            self.tx.delete(info, info.pk_of(row))
        return len(found)

    def write_where(
        self, info: TableInfo, write: ConditionalWrite, given: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        where, values = write.fill(given)
        changed: list[tuple[Any, ...]] = self.update_where(info, where, values, write.returning)
        return changed

    @_voiding
    def update_where(
        self,
        info: TableInfo,
        where: Mapping[str, Any],
        values: Mapping[str, Any],
        returning: tuple[str, ...] = (),
    ) -> list[tuple[Any, ...]]:
        matches = _matches(where, self.tx)
        out: list[tuple[Any, ...]] = []
        for candidate in self._lookup(info, where):
            key = info.pk_of(candidate)
            self.tx.lock(info.name, key)
            # As PostgreSQL does after waiting for a row lock: judge the latest committed row.
            current = self.tx.row(info, key)
            if current is None or not matches(current):
                continue
            new = dict(current)
            for column, value in self._own(info, values).items():
                new[column] = current[column] + value.amount if isinstance(value, Add) else value
            self.tx.update(info, key, new)
            out.append(tuple(new[c] for c in returning))
        return out

    @_checked
    def commit(self) -> None:
        self.tx.commit()

    def close(self) -> None:
        self._failed = False
        self.tx.release()
