"""Knowledge's container: its unit of work and queries on the tables the root container picks,
graph files, and the use cases (`facade`)."""

from __future__ import annotations

from dependency_injector import containers, providers

from nexus.knowledge.application import ports
from nexus.knowledge.application.facade import KnowledgeFacade
from nexus.knowledge.infrastructure.graph_files import GraphFileFormats
from nexus.knowledge.infrastructure.queries import KnowledgeQueries, RolesOnTables
from nexus.knowledge.infrastructure.repositories import KnowledgeUnitOfWork
from nexus.persistence.uow import TablesFactory
from nexus.shared.clock import Clock


def knowledge_unit_of_work(tables: TablesFactory) -> ports.KnowledgeUnitOfWork:
    """Typed with the port, so mypy checks the adapter against it."""
    return KnowledgeUnitOfWork(tables)


def make_knowledge_queries(tables: TablesFactory, roles: RolesOnTables) -> ports.KnowledgeQueries:
    return KnowledgeQueries(tables, roles)


def graph_files() -> ports.GraphFiles:
    return GraphFileFormats()


class KnowledgeContainer(containers.DeclarativeContainer):
    tables: providers.Dependency[TablesFactory] = providers.Dependency()
    clock: providers.Dependency[Clock] = providers.Dependency()
    access: providers.Dependency[ports.WorkspaceAccess] = providers.Dependency()
    roles: providers.Dependency[RolesOnTables] = providers.Dependency()

    unit_of_work = providers.Factory(knowledge_unit_of_work, tables=tables)
    uow = unit_of_work.provider
    queries = providers.Singleton(make_knowledge_queries, tables=tables, roles=roles)
    files = providers.Singleton(graph_files)

    facade = providers.Singleton(
        KnowledgeFacade, uow=uow, queries=queries, clock=clock, access=access, files=files
    )
