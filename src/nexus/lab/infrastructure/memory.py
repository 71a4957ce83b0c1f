"""Lab's in-memory adapters: the same ports, the same errors, no database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from typing import Any

from nexus.lab.application.results import InstrumentResult, SessionResult
from nexus.lab.domain.enums import EventType, ExternalSystem, Harvester, RecordStatus
from nexus.lab.domain.external_ids import ExternalUserIdentifier
from nexus.lab.domain.instruments import Instrument
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.lab.domain.uploads import UploadLogEntry
from nexus.persistence.memory import InMemoryRepository, InMemoryStore, InMemoryTransaction
from nexus.persistence.uow import InMemoryUnitOfWork
from nexus.shared.errors import ConflictError


def _by_instant(entry: SessionLogEntry) -> tuple[Any, ...]:
    return (entry.timestamp, entry.id_session_log)


def _one_start_and_end(entry: SessionLogEntry) -> tuple[str, str, str] | None:
    if entry.event_type is EventType.RECORD_GENERATION:
        return None
    return (entry.instrument, entry.session_identifier, entry.event_type.value)


class InMemoryInstrumentRepository(InMemoryRepository[Instrument]):
    table = "instruments"
    kind = "instrument"
    unique = (("instruments.api_url", lambda i: i.api_url),)

    def _key(self, entity: Instrument) -> str:
        return entity.instrument_pid

    def find_by_api_url(self, api_url: str) -> Instrument | None:
        return self._one(lambda i: i.api_url == api_url)

    def with_harvester(self, harvester: Harvester) -> list[Instrument]:
        found = self._many(lambda i: i.harvester is harvester)
        return sorted(found, key=lambda i: i.instrument_pid)


class InMemorySessionLogRepository(InMemoryRepository[SessionLogEntry]):
    table = "session_log"
    kind = "session log entry"
    version_field = "version"
    unique = (("session_log.instrument+session_identifier+event_type", _one_start_and_end),)

    def _key(self, entity: SessionLogEntry) -> Any:
        return entity.id_session_log

    def _stage(self, entity: SessionLogEntry) -> None:
        if self.tx.read("instruments", entity.instrument) is None:
            # The database's foreign key, played here.
            raise ConflictError(
                "session_log.instrument: refers to a row that does not exist",
                field="session_log.instrument",
            )
        super()._stage(entity)

    def for_session(self, session_identifier: str) -> list[SessionLogEntry]:
        found = self._many(lambda e: e.session_identifier == session_identifier)
        return sorted(found, key=_by_instant)

    def for_sessions(
        self, session_identifiers: Collection[str]
    ) -> dict[str, list[SessionLogEntry]]:
        wanted = set(session_identifiers)
        found: dict[str, list[SessionLogEntry]] = defaultdict(list)
        for entry in sorted(self._many(lambda e: e.session_identifier in wanted), key=_by_instant):
            found[entry.session_identifier].append(entry)
        return dict(found)


class InMemoryUploadLogRepository(InMemoryRepository[UploadLogEntry]):
    table = "upload_log"
    kind = "upload log entry"


class InMemoryExternalIdRepository(InMemoryRepository[ExternalUserIdentifier]):
    table = "external_user_identifiers"
    kind = "external user identifier"
    unique = (
        (
            "external_user_identifiers.nexuslims_username+external_system",
            lambda m: (m.nexuslims_username, m.external_system),
        ),
        (
            "external_user_identifiers.external_system+external_id",
            lambda m: (m.external_system, m.external_id),
        ),
    )

    def find_for_user(
        self, nexuslims_username: str, system: ExternalSystem
    ) -> ExternalUserIdentifier | None:
        return self._one(
            lambda m: m.nexuslims_username == nexuslims_username and m.external_system is system
        )

    def find_by_external_id(
        self, external_id: str, system: ExternalSystem
    ) -> ExternalUserIdentifier | None:
        return self._one(lambda m: m.external_id == external_id and m.external_system is system)


class InMemoryLabUnitOfWork(InMemoryUnitOfWork):
    instruments: InMemoryInstrumentRepository
    session_log: InMemorySessionLogRepository
    upload_log: InMemoryUploadLogRepository
    external_ids: InMemoryExternalIdRepository

    def _open(self, tx: InMemoryTransaction) -> None:
        self.instruments = InMemoryInstrumentRepository(tx)
        self.session_log = InMemorySessionLogRepository(tx)
        self.upload_log = InMemoryUploadLogRepository(tx)
        self.external_ids = InMemoryExternalIdRepository(tx)


class InMemoryLabQueries:
    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def _rows(self, table: str) -> Iterator[Any]:
        return (entity for _key, entity in self._store.snapshot(table))

    def list_instruments(self) -> list[InstrumentResult]:
        instruments = sorted(self._rows("instruments"), key=lambda i: i.instrument_pid)
        return [InstrumentResult.from_instrument(i) for i in instruments]

    def sessions(
        self,
        *,
        instrument: str | None = None,
        status: RecordStatus | None = None,
        limit: int | None = 100,
        offset: int = 0,
    ) -> list[SessionResult]:
        rows: list[SessionLogEntry] = list(self._rows("session_log"))
        ends = {
            (e.instrument, e.session_identifier): e for e in rows if e.event_type is EventType.END
        }
        starts = sorted(
            (
                e
                for e in rows
                if e.event_type is EventType.START
                and (instrument is None or e.instrument == instrument)
                and (status is None or e.record_status is status)
            ),
            key=lambda e: (e.timestamp, e.session_identifier),
        )
        page = starts[offset:] if limit is None else starts[offset : offset + limit]
        results = []
        for start in page:
            end = ends.get((start.instrument, start.session_identifier))
            results.append(
                SessionResult(
                    session_identifier=start.session_identifier,
                    instrument=start.instrument,
                    start=start.timestamp,
                    end=None if end is None else end.timestamp,
                    user=start.user,
                    record_status=start.record_status.value,
                )
            )
        return results

    def successful_destinations(self, session_identifier: str) -> set[str]:
        return {
            u.destination_name
            for u in self._rows("upload_log")
            if u.session_identifier == session_identifier and u.success
        }

    def external_ids_of(self, nexuslims_username: str) -> dict[str, str]:
        mappings = sorted(
            (
                m
                for m in self._rows("external_user_identifiers")
                if m.nexuslims_username == nexuslims_username
            ),
            key=lambda m: m.external_system.value,
        )
        return {m.external_system.value: m.external_id for m in mappings}
