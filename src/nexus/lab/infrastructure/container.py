"""Lab's container: its unit of work and queries on the tables the root container picks, and
the use cases."""

from __future__ import annotations

from dependency_injector import containers, providers

from nexus.lab.application import ports
from nexus.lab.application.external_ids import LookUpExternalIds, StoreExternalId
from nexus.lab.application.facade import LabFacade
from nexus.lab.application.instruments import (
    GetInstrument,
    ListInstruments,
    RegisterInstrument,
    UpdateInstrument,
)
from nexus.lab.application.sessions import (
    InsertLog,
    ListSessions,
    RecordGeneration,
    SetRecordStatus,
)
from nexus.lab.application.uploads import IsExported, RecordUpload
from nexus.lab.application.usage_events import ImportUsageEvents
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

    facade = providers.Singleton(
        LabFacade,
        register_instrument=providers.Factory(RegisterInstrument, uow=uow),
        update_instrument=providers.Factory(UpdateInstrument, uow=uow),
        get_instrument=providers.Factory(GetInstrument, uow=uow),
        list_instruments=providers.Factory(ListInstruments, queries=queries),
        insert_log=providers.Factory(InsertLog, uow=uow),
        list_sessions=providers.Factory(ListSessions, queries=queries),
        set_record_status=providers.Factory(SetRecordStatus, uow=uow),
        record_generation=providers.Factory(RecordGeneration, uow=uow, clock=clock),
        record_upload=providers.Factory(RecordUpload, uow=uow, clock=clock),
        is_exported=providers.Factory(IsExported, queries=queries),
        store_external_id=providers.Factory(StoreExternalId, uow=uow, clock=clock),
        look_up_external_ids=providers.Factory(LookUpExternalIds, uow=uow, queries=queries),
        import_usage_events=providers.Factory(ImportUsageEvents, uow=uow),
    )
