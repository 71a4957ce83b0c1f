"""Lab's read side, written once for both adapters: instruments, sessions (each START with its
END), destinations that took a session, and a user's external ids. DTOs out."""

from __future__ import annotations

from nexus.lab.application.results import InstrumentResult, SessionResult
from nexus.lab.domain.enums import EventType, RecordStatus
from nexus.lab.infrastructure.records import (
    external_id_mapper,
    instrument_mapper,
    session_log_mapper,
    upload_log_mapper,
)
from nexus.persistence.repository import Queries


class LabQueries(Queries):
    def list_instruments(self) -> list[InstrumentResult]:
        found = self._rows(instrument_mapper, order_by=("instrument_pid",))
        return [InstrumentResult.from_instrument(i) for i in found]

    @staticmethod
    def _session_filter(instrument: str | None, status: RecordStatus | None) -> dict[str, object]:
        where: dict[str, object] = {"event_type": EventType.START.value}
        if instrument is not None:
            where["instrument"] = instrument
        if status is not None:
            where["record_status"] = status.value
        return where

    def count_sessions(
        self, *, instrument: str | None = None, status: RecordStatus | None = None
    ) -> int:
        return self._count(session_log_mapper, **self._session_filter(instrument, status))

    def sessions(
        self,
        *,
        instrument: str | None = None,
        status: RecordStatus | None = None,
        limit: int | None = 100,
        offset: int = 0,
    ) -> list[SessionResult]:
        where = self._session_filter(instrument, status)
        starts = self._rows(
            session_log_mapper, where, ("timestamp", "session_identifier"), limit, offset
        )
        ends = {
            (e.instrument, e.session_identifier): e
            for e in self._rows_in(
                session_log_mapper,
                "session_identifier",
                [s.session_identifier for s in starts],
                event_type=EventType.END.value,
            )
        }
        results = []
        for start in starts:
            end = ends.get((start.instrument, start.session_identifier))
            results.append(
                SessionResult(
                    session_identifier=start.session_identifier,
                    instrument=start.instrument,
                    start=start.timestamp,
                    end=None if end is None else end.timestamp,
                    user=start.user,
                    record_status=start.record_status.value,
                )
            )
        return results

    def successful_destinations(self, session_identifier: str) -> set[str]:
        found = self._rows(
            upload_log_mapper, {"session_identifier": session_identifier, "success": True}
        )
        return {u.destination_name for u in found}

    def external_ids_of(self, nexuslims_username: str) -> dict[str, str]:
        found = self._rows(
            external_id_mapper, {"nexuslims_username": nexuslims_username}, ("external_system",)
        )
        return {m.external_system.value: m.external_id for m in found}
