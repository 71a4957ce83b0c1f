"""The in-memory adapter: committed rows per table with their unique indexes, and transactions
that take row locks as PostgreSQL does. Shipped, not test-only.

Rows are plain dicts keyed by column name, the same values the SQL adapter writes, and they are
never changed in place once committed (a write replaces the dict), so a reader needs no copy.
Every rule comes from the table's metadata (`persistence.schema`): primary and unique keys
(partial ones included), foreign keys with their `ondelete`, the version column.

Concurrency follows PostgreSQL at READ COMMITTED: a read sees the latest committed row and never
waits or fails; a write locks its row until commit or rollback, so a second writer waits and then
sees the first one's result (two redemptions of one token: exactly one wins); a wait longer than
`LOCK_TIMEOUT` is a ConcurrencyError, as a deadlock is on the database.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from nexus.persistence.schema import ForeignKey, Row, TableInfo, children_of, info_by_name
from nexus.shared.errors import ConcurrencyError, ConflictError, DomainError

LOCK_TIMEOUT = 10.0
_DELETED: Any = object()
Key = tuple[Any, ...]


class InMemoryStore:
    """Committed state: table -> primary key -> row, and one index per unique rule."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[Key, Row]] = {}
        self.indexes: dict[tuple[str, str], dict[Key, Key]] = {}
        self.lock = threading.RLock()
        self.released = threading.Condition(self.lock)
        self.row_locks: dict[tuple[str, Key], InMemoryTransaction] = {}

    def table(self, name: str) -> dict[Key, Row]:
        found = self.tables.get(name)
        if found is None:
            with self.lock:
                found = self.tables.setdefault(name, {})
        return found

    def index(self, table: str, rule: str) -> dict[Key, Key]:
        found = self.indexes.get((table, rule))
        if found is None:
            with self.lock:
                found = self.indexes.setdefault((table, rule), {})
        return found

    def snapshot(self, name: str) -> list[Row]:
        with self.lock:
            return list(self.table(name).values())

    def count(self, name: str) -> int:
        return len(self.table(name))


class InMemoryTransaction:
    """One unit of work's staged rows and row locks; applied atomically at commit."""

    def __init__(self, store: InMemoryStore) -> None:
        self.store = store
        self.writes: dict[str, dict[Key, Any]] = {}
        self.staged: dict[tuple[str, str], dict[Key, Key]] = {}
        self.locked: set[tuple[str, Key]] = set()

    # -- reading ------------------------------------------------------------------------------

    def row(self, info: TableInfo, pk: Key) -> Row | None:
        written = self.writes.get(info.name)
        if written is not None and pk in written:
            value = written[pk]
            return None if value is _DELETED else value
        return self.store.table(info.name).get(pk)

    def rows(self, info: TableInfo) -> Iterator[Row]:
        written = self.writes.get(info.name, {})
        for row in self.store.snapshot(info.name):
            if info.pk_of(row) not in written:
                yield row
        for value in list(written.values()):
            if value is not _DELETED:
                yield value

    def select(self, info: TableInfo, where: Callable[[Row], bool]) -> list[Row]:
        return [row for row in self.rows(info) if where(row)]

    def by_unique(self, info: TableInfo, rule: str, values: Key) -> Row | None:
        """The row whose unique key `rule` has `values` (an indexed lookup, no scan)."""
        staged = self.staged.get((info.name, rule), {}).get(values)
        for pk in (staged, self.store.index(info.name, rule).get(values)):
            if pk is None:
                continue
            row = self.row(info, pk)
            matching = next(r for r in info.uniques if r.name == rule)
            if row is not None and matching.key_of(row) == values:
                return row
        return None

    # -- writing ------------------------------------------------------------------------------

    def lock(self, table: str, pk: Key) -> None:
        """Take the row lock (as an UPDATE or INSERT does), waiting for its holder to finish."""
        name = (table, pk)
        if name in self.locked:
            return
        deadline = time.monotonic() + LOCK_TIMEOUT
        with self.store.released:
            while (holder := self.store.row_locks.get(name)) is not None and holder is not self:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ConcurrencyError(
                        f"{table}: gave up waiting for another writer's lock on {pk}; try again"
                    )
                self.store.released.wait(remaining)
            self.store.row_locks[name] = self
        self.locked.add(name)

    def insert(self, info: TableInfo, row: Row) -> None:
        pk = info.pk_of(row)
        self.lock(info.name, pk)
        if self.row(info, pk) is not None:
            raise ConflictError(
                f"{info.name}: a row with key {_show(pk)} already exists", by_storage=True
            )
        self._check_parents(info, row, None)
        self._stage(info, pk, row, None)

    def conflicts(self, info: TableInfo, row: Row) -> bool:
        """Whether inserting `row` would collide on its key or a unique key (what
        `INSERT .. ON CONFLICT DO NOTHING` skips)."""
        pk = info.pk_of(row)
        self.lock(info.name, pk)
        if self.row(info, pk) is not None:
            return True
        for rule in info.uniques:
            value = rule.key_of(row)
            if value is not None and self.by_unique(info, rule.name, value) is not None:
                return True
        return False

    def update(self, info: TableInfo, pk: Key, row: Row) -> None:
        """Replace the row at `pk` (locked first by the caller with `lock`)."""
        self.lock(info.name, pk)
        old = self.row(info, pk)
        self._check_parents(info, row, old)
        self._stage(info, pk, row, old)

    def delete(self, info: TableInfo, pk: Key) -> None:
        """Delete a row and play its foreign keys' `ondelete` (CASCADE, SET NULL); a RESTRICT
        or NO ACTION child still there once the whole cascade is done refuses the delete, and
        a refused delete leaves nothing staged (one statement, all or nothing)."""
        writes = {table: dict(rows) for table, rows in self.writes.items()}
        staged = {key: dict(index) for key, index in self.staged.items()}
        restricted: list[tuple[TableInfo, ForeignKey, Key]] = []
        try:
            self._delete(info, pk, restricted)
            for child, fk, values in restricted:
                if fk.ondelete != "NO ACTION" and any(
                    tuple(r[c] for c in fk.columns) == values for r in self.rows(child)
                ):
                    raise _reference_refused(child.name, fk.columns)
        except DomainError:
            self.writes, self.staged = writes, staged
            raise

    def _delete(
        self, info: TableInfo, pk: Key, restricted: list[tuple[TableInfo, ForeignKey, Key]]
    ) -> None:
        self.lock(info.name, pk)
        old = self.row(info, pk)
        if old is None:
            return
        self.writes.setdefault(info.name, {})[pk] = _DELETED
        for child, fk in children_of(info.name):
            values = tuple(old[c] for c in fk.parent_columns)
            if fk.ondelete not in ("CASCADE", "SET NULL"):
                # Judged once the cascade is done: it may still remove the referring rows
                # (NO ACTION is judged again at commit, as SQL does at the end of the statement).
                restricted.append((child, fk, values))
                continue
            for row in [r for r in self.rows(child) if tuple(r[c] for c in fk.columns) == values]:
                child_pk = child.pk_of(row)
                if fk.ondelete == "CASCADE":
                    self._delete(child, child_pk, restricted)
                else:
                    self.update(child, child_pk, {**row, **dict.fromkeys(fk.columns)})

    def _check_parents(self, info: TableInfo, row: Row, old: Row | None) -> None:
        for fk in info.foreign_keys:
            values = tuple(row[c] for c in fk.columns)
            if any(v is None for v in values):
                continue
            if old is not None and tuple(old[c] for c in fk.columns) == values:
                continue
            if not self._parent_exists(fk, values):
                raise _reference_refused(info.name, fk.columns)

    def _parent_exists(self, fk: ForeignKey, values: Key) -> bool:
        parent = info_by_name(fk.parent)
        if fk.parent_columns == parent.primary_key:
            return self.row(parent, values) is not None
        for rule in parent.uniques:
            if rule.columns == fk.parent_columns and rule.applies is None:
                return self.by_unique(parent, rule.name, values) is not None
        return any(tuple(r[c] for c in fk.parent_columns) == values for r in self.rows(parent))

    def _stage(self, info: TableInfo, pk: Key, row: Row, old: Row | None) -> None:
        for rule in info.uniques:
            value = rule.key_of(row)
            if value is None or (old is not None and rule.key_of(old) == value):
                continue
            holder = self.by_unique(info, rule.name, value)
            if holder is not None and info.pk_of(holder) != pk:
                raise _duplicate(info.name, rule.columns)
            self.staged.setdefault((info.name, rule.name), {})[value] = pk
        self.writes.setdefault(info.name, {})[pk] = dict(row)

    # -- ending -------------------------------------------------------------------------------

    def commit(self) -> None:
        if not self.writes:  # a read: nothing to check or apply, no store lock to take
            self.release()
            return
        store = self.store
        try:
            with store.lock:
                self._recheck()
                for table, written in self.writes.items():
                    info = info_by_name(table)
                    committed = store.table(table)
                    for pk, value in written.items():
                        old = committed.get(pk)
                        if old is not None:
                            for rule in info.uniques:
                                key = rule.key_of(old)
                                index = store.index(table, rule.name)
                                if key is not None and index.get(key) == pk:
                                    del index[key]
                        if value is _DELETED:
                            committed.pop(pk, None)
                        else:
                            committed[pk] = value
                    for pk, value in written.items():
                        if value is _DELETED:
                            continue
                        for rule in info.uniques:
                            key = rule.key_of(value)
                            if key is not None:
                                store.index(table, rule.name)[key] = pk
        finally:
            self.release()

    def _recheck(self) -> None:
        """Under the store's lock: rows committed by others since staging (a unique value, a
        deleted parent, a new child of a row deleted here) fail this commit, as a database's
        constraint would."""
        for table, written in self.writes.items():
            info = info_by_name(table)
            for pk, value in written.items():
                if value is _DELETED:
                    self._recheck_children(info, pk)
                    continue
                for rule in info.uniques:
                    key = rule.key_of(value)
                    other = None if key is None else self.store.index(table, rule.name).get(key)
                    if other is not None and other != pk and other not in written:
                        raise _duplicate(table, rule.columns)
                for fk in info.foreign_keys:
                    values = tuple(value[c] for c in fk.columns)
                    if any(v is None for v in values) or self._parent_exists(fk, values):
                        continue
                    raise _reference_refused(table, fk.columns)

    def _recheck_children(self, info: TableInfo, pk: Key) -> None:
        for child, fk in children_of(info.name):
            if fk.parent_columns != info.primary_key:
                continue
            written = self.writes.get(child.name, {})
            for row in self.store.table(child.name).values():
                if tuple(row[c] for c in fk.columns) == pk and child.pk_of(row) not in written:
                    raise _reference_refused(child.name, fk.columns)

    def release(self) -> None:
        """Forget staged writes and let waiting writers in."""
        if self.writes:
            self.writes.clear()
        if self.staged:
            self.staged.clear()
        if self.locked:
            with self.store.released:
                for name in self.locked:
                    if self.store.row_locks.get(name) is self:
                        del self.store.row_locks[name]
                self.locked.clear()
                self.store.released.notify_all()


def _reference_refused(table: str, columns: tuple[str, ...]) -> ConflictError:
    """The error a foreign key gives, worded as the database's is translated."""
    field = f"{table}.{'+'.join(columns)}"
    return ConflictError(
        f"{field}: refers to a row that does not exist, or is still referred to",
        field=field,
        by_storage=True,
    )


def _duplicate(table: str, columns: tuple[str, ...]) -> ConflictError:
    field = f"{table}.{'+'.join(columns)}"
    return ConflictError(f"{field}: already exists (must be unique)", field=field, by_storage=True)


def _show(pk: Key) -> str:
    return str(pk[0]) if len(pk) == 1 else str(pk)


def merged(row: Row, changes: Mapping[str, Any]) -> dict[str, Any]:
    return {**row, **changes}
