"""Lab's container: its unit of work and queries on the tables the root container picks, and
the use cases."""

from __future__ import annotations

from dependency_injector import containers, providers

from nexus.lab.application import ports
from nexus.lab.application.facade import LabFacade
from nexus.lab.infrastructure.nexuslims import read_nexuslims
from nexus.lab.infrastructure.queries import LabQueries
from nexus.lab.infrastructure.repositories import LabUnitOfWork
from nexus.persistence.uow import TablesFactory
from nexus.shared.clock import Clock


def lab_unit_of_work(tables: TablesFactory) -> ports.LabUnitOfWork:
    """Typed with the port, so mypy checks the adapter against it."""
    return LabUnitOfWork(tables)


def make_lab_queries(tables: TablesFactory) -> ports.LabQueries:
    return LabQueries(tables)


class LabContainer(containers.DeclarativeContainer):
    tables: providers.Dependency[TablesFactory] = providers.Dependency()
    clock: providers.Dependency[Clock] = providers.Dependency()

    unit_of_work = providers.Factory(lab_unit_of_work, tables=tables)
    uow = unit_of_work.provider
    queries = providers.Singleton(make_lab_queries, tables=tables)

    nexuslims_reader = providers.Object(read_nexuslims)

    facade = providers.Singleton(
        LabFacade, uow=uow, queries=queries, clock=clock, nexuslims_reader=nexuslims_reader
    )
