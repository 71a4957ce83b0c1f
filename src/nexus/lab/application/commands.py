"""Commands: what a caller asks the lab context to do, as frozen values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from nexus.lab.domain.instruments import DEFAULT_TIMEZONE


@attrs.frozen(kw_only=True)
class RegisterInstrument:
    instrument_pid: str
    api_url: str
    calendar_url: str
    location: str
    display_name: str
    property_tag: str
    filestore_path: str
    harvester: str = "nemo"
    timezone: str = DEFAULT_TIMEZONE


@attrs.frozen(kw_only=True)
class UpdateInstrument:
    """A partial update: a field left as None is not touched."""

    instrument_pid: str
    api_url: str | None = None
    calendar_url: str | None = None
    location: str | None = None
    display_name: str | None = None
    property_tag: str | None = None
    filestore_path: str | None = None
    harvester: str | None = None
    timezone: str | None = None

    def changes(self) -> dict[str, Any]:
        return {
            k: v for k, v in attrs.asdict(self).items() if k != "instrument_pid" and v is not None
        }


@attrs.frozen(kw_only=True)
class InsertLog:
    session_identifier: str
    instrument: str
    timestamp: datetime
    event_type: str
    user: str | None = None


@attrs.frozen(kw_only=True)
class RecordUpload:
    session_identifier: str
    destination_name: str
    success: bool
    record_id: str | None = None
    record_url: str | None = None
    error_message: str | None = None
    metadata: dict[str, Any] | None = None
    timestamp: datetime | None = None


@attrs.frozen(kw_only=True)
class StoreExternalId:
    nexuslims_username: str
    external_system: str
    external_id: str
    email: str | None = None
    notes: str | None = None
