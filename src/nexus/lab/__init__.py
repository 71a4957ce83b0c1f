"""Lab: instruments, their session log and upload log, and external user ids (after NexusLIMS).

The public API of the context: its facade (`app.lab`), enums and results.
"""

from nexus.lab.application.facade import LabFacade
from nexus.lab.application.results import (
    CarriedTable,
    ExternalIdResult,
    ImportResult,
    InsertLogResult,
    InstrumentResult,
    SessionLogResult,
    SessionResult,
    TakeoverResult,
    UploadResult,
)
from nexus.lab.domain.enums import EventType, ExternalSystem, Harvester, RecordStatus
from nexus.lab.domain.sessions import LogOutcome

__all__ = [
    "CarriedTable",
    "EventType",
    "ExternalIdResult",
    "ExternalSystem",
    "Harvester",
    "ImportResult",
    "InsertLogResult",
    "InstrumentResult",
    "LabFacade",
    "LogOutcome",
    "RecordStatus",
    "SessionLogResult",
    "SessionResult",
    "TakeoverResult",
    "UploadResult",
]
