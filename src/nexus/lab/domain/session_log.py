"""A session log row (START, END or RECORD_GENERATION): its own aggregate, since a session's
rows grow without bound. One session_identifier ties a session's rows together."""

from __future__ import annotations

from datetime import datetime

import attrs

from nexus.lab.domain.enums import EventType, RecordStatus, to_event_type, to_record_status
from nexus.lab.domain.ids import SessionLogId, new_session_log_id
from nexus.lab.domain.timestamps import fixed_offset
from nexus.shared.entity import Entity, integer, text

# NexusLIMS names a NEMO session by its event URL (`{base}usage_events/?id={id}`); 255 holds it.
SESSION_IDENTIFIER_MAX_LENGTH = 255


def _timestamp(value: object) -> datetime:
    return fixed_offset(value, field="session_log.timestamp")


@attrs.define(kw_only=True)
class SessionLogEntry(Entity):
    __label__ = "session_log"

    id_session_log: SessionLogId = attrs.field(factory=new_session_log_id)
    session_identifier: str = attrs.field(
        validator=text(
            min_length=1,
            max_length=SESSION_IDENTIFIER_MAX_LENGTH,
            pattern=r"\S+",
            rule="must not contain spaces",
        )
    )
    instrument: str = attrs.field(validator=text(min_length=1, max_length=100))
    timestamp: datetime = attrs.field(converter=_timestamp)
    event_type: EventType = attrs.field(converter=to_event_type)
    record_status: RecordStatus = attrs.field(
        default=RecordStatus.WAITING_FOR_END, converter=to_record_status
    )
    user: str | None = attrs.field(default=None, validator=text(max_length=50, optional=True))
    # The scheduler's (NEMO's) user id when the event named no known user: storing the NEMO
    # external id later fills in `user` on these rows (the backfill).
    nemo_user_id: str | None = attrs.field(
        default=None, validator=text(max_length=100, optional=True)
    )
    # Optimistic concurrency: the repositories refuse a stale row (ConcurrencyError), so two
    # concurrent status moves of one session cannot both win and skip the lifecycle.
    version: int = attrs.field(default=1, validator=integer(minimum=1))

    def same_event(self, other: SessionLogEntry) -> bool:
        """NexusLIMS's duplicate test, on the instant: one timestamp in two offsets is one event."""
        return (
            self.session_identifier == other.session_identifier
            and self.instrument == other.instrument
            and self.event_type is other.event_type
            and self.timestamp == other.timestamp
        )
