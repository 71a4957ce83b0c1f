"""`nexus lab`: instruments, the session log, sessions, usage-event import."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from nexus.cli.common import (
    DatabaseUrl,
    Json,
    console,
    emit,
    emit_json,
    fail,
    list_title,
    lower,
    new_typer,
    open_app,
    show_record,
    show_table,
    upper,
)
from nexus.cli.lab_external_ids import external_ids_app
from nexus.cli.lab_takeover import import_nexuslims
from nexus.lab import SessionResult

lab_app = new_typer("Lab: instruments, session log, upload log, external user ids.")
instruments_app = new_typer("Instruments.")
sessions_app = new_typer("Sessions (a START and its END).")
lab_app.add_typer(instruments_app, name="instruments")
lab_app.add_typer(sessions_app, name="sessions")
lab_app.add_typer(external_ids_app, name="external-ids")
lab_app.command("import-nexuslims")(import_nexuslims)


@instruments_app.command("add")
def instruments_add(
    pid: Annotated[str, typer.Option("--pid", help="Instrument pid, e.g. FEI-Titan-TEM-012345.")],
    api_url: Annotated[str, typer.Option("--api-url", help="The scheduler's API URL.")],
    calendar_url: Annotated[str, typer.Option("--calendar-url")],
    location: Annotated[str, typer.Option("--location")],
    display_name: Annotated[str, typer.Option("--display-name")],
    property_tag: Annotated[str, typer.Option("--property-tag")],
    filestore_path: Annotated[
        str, typer.Option("--filestore-path", help="Relative to the instrument data root.")
    ],
    harvester: Annotated[
        str, typer.Option("--harvester", help="nemo or sharepoint.", callback=lower)
    ] = "nemo",
    timezone: Annotated[
        str, typer.Option("--timezone", help="IANA zone name.")
    ] = "America/New_York",
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Register an instrument."""
    with open_app(database_url) as app:
        instrument = app.lab.register_instrument(
            instrument_pid=pid,
            api_url=api_url,
            calendar_url=calendar_url,
            location=location,
            display_name=display_name,
            property_tag=property_tag,
            filestore_path=filestore_path,
            harvester=harvester,
            timezone=timezone,
        )
    emit(json, instrument.to_dict(), f"registered instrument {instrument.instrument_pid}")


@instruments_app.command("update")
def instruments_update(
    pid: Annotated[str, typer.Argument(help="Instrument pid (never changes).")],
    api_url: Annotated[str | None, typer.Option("--api-url")] = None,
    calendar_url: Annotated[str | None, typer.Option("--calendar-url")] = None,
    location: Annotated[str | None, typer.Option("--location")] = None,
    display_name: Annotated[str | None, typer.Option("--display-name")] = None,
    property_tag: Annotated[str | None, typer.Option("--property-tag")] = None,
    filestore_path: Annotated[str | None, typer.Option("--filestore-path")] = None,
    harvester: Annotated[
        str | None, typer.Option("--harvester", help="nemo or sharepoint.", callback=lower)
    ] = None,
    timezone: Annotated[str | None, typer.Option("--timezone", help="IANA zone name.")] = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Change an instrument: only the options given change."""
    changes = {
        "api_url": api_url,
        "calendar_url": calendar_url,
        "location": location,
        "display_name": display_name,
        "property_tag": property_tag,
        "filestore_path": filestore_path,
        "harvester": harvester,
        "timezone": timezone,
    }
    if all(v is None for v in changes.values()):
        fail("nothing to change: give at least one option (--location, --timezone, ...)", code=2)
    with open_app(database_url) as app:
        instrument = app.lab.update_instrument(pid, **changes)
    emit(json, instrument.to_dict(), f"updated instrument {instrument.instrument_pid}")


@lab_app.command("uploads")
def uploads(
    session: Annotated[str, typer.Argument(help="Session identifier.")],
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """A session's upload log: every export attempt, oldest first."""
    with open_app(database_url) as app:
        found = app.lab.list_uploads(session)
    if json:
        emit_json([u.to_json() for u in found])
        return
    show_table(
        f"uploads of {session} ({len(found)})",
        ["at", "destination", "success", "record", "error", "id"],
        [
            (
                u.timestamp.isoformat(),
                u.destination_name,
                u.success,
                u.record_url or u.record_id or "",
                u.error_message or "",
                u.id,
            )
            for u in found
        ],
    )


@instruments_app.command("list")
def instruments_list(database_url: DatabaseUrl = None, json: Json = False) -> None:
    """List instruments by pid."""
    with open_app(database_url) as app:
        instruments = app.lab.list_instruments()
    if json:
        emit_json([i.to_dict() for i in instruments])
        return
    console.print(f"instruments ({len(instruments)})")
    for i in instruments:
        console.print(
            f"{i.instrument_pid}  {i.display_name} ({i.location})  {i.harvester}  {i.timezone}"
        )


@instruments_app.command("show")
def instruments_show(
    pid: Annotated[str, typer.Argument(help="Instrument pid.")],
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Show one instrument."""
    with open_app(database_url) as app:
        instrument = app.lab.instrument_to_dict(pid)
    if json:
        emit_json(instrument)
    else:
        show_record(instrument)


def parse_time(value: str, option: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option}: must be an ISO 8601 date-time like 2026-03-02T09:00:00-05:00")


@lab_app.command("log")
def log(
    session: Annotated[str, typer.Option("--session", help="Session identifier (max 36).")],
    instrument: Annotated[str, typer.Option("--instrument", help="Instrument pid.")],
    event: Annotated[
        str, typer.Option("--event", help="START, END or RECORD_GENERATION.", callback=upper)
    ],
    timestamp: Annotated[
        str,
        typer.Option(
            "--timestamp", help="ISO 8601; without an offset it is the instrument's wall clock."
        ),
    ],
    user: Annotated[str | None, typer.Option("--user")] = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Log one session event (a duplicate is reported, not inserted; a second END replaces)."""
    at = parse_time(timestamp, "--timestamp")
    with open_app(database_url) as app:
        if at.utcoffset() is None:
            at = app.lab.localize_datetime(instrument, at)
        result = app.lab.insert_log(
            session_identifier=session,
            instrument=instrument,
            timestamp=at,
            event_type=event.upper(),
            user=user,
        )
    if json:
        emit_json(result.to_json())
    else:
        entry = result.entry
        console.print(
            f"{result.outcome.value}: {entry.event_type} of {entry.session_identifier} at "
            f"{entry.timestamp.isoformat()} ({entry.record_status})"
        )


def _show_sessions(
    title: str,
    sessions: list[SessionResult],
    json: bool,
    *,
    total: int | None = None,
    offset: int = 0,
) -> None:
    if json:
        emit_json([s.to_json() for s in sessions])
    else:
        print_sessions(title, sessions, total=total, offset=offset)


def print_sessions(
    title: str, sessions: list[SessionResult], *, total: int | None = None, offset: int = 0
) -> None:
    """One line per session, so nothing is cut at the terminal's width."""
    console.print(list_title(title, len(sessions), total=total, offset=offset))
    for s in sessions:
        end = "…" if s.end is None else s.end.isoformat()
        console.print(
            f"{s.session_identifier}  {s.instrument}  {s.start.isoformat()} -> {end}  "
            f"{s.user or '-'}  {s.record_status}"
        )


@sessions_app.command("list")
def sessions_list(
    instrument: Annotated[str | None, typer.Option("--instrument")] = None,
    status: Annotated[str | None, typer.Option("--status", callback=upper)] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 100,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """List sessions by the instant of their START."""
    with open_app(database_url) as app:
        sessions = app.lab.list_sessions(
            instrument=instrument, status=status, limit=limit, offset=offset
        )
        total = app.lab.count_sessions(instrument=instrument, status=status)
    _show_sessions("sessions", sessions, json, total=total, offset=offset)


@sessions_app.command("to-build")
def sessions_to_build(database_url: DatabaseUrl = None, json: Json = False) -> None:
    """Sessions whose record is to be built (START and END, status TO_BE_BUILT)."""
    with open_app(database_url) as app:
        sessions = app.lab.sessions_to_build()
    _show_sessions("sessions to build", sessions, json)


@sessions_app.command("set-status")
def sessions_set_status(
    session: Annotated[str, typer.Argument(help="Session identifier.")],
    status: Annotated[str, typer.Argument(help="The new record status.")],
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Move a session along its lifecycle (refused when the move is not allowed)."""
    with open_app(database_url) as app:
        app.lab.set_record_status(session, status.upper())
    emit(
        json,
        {"session_identifier": session, "record_status": status.upper()},
        f"session {session} is now {status.upper()}",
    )


@sessions_app.command("rebuild")
def sessions_rebuild(
    session: Annotated[str, typer.Argument(help="Session identifier.")],
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Reset a built record (COMPLETED or another outcome) to TO_BE_BUILT, to build it again."""
    with open_app(database_url) as app:
        app.lab.reset_for_rebuild(session)
    emit(
        json,
        {"session_identifier": session, "record_status": "TO_BE_BUILT"},
        f"session {session} is TO_BE_BUILT again",
    )


@lab_app.command("import-events")
def import_events(
    file: Annotated[Path, typer.Argument(help="NEMO usage-event JSON (a list, or an API page).")],
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            help="The NEMO API base (https://nemo.example.org/api/) when two servers share "
            "tool ids.",
        ),
    ] = None,
    database_url: DatabaseUrl = None,
    json: Json = False,
) -> None:
    """Import the scheduler's usage events as sessions (idempotent)."""
    with open_app(database_url) as app:
        result = app.lab.import_usage_events(file, server=server)
    if json:
        emit_json(result.to_json())
        return
    console.print(
        f"{result.events} events: {result.added} added, {result.revised} revised, "
        f"{result.unchanged} unchanged, {result.not_ended} not ended, "
        f"{result.unknown_tool} for unknown tools"
    )
    if result.next_page is not None:
        typer.echo(
            f"warning: incomplete: the page points to more events at {result.next_page}; "
            "import that page too",
            err=True,
        )
