"""Result objects returned to callers: plain frozen values, never ORM records."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import attrs

from nexus.lab.domain.external_ids import ExternalUserIdentifier
from nexus.lab.domain.instruments import Instrument
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.lab.domain.sessions import LogOutcome
from nexus.lab.domain.uploads import UploadLogEntry
from nexus.shared.results import Result


@attrs.frozen(kw_only=True)
class InstrumentResult:
    instrument_pid: str
    api_url: str
    calendar_url: str
    location: str
    display_name: str
    property_tag: str
    filestore_path: str
    harvester: str
    timezone: str

    @classmethod
    def from_instrument(cls, instrument: Instrument) -> InstrumentResult:
        return cls(**instrument.to_dict())

    @property
    def name(self) -> str:
        return self.instrument_pid

    def to_dict(self) -> dict[str, str]:
        """NexusLIMS's `to_dict`: the zone name under the key `timezone`."""
        return attrs.asdict(self)

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    def __str__(self) -> str:
        """NexusLIMS's `str(instrument)`: "PID in LOCATION"."""
        return f"{self.instrument_pid} in {self.location}"


@attrs.frozen(kw_only=True)
class SessionLogResult(Result):
    id_session_log: uuid.UUID
    session_identifier: str
    instrument: str
    timestamp: datetime
    event_type: str
    record_status: str
    user: str | None

    @classmethod
    def from_entry(cls, entry: SessionLogEntry) -> SessionLogResult:
        return cls.from_entity(
            entry, event_type=str(entry.event_type), record_status=str(entry.record_status)
        )


@attrs.frozen(kw_only=True)
class InsertLogResult(Result):
    """What insert_log did: inserted the row, found it already there, or replaced the END."""

    outcome: LogOutcome
    entry: SessionLogResult

    @property
    def inserted(self) -> bool:
        return self.outcome is not LogOutcome.DUPLICATE

    @property
    def duplicate(self) -> bool:
        return self.outcome is LogOutcome.DUPLICATE


@attrs.frozen(kw_only=True)
class SessionResult(Result):
    """One session: its START and (when it has one) END, in the offsets they were logged in."""

    session_identifier: str
    instrument: str
    start: datetime
    end: datetime | None
    user: str | None
    record_status: str


@attrs.frozen(kw_only=True)
class UploadResult(Result):
    id: uuid.UUID
    session_identifier: str
    destination_name: str
    success: bool
    timestamp: datetime
    record_id: str | None
    record_url: str | None
    error_message: str | None
    metadata: dict[str, Any] | None

    @classmethod
    def from_entry(cls, entry: UploadLogEntry) -> UploadResult:
        return cls.from_entity(entry)


@attrs.frozen(kw_only=True)
class ExternalIdResult(Result):
    id: uuid.UUID
    nexuslims_username: str
    external_system: str
    external_id: str
    email: str | None
    created_at: datetime
    last_verified_at: datetime | None
    notes: str | None

    @classmethod
    def from_mapping(cls, mapping: ExternalUserIdentifier) -> ExternalIdResult:
        return cls.from_entity(mapping, external_system=str(mapping.external_system))

    def __repr__(self) -> str:
        return (
            f"ExternalUserIdentifier(username={self.nexuslims_username}, "
            f"system={self.external_system}, external_id={self.external_id})"
        )


@attrs.frozen(kw_only=True)
class ImportResult(Result):
    """What one import of a usage-event file did, event by event."""

    events: int
    added: int
    revised: int
    unchanged: int
    not_ended: int
    unknown_tool: int
    # NEMO's paged API: the page imported points to more events; this import is incomplete.
    next_page: str | None = None

    @property
    def complete(self) -> bool:
        return self.next_page is None


@attrs.frozen(kw_only=True)
class CarriedTable(Result):
    """What a NexusLIMS takeover did to one table: rows read, added, already there, skipped
    (with the reason for each skipped row)."""

    table: str
    read: int
    added: int
    existing: int
    skipped: dict[str, int]


@attrs.frozen(kw_only=True)
class TakeoverResult(Result):
    """A NexusLIMS database carried over: its schema revision and each table's counts."""

    source: str
    revision: str
    tables: list[CarriedTable]

    def table(self, name: str) -> CarriedTable:
        return next(t for t in self.tables if t.table == name)
