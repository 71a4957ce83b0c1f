"""`app.lab`: the context's methods for application services and embedding apps."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from nexus.lab.application import commands
from nexus.lab.application.external_ids import LookUpExternalIds, StoreExternalId
from nexus.lab.application.instruments import (
    GetInstrument,
    ListInstruments,
    RegisterInstrument,
    UpdateInstrument,
)
from nexus.lab.application.results import (
    ExternalIdResult,
    ImportResult,
    InsertLogResult,
    InstrumentResult,
    SessionLogResult,
    SessionResult,
    UploadResult,
)
from nexus.lab.application.sessions import (
    InsertLog,
    ListSessions,
    RecordGeneration,
    SetRecordStatus,
)
from nexus.lab.application.uploads import IsExported, RecordUpload
from nexus.lab.application.usage_events import ImportUsageEvents
from nexus.lab.domain.enums import EventType, ExternalSystem, RecordStatus
from nexus.lab.domain.instruments import DEFAULT_DATETIME_FORMAT, DEFAULT_TIMEZONE
from nexus.shared.arguments import checked_facade
from nexus.shared.errors import ValidationError

MAX_JSON_INDENT = 16
UPDATABLE = frozenset(
    field.name
    for field in attrs.fields(commands.UpdateInstrument)
    if field.name != "instrument_pid"
)


@checked_facade
class LabFacade:
    def __init__(
        self,
        *,
        register_instrument: RegisterInstrument,
        update_instrument: UpdateInstrument,
        get_instrument: GetInstrument,
        list_instruments: ListInstruments,
        insert_log: InsertLog,
        list_sessions: ListSessions,
        set_record_status: SetRecordStatus,
        record_generation: RecordGeneration,
        record_upload: RecordUpload,
        is_exported: IsExported,
        store_external_id: StoreExternalId,
        look_up_external_ids: LookUpExternalIds,
        import_usage_events: ImportUsageEvents,
    ) -> None:
        self._register_instrument = register_instrument
        self._update_instrument = update_instrument
        self._get_instrument = get_instrument
        self._list_instruments = list_instruments
        self._insert_log = insert_log
        self._list_sessions = list_sessions
        self._set_record_status = set_record_status
        self._record_generation = record_generation
        self._record_upload = record_upload
        self._is_exported = is_exported
        self._store_external_id = store_external_id
        self._look_up = look_up_external_ids
        self._import_usage_events = import_usage_events

    # Instruments
    def register_instrument(
        self,
        *,
        instrument_pid: str,
        api_url: str,
        calendar_url: str,
        location: str,
        display_name: str,
        property_tag: str,
        filestore_path: str,
        harvester: str = "nemo",
        timezone: str = DEFAULT_TIMEZONE,
    ) -> InstrumentResult:
        return self._register_instrument(
            commands.RegisterInstrument(
                instrument_pid=instrument_pid,
                api_url=api_url,
                calendar_url=calendar_url,
                location=location,
                display_name=display_name,
                property_tag=property_tag,
                filestore_path=filestore_path,
                harvester=harvester,
                timezone=timezone,
            )
        )

    def update_instrument(self, instrument_pid: str, **changes: Any) -> InstrumentResult:
        """Only the fields given change: api_url, calendar_url, location, display_name,
        property_tag, filestore_path, harvester, timezone."""
        unknown = sorted(set(changes) - UPDATABLE)
        if unknown:
            raise ValidationError(f"instruments.{unknown[0]}", "cannot be updated (unknown field)")
        return self._update_instrument(
            commands.UpdateInstrument(instrument_pid=instrument_pid, **changes)
        )

    def get_instrument(self, instrument_pid: str) -> InstrumentResult:
        return self._get_instrument(instrument_pid)

    def list_instruments(self) -> list[InstrumentResult]:
        return self._list_instruments()

    def localize_datetime(self, instrument_pid: str, dt: datetime) -> datetime:
        """A naive dt is the instrument's wall clock; an aware dt is converted to its zone."""
        return self._get_instrument.localize_datetime(instrument_pid, dt)

    def localize_datetime_str(
        self, instrument_pid: str, dt: datetime, fmt: str = DEFAULT_DATETIME_FORMAT
    ) -> str:
        return self._get_instrument.localize_datetime_str(instrument_pid, dt, fmt)

    def instrument_to_dict(self, instrument_pid: str) -> dict[str, str]:
        return self._get_instrument(instrument_pid).to_dict()

    def instrument_to_json(
        self, instrument_pid: str, *, indent: int | None = None, sort_keys: bool = False
    ) -> str:
        """NexusLIMS's `to_json`; of `json.dumps`'s options, `indent` (0 to 16) and
        `sort_keys`."""
        if indent is not None and not 0 <= indent <= MAX_JSON_INDENT:
            raise ValidationError("indent", f"must be between 0 and {MAX_JSON_INDENT}")
        return self._get_instrument(instrument_pid).to_json(indent=indent, sort_keys=sort_keys)

    # Session log
    def insert_log(
        self,
        *,
        session_identifier: str,
        instrument: str,
        timestamp: datetime,
        event_type: str | EventType,
        user: str | None = None,
    ) -> InsertLogResult:
        """Insert one event, or find it already there (same session, instrument, instant and
        type): `.inserted` / `.duplicate` say which. A second END replaces the first."""
        return self._insert_log(
            commands.InsertLog(
                session_identifier=session_identifier,
                instrument=instrument,
                timestamp=timestamp,
                event_type=str(event_type),
                user=user,
            )
        )

    def list_sessions(
        self,
        *,
        instrument: str | None = None,
        status: str | RecordStatus | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[SessionResult]:
        return self._list_sessions(instrument=instrument, status=status, limit=limit, offset=offset)

    def sessions_to_build(self) -> list[SessionResult]:
        return self._list_sessions.to_build()

    def set_record_status(self, session_identifier: str, status: str | RecordStatus) -> None:
        self._set_record_status(session_identifier, status)

    def record_generation(
        self,
        session_identifier: str,
        *,
        status: str | RecordStatus | None = None,
        user: str | None = None,
    ) -> SessionLogResult:
        return self._record_generation(session_identifier, status=status, user=user)

    # Upload log
    def record_upload(
        self,
        *,
        session_identifier: str,
        destination_name: str,
        success: bool,
        record_id: str | None = None,
        record_url: str | None = None,
        error_message: str | None = None,
        metadata: dict[str, Any] | None = None,
        timestamp: datetime | None = None,
    ) -> UploadResult:
        return self._record_upload(
            commands.RecordUpload(
                session_identifier=session_identifier,
                destination_name=destination_name,
                success=success,
                record_id=record_id,
                record_url=record_url,
                error_message=error_message,
                metadata=metadata,
                timestamp=timestamp,
            )
        )

    def is_exported(self, session_identifier: str, destinations: Iterable[str]) -> bool:
        """True only when every destination given has a successful upload of the session."""
        return self._is_exported(session_identifier, destinations)

    # External user ids
    def get_external_id(self, username: str, system: str | ExternalSystem) -> str | None:
        return self._look_up.external_id(username, system)

    def get_external_mapping(
        self, username: str, system: str | ExternalSystem
    ) -> ExternalIdResult | None:
        return self._look_up.mapping(username, system)

    def get_nexuslims_username(self, external_id: str, system: str | ExternalSystem) -> str | None:
        return self._look_up.nexuslims_username(external_id, system)

    def store_external_id(
        self,
        username: str,
        system: str | ExternalSystem,
        external_id: str,
        email: str | None = None,
        notes: str | None = None,
    ) -> ExternalIdResult:
        return self._store_external_id(
            commands.StoreExternalId(
                nexuslims_username=username,
                external_system=str(system),
                external_id=external_id,
                email=email,
                notes=notes,
            )
        )

    def get_all_external_ids(self, username: str) -> dict[str, str]:
        return self._look_up.all_of(username)

    # Scheduler
    def import_usage_events(self, path: str | Path) -> ImportResult:
        return self._import_usage_events(path)
