"""Generic repository ports: what `nexus.persistence.repository`'s bases implement, as Protocols
a unit-of-work port names directly, so a plain entity needs no Protocol of its own:
`def widgets(self) -> ScopedRows[Widget, WorkspaceId, WidgetId]`. A repository with finders of
its own gets a Protocol that extends one of these with just those finders. mypy checks every
adapter against them where a unit of work is returned as its port."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

E = TypeVar("E")
E_contra = TypeVar("E_contra", contravariant=True)
K = TypeVar("K")
S_contra = TypeVar("S_contra", contravariant=True)


class Writes(Protocol[E_contra]):
    """Writes every repository has: one row, many rows (one executemany), changed fields."""

    def add(self, entity: E_contra) -> None: ...

    def add_many(self, entities: Iterable[E_contra], *, skip_existing: bool = False) -> None: ...

    def update(self, entity: E_contra) -> None: ...


class Rows(Writes[E], Protocol[E, K]):
    """A table keyed by one value (`Repository[E, K]`)."""

    def get(self, key: K) -> E: ...

    def find(self, key: K) -> E | None: ...

    def remove(self, key: K) -> None: ...

    def get_many(self, keys: Iterable[K]) -> dict[K, E]: ...


class ScopedRows(Writes[E], Protocol[E, S_contra, K]):
    """A table keyed by a scope and an id (`ScopedRepository[E, S, K]`): "not in this scope" is
    NotFoundError too."""

    def get(self, scope: S_contra, key: K) -> E: ...

    def find(self, scope: S_contra, key: K) -> E | None: ...

    def remove(self, scope: S_contra, key: K) -> None: ...

    def get_many(self, scope: S_contra, keys: Iterable[K]) -> dict[K, E]: ...
