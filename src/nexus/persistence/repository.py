"""The generic repository, written once for both adapters: a concrete repository is its mapper
plus its finders, and runs on SQL or in memory depending on the unit of work that opens it.

`Repository[E, K]` is keyed by one value (the primary key, or `key` columns naming a unique
key); `ScopedRepository[E, S, K]` by a scope and an id: a tenant (`workspace_id`, `npcase_id`)
or an owner (`organization_id`, `user_id`), so "not yours" and "does not exist" are one answer.
"""

from __future__ import annotations

import copy
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar, Generic, TypeVar

from nexus.persistence.mapper import Mapper
from nexus.persistence.schema import TableInfo, info_for
from nexus.persistence.tables import ConditionalWrite, Tables
from nexus.shared.errors import ConcurrencyError, NotFoundError

E = TypeVar("E")
K = TypeVar("K")
S = TypeVar("S")


def _key_getter(positions: tuple[int, ...]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A row's primary key as a tuple, by one C call (operator.itemgetter)."""
    if len(positions) == 1:
        (position,) = positions
        return lambda row: (row[position],)
    return operator.itemgetter(*positions)


class BaseRepository(Generic[E]):
    """add / add_many / update and the finder helpers; subclasses set `mapper`, and `kind` (what
    a NotFoundError calls a row) when the entity's name in words is not it: `AppConfig` is
    "app config" unless `kind` says otherwise."""

    mapper: ClassVar[Mapper[Any, Any]]
    kind: ClassVar[str]
    key: ClassVar[tuple[str, ...]] = ()
    info: ClassVar[TableInfo]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "mapper" in cls.__dict__:
            if "kind" not in cls.__dict__:
                cls.kind = _words(cls.mapper.entity.__name__)
            cls.info = info_for(cls.mapper.record)
            if not cls.key:
                cls.key = cls.info.primary_key
            cls._pk_positions = tuple(cls.info.columns.index(c) for c in cls.info.primary_key)
            cls._pk_of_row = staticmethod(_key_getter(cls._pk_positions))
            cls._positions = {c: i for i, c in enumerate(cls.info.columns)}
            version = cls.info.version
            cls._version_field = None if version is None else cls.mapper.field_of_column[version]

    _pk_positions: ClassVar[tuple[int, ...]]
    _pk_of_row: ClassVar[staticmethod[[Sequence[Any]], tuple[Any, ...]]]
    _positions: ClassVar[dict[str, int]]
    _version_field: ClassVar[str | None]

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self._loaded: dict[tuple[Any, ...], Sequence[Any]] = {}

    # -- mapping ------------------------------------------------------------------------------

    def _entity(self, row: Sequence[Any]) -> E:
        self._loaded[self._pk_of_row(row)] = row
        return self.mapper.from_row(row)  # type: ignore[no-any-return]

    # -- writes -------------------------------------------------------------------------------

    def add(self, entity: E) -> None:
        row = self.mapper.row_of(entity)
        self.tables.insert(self.info, row)

    def add_many(self, entities: Iterable[E], *, skip_existing: bool = False) -> None:
        """One executemany of the mapper's row dicts (every row has every column);
        `skip_existing` leaves out, atomically, rows whose key or a unique key is taken."""
        row_of = self.mapper.row_of
        rows = [row_of(e) for e in entities]
        self.tables.insert_many(self.info, rows, skip_existing=skip_existing)

    def update(self, entity: E) -> None:
        """Write what changed since the entity was loaded in this unit of work (everything when
        it was not); a versioned row must still be at the version it was loaded at."""
        row = self.mapper.row_of(entity)
        pk_columns = self.info.primary_key
        pk = {c: row[c] for c in pk_columns}
        old = self._loaded.get(tuple(pk.values()))
        positions = self._positions
        changes = {
            c: v for c, v in row.items() if c not in pk and (old is None or old[positions[c]] != v)
        }
        version_column = self.info.version
        if version_column is not None:
            loaded = row[version_column]
            changes.pop(version_column, None)
            if old is not None and not changes:
                return
            changes[version_column] = loaded + 1
            if self.tables.update(self.info, pk, changes, (version_column, loaded)) == 0:
                if self.tables.fetch_one(self.info, pk) is None:
                    raise NotFoundError(self.kind, _show(pk))
                raise ConcurrencyError(
                    f"{self.kind} {_show(pk)} was changed by someone else; reload it"
                )
            setattr(entity, self._version_field, loaded + 1)  # type: ignore[arg-type]
        else:
            if old is not None and not changes:
                return
            if self.tables.update(self.info, pk, changes, None) == 0:
                raise NotFoundError(self.kind, _show(pk))
        merged = dict(zip(self.info.columns, old, strict=True)) if old is not None else dict(row)
        merged.update(changes)
        for column in self.info.json_columns:
            # What was written, not the entity's own (mutable) value: a later in-place edit of
            # the entity must still differ from it.
            merged[column] = copy.deepcopy(merged[column])
        self._loaded[tuple(pk.values())] = [merged[c] for c in self.info.columns]

    # -- finders ------------------------------------------------------------------------------

    def _find_key(self, key: tuple[Any, ...]) -> E | None:
        key_columns = self.key
        if len(key_columns) == 1 and len(key) == 1:
            where = {key_columns[0]: key[0]}
        else:
            where = dict(zip(key_columns, key, strict=True))
        row = self.tables.fetch_one(self.info, where)
        return None if row is None else self._entity(row)

    def _get_key(self, key: tuple[Any, ...]) -> E:
        found = self._find_key(key)
        if found is None:
            raise NotFoundError(self.kind, key[-1])
        return found

    def _remove_key(self, key: tuple[Any, ...]) -> None:
        if self.tables.delete(self.info, dict(zip(self.key, key, strict=True))) == 0:
            raise NotFoundError(self.kind, key[-1])

    def _one(self, **where: Any) -> E | None:
        """The entity whose columns equal `where` (None values mean IS NULL), or None."""
        row = self.tables.fetch_one(self.info, where)
        return None if row is None else self._entity(row)

    def _many(
        self,
        order_by: tuple[str, ...] = (),
        limit: int | None = None,
        offset: int = 0,
        **where: Any,
    ) -> list[E]:
        """Every entity whose columns equal `where`, in `order_by` order ("-col" descending)."""
        rows = self.tables.fetch_many(self.info, where, order_by, limit, offset)
        return [self._entity(r) for r in rows]

    def _in(self, column: str, values: Iterable[Any], **where: Any) -> list[E]:
        """A batch finder: every entity whose `column` is one of `values`, in one statement
        per 500 values; loops over input records call this, never a finder per record."""
        return [self._entity(r) for r in self.tables.fetch_in(self.info, column, values, where)]

    def _count(self, **where: Any) -> int:
        return self.tables.count(self.info, where)

    def _update_where(
        self, where: Mapping[str, Any], values: Mapping[str, Any], returning: tuple[str, ...] = ()
    ) -> list[tuple[Any, ...]]:
        """One conditional UPDATE, judged by the rows it changed (single-use tokens, counters):
        atomic on the database, and under row locks in memory."""
        return self.tables.update_where(self.info, where, values, returning)

    def _write_where(self, write: ConditionalWrite, **given: Any) -> list[tuple[Any, ...]]:
        """`_update_where` declared once as a module constant (`ConditionalWrite`), for a hot
        path: each call gives only the values its Params stand for."""
        return self.tables.write_where(self.info, write, given)


class Repository(BaseRepository[E], Generic[E, K]):
    """Keyed by one value: the primary key, or the one column `key` names."""

    def get(self, key: K) -> E:
        return self._get_key((key,))

    def find(self, key: K) -> E | None:
        return self._find_key((key,))

    def remove(self, key: K) -> None:
        self._remove_key((key,))

    def get_many(self, keys: Iterable[K]) -> dict[K, E]:
        """A batch `get`: key -> entity for the keys that exist."""
        column = self.key[0]
        position = self._positions[column]
        return {
            row[position]: self._entity(row)
            for row in self.tables.fetch_in(self.info, column, keys, {})
        }


class ScopedRepository(BaseRepository[E], Generic[E, S, K]):
    """Keyed by a scope and an id (`key = (scope column, id column)`; the table's primary key
    when it is `(tenant_key, id)`)."""

    def get(self, scope: S, key: K) -> E:
        return self._get_key((scope, key))

    def find(self, scope: S, key: K) -> E | None:
        return self._find_key((scope, key))

    def remove(self, scope: S, key: K) -> None:
        self._remove_key((scope, key))

    def get_many(self, scope: S, keys: Iterable[K]) -> dict[K, E]:
        scope_column, column = self.key
        position = self._positions[column]
        return {
            row[position]: self._entity(row)
            for row in self.tables.fetch_in(self.info, column, keys, {scope_column: scope})
        }


def _words(name: str) -> str:
    """`AppConfig` -> "app config"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def _show(pk: Mapping[str, Any]) -> Any:
    values = list(pk.values())
    return values[-1]


class Queries:
    """Base of a context's read side, written once for both adapters: each query opens its own
    read (one round trip per statement on PostgreSQL, no transaction) and maps rows to results."""

    def __init__(self, tables: Callable[[], Tables]) -> None:
        self._tables = tables

    @contextmanager
    def _read(self) -> Iterator[Tables]:
        tables = self._tables()
        try:
            yield tables
        finally:
            tables.close()

    def _rows(
        self,
        mapper: Mapper[E, Any],
        where: Mapping[str, Any] | None = None,
        order_by: tuple[str, ...] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[E]:
        info = info_for(mapper.record)
        with self._read() as tables:
            rows = tables.fetch_many(info, where or {}, order_by, limit, offset)
        from_row = mapper.from_row
        return [from_row(r) for r in rows]

    def _rows_in(
        self, mapper: Mapper[E, Any], column: str, values: Iterable[Any], **where: Any
    ) -> list[E]:
        info = info_for(mapper.record)
        with self._read() as tables:
            rows = tables.fetch_in(info, column, values, where)
        return [mapper.from_row(r) for r in rows]

    def _count(self, mapper: Mapper[Any, Any], **where: Any) -> int:
        with self._read() as tables:
            return tables.count(info_for(mapper.record), where)
