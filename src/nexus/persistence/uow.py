"""The unit of work, one class for both adapters: its repositories are declared once, as
annotations, and opened per `with` block on SQL tables or in-memory ones.

    class LabUnitOfWork(UnitOfWork):
        instruments: InstrumentRepository
        session_log: SessionLogRepository

    with uow: ...; uow.commit()       # leaving the block without commit rolls back
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextvars import ContextVar
from types import TracebackType
from typing import Any, ClassVar, Self, get_type_hints

from sqlalchemy import Engine

from nexus.persistence.memory import InMemoryStore
from nexus.persistence.repository import BaseRepository
from nexus.persistence.sql import Joined, JoinedTables, SqlTables, state_of
from nexus.persistence.tables import MemoryTables, Tables
from nexus.shared.errors import ValidationError

TablesFactory = Callable[[], Tables]


class SqlTablesFactory:
    """Opens each unit of work's SQL tables: on a pooled connection of the engine, or, while
    `joined` holds an application's connection (in this thread or task), on that connection
    inside the application's transaction. Another thread that inherited `joined` (asyncio's
    to_thread copies context variables) is refused: one connection is one session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.state = state_of(engine)
        self.joined: ContextVar[Joined | None] = ContextVar(
            f"nexus_joined_{id(self)}", default=None
        )

    def __call__(self) -> Tables:
        joined = self.joined.get()
        if joined is None:
            return SqlTables(self.engine, self.state)
        if joined.thread != threading.get_ident():
            raise ValidationError(
                "joined",
                "the application's connection was joined in another thread; a use case runs "
                "on it only in that thread (call it there, or outside app.joined)",
            )
        return JoinedTables(joined)


def sql_tables(engine: Engine) -> TablesFactory:
    return SqlTablesFactory(engine)


def memory_tables(store: InMemoryStore) -> TablesFactory:
    return lambda: MemoryTables(store)


class _OpenRepository:
    """A unit of work's repository, opened on first use in each unit of work: a descriptor on
    the class that stores the opened repository on the instance (which then shadows it)."""

    def __init__(self, name: str, repository: type[BaseRepository[Any]]) -> None:
        self.name = name
        self.repository = repository

    def __get__(self, tx: UnitOfWork | None, owner: type[UnitOfWork]) -> Any:
        if tx is None:
            return self
        found = tx.__dict__
        if "tables" not in found:
            raise AttributeError(f"{self.name}: the unit of work is not open")
        opened = found[self.name] = self.repository(found["tables"])
        tx._opened.append(self.name)
        return opened


class UnitOfWork:
    """Subclasses declare their repositories as class annotations; nothing else."""

    _repositories: ClassVar[tuple[tuple[str, type[BaseRepository[Any]]], ...] | None] = None
    _installed: ClassVar[bool]
    tables: Tables

    def __init__(self, tables: TablesFactory) -> None:
        self._factory = tables

    @classmethod
    def repositories(cls) -> tuple[tuple[str, type[BaseRepository[Any]]], ...]:
        if cls.__dict__.get("_repositories") is None:
            hints = get_type_hints(cls)
            cls._repositories = tuple(
                (name, hint)
                for name, hint in hints.items()
                if isinstance(hint, type) and issubclass(hint, BaseRepository)
            )
        return cls._repositories  # type: ignore[return-value]

    def __enter__(self) -> Self:
        # Repositories are opened on first use (a read touches one of them, not all).
        if "_installed" not in type(self).__dict__:
            type(self)._install()
        opened = self.__dict__.get("_opened")
        if opened:
            for name in opened:
                del self.__dict__[name]
        self._opened: list[str] = []
        self.tables = self._factory()
        return self

    @classmethod
    def _install(cls) -> None:
        """An `_OpenRepository` on this class for each repository it declares (its own, so a
        subclass that declares a name again with another repository opens that one)."""
        for name, repository in cls.repositories():
            for klass in cls.__mro__:
                found = klass.__dict__.get(name)
                if found is not None and not isinstance(found, _OpenRepository):
                    raise TypeError(
                        f"{cls.__name__}.{name}: a repository is named like an attribute of "
                        f"{klass.__name__}"
                    )
            setattr(cls, name, _OpenRepository(name, repository))
        cls._installed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing ends the transaction: anything not committed is rolled back with it.
        self.tables.close()

    def flush(self) -> None:
        """Statements run as they are issued; kept for callers that ask for it."""

    def commit(self) -> None:
        self.tables.commit()

    def rollback(self) -> None:
        self.tables.close()
        self.__enter__()
