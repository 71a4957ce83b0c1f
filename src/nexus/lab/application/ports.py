"""The unit-of-work and query ports lab's use cases depend on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import attrs

from nexus.lab.application.results import InstrumentResult, SessionResult
from nexus.lab.domain.enums import RecordStatus
from nexus.lab.domain.ports import (
    ExternalIdRepository,
    InstrumentRepository,
    SessionLogRepository,
    UploadLogRepository,
)
from nexus.shared.uow import UnitOfWork


class LabUnitOfWork(UnitOfWork, Protocol):
    """The repositories a unit of work opens (read-only, so adapters may narrow them)."""

    @property
    def instruments(self) -> InstrumentRepository: ...

    @property
    def session_log(self) -> SessionLogRepository: ...

    @property
    def upload_log(self) -> UploadLogRepository: ...

    @property
    def external_ids(self) -> ExternalIdRepository: ...


LabUnitOfWorkFactory = Callable[[], LabUnitOfWork]


@attrs.frozen(kw_only=True)
class NexusLimsDump:
    """A NexusLIMS database's rows, by NexusLIMS's column names (read by an adapter)."""

    revision: str
    instruments: list[dict[str, Any]]
    session_log: list[dict[str, Any]]
    upload_log: list[dict[str, Any]]
    external_ids: list[dict[str, Any]]


# Reads a NexusLIMS SQLite file (any released schema), or raises ValidationError.
NexusLimsReader = Callable[[Path], NexusLimsDump]


class LabQueries(Protocol):
    """Read side: lists go through SQL returning DTOs, never `get` in a loop."""

    def list_instruments(self) -> list[InstrumentResult]:
        """Every instrument, by pid."""
        ...

    def sessions(
        self,
        *,
        instrument: str | None = None,
        status: RecordStatus | None = None,
        limit: int | None = 100,
        offset: int = 0,
    ) -> list[SessionResult]:
        """Sessions (one per START row), by the instant of their START; no limit when None."""
        ...

    def count_sessions(
        self, *, instrument: str | None = None, status: RecordStatus | None = None
    ) -> int:
        """How many sessions `sessions` pages through."""
        ...

    def successful_destinations(self, session_identifier: str) -> set[str]: ...

    def external_ids_of(self, nexuslims_username: str) -> dict[str, str]:
        """{system: external_id} for one user; {} for an unknown user."""
        ...
