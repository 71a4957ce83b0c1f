"""Lab's mappers, registered with the generic mapper registry. Enums are stored as their
values; an event timestamp is split into its instant and its UTC offset."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from nexus.lab.domain.enums import EventType, ExternalSystem, Harvester, RecordStatus
from nexus.lab.domain.external_ids import ExternalUserIdentifier
from nexus.lab.domain.instruments import Instrument
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.lab.domain.timestamps import join_instant, split_instant
from nexus.lab.domain.uploads import UploadLogEntry
from nexus.lab.infrastructure.records import (
    ExternalUserIdentifierRecord,
    InstrumentRecord,
    SessionLogRecord,
    UploadLogRecord,
)
from nexus.persistence.mapper import Convert, Split, register


def stored_as_value(enum: type[StrEnum]) -> Convert:
    def to_record(member: Any) -> str:
        return str(member.value)

    return Convert(to_record=to_record, to_entity=enum)


TIMESTAMP = Split(
    columns=("timestamp", "timestamp_utcoffset"), to_record=split_instant, to_entity=join_instant
)

instrument_mapper = register(
    Instrument, InstrumentRecord, converters={"harvester": stored_as_value(Harvester)}
)
session_log_mapper = register(
    SessionLogEntry,
    SessionLogRecord,
    converters={
        "event_type": stored_as_value(EventType),
        "record_status": stored_as_value(RecordStatus),
    },
    splits={"timestamp": TIMESTAMP},
)
upload_log_mapper = register(
    UploadLogEntry,
    UploadLogRecord,
    renames={"metadata": "metadata_"},
    splits={"timestamp": TIMESTAMP},
)
external_id_mapper = register(
    ExternalUserIdentifier,
    ExternalUserIdentifierRecord,
    converters={"external_system": stored_as_value(ExternalSystem)},
)
