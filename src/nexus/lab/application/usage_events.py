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
from typing import IO, Any
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


@attrs.frozen(kw_only=True)
class UsageEventsDocument:
    """The events of one document, the next page it points to (NEMO's paged API), and the
    NEMO server the page's links name."""

    events: list[UsageEvent]
    next_page: str | None = None
    server: str | None = None


UsageEventSource = str | bytes | Path | list[Any] | dict[str, Any] | IO[bytes] | IO[str]


def _decode(data: bytes | str, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)
    except UnicodeDecodeError:
        raise ValidationError(FIELD, f"{what} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ValidationError(
            FIELD, f"{what} is not valid JSON (line {error.lineno}: {error.msg})"
        ) from None
    except RecursionError:
        # The JSON decoder recurses once per level of nesting; usage events nest three deep.
        raise ValidationError(FIELD, f"{what} is nested too deeply to be usage events") from None


def _read_file(target: Path) -> bytes:
    try:
        if target.stat().st_size > MAX_FILE_BYTES:
            raise ValidationError(FIELD, f"{target} is larger than {MAX_FILE_BYTES} bytes")
        return target.read_bytes()
    except FileNotFoundError:
        raise ValidationError(FIELD, f"cannot read {target}: no such file") from None
    except IsADirectoryError:
        raise ValidationError(FIELD, f"cannot read {target}: it is a directory") from None
    except OSError as error:
        raise ValidationError(FIELD, f"cannot read {target}: {error.strerror}") from None


def read_usage_events(source: UsageEventSource) -> UsageEventsDocument:
    """A path, JSON text (str or bytes; a str whose first non-blank character is `[` or `{`),
    a parsed document (a list or any iterable of events, or a NEMO page dict) or a
    binary/text stream; parsed whole, or a ValidationError naming the source, the event and
    the field."""
    if isinstance(source, tuple):  # a list, as the API's argument check hands it on
        source = list(source)
    if isinstance(source, list | dict):
        return parse_usage_events(source)
    if isinstance(source, bytes | bytearray) or (
        isinstance(source, str) and source.lstrip()[:1] in ("[", "{")
    ):
        if len(source) > MAX_FILE_BYTES:
            raise ValidationError(FIELD, f"the JSON text is larger than {MAX_FILE_BYTES} bytes")
        return parse_usage_events(
            _decode(bytes(source) if isinstance(source, bytearray) else source, "the JSON text")
        )
    if isinstance(source, str | Path):
        target = Path(source)
        return parse_usage_events(_decode(_read_file(target), str(target)))
    read = getattr(source, "read", None)
    if not callable(read):
        raise ValidationError(
            FIELD,
            "must be a path, JSON text, a parsed JSON document (list or dict) or a readable stream",
        )
    try:
        data = read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ValidationError(FIELD, f"cannot read the stream: {error.strerror}") from None
    if not isinstance(data, bytes | str):
        raise ValidationError(FIELD, "the stream must give bytes or text")
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(FIELD, f"the stream is larger than {MAX_FILE_BYTES} bytes")
    return parse_usage_events(_decode(data, "the stream"))


def _server_of(page: dict[str, Any]) -> str | None:
    """The NEMO API base a page's own links name (`.../api/usage_events/?page=2`)."""
    for link in (page.get("next"), page.get("previous")):
        if isinstance(link, str) and "usage_events/" in link:
            return link.split("usage_events/", 1)[0]
    return None


def parse_usage_events(document: Any) -> UsageEventsDocument:
    """A list of events, or the NEMO API's page ({"results": [...], "next": ...})."""
    next_page: str | None = None
    server: str | None = None
    if isinstance(document, dict) and isinstance(document.get("results"), list):
        link = document.get("next")
        if link is not None and not isinstance(link, str):
            raise ValidationError(f"{FIELD}.next", "must be a URL or null")
        next_page, server = link or None, _server_of(document)
        document = document["results"]
    if not isinstance(document, list):
        raise ValidationError(FIELD, "must be a JSON list of usage events")
    events = [_parse_event(item, f"{FIELD}[{i}]") for i, item in enumerate(document)]
    return UsageEventsDocument(events=events, next_page=next_page, server=server)


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


def _same_server(base: str, server: str) -> bool:
    return base.rstrip("/") == server.rstrip("/")


def session_identifier_for(base_url: str, event_id: str) -> str:
    """NexusLIMS's own name for the session of a NEMO usage event: its URL."""
    return f"{base_url}usage_events/?id={event_id}"


def legacy_session_identifier(base_url: str, event_id: str) -> str:
    """What nexus named imported sessions before identifiers held URLs (UUIDv5 of the URL):
    a re-import finds those sessions under this name and keeps it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, session_identifier_for(base_url, event_id)))


class UsageEvents(LabUseCases):
    def import_usage_events(
        self, path: UsageEventSource, *, server: str | None = None
    ) -> ImportResult:
        """Import NEMO usage events (a path, JSON text, events already in memory: a list or
        iterable of dicts or a NEMO page dict, or a stream); idempotent.
        `server` (the NEMO API base, e.g. https://nemo.example.org/api/) picks the instruments
        when two NEMO servers share tool ids; a page's own links name it too. A page whose
        `next` points to more events is imported and reported (`next_page`), not completed."""
        document = read_usage_events(path)
        if server is not None and (not isinstance(server, str) or not server.strip()):
            raise ValidationError("server", "must be a NEMO API base URL")
        return self._import(document.events, server or document.server, document.next_page)

    def _match(
        self, tools: dict[str, list[tuple[str, Instrument]]], i: int, tool: str, server: str | None
    ) -> tuple[str, Instrument] | None:
        matches = tools.get(tool, [])
        if server is not None:
            matches = [m for m in matches if _same_server(m[0], server)]
        if len(matches) > 1:
            servers = ", ".join(sorted({m[0] for m in matches}))
            raise ValidationError(
                f"{FIELD}[{i}].tool",
                f"tool {tool} matches several instruments ({servers}); name the NEMO server "
                "(server= / --server)",
            )
        return matches[0] if matches else None

    @transaction
    def _import(
        self,
        tx: LabUnitOfWork,
        events: Sequence[UsageEvent],
        server: str | None,
        next_page: str | None,
    ) -> ImportResult:
        tools: dict[str, list[tuple[str, Instrument]]] = {}
        for instrument in tx.instruments.with_harvester(Harvester.NEMO):
            found = _tool_id_of(instrument)
            if found is not None:
                tools.setdefault(found[1], []).append((found[0], instrument))
        counts = dict.fromkeys(("added", "revised", "unchanged", "not_ended", "unknown_tool"), 0)
        planned: list[tuple[int, UsageEvent, tuple[str, str], Instrument]] = []
        for i, event in enumerate(events):
            match = self._match(tools, i, event.tool_id, server)
            if match is None:
                counts["unknown_tool"] += 1
            elif event.end is None:
                counts["not_ended"] += 1
            else:
                base, instrument = match
                names = (
                    session_identifier_for(base, event.event_id),
                    legacy_session_identifier(base, event.event_id),
                )
                planned.append((i, event, names, instrument))
        loaded = tx.session_log.load_sessions([n for p in planned for n in p[2]])
        nemo_ids = {e.nemo_user_id for _i, e, _s, _n in planned if e.username is None}
        users = tx.external_ids.find_many_by_external_id(
            [u for u in nemo_ids if u is not None], ExternalSystem.NEMO
        )
        sessions: dict[str, Session] = {}
        for i, event, (name, legacy), instrument in planned:
            sid = legacy if loaded[legacy].entries and not loaded[name].entries else name
            session = sessions.setdefault(sid, loaded[sid])
            user = event.username
            if user is None and event.nemo_user_id is not None:
                mapping = users.get(event.nemo_user_id)
                user = None if mapping is None else mapping.nexuslims_username
            try:
                outcome = _log(session, event, instrument, user)
            except ValidationError as error:
                # Name the event: `usage_events[3]: session_log.user: must be at most ...`.
                raise ValidationError(f"{FIELD}[{i}]", str(error), value=error.value) from None
            except ConflictError as error:
                raise ConflictError(f"{FIELD}[{i}]: {error}", field=error.field) from None
            counts[outcome] += 1
        tx.session_log.save_sessions(sessions.values())
        return ImportResult(events=len(events), next_page=next_page, **counts)


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
            nemo_user_id=event.nemo_user_id if user is None else None,
        )

    assert event.end is not None
    added = session.start is None
    if added:
        session.log(entry(EventType.START, event.start))
    # An existing START is kept as first logged (NexusLIMS does the same).
    outcome, _stored = session.log(entry(EventType.END, event.end))
    if added:
        return "added"
    filled = user is not None and session.fill_in_user(user)
    return "unchanged" if outcome is LogOutcome.DUPLICATE and not filled else "revised"
