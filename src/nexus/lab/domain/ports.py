"""Lab's repository ports, one per aggregate root."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Protocol

from nexus.lab.domain.enums import ExternalSystem, Harvester
from nexus.lab.domain.external_ids import ExternalUserIdentifier
from nexus.lab.domain.ids import ExternalIdentifierId
from nexus.lab.domain.instruments import Instrument
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.lab.domain.sessions import Session
from nexus.lab.domain.uploads import UploadLogEntry


class InstrumentRepository(Protocol):
    def add(self, instrument: Instrument) -> None: ...

    def get(self, instrument_pid: str) -> Instrument:
        """The instrument, or NotFoundError."""
        ...

    def find(self, instrument_pid: str) -> Instrument | None: ...

    def find_by_api_url(self, api_url: str) -> Instrument | None: ...

    def with_harvester(self, harvester: Harvester) -> list[Instrument]: ...

    def get_many(self, instrument_pids: Iterable[str]) -> dict[str, Instrument]:
        """A batch get: pid -> instrument for the pids that exist."""
        ...

    def find_many_by_api_url(self, api_urls: Collection[str]) -> dict[str, Instrument]: ...

    def add_many(self, instruments: Iterable[Instrument]) -> None: ...

    def update(self, instrument: Instrument) -> None: ...


class SessionLogRepository(Protocol):
    def add(self, entry: SessionLogEntry) -> None: ...

    def update(self, entry: SessionLogEntry) -> None: ...

    def for_session(self, session_identifier: str) -> list[SessionLogEntry]:
        """Every row of one session, oldest instant first (empty when there is none)."""
        ...

    def for_sessions(
        self, session_identifiers: Collection[str]
    ) -> dict[str, list[SessionLogEntry]]:
        """The rows of several sessions in one go, by session; unknown ones are left out."""
        ...

    def load_session(self, session_identifier: str) -> Session:
        """The session aggregate (empty when it has no rows yet)."""
        ...

    def load_sessions(self, session_identifiers: Collection[str]) -> dict[str, Session]:
        """A batch `load_session`: every identifier asked for, empty sessions included."""
        ...

    def add_many(self, entries: Iterable[SessionLogEntry]) -> None: ...

    def fill_in_user(self, nemo_user_id: str, user: str) -> int:
        """Set `user` on this NEMO user's rows that have none; how many rows changed."""
        ...

    def save_sessions(self, sessions: Iterable[Session]) -> None:
        """Write the rows the sessions changed, then the rows they added, each in the unique
        key's order, so two writers of the same sessions take their locks in one order."""
        ...


class UploadLogRepository(Protocol):
    def add(self, entry: UploadLogEntry) -> None: ...

    def add_many(self, entries: Iterable[UploadLogEntry]) -> None: ...

    def for_sessions(self, session_identifiers: Collection[str]) -> list[UploadLogEntry]: ...


class ExternalIdRepository(Protocol):
    def add(self, mapping: ExternalUserIdentifier) -> None: ...

    def add_many(self, mappings: Iterable[ExternalUserIdentifier]) -> None: ...

    def for_users(self, nexuslims_usernames: Collection[str]) -> list[ExternalUserIdentifier]: ...

    def update(self, mapping: ExternalUserIdentifier) -> None: ...

    def remove(self, key: ExternalIdentifierId) -> None: ...

    def find_for_user(
        self, nexuslims_username: str, system: ExternalSystem
    ) -> ExternalUserIdentifier | None: ...

    def find_by_external_id(
        self, external_id: str, system: ExternalSystem
    ) -> ExternalUserIdentifier | None: ...

    def find_many_by_external_id(
        self, external_ids: Collection[str], system: ExternalSystem
    ) -> dict[str, ExternalUserIdentifier]:
        """A batch finder: external id -> mapping, for the ids that have one."""
        ...
