"""Taking over a NexusLIMS installation: its instruments, session log, upload log and external
ids carried into nexus, idempotently (a second run adds nothing), session identifiers kept.

Every row is checked before anything is written (a bad row is a ValidationError naming the
table and row, and nothing is written); then each table is written in chunks, one unit of work
and one bulk insert per chunk. Rows nexus cannot hold as NexusLIMS kept them are skipped and
counted by reason (a session row of an unknown instrument, a second END, ...).
"""

from __future__ import annotations

import json
import zoneinfo
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, TypeVar

from nexus.lab.application.ports import LabUnitOfWork, NexusLimsDump
from nexus.lab.application.results import CarriedTable, TakeoverResult
from nexus.lab.application.support import LabUseCases
from nexus.lab.domain.enums import EventType, ExternalSystem
from nexus.lab.domain.external_ids import ExternalUserIdentifier
from nexus.lab.domain.instruments import DEFAULT_TIMEZONE, Instrument
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.lab.domain.uploads import UploadLogEntry
from nexus.shared.errors import ValidationError
from nexus.shared.usecases import transaction

CHUNK = 1000
T = TypeVar("T")
Groups = list[tuple[str, list[SessionLogEntry]]]


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _text(row: dict[str, Any], key: str) -> Any:
    """The value as text, None when absent or empty (the entity's validators judge it)."""
    value = row.get(key)
    return None if value is None or value == "" else str(value)


def _when(value: Any, field: str, zone: tzinfo) -> datetime:
    """NexusLIMS's TZDateTime text (ISO 8601 with its offset), or the pre-Alembic script's
    local time without one, taken as the instrument's wall clock."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(field, "must be an ISO 8601 date-time", value=value) from None
    else:
        raise ValidationError(field, "must be a date-time", value=value)
    return parsed if parsed.utcoffset() is not None else parsed.replace(tzinfo=zone)


def _metadata(value: Any) -> dict[str, Any] | None:
    """metadata_json is an unchecked JSON string in NexusLIMS: an object is kept as is,
    anything else is kept as text under `metadata_json`."""
    if value is None or value == "":
        return None
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError, RecursionError):
        return {"metadata_json": str(value)}
    return parsed if isinstance(parsed, dict) else {"metadata_json": str(value)}


def _named(where: str, error: ValidationError) -> ValidationError:
    return ValidationError(where, str(error), value=error.value)


def _instrument(row: dict[str, Any]) -> Instrument:
    pid = _text(row, "instrument_pid")
    try:
        return Instrument(
            instrument_pid=pid,
            api_url=_text(row, "api_url"),
            calendar_url=_text(row, "calendar_url"),
            location=_text(row, "location"),
            display_name=_text(row, "display_name"),
            property_tag=_text(row, "property_tag"),
            filestore_path=_text(row, "filestore_path"),
            harvester=_text(row, "harvester") or "nemo",
            timezone=_text(row, "timezone") or DEFAULT_TIMEZONE,
        )
    except ValidationError as error:
        raise _named(f"nexuslims.instruments[{pid}]", error) from None


def _session_entries(
    rows: list[dict[str, Any]], zones: dict[str, tzinfo], skipped: Counter[str]
) -> Groups:
    """Rows grouped by session, as nexus holds them: one START (the first) and one END (the
    last written: NexusLIMS's duplicate ENDs broke its own builds), one instrument."""
    groups: dict[str, list[SessionLogEntry]] = {}
    for row in rows:
        where = f"nexuslims.session_log[{row.get('id_session_log')}]"
        pid = _text(row, "instrument")
        if pid is None or pid not in zones:
            skipped["instrument unknown"] += 1
            continue
        try:
            entry = SessionLogEntry(
                session_identifier=_text(row, "session_identifier"),
                instrument=pid,
                timestamp=_when(row.get("timestamp"), "session_log.timestamp", zones[pid]),
                event_type=_text(row, "event_type"),
                record_status=_text(row, "record_status") or "WAITING_FOR_END",
                user=_text(row, "user"),
            )
        except ValidationError as error:
            raise _named(where, error) from None
        entries = groups.setdefault(entry.session_identifier, [])
        if entries and entries[0].instrument != entry.instrument:
            skipped["session on a second instrument"] += 1
        elif any(e.same_event(entry) for e in entries):
            skipped["duplicate row"] += 1
        elif entry.event_type is EventType.START and any(
            e.event_type is entry.event_type for e in entries
        ):
            skipped["second START"] += 1
        elif entry.event_type is EventType.END and any(
            e.event_type is entry.event_type for e in entries
        ):
            skipped["earlier END replaced"] += 1
            entries[:] = [e for e in entries if e.event_type is not EventType.END] + [entry]
        else:
            entries.append(entry)
    return list(groups.items())


def _upload(row: dict[str, Any], zone: tzinfo) -> UploadLogEntry:
    try:
        success = row.get("success")
        return UploadLogEntry(
            session_identifier=_text(row, "session_identifier"),
            destination_name=_text(row, "destination_name"),
            success=bool(int(success)) if isinstance(success, int | str) else _text(row, "success"),
            timestamp=_when(row.get("timestamp"), "upload_log.timestamp", zone),
            record_id=_text(row, "record_id"),
            record_url=_text(row, "record_url"),
            error_message=_text(row, "error_message"),
            metadata=_metadata(row.get("metadata_json")),
        )
    except (ValidationError, ValueError) as error:
        bad = (
            error
            if isinstance(error, ValidationError)
            else ValidationError("upload_log.success", "must be 0 or 1")
        )
        raise _named(f"nexuslims.upload_log[{row.get('id')}]", bad) from None


def _upload_key(entry: UploadLogEntry) -> tuple[Any, ...]:
    return (
        entry.session_identifier,
        entry.destination_name,
        entry.timestamp,
        entry.success,
        entry.record_id,
    )


def _external_id(row: dict[str, Any], now: datetime) -> ExternalUserIdentifier:
    created = row.get("created_at")
    verified = row.get("last_verified_at")
    try:
        return ExternalUserIdentifier(
            nexuslims_username=_text(row, "nexuslims_username"),
            external_system=_text(row, "external_system"),
            external_id=_text(row, "external_id"),
            email=_text(row, "email"),
            notes=_text(row, "notes"),
            created_at=now if created is None else _when(created, "created_at", UTC),
            last_verified_at=None if verified is None else _when(verified, "last_verified_at", UTC),
        )
    except ValidationError as error:
        raise _named(f"nexuslims.external_user_identifiers[{row.get('id')}]", error) from None


class Takeover(LabUseCases):
    def import_nexuslims(self, path: str | Path) -> TakeoverResult:
        """Carry a NexusLIMS SQLite database (any released schema) into nexus; a second run
        changes nothing. Returns the rows read, added, already there and skipped per table."""
        if self.nexuslims_reader is None:
            raise ValidationError("nexuslims", "no NexusLIMS reader is configured")
        if not isinstance(path, str | Path) or str(path).strip() == "":
            raise ValidationError("nexuslims", "must be the path of a NexusLIMS database file")
        dump = self.nexuslims_reader(Path(path))
        tables = [
            self._carry_instruments(dump),
            *self._carry_session_log(dump),
            self._carry_external_ids(dump),
        ]
        return TakeoverResult(source=str(path), revision=dump.revision, tables=tables)

    def _carry_instruments(self, dump: NexusLimsDump) -> CarriedTable:
        planned = [_instrument(row) for row in dump.instruments]
        added = existing = 0
        skipped: Counter[str] = Counter()
        for chunk in _chunks(planned):
            a, e, s = self._add_instruments(chunk)
            added, existing, skipped = added + a, existing + e, skipped + s
        return CarriedTable(
            table="instruments",
            read=len(dump.instruments),
            added=added,
            existing=existing,
            skipped=dict(skipped),
        )

    @transaction
    def _add_instruments(
        self, tx: LabUnitOfWork, planned: Sequence[Instrument]
    ) -> tuple[int, int, Counter[str]]:
        have = tx.instruments.get_many([i.instrument_pid for i in planned])
        urls = tx.instruments.find_many_by_api_url([i.api_url for i in planned])
        skipped: Counter[str] = Counter()
        new = []
        for instrument in planned:
            if instrument.instrument_pid in have:
                continue
            if instrument.api_url in urls:
                skipped["api_url used by another instrument"] += 1
                continue
            new.append(instrument)
        tx.instruments.add_many(new)
        return len(new), len(have), skipped

    def _carry_session_log(self, dump: NexusLimsDump) -> list[CarriedTable]:
        zones: dict[str, tzinfo] = {
            i.instrument_pid: zoneinfo.ZoneInfo(i.timezone) for i in self.queries.list_instruments()
        }
        skipped: Counter[str] = Counter()
        groups = _session_entries(dump.session_log, zones, skipped)
        instrument_of = {sid: entries[0].instrument for sid, entries in groups if entries}
        uploads = [
            _upload(row, zones.get(instrument_of.get(str(row.get("session_identifier")), ""), UTC))
            for row in dump.upload_log
        ]
        added = existing = 0
        for chunk in _chunks(groups):
            a, e, s = self._add_sessions(chunk)
            added, existing, skipped = added + a, existing + e, skipped + s
        sessions = CarriedTable(
            table="session_log",
            read=len(dump.session_log),
            added=added,
            existing=existing,
            skipped=dict(skipped),
        )
        unique: dict[tuple[Any, ...], UploadLogEntry] = {}
        for upload in uploads:
            unique.setdefault(_upload_key(upload), upload)
        added = existing = 0
        for part in _chunks(list(unique.values())):
            a, e = self._add_uploads(part)
            added, existing = added + a, existing + e
        duplicates = len(uploads) - len(unique)
        return [
            sessions,
            CarriedTable(
                table="upload_log",
                read=len(uploads),
                added=added,
                existing=existing,
                skipped={"duplicate row": duplicates} if duplicates else {},
            ),
        ]

    @transaction
    def _add_sessions(
        self, tx: LabUnitOfWork, groups: Sequence[tuple[str, list[SessionLogEntry]]]
    ) -> tuple[int, int, Counter[str]]:
        have = tx.session_log.for_sessions([sid for sid, _entries in groups])
        skipped: Counter[str] = Counter()
        new: list[SessionLogEntry] = []
        existing = 0
        for sid, entries in groups:
            stored = have.get(sid, [])
            for entry in entries:
                if any(s.same_event(entry) for s in stored):
                    existing += 1
                elif stored and stored[0].instrument != entry.instrument:
                    skipped["session on a second instrument"] += 1
                elif entry.event_type is not EventType.RECORD_GENERATION and any(
                    s.event_type is entry.event_type for s in stored
                ):
                    skipped[f"nexus already has another {entry.event_type}"] += 1
                else:
                    new.append(entry)
        new.sort(key=lambda e: (e.instrument, e.session_identifier, e.event_type.value))
        tx.session_log.add_many(new)
        return len(new), existing, skipped

    @transaction
    def _add_uploads(self, tx: LabUnitOfWork, planned: Sequence[UploadLogEntry]) -> tuple[int, int]:
        have = {
            _upload_key(u)
            for u in tx.upload_log.for_sessions({p.session_identifier for p in planned})
        }
        new = [u for u in planned if _upload_key(u) not in have]
        tx.upload_log.add_many(new)
        return len(new), len(planned) - len(new)

    def _carry_external_ids(self, dump: NexusLimsDump) -> CarriedTable:
        skipped: Counter[str] = Counter()
        planned = []
        now = self.clock.now()
        for row in dump.external_ids:
            if _text(row, "nexuslims_username") is None:
                skipped["empty username"] += 1  # NexusLIMS allows ""; nexus maps nothing to it
                continue
            planned.append(_external_id(row, now))
        added = existing = 0
        for chunk in _chunks(planned):
            a, e, s = self._add_external_ids(chunk)
            added, existing, skipped = added + a, existing + e, skipped + s
        return CarriedTable(
            table="external_user_identifiers",
            read=len(dump.external_ids),
            added=added,
            existing=existing,
            skipped=dict(skipped),
        )

    @transaction
    def _add_external_ids(
        self, tx: LabUnitOfWork, planned: Sequence[ExternalUserIdentifier]
    ) -> tuple[int, int, Counter[str]]:
        have = {
            (m.nexuslims_username, m.external_system)
            for m in tx.external_ids.for_users({p.nexuslims_username for p in planned})
        }
        holders: dict[tuple[ExternalSystem, str], str] = {}
        for system in {p.external_system for p in planned}:
            wanted = [p.external_id for p in planned if p.external_system is system]
            for external_id, mapping in tx.external_ids.find_many_by_external_id(
                wanted, system
            ).items():
                holders[(system, external_id)] = mapping.nexuslims_username
        skipped: Counter[str] = Counter()
        new = []
        existing = 0
        for mapping in planned:
            key = (mapping.nexuslims_username, mapping.external_system)
            holder = holders.get((mapping.external_system, mapping.external_id))
            if key in have:
                existing += 1
            elif holder is not None and holder != mapping.nexuslims_username:
                skipped["external id held by another user"] += 1
            else:
                new.append(mapping)
                have.add(key)
                holders[(mapping.external_system, mapping.external_id)] = key[0]
        tx.external_ids.add_many(new)
        for mapping in new:
            if mapping.external_system is ExternalSystem.NEMO:
                tx.session_log.fill_in_user(mapping.external_id, mapping.nexuslims_username)
        return len(new), existing, skipped
