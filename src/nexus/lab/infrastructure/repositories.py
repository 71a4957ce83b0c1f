"""Lab's repositories, written once for the SQL and in-memory adapters, and its unit of work."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable

from nexus.lab.domain.enums import ExternalSystem, Harvester
from nexus.lab.domain.external_ids import ExternalUserIdentifier
from nexus.lab.domain.ids import ExternalIdentifierId, SessionLogId, UploadLogId
from nexus.lab.domain.instruments import Instrument
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.lab.domain.sessions import Session
from nexus.lab.domain.uploads import UploadLogEntry
from nexus.lab.infrastructure.records import (
    external_id_mapper,
    instrument_mapper,
    session_log_mapper,
    upload_log_mapper,
)
from nexus.persistence.repository import Repository
from nexus.persistence.tables import Add
from nexus.persistence.uow import UnitOfWork


class InstrumentRepository(Repository[Instrument, str]):
    mapper = instrument_mapper
    kind = "instrument"

    def find_by_api_url(self, api_url: str) -> Instrument | None:
        return self._one(api_url=api_url)

    def with_harvester(self, harvester: Harvester) -> list[Instrument]:
        return self._many(("instrument_pid",), harvester=harvester.value)

    def find_many_by_api_url(self, api_urls: Collection[str]) -> dict[str, Instrument]:
        return {i.api_url: i for i in self._in("api_url", api_urls)}


_BY_INSTANT = ("timestamp", "id_session_log")


def _unique_key(entry: SessionLogEntry) -> tuple[str, str, str, uuid.UUID]:
    """The unique index's key (instrument, session_identifier, event_type), then the id."""
    return (
        entry.instrument,
        entry.session_identifier,
        entry.event_type.value,
        entry.id_session_log,
    )


class SessionLogRepository(Repository[SessionLogEntry, SessionLogId]):
    mapper = session_log_mapper
    kind = "session log entry"

    def for_session(self, session_identifier: str) -> list[SessionLogEntry]:
        return self._many(_BY_INSTANT, session_identifier=session_identifier)

    def for_sessions(
        self, session_identifiers: Collection[str]
    ) -> dict[str, list[SessionLogEntry]]:
        found: dict[str, list[SessionLogEntry]] = defaultdict(list)
        entries = self._in("session_identifier", session_identifiers)
        for entry in sorted(entries, key=lambda e: (e.timestamp, e.id_session_log)):
            found[entry.session_identifier].append(entry)
        return dict(found)

    def load_session(self, session_identifier: str) -> Session:
        return Session(
            session_identifier=session_identifier, entries=self.for_session(session_identifier)
        )

    def load_sessions(self, session_identifiers: Collection[str]) -> dict[str, Session]:
        rows = self.for_sessions(session_identifiers)
        return {
            sid: Session(session_identifier=sid, entries=rows.get(sid, []))
            for sid in session_identifiers
        }

    def fill_in_user(self, nemo_user_id: str, user: str) -> int:
        """The backfill: `user` on the rows of this NEMO user that have none; one UPDATE."""
        changed = self._update_where(
            {"nemo_user_id": nemo_user_id, "user": None},
            {"user": user, "version": Add(1)},
            ("id_session_log",),
        )
        return len(changed)

    def save_sessions(self, sessions: Iterable[Session]) -> None:
        every = list(sessions)
        for entry in sorted((e for s in every for e in s.changed), key=_unique_key):
            self.update(entry)
        self.add_many(sorted((e for s in every for e in s.added), key=_unique_key))


class UploadLogRepository(Repository[UploadLogEntry, UploadLogId]):
    mapper = upload_log_mapper
    kind = "upload log entry"

    def for_sessions(self, session_identifiers: Collection[str]) -> list[UploadLogEntry]:
        return self._in("session_identifier", session_identifiers)


class ExternalIdRepository(Repository[ExternalUserIdentifier, ExternalIdentifierId]):
    mapper = external_id_mapper
    kind = "external user identifier"

    def find_for_user(
        self, nexuslims_username: str, system: ExternalSystem
    ) -> ExternalUserIdentifier | None:
        return self._one(nexuslims_username=nexuslims_username, external_system=system.value)

    def find_by_external_id(
        self, external_id: str, system: ExternalSystem
    ) -> ExternalUserIdentifier | None:
        return self._one(external_system=system.value, external_id=external_id)

    def for_users(self, nexuslims_usernames: Collection[str]) -> list[ExternalUserIdentifier]:
        return self._in("nexuslims_username", nexuslims_usernames)

    def find_many_by_external_id(
        self, external_ids: Collection[str], system: ExternalSystem
    ) -> dict[str, ExternalUserIdentifier]:
        """A batch finder: external id -> mapping, for the ids that have one."""
        found = self._in("external_id", external_ids, external_system=system.value)
        return {m.external_id: m for m in found}


class LabUnitOfWork(UnitOfWork):
    instruments: InstrumentRepository
    session_log: SessionLogRepository
    upload_log: UploadLogRepository
    external_ids: ExternalIdRepository
