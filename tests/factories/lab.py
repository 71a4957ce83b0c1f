"""Valid lab entities with overridable fields, for tests."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from nexus.lab.domain.enums import EventType, ExternalSystem, Harvester, RecordStatus
from nexus.lab.domain.external_ids import ExternalUserIdentifier
from nexus.lab.domain.instruments import Instrument
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.lab.domain.uploads import UploadLogEntry
from tests.factories.common import NEW_YORK_WINTER, NOW


def make_instrument(**overrides: Any) -> Instrument:
    tool = uuid.uuid4().int % 100_000
    values: dict[str, Any] = {
        "instrument_pid": f"FEI-Titan-TEM-{tool:06d}",
        "api_url": f"https://nemo.example.org/api/tools/?id={tool}",
        "calendar_url": f"https://nemo.example.org/calendar/{tool}",
        "location": "Building 217, Room B113",
        "display_name": "FEI Titan TEM",
        "property_tag": f"{tool:06d}",
        "filestore_path": "Titan/data",
    }
    values.update(overrides)
    return Instrument(**values)


def make_session_entry(**overrides: Any) -> SessionLogEntry:
    values: dict[str, Any] = {
        "session_identifier": str(uuid.uuid4()),
        "instrument": "FEI-Titan-TEM-012345",
        "timestamp": NOW,
        "event_type": EventType.START,
    }
    values.update(overrides)
    return SessionLogEntry(**values)


def make_upload(**overrides: Any) -> UploadLogEntry:
    values: dict[str, Any] = {
        "session_identifier": str(uuid.uuid4()),
        "destination_name": "cdcs",
        "success": True,
        "timestamp": NOW,
    }
    values.update(overrides)
    return UploadLogEntry(**values)


def make_external_id(**overrides: Any) -> ExternalUserIdentifier:
    values: dict[str, Any] = {
        "nexuslims_username": f"user{uuid.uuid4().hex[:8]}",
        "external_system": ExternalSystem.NEMO,
        "external_id": str(uuid.uuid4().int % 1_000_000),
        "created_at": NOW,
    }
    values.update(overrides)
    return ExternalUserIdentifier(**values)


LAB_EXAMPLES: dict[type[Any], Any] = {
    Instrument: lambda: make_instrument(harvester=Harvester.SHAREPOINT, timezone="Europe/Berlin"),
    SessionLogEntry: lambda: make_session_entry(
        timestamp=datetime(2026, 1, 5, 9, 30, 15, 123456, tzinfo=NEW_YORK_WINTER),
        event_type=EventType.END,
        record_status=RecordStatus.TO_BE_BUILT,
        user="jsmith",
    ),
    UploadLogEntry: lambda: make_upload(
        success=False,
        timestamp=datetime(2026, 1, 5, 23, 0, tzinfo=timezone(timedelta(hours=5, minutes=45))),
        record_id="rec-1",
        record_url="https://cdcs.example.org/data?id=rec-1",
        error_message="timeout 🕰",
        metadata={"attempt": 2, "nested": {"ok": [1, 2.5, None, "ü"]}},
    ),
    ExternalUserIdentifier: lambda: make_external_id(
        external_system=ExternalSystem.LABARCHIVES_ELN,
        email="jsmith@example.org",
        last_verified_at=NOW,
        notes="OAuth 🔐",
    ),
}
