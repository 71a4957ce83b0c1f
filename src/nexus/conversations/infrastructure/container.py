"""Conversations' container: its unit of work and queries on the tables the root container
picks, the export reader, and the use cases (`facade`)."""

from __future__ import annotations

from collections.abc import Callable

from dependency_injector import containers, providers

from nexus.conversations.application import ports
from nexus.conversations.application.facade import ConversationsFacade
from nexus.conversations.infrastructure.export_reader import ChatExportFiles
from nexus.conversations.infrastructure.queries import ConversationsQueries
from nexus.conversations.infrastructure.repositories import ConversationsUnitOfWork
from nexus.persistence.uow import SqlTablesFactory, TablesFactory
from nexus.shared.clock import Clock


def conversations_unit_of_work(tables: TablesFactory) -> ports.ConversationsUnitOfWork:
    """Typed with the port, so mypy checks the adapter against it."""
    return ConversationsUnitOfWork(tables)


def make_conversations_queries(tables: TablesFactory) -> ports.ConversationsQueries:
    return ConversationsQueries(tables)


def chat_export_reader() -> ports.ChatExportReader:
    return ChatExportFiles()


def writes_overlap(
    persistence: str, database_url: str, tables: TablesFactory
) -> Callable[[], bool]:
    """Whether an import writes in a thread beside its parsing: on a database server (its time
    overlaps the parsing), not on SQLite nor in memory (one process: measured no faster), and
    not inside an application's transaction (`app.joined`: only the joining thread may use
    its connection)."""
    if persistence == "memory" or database_url.startswith("sqlite"):
        return lambda: False
    if isinstance(tables, SqlTablesFactory):
        joined = tables.joined
        return lambda: joined.get() is None
    return lambda: True


class ConversationsContainer(containers.DeclarativeContainer):
    tables: providers.Dependency[TablesFactory] = providers.Dependency()
    persistence: providers.Dependency[str] = providers.Dependency(default="memory")
    database_url: providers.Dependency[str] = providers.Dependency(default="sqlite://")
    clock: providers.Dependency[Clock] = providers.Dependency()
    access: providers.Dependency[ports.WorkspaceAccess] = providers.Dependency()

    unit_of_work = providers.Factory(conversations_unit_of_work, tables=tables)
    uow = unit_of_work.provider
    queries = providers.Singleton(make_conversations_queries, tables=tables)
    exports = providers.Singleton(chat_export_reader)

    facade = providers.Singleton(
        ConversationsFacade,
        uow=uow,
        queries=queries,
        clock=clock,
        access=access,
        exports=exports,
        overlap_writes=providers.Callable(writes_overlap, persistence, database_url, tables),
    )
