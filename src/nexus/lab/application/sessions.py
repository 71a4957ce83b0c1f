"""Use cases on sessions: log an event, list sessions (to build), move a session's status,
record a record generation."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from nexus.lab.application import commands
from nexus.lab.application.ports import LabQueries, LabUnitOfWork, LabUnitOfWorkFactory
from nexus.lab.application.results import InsertLogResult, SessionLogResult, SessionResult
from nexus.lab.domain.enums import EventType, RecordStatus, to_record_status
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.lab.domain.sessions import Session
from nexus.shared.clock import Clock
from nexus.shared.errors import NotFoundError
from nexus.shared.retry import write
from nexus.shared.values import check_page


def load_session(tx: LabUnitOfWork, session_identifier: str) -> Session:
    return Session(
        session_identifier=session_identifier,
        entries=tx.session_log.for_session(session_identifier),
    )


def _unique_key(entry: SessionLogEntry) -> tuple[str, str, str, uuid.UUID]:
    """The unique index's key (instrument, session_identifier, event_type), then the id."""
    return (
        entry.instrument,
        entry.session_identifier,
        entry.event_type.value,
        entry.id_session_log,
    )


def save_sessions(tx: LabUnitOfWork, sessions: Iterable[Session]) -> None:
    """Write the rows the sessions changed, then the rows they added, each in the unique key's
    order: every writer then takes its row and index locks in one order, so two units of work
    writing the same sessions (two imports of one file in different orders) wait for each other
    instead of deadlocking. On SQL an `update` may flush the ones before it (the repository
    reloads the row), so the call order is the lock order; inserts go out in the order added."""
    every = list(sessions)
    for entry in sorted((e for s in every for e in s.changed), key=_unique_key):
        tx.session_log.update(entry)
    for entry in sorted((e for s in every for e in s.added), key=_unique_key):
        tx.session_log.add(entry)


def save_session(tx: LabUnitOfWork, session: Session) -> None:
    save_sessions(tx, [session])


class InsertLog:
    """NexusLIMS's insert_log, with the lifecycle enforced and duplicates found by instant."""

    def __init__(self, uow: LabUnitOfWorkFactory) -> None:
        self._uow = uow

    def __call__(self, command: commands.InsertLog) -> InsertLogResult:
        def work(tx: LabUnitOfWork) -> InsertLogResult:
            entry = SessionLogEntry(
                session_identifier=command.session_identifier,
                instrument=command.instrument,
                timestamp=command.timestamp,
                event_type=command.event_type,
                user=command.user,
            )
            tx.instruments.get(entry.instrument)
            session = load_session(tx, entry.session_identifier)
            outcome, stored = session.log(entry)
            save_session(tx, session)
            return InsertLogResult(outcome=outcome, entry=SessionLogResult.from_entry(stored))

        return write(self._uow, work)


class SetRecordStatus:
    def __init__(self, uow: LabUnitOfWorkFactory) -> None:
        self._uow = uow

    def __call__(self, session_identifier: str, status: str | RecordStatus) -> None:
        target = to_record_status(status)

        def work(tx: LabUnitOfWork) -> None:
            session = load_session(tx, session_identifier)
            if not session.entries:
                raise NotFoundError("session", session_identifier)
            session.move_to(target)
            save_session(tx, session)

        write(self._uow, work)


class RecordGeneration:
    """Log that a record was built for a session (now, in the instrument's zone), and move the
    session to `status` when one is given, in one unit of work."""

    def __init__(self, uow: LabUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(
        self,
        session_identifier: str,
        *,
        status: str | RecordStatus | None = None,
        user: str | None = None,
    ) -> SessionLogResult:
        target = None if status is None else to_record_status(status)

        def work(tx: LabUnitOfWork) -> SessionLogResult:
            session = load_session(tx, session_identifier)
            instrument_pid = session.instrument
            if instrument_pid is None:
                raise NotFoundError("session", session_identifier)
            zone = tx.instruments.get(instrument_pid).zone
            _outcome, entry = session.log(
                SessionLogEntry(
                    session_identifier=session_identifier,
                    instrument=instrument_pid,
                    timestamp=self._clock.now().astimezone(zone),
                    event_type=EventType.RECORD_GENERATION,
                    user=user,
                )
            )
            if target is not None:
                session.move_to(target)
            save_session(tx, session)
            return SessionLogResult.from_entry(entry)

        return write(self._uow, work)


class ListSessions:
    def __init__(self, queries: LabQueries) -> None:
        self._queries = queries

    def __call__(
        self,
        *,
        instrument: str | None = None,
        status: str | RecordStatus | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[SessionResult]:
        limit, offset = check_page(limit, offset)
        wanted = None if status is None else to_record_status(status)
        return self._queries.sessions(
            instrument=instrument, status=wanted, limit=limit, offset=offset
        )

    def to_build(self) -> list[SessionResult]:
        """NexusLIMS's get_sessions_to_build: START and END pairs whose status is TO_BE_BUILT."""
        return self._queries.sessions(status=RecordStatus.TO_BE_BUILT, limit=None)
