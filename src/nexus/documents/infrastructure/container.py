"""The documents container: its unit of work and queries on the tables the root container
picks, and the use cases."""

from __future__ import annotations

from dependency_injector import containers, providers

from nexus.documents.application import load_ports, ports
from nexus.documents.application.facade import DocumentsFacade
from nexus.documents.infrastructure.load_source import read_records
from nexus.documents.infrastructure.loader_sql import LoadingUnitOfWork
from nexus.documents.infrastructure.queries import DocumentsQueries
from nexus.documents.infrastructure.repositories import DocumentsUnitOfWork
from nexus.persistence.uow import TablesFactory
from nexus.shared.clock import Clock


def documents_unit_of_work(tables: TablesFactory) -> ports.DocumentsUnitOfWork:
    """Typed with the port, so mypy checks the adapter against it."""
    return DocumentsUnitOfWork(tables)


def loading_unit_of_work(tables: TablesFactory) -> load_ports.LoadingUnitOfWork:
    return LoadingUnitOfWork(tables)


def record_source() -> load_ports.RecordSource:
    return read_records


def make_documents_queries(tables: TablesFactory) -> ports.DocumentsQueries:
    return DocumentsQueries(tables)


class DocumentsContainer(containers.DeclarativeContainer):
    tables: providers.Dependency[TablesFactory] = providers.Dependency()
    clock: providers.Dependency[Clock] = providers.Dependency()

    unit_of_work = providers.Factory(documents_unit_of_work, tables=tables)
    uow = unit_of_work.provider
    queries = providers.Singleton(make_documents_queries, tables=tables)

    loading_uow = providers.Factory(loading_unit_of_work, tables=tables)
    records = providers.Singleton(record_source)

    facade = providers.Singleton(
        DocumentsFacade,
        uow=uow,
        queries=queries,
        clock=clock,
        load_uow=loading_uow.provider,
        records=records,
    )
