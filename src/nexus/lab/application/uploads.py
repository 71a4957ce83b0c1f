"""Use cases on the upload log: record an export attempt; is a session exported?"""

from __future__ import annotations

from collections.abc import Iterable

from nexus.lab.application import commands
from nexus.lab.application.ports import LabQueries, LabUnitOfWork, LabUnitOfWorkFactory
from nexus.lab.application.results import UploadResult
from nexus.lab.domain.uploads import UploadLogEntry, destination_names, is_exported
from nexus.shared.clock import Clock
from nexus.shared.errors import NotFoundError
from nexus.shared.retry import write


class RecordUpload:
    """One export attempt of a known session to one destination (now, unless told when)."""

    def __init__(self, uow: LabUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, command: commands.RecordUpload) -> UploadResult:
        entry = UploadLogEntry(
            session_identifier=command.session_identifier,
            destination_name=command.destination_name,
            success=command.success,
            timestamp=command.timestamp if command.timestamp is not None else self._clock.now(),
            record_id=command.record_id,
            record_url=command.record_url,
            error_message=command.error_message,
            metadata=command.metadata,
        )

        def work(tx: LabUnitOfWork) -> UploadResult:
            if not tx.session_log.for_session(entry.session_identifier):
                raise NotFoundError("session", entry.session_identifier)
            tx.upload_log.add(entry)
            return UploadResult.from_entry(entry)

        return write(self._uow, work)


class IsExported:
    def __init__(self, queries: LabQueries) -> None:
        self._queries = queries

    def __call__(self, session_identifier: str, destinations: Iterable[str]) -> bool:
        wanted = destination_names(destinations)  # checked before any query
        return is_exported(self._queries.successful_destinations(session_identifier), wanted)
