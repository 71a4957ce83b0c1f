"""Use cases on sessions: log an event, list sessions (to build), move a session's status,
record a record generation."""

from __future__ import annotations

from datetime import datetime

from nexus.lab.application.ports import LabUnitOfWork
from nexus.lab.application.results import InsertLogResult, SessionLogResult, SessionResult
from nexus.lab.application.support import LabUseCases
from nexus.lab.domain.enums import EventType, RecordStatus, to_record_status
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.shared.errors import ConflictError, NotFoundError
from nexus.shared.usecases import Page, transaction


class Sessions(LabUseCases):
    @transaction
    def insert_log(
        self,
        tx: LabUnitOfWork,
        *,
        session_identifier: str,
        instrument: str,
        timestamp: datetime,
        event_type: str | EventType,
        user: str | None = None,
    ) -> InsertLogResult:
        """Insert one event, or find it already there (same session, instrument, instant and
        type): `.inserted` / `.duplicate` say which. A second END replaces the first.
        NexusLIMS's insert_log, with the lifecycle enforced."""
        entry = SessionLogEntry(
            session_identifier=session_identifier,
            instrument=instrument,
            timestamp=timestamp,
            event_type=str(event_type),
            user=user,
        )
        tx.instruments.get(entry.instrument)
        session = tx.session_log.load_session(entry.session_identifier)
        outcome, stored = session.log(entry)
        tx.session_log.save_sessions([session])
        return InsertLogResult(outcome=outcome, entry=SessionLogResult.from_entry(stored))

    def list_sessions(
        self,
        *,
        instrument: str | None = None,
        status: str | RecordStatus | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[SessionResult]:
        page = Page.of(limit, offset)
        wanted = None if status is None else to_record_status(status)
        return self.queries.sessions(
            instrument=instrument, status=wanted, limit=page.limit, offset=page.offset
        )

    def count_sessions(
        self, *, instrument: str | None = None, status: str | RecordStatus | None = None
    ) -> int:
        """How many sessions `list_sessions` pages through (with the same filters)."""
        wanted = None if status is None else to_record_status(status)
        return self.queries.count_sessions(instrument=instrument, status=wanted)

    def sessions_to_build(self) -> list[SessionResult]:
        """NexusLIMS's get_sessions_to_build: START and END pairs whose status is TO_BE_BUILT.
        A START without its END in that status (possible in data carried over from NexusLIMS)
        is a ConflictError naming the session, as NexusLIMS raises there."""
        sessions = self.queries.sessions(status=RecordStatus.TO_BE_BUILT, limit=None)
        for session in sessions:
            if session.end is None:
                raise ConflictError(
                    f"session_log: session {session.session_identifier} is TO_BE_BUILT but has "
                    "no END; log its END or set another status",
                    field="session_log.event_type",
                )
        return sessions

    @transaction
    def set_record_status(
        self, tx: LabUnitOfWork, session_identifier: str, status: str | RecordStatus
    ) -> None:
        target = to_record_status(status)
        session = tx.session_log.load_session(session_identifier)
        if not session.entries:
            raise NotFoundError("session", session_identifier)
        session.move_to(target)
        tx.session_log.save_sessions([session])

    @transaction
    def reset_for_rebuild(self, tx: LabUnitOfWork, session_identifier: str) -> None:
        """A built record (COMPLETED or any other outcome) goes back to TO_BE_BUILT, so the
        next build run builds it again; a session without its END is refused."""
        session = tx.session_log.load_session(session_identifier)
        if not session.entries:
            raise NotFoundError("session", session_identifier)
        session.reset_for_rebuild()
        tx.session_log.save_sessions([session])

    @transaction
    def record_generation(
        self,
        tx: LabUnitOfWork,
        session_identifier: str,
        *,
        status: str | RecordStatus | None = None,
        user: str | None = None,
    ) -> SessionLogResult:
        """Log that a record was built for a session (now, in the instrument's zone), and move
        the session to `status` when one is given, in one unit of work."""
        target = None if status is None else to_record_status(status)
        session = tx.session_log.load_session(session_identifier)
        instrument_pid = session.instrument
        if instrument_pid is None:
            raise NotFoundError("session", session_identifier)
        zone = tx.instruments.get(instrument_pid).zone
        _outcome, entry = session.log(
            SessionLogEntry(
                session_identifier=session_identifier,
                instrument=instrument_pid,
                timestamp=self.clock.now().astimezone(zone),
                event_type=EventType.RECORD_GENERATION,
                user=user,
            )
        )
        if target is not None:
            session.move_to(target)
        tx.session_log.save_sessions([session])
        return SessionLogResult.from_entry(entry)
