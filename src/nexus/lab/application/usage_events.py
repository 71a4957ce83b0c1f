"""Import of the scheduler's usage events (NEMO usage-event JSON) into the session log.

Each finished event becomes a START and an END row of one session whose identifier is derived
from the event (so a second import finds the same session): the same file twice changes
nothing, and a revised event replaces its END. Parsing is all done before anything is written,
and the whole file is one unit of work: a bad file writes nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs

from nexus.lab.application.ports import LabUnitOfWork
from nexus.lab.application.results import ImportResult
from nexus.lab.application.support import LabUseCases
from nexus.lab.domain.enums import EventType, ExternalSystem, Harvester
from nexus.lab.domain.instruments import Instrument
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.lab.domain.sessions import LogOutcome, Session
from nexus.shared.errors import ConflictError, ValidationError
from nexus.shared.usecases import transaction

MAX_FILE_BYTES = 64 * 1024 * 1024
FIELD = "usage_events"


@attrs.frozen(kw_only=True)
class UsageEvent:
    """One usage event as the file states it (times still as given)."""

    event_id: str
    start: datetime
    end: datetime | None
    username: str | None
    nemo_user_id: str | None
    tool_id: str


def read_usage_events(path: str | Path) -> list[UsageEvent]:
    """Parse the file, or raise ValidationError naming the file, the event and the field."""
    target = Path(path)
    try:
        if target.stat().st_size > MAX_FILE_BYTES:
            raise ValidationError(FIELD, f"{target} is larger than {MAX_FILE_BYTES} bytes")
        data = target.read_bytes()
    except FileNotFoundError:
        raise ValidationError(FIELD, f"cannot read {target}: no such file") from None
    except IsADirectoryError:
        raise ValidationError(FIELD, f"cannot read {target}: it is a directory") from None
    except OSError as error:
        raise ValidationError(FIELD, f"cannot read {target}: {error.strerror}") from None
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError(FIELD, f"{target} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ValidationError(
            FIELD, f"{target} is not valid JSON (line {error.lineno}: {error.msg})"
        ) from None
    except RecursionError:
        # The JSON decoder recurses once per level of nesting; usage events nest three deep.
        raise ValidationError(FIELD, f"{target} is nested too deeply to be usage events") from None
    return parse_usage_events(document)


def parse_usage_events(document: Any) -> list[UsageEvent]:
    """A list of events, or the NEMO API's page ({"results": [...]})."""
    if isinstance(document, dict) and isinstance(document.get("results"), list):
        document = document["results"]
    if not isinstance(document, list):
        raise ValidationError(FIELD, "must be a JSON list of usage events")
    return [_parse_event(item, f"{FIELD}[{i}]") for i, item in enumerate(document)]


def _parse_event(item: Any, where: str) -> UsageEvent:
    if not isinstance(item, dict):
        raise ValidationError(where, "must be a JSON object")
    end_value = item.get("end")
    username, nemo_user_id = _parse_user(item.get("user"), f"{where}.user")
    return UsageEvent(
        event_id=_parse_key(item.get("id"), f"{where}.id"),
        start=_parse_time(item.get("start"), f"{where}.start"),
        end=None if end_value is None else _parse_time(end_value, f"{where}.end"),
        username=username,
        nemo_user_id=nemo_user_id,
        tool_id=_parse_key(
            item["tool"].get("id") if isinstance(item.get("tool"), dict) else item.get("tool"),
            f"{where}.tool",
        ),
    )


def _parse_key(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str) or str(value).strip() == "":
        raise ValidationError(where, "must be a number or a non-empty text id")
    return str(value).strip()


def _parse_time(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise ValidationError(where, "must be an ISO 8601 date-time")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(where, "must be an ISO 8601 date-time", value=value) from None


def _parse_user(value: Any, where: str) -> tuple[str | None, str | None]:
    """(username, NEMO user id): a username as text, an object with a username, or NEMO's
    numeric id (looked up in the external ids)."""
    if value is None:
        return None, None
    if isinstance(value, dict):
        username = value.get("username")
        if username is not None and not isinstance(username, str):
            raise ValidationError(f"{where}.username", "must be text")
        user_id = value.get("id")
        return username, None if user_id is None else _parse_key(user_id, f"{where}.id")
    if isinstance(value, str):
        return value, None
    return None, _parse_key(value, where)


def _tool_id_of(instrument: Instrument) -> tuple[str, str] | None:
    """(NEMO base URL, tool id) from an api_url like https://nemo.example.org/api/tools/?id=3."""
    parts = urlsplit(instrument.api_url)
    ids = parse_qs(parts.query).get("id")
    if not ids or "tools" not in parts.path:
        return None
    base = instrument.api_url.split("tools/", 1)[0]
    return base, ids[0]


def session_identifier_for(base_url: str, event_id: str) -> str:
    """NexusLIMS names the session `{base}usage_events/?id={id}`; that is longer than the
    36-character column, so the same name becomes a UUIDv5: stable across imports."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url}usage_events/?id={event_id}"))


class UsageEvents(LabUseCases):
    def import_usage_events(self, path: str | Path) -> ImportResult:
        """Import a NEMO usage-event file; idempotent. Parsed whole before anything is written;
        one unit of work; the statements sent do not grow with the number of events."""
        events = read_usage_events(path)
        return self._import(events)

    @transaction
    def _import(self, tx: LabUnitOfWork, events: Sequence[UsageEvent]) -> ImportResult:
        tools: dict[str, list[tuple[str, Instrument]]] = {}
        for instrument in tx.instruments.with_harvester(Harvester.NEMO):
            found = _tool_id_of(instrument)
            if found is not None:
                tools.setdefault(found[1], []).append((found[0], instrument))
        counts = dict.fromkeys(("added", "revised", "unchanged", "not_ended", "unknown_tool"), 0)
        planned: list[tuple[int, UsageEvent, str, Instrument]] = []
        for i, event in enumerate(events):
            matches = tools.get(event.tool_id, [])
            if len(matches) > 1:
                raise ValidationError(
                    f"{FIELD}[{i}].tool",
                    f"tool {event.tool_id} matches several instruments' api_url",
                )
            if not matches:
                counts["unknown_tool"] += 1
            elif event.end is None:
                counts["not_ended"] += 1
            else:
                base, instrument = matches[0]
                sid = session_identifier_for(base, event.event_id)
                planned.append((i, event, sid, instrument))
        sessions = tx.session_log.load_sessions([p[2] for p in planned])
        nemo_ids = {e.nemo_user_id for _i, e, _s, _n in planned if e.username is None}
        users = tx.external_ids.find_many_by_external_id(
            [u for u in nemo_ids if u is not None], ExternalSystem.NEMO
        )
        for i, event, sid, instrument in planned:
            user = event.username
            if user is None and event.nemo_user_id is not None:
                mapping = users.get(event.nemo_user_id)
                user = None if mapping is None else mapping.nexuslims_username
            try:
                outcome = _log(sessions[sid], event, instrument, user)
            except ValidationError as error:
                # Name the event: `usage_events[3]: session_log.user: must be at most ...`.
                raise ValidationError(f"{FIELD}[{i}]", str(error), value=error.value) from None
            except ConflictError as error:
                raise ConflictError(f"{FIELD}[{i}]: {error}", field=error.field) from None
            counts[outcome] += 1
        tx.session_log.save_sessions(sessions.values())
        return ImportResult(events=len(events), **counts)


def _log(session: Session, event: UsageEvent, instrument: Instrument, user: str | None) -> str:
    def entry(event_type: EventType, at: datetime) -> SessionLogEntry:
        return SessionLogEntry(
            session_identifier=session.session_identifier,
            instrument=instrument.instrument_pid,
            # A time without an offset is the instrument's wall clock (NexusLIMS's NEMO
            # connector localizes it the same way); an offset given is kept.
            timestamp=at if at.utcoffset() is not None else instrument.localize_datetime(at),
            event_type=event_type,
            user=user,
        )

    assert event.end is not None
    added = session.start is None
    if added:
        session.log(entry(EventType.START, event.start))
    # An existing START is kept as first logged (NexusLIMS does the same).
    outcome, _stored = session.log(entry(EventType.END, event.end))
    if added:
        return "added"
    return "unchanged" if outcome is LogOutcome.DUPLICATE else "revised"
