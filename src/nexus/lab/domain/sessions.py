"""A session: the rows sharing one session_identifier, and the lifecycle rules over them.

START opens a session (WAITING_FOR_END); its END moves every row to TO_BE_BUILT; a second END
replaces the first; a build ends in one outcome. The rows stay separate aggregates: this object
only decides, and the use case writes the rows it reports as added or changed.
"""

from __future__ import annotations

from enum import StrEnum

import attrs

from nexus.lab.domain.enums import EventType, RecordStatus
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.shared.errors import ConflictError, ValidationError


class LogOutcome(StrEnum):
    INSERTED = "inserted"
    DUPLICATE = "duplicate"
    REPLACED = "replaced"


@attrs.define(kw_only=True)
class Session:
    session_identifier: str
    entries: list[SessionLogEntry] = attrs.field(factory=list)
    added: list[SessionLogEntry] = attrs.field(factory=list, init=False)
    changed: list[SessionLogEntry] = attrs.field(factory=list, init=False)

    def _one(self, event_type: EventType) -> SessionLogEntry | None:
        return next((e for e in self.entries if e.event_type is event_type), None)

    @property
    def start(self) -> SessionLogEntry | None:
        return self._one(EventType.START)

    @property
    def end(self) -> SessionLogEntry | None:
        return self._one(EventType.END)

    @property
    def status(self) -> RecordStatus | None:
        start = self.start
        return None if start is None else start.record_status

    @property
    def instrument(self) -> str | None:
        return self.entries[0].instrument if self.entries else None

    def log(self, entry: SessionLogEntry) -> tuple[LogOutcome, SessionLogEntry]:
        """Take one event into the session, or refuse it; a duplicate changes nothing."""
        if entry.session_identifier != self.session_identifier:
            raise ValueError("entry belongs to another session")
        for existing in self.entries:
            if existing.same_event(entry):
                return LogOutcome.DUPLICATE, existing
        if self.instrument is not None and entry.instrument != self.instrument:
            raise ConflictError(
                f"session_log.instrument: session {self.session_identifier} is on instrument "
                f"{self.instrument}, not {entry.instrument}",
                field="session_log.instrument",
            )
        if entry.event_type is EventType.START:
            return self._log_start(entry)
        if entry.event_type is EventType.END:
            return self._log_end(entry)
        return self._log_record_generation(entry)

    def _log_start(self, entry: SessionLogEntry) -> tuple[LogOutcome, SessionLogEntry]:
        if self.start is not None:
            raise ConflictError(
                f"session_log: session {self.session_identifier} already has a START",
                field="session_log.event_type",
            )
        entry.record_status = RecordStatus.WAITING_FOR_END
        self._add(entry)
        return LogOutcome.INSERTED, entry

    def _log_end(self, entry: SessionLogEntry) -> tuple[LogOutcome, SessionLogEntry]:
        start = self.start
        if start is None:
            raise ConflictError(
                f"session_log: session {self.session_identifier} has no START; "
                "an END without a START is refused",
                field="session_log.event_type",
            )
        if entry.timestamp < start.timestamp:
            raise ValidationError("session_log.timestamp", "an END must not be before its START")
        end = self.end
        if end is not None:
            # A revised END replaces the first: two END rows broke NexusLIMS's record building.
            end.timestamp = entry.timestamp
            end.user = entry.user if entry.user is not None else end.user
            self._change(end)
            return LogOutcome.REPLACED, end
        if start.record_status is RecordStatus.WAITING_FOR_END:
            self._set_status(RecordStatus.TO_BE_BUILT)
        entry.record_status = start.record_status
        self._add(entry)
        return LogOutcome.INSERTED, entry

    def _log_record_generation(self, entry: SessionLogEntry) -> tuple[LogOutcome, SessionLogEntry]:
        start = self.start
        if start is None or self.end is None:
            raise ConflictError(
                f"session_log: session {self.session_identifier} has not ended; "
                "a RECORD_GENERATION needs its START and END",
                field="session_log.event_type",
            )
        entry.record_status = start.record_status
        self._add(entry)
        return LogOutcome.INSERTED, entry

    def move_to(self, status: RecordStatus) -> None:
        """Move every row of the session along the lifecycle, or refuse the move."""
        current = self.status
        if current is None:
            raise ConflictError(
                f"session_log: session {self.session_identifier} has no START",
                field="session_log.record_status",
            )
        if not current.can_move_to(status):
            raise ConflictError(
                f"session_log.record_status: session {self.session_identifier} cannot move "
                f"from {current} to {status}",
                field="session_log.record_status",
            )
        if status is RecordStatus.TO_BE_BUILT and self.end is None:
            raise ConflictError(
                f"session_log.record_status: session {self.session_identifier} has no END yet",
                field="session_log.record_status",
            )
        self._set_status(status)

    def fill_in_user(self, user: str) -> bool:
        """The user of rows logged without one (their scheduler user was not known then)."""
        filled = False
        for existing in self.entries:
            if existing.user is None:
                existing.user = user
                self._change(existing)
                filled = True
        return filled

    def reset_for_rebuild(self) -> None:
        """A built record (any outcome of a build) goes back to TO_BE_BUILT to be built again,
        which needs its END; a session still waiting for its END cannot be reset."""
        current = self.status
        if current is None:
            raise ConflictError(
                f"session_log: session {self.session_identifier} has no START",
                field="session_log.record_status",
            )
        if current is RecordStatus.WAITING_FOR_END or self.end is None:
            raise ConflictError(
                f"session_log.record_status: session {self.session_identifier} has not ended; "
                "only a built session can be reset for a rebuild",
                field="session_log.record_status",
            )
        self._set_status(RecordStatus.TO_BE_BUILT)

    def _set_status(self, status: RecordStatus) -> None:
        for existing in self.entries:
            if existing.record_status is not status:
                existing.record_status = status
                self._change(existing)

    def _add(self, entry: SessionLogEntry) -> None:
        self.entries.append(entry)
        self.added.append(entry)

    def _change(self, entry: SessionLogEntry) -> None:
        if not any(entry is e for e in (*self.added, *self.changed)):
            self.changed.append(entry)
