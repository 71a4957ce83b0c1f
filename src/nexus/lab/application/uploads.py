"""Use cases on the upload log: record an export attempt; is a session exported?"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from nexus.lab.application.ports import LabUnitOfWork
from nexus.lab.application.results import UploadResult
from nexus.lab.application.support import LabUseCases
from nexus.lab.domain.uploads import UploadLogEntry, destination_names, is_exported
from nexus.shared.errors import NotFoundError
from nexus.shared.usecases import transaction


class Uploads(LabUseCases):
    @transaction
    def record_upload(
        self,
        tx: LabUnitOfWork,
        *,
        session_identifier: str,
        destination_name: str,
        success: bool,
        record_id: str | None = None,
        record_url: str | None = None,
        error_message: str | None = None,
        metadata: dict[str, Any] | None = None,
        timestamp: datetime | None = None,
    ) -> UploadResult:
        """One export attempt of a known session to one destination (now, unless told when)."""
        entry = UploadLogEntry(
            session_identifier=session_identifier,
            destination_name=destination_name,
            success=success,
            timestamp=timestamp if timestamp is not None else self.clock.now(),
            record_id=record_id,
            record_url=record_url,
            error_message=error_message,
            metadata=metadata,
        )
        if not tx.session_log.for_session(entry.session_identifier):
            raise NotFoundError("session", entry.session_identifier)
        tx.upload_log.add(entry)
        return UploadResult.from_entry(entry)

    @transaction
    def list_uploads(self, tx: LabUnitOfWork, session_identifier: str) -> list[UploadResult]:
        """A session's upload log: every export attempt, oldest first."""
        entries = tx.upload_log.for_sessions([session_identifier])
        entries.sort(key=lambda e: (e.timestamp, e.destination_name))
        return [UploadResult.from_entry(e) for e in entries]

    def is_exported(self, session_identifier: str, destinations: Iterable[str]) -> bool:
        """True only when every destination given has a successful upload of the session."""
        wanted = destination_names(destinations)  # checked before any query
        return is_exported(self.queries.successful_destinations(session_identifier), wanted)
