"""Lab's mappers, registered with the generic mapper registry. Enums are stored as their
values; an event timestamp is split into its instant and its UTC offset."""

from __future__ import annotations

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
from nexus.persistence.mapper import Split, register

TIMESTAMP = Split(
    columns=("timestamp", "timestamp_utcoffset"), to_record=split_instant, to_entity=join_instant
)

instrument_mapper = register(Instrument, InstrumentRecord)
session_log_mapper = register(
    SessionLogEntry,
    SessionLogRecord,
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
)
