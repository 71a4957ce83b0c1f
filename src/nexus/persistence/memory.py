"""In-memory adapters' base: a versioned store, transactions with the same commit/rollback
semantics as the database, and a generic repository. Shipped, not test-only."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from typing import Any, ClassVar, Generic, TypeVar

from nexus.shared.entity import Entity
from nexus.shared.errors import ConcurrencyError, ConflictError, NotFoundError

E = TypeVar("E", bound=Entity)

_DELETED: Any = object()


class InMemoryStore:
    """Committed state: table name -> key -> (version, entity). One lock guards commits."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[Any, tuple[int, Any]]] = {}
        self.lock = threading.RLock()

    def table(self, name: str) -> dict[Any, tuple[int, Any]]:
        return self.tables.setdefault(name, {})

    def snapshot(self, name: str) -> list[tuple[Any, Any]]:
        """(key, entity) of every committed row, read under the lock (a commit in another
        thread never changes the table under an iteration)."""
        with self.lock:
            return [(key, entity) for key, (_version, entity) in self.table(name).items()]


class InMemoryTransaction:
    """What one unit of work has read and written; applied to the store only at commit.

    Commit is atomic and checks, under the store's lock, that no row this transaction wrote was
    committed by someone else since it was read (ConcurrencyError), and that unique keys still
    hold (ConflictError). So two concurrent redemptions of one token: exactly one commits.
    """

    def __init__(self, store: InMemoryStore) -> None:
        self.store = store
        self.writes: dict[str, dict[Any, Any]] = {}
        self.seen: dict[str, dict[Any, int | None]] = {}
        self.unique_checks: list[Callable[[], None]] = []

    def _note_seen(self, table: str, key: Any) -> None:
        seen = self.seen.setdefault(table, {})
        if key not in seen:
            row = self.store.table(table).get(key)
            seen[key] = None if row is None else row[0]

    def read(self, table: str, key: Any) -> Any | None:
        writes = self.writes.get(table, {})
        if key in writes:
            value = writes[key]
            return None if value is _DELETED else value
        self._note_seen(table, key)
        row = self.store.table(table).get(key)
        return None if row is None else row[1]

    def rows(self, table: str) -> Iterator[Any]:
        writes = self.writes.get(table, {})
        for key, entity in self.store.snapshot(table):
            if key not in writes:
                yield entity
        for value in list(writes.values()):
            if value is not _DELETED:
                yield value

    def write(self, table: str, key: Any, entity: Any) -> None:
        self._note_seen(table, key)
        self.writes.setdefault(table, {})[key] = entity

    def delete(self, table: str, key: Any) -> None:
        self._note_seen(table, key)
        self.writes.setdefault(table, {})[key] = _DELETED

    def commit(self) -> None:
        with self.store.lock:
            for table, writes in self.writes.items():
                committed = self.store.table(table)
                for key in writes:
                    seen = self.seen.get(table, {}).get(key)
                    current = committed.get(key)
                    current_version = None if current is None else current[0]
                    if current_version != seen:
                        if seen is None:
                            raise ConflictError(f"{table}: a row with key {key} already exists")
                        raise ConcurrencyError(f"{table} {key} was changed by someone else")
            for check in self.unique_checks:
                check()
            for table, writes in self.writes.items():
                committed = self.store.table(table)
                for key, value in writes.items():
                    if value is _DELETED:
                        committed.pop(key, None)
                    else:
                        version = committed[key][0] + 1 if key in committed else 1
                        committed[key] = (version, value)
        self.clear()

    def clear(self) -> None:
        self.writes.clear()
        self.seen.clear()
        self.unique_checks.clear()


UniqueKey = tuple[str, Callable[[Any], Hashable | None]]


class InMemoryRepository(Generic[E]):
    """The in-memory twin of SqlAlchemyRepository: same methods, same errors.

    Subclasses set `table`, `kind`, and `unique`: (field label, key function) pairs that play
    the database's unique constraints (a key function returning None means "not constrained").
    """

    table: ClassVar[str]
    kind: ClassVar[str]
    unique: ClassVar[tuple[UniqueKey, ...]] = ()
    version_field: ClassVar[str | None] = None

    def __init__(self, tx: InMemoryTransaction) -> None:
        self.tx = tx

    def _key(self, entity: E) -> Any:
        return entity.id  # type: ignore[attr-defined]

    def _check_unique(self, entity: E) -> None:
        """Compare with the rows this transaction read or wrote only, as the database's index
        would at flush. A row a concurrent writer committed after this one read is left to the
        commit's recheck, which raises the ConflictError there, where the shared retry
        (`nexus.shared.retry.write`) re-runs a use case that lost an insert race."""
        key = self._key(entity)
        known = {*self.tx.seen.get(self.table, {}), *self.tx.writes.get(self.table, {})}
        for label, key_of in self.unique:
            value = key_of(entity)
            if value is None:
                continue
            for other in self.tx.rows(self.table):
                other_key = self._key(other)
                if other_key != key and other_key in known and key_of(other) == value:
                    raise ConflictError(f"{label}: already exists (must be unique)", field=label)

    def _stage(self, entity: E) -> None:
        self._check_unique(entity)
        stored = entity.copy()
        self.tx.write(self.table, self._key(entity), stored)
        if self.unique:
            self.tx.unique_checks.append(lambda: self._recheck(stored))

    def _recheck(self, entity: E) -> None:
        # At commit, against what is committed now (another transaction may have won a race).
        key = self._key(entity)
        for label, key_of in self.unique:
            value = key_of(entity)
            if value is None:
                continue
            for other_key, (_v, other) in self.tx.store.table(self.table).items():
                if other_key != key and key_of(other) == value:
                    still_there = self.tx.writes.get(self.table, {}).get(other_key, other)
                    if still_there is not _DELETED and key_of(still_there) == value:
                        raise ConflictError(
                            f"{label}: already exists (must be unique)", field=label
                        )

    def add(self, entity: E) -> None:
        if self.tx.read(self.table, self._key(entity)) is not None:
            raise ConflictError(f"{self.kind} {self._key(entity)} already exists")
        self._stage(entity)

    def get(self, key: Any) -> E:
        found = self.find(key)
        if found is None:
            raise NotFoundError(self.kind, key)
        return found

    def find(self, key: Any) -> E | None:
        entity = self.tx.read(self.table, key)
        return None if entity is None else entity.copy()

    def update(self, entity: E) -> None:
        key = self._key(entity)
        current = self.tx.read(self.table, key)
        if current is None:
            raise NotFoundError(self.kind, key)
        if self.version_field is not None:
            loaded = getattr(entity, self.version_field)
            if getattr(current, self.version_field) != loaded:
                raise ConcurrencyError(f"{self.kind} {key} was changed by someone else; reload it")
            if entity != current:
                setattr(entity, self.version_field, loaded + 1)
        self._stage(entity)

    def remove(self, key: Any) -> None:
        if self.tx.read(self.table, key) is None:
            raise NotFoundError(self.kind, key)
        self.tx.delete(self.table, key)

    def _one(self, predicate: Callable[[E], bool]) -> E | None:
        for entity in self.tx.rows(self.table):
            if predicate(entity):
                self.tx.read(self.table, self._key(entity))
                return entity.copy()  # type: ignore[no-any-return]
        return None

    def _many(self, predicate: Callable[[E], bool]) -> list[E]:
        found = [e.copy() for e in self.tx.rows(self.table) if predicate(e)]
        for entity in found:
            self.tx.read(self.table, self._key(entity))
        return found
