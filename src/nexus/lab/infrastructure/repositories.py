"""Lab's SQLAlchemy repositories and unit of work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from nexus.lab.domain.enums import ExternalSystem, Harvester
from nexus.lab.domain.external_ids import ExternalUserIdentifier
from nexus.lab.domain.instruments import Instrument
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.lab.domain.uploads import UploadLogEntry
from nexus.lab.infrastructure.mappers import (
    external_id_mapper,
    instrument_mapper,
    session_log_mapper,
    upload_log_mapper,
)
from nexus.lab.infrastructure.records import (
    ExternalUserIdentifierRecord,
    InstrumentRecord,
    SessionLogRecord,
    UploadLogRecord,
)
from nexus.persistence.repository import SqlAlchemyRepository
from nexus.persistence.uow import SqlAlchemyUnitOfWork

# Stays under SQLite's bound-parameter limit on old builds (999).
IN_CHUNK = 500


class SqlAlchemyInstrumentRepository(SqlAlchemyRepository[Instrument, InstrumentRecord]):
    mapper = instrument_mapper
    kind = "instrument"

    def _key(self, entity: Instrument) -> str:
        return entity.instrument_pid

    def find_by_api_url(self, api_url: str) -> Instrument | None:
        return self._one(select(InstrumentRecord).where(InstrumentRecord.api_url == api_url))

    def with_harvester(self, harvester: Harvester) -> list[Instrument]:
        return self._many(
            select(InstrumentRecord)
            .where(InstrumentRecord.harvester == harvester.value)
            .order_by(InstrumentRecord.instrument_pid)
        )


class SqlAlchemySessionLogRepository(SqlAlchemyRepository[SessionLogEntry, SessionLogRecord]):
    mapper = session_log_mapper
    kind = "session log entry"
    version_field = "version"

    def _key(self, entity: SessionLogEntry) -> object:
        return entity.id_session_log

    def for_session(self, session_identifier: str) -> list[SessionLogEntry]:
        return self._many(
            select(SessionLogRecord)
            .where(SessionLogRecord.session_identifier == session_identifier)
            .order_by(SessionLogRecord.timestamp, SessionLogRecord.id_session_log)
        )

    def for_sessions(
        self, session_identifiers: Collection[str]
    ) -> dict[str, list[SessionLogEntry]]:
        wanted = sorted(set(session_identifiers))
        found: dict[str, list[SessionLogEntry]] = defaultdict(list)
        for i in range(0, len(wanted), IN_CHUNK):
            statement = (
                select(SessionLogRecord)
                .where(SessionLogRecord.session_identifier.in_(wanted[i : i + IN_CHUNK]))
                .order_by(SessionLogRecord.timestamp, SessionLogRecord.id_session_log)
            )
            for entry in self._many(statement):
                found[entry.session_identifier].append(entry)
        return dict(found)


class SqlAlchemyUploadLogRepository(SqlAlchemyRepository[UploadLogEntry, UploadLogRecord]):
    mapper = upload_log_mapper
    kind = "upload log entry"


class SqlAlchemyExternalIdRepository(
    SqlAlchemyRepository[ExternalUserIdentifier, ExternalUserIdentifierRecord]
):
    mapper = external_id_mapper
    kind = "external user identifier"

    def find_for_user(
        self, nexuslims_username: str, system: ExternalSystem
    ) -> ExternalUserIdentifier | None:
        record = ExternalUserIdentifierRecord
        return self._one(
            select(record).where(
                record.nexuslims_username == nexuslims_username,
                record.external_system == system.value,
            )
        )

    def find_by_external_id(
        self, external_id: str, system: ExternalSystem
    ) -> ExternalUserIdentifier | None:
        record = ExternalUserIdentifierRecord
        return self._one(
            select(record).where(
                record.external_system == system.value, record.external_id == external_id
            )
        )


class SqlAlchemyLabUnitOfWork(SqlAlchemyUnitOfWork):
    instruments: SqlAlchemyInstrumentRepository
    session_log: SqlAlchemySessionLogRepository
    upload_log: SqlAlchemyUploadLogRepository
    external_ids: SqlAlchemyExternalIdRepository

    def _open(self, session: Session) -> None:
        self.instruments = SqlAlchemyInstrumentRepository(session)
        self.session_log = SqlAlchemySessionLogRepository(session)
        self.upload_log = SqlAlchemyUploadLogRepository(session)
        self.external_ids = SqlAlchemyExternalIdRepository(session)
