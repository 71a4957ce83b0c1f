"""The lab tables on SQLite and PostgreSQL: named constraints and indexes, CHECKs that refuse
what the domain would refuse, and their translation into domain errors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, exc, insert, inspect

from nexus.lab.infrastructure.records import (
    ExternalUserIdentifierRecord,
    InstrumentRecord,
    SessionLogRecord,
)
from nexus.persistence.errors import translate
from nexus.shared.errors import ConflictError, ValidationError

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_constraint_and_index_names(engine: Engine) -> None:
    inspector = inspect(engine)
    checks = {
        table: {c["name"] for c in inspector.get_check_constraints(table)}
        for table in ("instruments", "session_log", "upload_log", "external_user_identifiers")
    }
    assert checks["external_user_identifiers"] == {
        "ck_external_user_identifiers_valid_external_system"
    }
    assert checks["instruments"] == {"ck_instruments_valid_harvester"}
    assert checks["session_log"] == {
        "ck_session_log_valid_event_type",
        "ck_session_log_valid_record_status",
        "ck_session_log_timestamp_utcoffset_within_a_day",
        "ck_session_log_version_positive",
    }
    assert checks["upload_log"] == {"ck_upload_log_timestamp_utcoffset_within_a_day"}
    uniques = {u["name"] for u in inspector.get_unique_constraints("external_user_identifiers")}
    assert uniques == {
        "uq_external_user_identifiers_nexuslims_username_external_system",
        "uq_external_user_identifiers_external_system_external_id",
    }
    indexes = {
        table: {i["name"] for i in inspector.get_indexes(table)}
        for table in ("session_log", "upload_log", "external_user_identifiers")
    }
    assert {
        "ix_session_log_session_identifier",
        "ix_session_log_instrument",
        "uq_session_log_instrument_session_identifier_event_type",
    } <= indexes["session_log"]
    assert {"ix_upload_log_session_identifier", "ix_upload_log_destination_name"} <= indexes[
        "upload_log"
    ]
    assert {
        "ix_external_user_identifiers_nexuslims_username",
        "ix_external_user_identifiers_external_system_external_id",
    } <= indexes["external_user_identifiers"]
    (fk,) = inspector.get_foreign_keys("session_log")
    assert fk["name"] == "fk_session_log_instrument_instruments"
    assert fk["options"].get("ondelete") == "RESTRICT"


def _refused(engine: Engine, table: type, **values: object) -> Exception:
    with pytest.raises(exc.IntegrityError) as raised, engine.begin() as connection:
        connection.execute(insert(table).values(**values))
    return translate(raised.value)


def test_the_database_refuses_an_unknown_external_system(engine: Engine) -> None:
    error = _refused(
        engine,
        ExternalUserIdentifierRecord,
        id=uuid.uuid4(),
        nexuslims_username="jsmith",
        external_system="invalid_system",
        external_id="12345",
        created_at=NOW,
    )
    assert isinstance(error, ValidationError)
    assert "valid_external_system" in str(error)


def test_the_database_refuses_bad_enums_and_orphans(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(InstrumentRecord).values(
                instrument_pid="I-1",
                api_url="https://nemo.example.org/api/tools/?id=1",
                calendar_url="https://nemo.example.org/c",
                location="here",
                display_name="I",
                property_tag="1",
                filestore_path="i",
            )
        )
    row = {
        "id_session_log": uuid.uuid4(),
        "session_identifier": "s",
        "instrument": "I-1",
        "timestamp": NOW,
        "timestamp_utcoffset": 0,
        "event_type": "START",
    }
    bad_event = _refused(engine, SessionLogRecord, **{**row, "event_type": "PAUSE"})
    assert "valid_event_type" in str(bad_event)
    bad_status = _refused(engine, SessionLogRecord, **{**row, "record_status": "DONE"})
    assert "valid_record_status" in str(bad_status)
    bad_offset = _refused(engine, SessionLogRecord, **{**row, "timestamp_utcoffset": 86_400})
    assert "timestamp_utcoffset" in str(bad_offset)
    orphan = _refused(engine, SessionLogRecord, **{**row, "instrument": "NOPE"})
    assert isinstance(orphan, ConflictError)
    with engine.connect() as connection:
        defaults = connection.execute(
            insert(SessionLogRecord).values(**row).returning(SessionLogRecord.record_status)
        ).scalar_one()
        connection.commit()
    assert defaults == "WAITING_FOR_END"
