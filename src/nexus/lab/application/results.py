"""Result objects returned to callers: plain frozen values, never ORM records."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from enum import Enum
from typing import Any

import attrs

from nexus.lab.domain.external_ids import ExternalUserIdentifier
from nexus.lab.domain.instruments import Instrument
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.lab.domain.sessions import LogOutcome
from nexus.lab.domain.uploads import UploadLogEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _to_json(result: Any) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in attrs.asdict(result, recurse=False).items()}


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


@attrs.frozen(kw_only=True)
class SessionLogResult:
    id_session_log: uuid.UUID
    session_identifier: str
    instrument: str
    timestamp: datetime
    event_type: str
    record_status: str
    user: str | None

    @classmethod
    def from_entry(cls, entry: SessionLogEntry) -> SessionLogResult:
        return cls(
            id_session_log=entry.id_session_log,
            session_identifier=entry.session_identifier,
            instrument=entry.instrument,
            timestamp=entry.timestamp,
            event_type=str(entry.event_type),
            record_status=str(entry.record_status),
            user=entry.user,
        )

    def to_json(self) -> dict[str, Any]:
        return _to_json(self)


@attrs.frozen(kw_only=True)
class InsertLogResult:
    """What insert_log did: inserted the row, found it already there, or replaced the END."""

    outcome: LogOutcome
    entry: SessionLogResult

    @property
    def inserted(self) -> bool:
        return self.outcome is not LogOutcome.DUPLICATE

    @property
    def duplicate(self) -> bool:
        return self.outcome is LogOutcome.DUPLICATE

    def to_json(self) -> dict[str, Any]:
        return {"outcome": self.outcome.value, "entry": self.entry.to_json()}


@attrs.frozen(kw_only=True)
class SessionResult:
    """One session: its START and (when it has one) END, in the offsets they were logged in."""

    session_identifier: str
    instrument: str
    start: datetime
    end: datetime | None
    user: str | None
    record_status: str

    def to_json(self) -> dict[str, Any]:
        return _to_json(self)


@attrs.frozen(kw_only=True)
class UploadResult:
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
        return cls(**attrs.asdict(entry, recurse=False))

    def to_json(self) -> dict[str, Any]:
        return _to_json(self)


@attrs.frozen(kw_only=True)
class ExternalIdResult:
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
        values = attrs.asdict(mapping, recurse=False)
        values["external_system"] = str(mapping.external_system)
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        return _to_json(self)

    def __repr__(self) -> str:
        return (
            f"ExternalUserIdentifier(username={self.nexuslims_username}, "
            f"system={self.external_system}, external_id={self.external_id})"
        )


@attrs.frozen(kw_only=True)
class ImportResult:
    """What one import of a usage-event file did, event by event."""

    events: int
    added: int
    revised: int
    unchanged: int
    not_ended: int
    unknown_tool: int

    def to_json(self) -> dict[str, Any]:
        return _to_json(self)
