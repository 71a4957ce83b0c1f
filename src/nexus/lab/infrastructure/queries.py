"""Lab's read side in SQL: instruments, sessions (START joined to its END), destinations that
took a session, and a user's external ids. One statement each; DTOs out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, sessionmaker

from nexus.lab.application.results import InstrumentResult, SessionResult
from nexus.lab.domain.enums import EventType, RecordStatus
from nexus.lab.domain.timestamps import join_instant
from nexus.lab.infrastructure.mappers import instrument_mapper
from nexus.lab.infrastructure.records import (
    ExternalUserIdentifierRecord,
    InstrumentRecord,
    SessionLogRecord,
    UploadLogRecord,
)


def _sessions_statement(
    instrument: str | None, status: RecordStatus | None, limit: int | None, offset: int
) -> Any:  # a Select of 8 columns; its exact generic differs between SQLAlchemy 2.0 and 2.1
    start = aliased(SessionLogRecord, name="start")
    end = aliased(SessionLogRecord, name="end_")
    statement = (
        select(
            start.session_identifier,
            start.instrument,
            start.timestamp,
            start.timestamp_utcoffset,
            end.timestamp,
            end.timestamp_utcoffset,
            start.user,
            start.record_status,
        )
        .outerjoin(
            end,
            (end.instrument == start.instrument)
            & (end.session_identifier == start.session_identifier)
            & (end.event_type == EventType.END.value),
        )
        .where(start.event_type == EventType.START.value)
        .order_by(start.timestamp, start.session_identifier)
        .offset(offset)
    )
    if instrument is not None:
        statement = statement.where(start.instrument == instrument)
    if status is not None:
        statement = statement.where(start.record_status == status.value)
    if limit is not None:
        statement = statement.limit(limit)
    return statement


class SqlAlchemyLabQueries:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def list_instruments(self) -> list[InstrumentResult]:
        statement = select(InstrumentRecord).order_by(InstrumentRecord.instrument_pid)
        with self._session_factory() as session:
            return [
                InstrumentResult.from_instrument(instrument_mapper.to_entity(r))
                for r in session.scalars(statement)
            ]

    def sessions(
        self,
        *,
        instrument: str | None = None,
        status: RecordStatus | None = None,
        limit: int | None = 100,
        offset: int = 0,
    ) -> list[SessionResult]:
        statement = _sessions_statement(instrument, status, limit, offset)
        with self._session_factory() as session:
            rows = session.execute(statement).all()
        return [
            SessionResult(
                session_identifier=sid,
                instrument=pid,
                start=join_instant(start_at, start_offset),
                end=None if end_at is None else join_instant(end_at, end_offset),
                user=user,
                record_status=record_status,
            )
            for sid, pid, start_at, start_offset, end_at, end_offset, user, record_status in rows
        ]

    def successful_destinations(self, session_identifier: str) -> set[str]:
        statement = (
            select(UploadLogRecord.destination_name)
            .where(
                UploadLogRecord.session_identifier == session_identifier,
                UploadLogRecord.success.is_(True),
            )
            .distinct()
        )
        with self._session_factory() as session:
            return set(session.scalars(statement))

    def external_ids_of(self, nexuslims_username: str) -> dict[str, str]:
        record = ExternalUserIdentifierRecord
        statement = (
            select(record.external_system, record.external_id)
            .where(record.nexuslims_username == nexuslims_username)
            .order_by(record.external_system)
        )
        with self._session_factory() as session:
            return {system: external_id for system, external_id in session.execute(statement)}
