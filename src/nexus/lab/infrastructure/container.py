"""Lab's containers: two adapter sets with the same provider names, and the use cases."""

from __future__ import annotations

from dependency_injector import containers, providers
from sqlalchemy.orm import Session, sessionmaker

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
from nexus.lab.infrastructure.memory import InMemoryLabQueries, InMemoryLabUnitOfWork
from nexus.lab.infrastructure.queries import SqlAlchemyLabQueries
from nexus.lab.infrastructure.repositories import SqlAlchemyLabUnitOfWork
from nexus.persistence.memory import InMemoryStore
from nexus.shared.clock import Clock


class SqlAlchemyLabAdapters(containers.DeclarativeContainer):
    session_factory: providers.Dependency[sessionmaker[Session]] = providers.Dependency()

    uow = providers.Factory(SqlAlchemyLabUnitOfWork, session_factory=session_factory)
    queries = providers.Singleton(SqlAlchemyLabQueries, session_factory=session_factory)


class InMemoryLabAdapters(containers.DeclarativeContainer):
    store: providers.Dependency[InMemoryStore] = providers.Dependency()

    uow = providers.Factory(InMemoryLabUnitOfWork, store=store)
    queries = providers.Singleton(InMemoryLabQueries, store=store)


class LabContainer(containers.DeclarativeContainer):
    adapters = providers.DependenciesContainer()
    clock: providers.Dependency[Clock] = providers.Dependency()

    uow = adapters.uow.provider

    facade = providers.Singleton(
        LabFacade,
        register_instrument=providers.Factory(RegisterInstrument, uow=uow),
        update_instrument=providers.Factory(UpdateInstrument, uow=uow),
        get_instrument=providers.Factory(GetInstrument, uow=uow),
        list_instruments=providers.Factory(ListInstruments, queries=adapters.queries),
        insert_log=providers.Factory(InsertLog, uow=uow),
        list_sessions=providers.Factory(ListSessions, queries=adapters.queries),
        set_record_status=providers.Factory(SetRecordStatus, uow=uow),
        record_generation=providers.Factory(RecordGeneration, uow=uow, clock=clock),
        record_upload=providers.Factory(RecordUpload, uow=uow, clock=clock),
        is_exported=providers.Factory(IsExported, queries=adapters.queries),
        store_external_id=providers.Factory(StoreExternalId, uow=uow, clock=clock),
        look_up_external_ids=providers.Factory(
            LookUpExternalIds, uow=uow, queries=adapters.queries
        ),
        import_usage_events=providers.Factory(ImportUsageEvents, uow=uow),
    )
