"""Lab's ORM records and their mappers (infrastructure only; the domain never sees them).

Event timestamps are two columns: `timestamp`, the instant (UTCDateTime: sortable, indexable and
comparable on every engine), and `timestamp_utcoffset`, the offset it was given in, in seconds.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from nexus.lab.domain.enums import EventType, ExternalSystem, Harvester, RecordStatus
from nexus.lab.domain.external_ids import ExternalUserIdentifier
from nexus.lab.domain.instruments import Instrument
from nexus.lab.domain.session_log import SessionLogEntry
from nexus.lab.domain.timestamps import join_instant, split_instant
from nexus.lab.domain.uploads import UploadLogEntry
from nexus.persistence.base import Base
from nexus.persistence.mapper import Split, register
from nexus.persistence.schema import partial_where
from nexus.persistence.types import JSONType, UTCDateTime, flag_column


def one_of(column: str, enum: type[StrEnum], name: str) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{column} IN ({values})", name=name)


def utcoffset_in_range(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} > -86400 AND {column} < 86400", name=f"{column}_within_a_day")


class InstrumentRecord(Base):
    """One instrument; its pid is the natural key (NexusLIMS's identity)."""

    __tablename__ = "instruments"
    __table_args__ = (one_of("harvester", Harvester, "valid_harvester"),)

    instrument_pid: Mapped[str] = mapped_column(String(100), primary_key=True)
    api_url: Mapped[str] = mapped_column(String(255), unique=True)
    calendar_url: Mapped[str] = mapped_column(String(255))
    location: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(255))
    property_tag: Mapped[str] = mapped_column(String(20))
    filestore_path: Mapped[str] = mapped_column(String(255))
    harvester: Mapped[str] = mapped_column(
        String(20), default=Harvester.NEMO.value, server_default=text("'nemo'")
    )
    timezone: Mapped[str] = mapped_column(
        String(255), default="America/New_York", server_default=text("'America/New_York'")
    )


class SessionLogRecord(Base):
    """One START, END or RECORD_GENERATION event of a session on an instrument."""

    __tablename__ = "session_log"
    __table_args__: Any = (
        one_of("event_type", EventType, "valid_event_type"),
        one_of("record_status", RecordStatus, "valid_record_status"),
        utcoffset_in_range("timestamp_utcoffset"),
        CheckConstraint("version >= 1", name="version_positive"),
        # One START and one END per session (a revised END replaces the first): also what
        # makes two concurrent writers of one event leave one row. The instrument leads, as
        # the tenant key of session rows.
        Index(
            "uq_session_log_instrument_session_identifier_event_type",
            "instrument",
            "session_identifier",
            "event_type",
            unique=True,
            **partial_where(column("event_type").in_(["START", "END"])),
        ),
        Index("ix_session_log_record_status_event_type", "record_status", "event_type"),
    )

    id_session_log: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    session_identifier: Mapped[str] = mapped_column(String(255), index=True)
    instrument: Mapped[str] = mapped_column(
        String(100),
        ForeignKey("instruments.instrument_pid", ondelete="RESTRICT"),
        index=True,
    )
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime)
    timestamp_utcoffset: Mapped[int] = mapped_column(Integer)
    event_type: Mapped[str] = mapped_column(String(20))
    record_status: Mapped[str] = mapped_column(
        String(20),
        default=RecordStatus.WAITING_FOR_END.value,
        server_default=text("'WAITING_FOR_END'"),
    )
    user: Mapped[str | None] = mapped_column(String(50))
    nemo_user_id: Mapped[str | None] = mapped_column(String(100), index=True)
    # Guards concurrent status moves: the UPDATE says WHERE version = <the version read>.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class UploadLogRecord(Base):
    """One export attempt of a session to one destination."""

    __tablename__ = "upload_log"
    __table_args__ = (utcoffset_in_range("timestamp_utcoffset"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    session_identifier: Mapped[str] = mapped_column(String(255), index=True)
    destination_name: Mapped[str] = mapped_column(String(100), index=True)
    success: Mapped[bool] = flag_column(False)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime)
    timestamp_utcoffset: Mapped[int] = mapped_column(Integer)
    record_id: Mapped[str | None] = mapped_column(String(255))
    record_url: Mapped[str | None] = mapped_column(String(500))
    error_message: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict[str, Any] | None] = mapped_column("metadata", JSONType)


class ExternalUserIdentifierRecord(Base):
    """A NexusLIMS username's id in one external system."""

    __tablename__ = "external_user_identifiers"
    __table_args__ = (
        one_of("external_system", ExternalSystem, "valid_external_system"),
        UniqueConstraint("nexuslims_username", "external_system"),
        UniqueConstraint("external_system", "external_id"),
        Index(
            "ix_external_user_identifiers_external_system_external_id",
            "external_system",
            "external_id",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    nexuslims_username: Mapped[str] = mapped_column(String(255), index=True)
    external_system: Mapped[str] = mapped_column(String(30))
    external_id: Mapped[str] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str | None] = mapped_column(Text)


# Mappers, one per record (enums stored as their values; an event timestamp is split into its
# instant and its UTC offset).

TIMESTAMP = Split(
    columns=("timestamp", "timestamp_utcoffset"), to_record=split_instant, to_entity=join_instant
)

instrument_mapper = register(Instrument, InstrumentRecord)
session_log_mapper = register(
    SessionLogEntry,
    SessionLogRecord,
    splits={"timestamp": TIMESTAMP},
)
upload_log_mapper = register(
    UploadLogEntry,
    UploadLogRecord,
    renames={"metadata": "metadata_"},
    splits={"timestamp": TIMESTAMP},
)
external_id_mapper = register(
    ExternalUserIdentifier,
    ExternalUserIdentifierRecord,
)
