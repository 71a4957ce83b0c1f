"""Lab's enumerations (NexusLIMS's values, each stored as a string with a named CHECK) and the
record-status lifecycle."""

from __future__ import annotations

from enum import StrEnum

from nexus.shared.entity import to_enum


class EventType(StrEnum):
    START = "START"
    END = "END"
    RECORD_GENERATION = "RECORD_GENERATION"


class RecordStatus(StrEnum):
    WAITING_FOR_END = "WAITING_FOR_END"
    TO_BE_BUILT = "TO_BE_BUILT"
    COMPLETED = "COMPLETED"
    BUILT_NOT_EXPORTED = "BUILT_NOT_EXPORTED"
    ERROR = "ERROR"
    NO_FILES_FOUND = "NO_FILES_FOUND"
    NO_CONSENT = "NO_CONSENT"
    NO_RESERVATION = "NO_RESERVATION"

    def can_move_to(self, target: RecordStatus) -> bool:
        """Staying put is always allowed (setting a status twice is harmless)."""
        return target is self or target in _NEXT[self]


# WAITING_FOR_END -> TO_BE_BUILT happens when the END arrives; a build ends in one of the
# outcomes. Two moves back into the flow exist in NexusLIMS's practice: a record built but not
# exported is COMPLETED once every destination took it, and an ERROR is retried by building it
# again. Nothing ever goes back to WAITING_FOR_END, and COMPLETED is final.
_NEXT: dict[RecordStatus, frozenset[RecordStatus]] = {
    RecordStatus.WAITING_FOR_END: frozenset({RecordStatus.TO_BE_BUILT}),
    RecordStatus.TO_BE_BUILT: frozenset(
        {
            RecordStatus.COMPLETED,
            RecordStatus.BUILT_NOT_EXPORTED,
            RecordStatus.ERROR,
            RecordStatus.NO_FILES_FOUND,
            RecordStatus.NO_CONSENT,
            RecordStatus.NO_RESERVATION,
        }
    ),
    RecordStatus.BUILT_NOT_EXPORTED: frozenset({RecordStatus.COMPLETED, RecordStatus.ERROR}),
    RecordStatus.ERROR: frozenset({RecordStatus.TO_BE_BUILT}),
    RecordStatus.COMPLETED: frozenset(),
    RecordStatus.NO_FILES_FOUND: frozenset(),
    RecordStatus.NO_CONSENT: frozenset(),
    RecordStatus.NO_RESERVATION: frozenset(),
}


class ExternalSystem(StrEnum):
    NEMO = "nemo"
    LABARCHIVES_ELN = "labarchives_eln"
    LABARCHIVES_SCHEDULER = "labarchives_scheduler"
    CDCS = "cdcs"


class Harvester(StrEnum):
    NEMO = "nemo"
    SHAREPOINT = "sharepoint"


def to_event_type(value: object) -> EventType:
    return to_enum(EventType, "session_log.event_type", value)


def to_record_status(value: object) -> RecordStatus:
    return to_enum(RecordStatus, "session_log.record_status", value)


def to_external_system(value: object) -> ExternalSystem:
    return to_enum(ExternalSystem, "external_user_identifiers.external_system", value)


def to_harvester(value: object) -> Harvester:
    return to_enum(Harvester, "instruments.harvester", value)
