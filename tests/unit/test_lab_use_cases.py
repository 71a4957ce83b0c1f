"""Lab use cases on the in-memory adapters: instruments, the session lifecycle, uploads."""

from __future__ import annotations

import json
import zoneinfo
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.lab import LogOutcome, RecordStatus
from nexus.shared.errors import ConflictError, NotFoundError, ValidationError

PID = "FEI-Titan-TEM-012345"
EST = timezone(timedelta(hours=-5))
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=EST)


def instrument(**overrides: Any) -> dict[str, Any]:
    values = {
        "instrument_pid": PID,
        "api_url": "https://nemo.example.org/api/tools/?id=1",
        "calendar_url": "https://nemo.example.org/calendar/1",
        "location": "Building 217",
        "display_name": "FEI Titan TEM",
        "property_tag": "012345",
        "filestore_path": "Titan",
    }
    values.update(overrides)
    return values


@pytest.fixture
def lab(memory_app: Nexus) -> Any:
    memory_app.lab.register_instrument(**instrument())
    return memory_app.lab


def log(lab: Any, sid: str, event: str, at: datetime, **kw: Any) -> Any:
    return lab.insert_log(
        session_identifier=sid, instrument=PID, timestamp=at, event_type=event, **kw
    )


def status_of(lab: Any, sid: str) -> str:
    (found,) = [s for s in lab.list_sessions() if s.session_identifier == sid]
    return str(found.record_status)


# Instruments


def test_register_get_list_and_defaults(lab: Any) -> None:
    got = lab.get_instrument(PID)
    assert got.timezone == "America/New_York"
    assert got.harvester == "nemo"
    assert got.name == PID
    assert [i.instrument_pid for i in lab.list_instruments()] == [PID]
    assert lab.instrument_to_dict(PID)["timezone"] == "America/New_York"
    assert json.loads(lab.instrument_to_json(PID))["timezone"] == "America/New_York"


def test_duplicate_pid_and_api_url_are_conflicts_and_nothing_written(lab: Any) -> None:
    with pytest.raises(ConflictError, match=r"instruments\.instrument_pid"):
        lab.register_instrument(**instrument(api_url="https://nemo.example.org/api/tools/?id=2"))
    with pytest.raises(ConflictError, match=r"instruments\.api_url"):
        lab.register_instrument(**instrument(instrument_pid="OTHER-1"))
    assert len(lab.list_instruments()) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "instruments.timezone"),
        ({"filestore_path": "/abs/path"}, "instruments.filestore_path"),
        ({"filestore_path": "a/../../b"}, "instruments.filestore_path"),
        ({"location": "x" * 101}, "instruments.location"),
        ({"harvester": "outlook"}, "instruments.harvester"),
    ],
)
def test_bad_instrument_names_field_and_writes_nothing(
    memory_app: Nexus, overrides: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        memory_app.lab.register_instrument(**instrument(**overrides))
    assert raised.value.field == field
    assert memory_app.lab.list_instruments() == []


def test_update_changes_only_what_is_given(lab: Any) -> None:
    updated = lab.update_instrument(PID, timezone="Europe/Paris", location="Room 2")
    assert (updated.timezone, updated.location) == ("Europe/Paris", "Room 2")
    assert updated.display_name == "FEI Titan TEM"
    assert lab.get_instrument(PID) == updated
    with pytest.raises(ValidationError, match="timezone"):
        lab.update_instrument(PID, timezone="Nowhere/Land")
    assert lab.get_instrument(PID).timezone == "Europe/Paris"
    with pytest.raises(NotFoundError):
        lab.update_instrument("NOPE", location="x")


def test_localize_datetime_through_the_facade(lab: Any) -> None:
    naive = datetime(2026, 7, 4, 12, 0)
    local = lab.localize_datetime(PID, naive)
    assert local.tzinfo == zoneinfo.ZoneInfo("America/New_York")
    assert (local.hour, local.utcoffset()) == (12, timedelta(hours=-4))
    converted = lab.localize_datetime(PID, datetime(2026, 1, 1, 12, 0, tzinfo=UTC))
    assert converted.hour == 7
    assert lab.localize_datetime_str(PID, naive) == "2026-07-04 12:00:00 EDT"
    assert lab.localize_datetime_str(PID, naive, fmt="%Y%m%d") == "20260704"
    with pytest.raises(NotFoundError):
        lab.localize_datetime("NOPE", naive)


# Session log and lifecycle


def test_start_then_end_moves_the_session_to_be_built(lab: Any) -> None:
    started = log(lab, "s1", "START", T0, user="jsmith")
    assert started.inserted
    assert started.outcome is LogOutcome.INSERTED
    assert started.entry.record_status == "WAITING_FOR_END"
    assert lab.sessions_to_build() == []
    ended = log(lab, "s1", "END", T0 + timedelta(hours=2))
    assert ended.entry.record_status == "TO_BE_BUILT"
    (session,) = lab.sessions_to_build()
    assert session.session_identifier == "s1"
    assert session.start == T0
    assert session.start.utcoffset() == timedelta(hours=-5)
    assert session.end == T0 + timedelta(hours=2)
    assert session.user == "jsmith"


def test_the_same_instant_in_another_offset_is_a_duplicate(lab: Any) -> None:
    log(lab, "s1", "START", T0)
    again = log(lab, "s1", "START", T0.astimezone(timezone(timedelta(hours=9))))
    assert again.duplicate
    assert not again.inserted
    assert again.entry.timestamp.utcoffset() == timedelta(hours=-5)
    assert len(lab.list_sessions()) == 1


def test_end_without_start_is_refused_and_nothing_written(lab: Any) -> None:
    with pytest.raises(ConflictError, match="END without a START"):
        log(lab, "s1", "END", T0)
    assert lab.list_sessions() == []


def test_a_second_end_replaces_the_first(lab: Any) -> None:
    log(lab, "s1", "START", T0)
    first = log(lab, "s1", "END", T0 + timedelta(hours=1))
    revised = log(lab, "s1", "END", T0 + timedelta(hours=3), user="late")
    assert revised.outcome is LogOutcome.REPLACED
    assert revised.entry.id_session_log == first.entry.id_session_log
    (session,) = lab.sessions_to_build()
    assert session.end == T0 + timedelta(hours=3)


def test_second_start_end_before_start_and_unknown_instrument_are_refused(lab: Any) -> None:
    log(lab, "s1", "START", T0)
    with pytest.raises(ConflictError, match="already has a START"):
        log(lab, "s1", "START", T0 + timedelta(minutes=1))
    with pytest.raises(ValidationError, match="before its START"):
        log(lab, "s1", "END", T0 - timedelta(minutes=1))
    with pytest.raises(NotFoundError, match="instrument"):
        lab.insert_log(session_identifier="s2", instrument="NOPE", timestamp=T0, event_type="START")
    with pytest.raises(ValidationError, match="timezone-aware"):
        log(lab, "s3", "START", datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="event_type"):
        log(lab, "s3", "PAUSE", T0)
    assert len(lab.list_sessions()) == 1


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["COMPLETED"], True),
        (["BUILT_NOT_EXPORTED", "COMPLETED"], True),
        (["ERROR", "TO_BE_BUILT", "NO_FILES_FOUND"], True),
        (["COMPLETED", "TO_BE_BUILT"], False),
        (["NO_CONSENT", "COMPLETED"], False),
        (["WAITING_FOR_END"], False),
    ],
)
def test_statuses_only_move_along_the_lifecycle(lab: Any, path: list[str], allowed: bool) -> None:
    log(lab, "s1", "START", T0)
    log(lab, "s1", "END", T0 + timedelta(hours=1))
    *ok, last = path
    for status in ok:
        lab.set_record_status("s1", status)
    if allowed:
        lab.set_record_status("s1", last)
        assert status_of(lab, "s1") == last
    else:
        before = status_of(lab, "s1")
        with pytest.raises(ConflictError, match="cannot move"):
            lab.set_record_status("s1", last)
        assert status_of(lab, "s1") == before


def test_no_status_move_before_the_end_and_unknown_sessions(lab: Any) -> None:
    log(lab, "s1", "START", T0)
    with pytest.raises(ConflictError):
        lab.set_record_status("s1", "COMPLETED")
    with pytest.raises(ConflictError, match="no END"):
        lab.set_record_status("s1", RecordStatus.TO_BE_BUILT)
    with pytest.raises(NotFoundError):
        lab.set_record_status("nope", "COMPLETED")
    with pytest.raises(ValidationError, match="record_status"):
        lab.set_record_status("s1", "DONE")


def test_record_generation_logs_now_in_the_instruments_zone(lab: Any, memory_app: Nexus) -> None:
    log(lab, "s1", "START", T0)
    with pytest.raises(ConflictError, match="has not ended"):
        lab.record_generation("s1")
    log(lab, "s1", "END", T0 + timedelta(hours=1))
    generated = lab.record_generation("s1", status="COMPLETED", user="builder")
    now = memory_app.container.clock().now()
    assert generated.event_type == "RECORD_GENERATION"
    assert generated.timestamp == now
    assert generated.timestamp.utcoffset() == timedelta(hours=-5)
    assert generated.record_status == "COMPLETED"
    assert status_of(lab, "s1") == "COMPLETED"
    assert lab.sessions_to_build() == []
    with pytest.raises(NotFoundError):
        lab.record_generation("unknown")


def test_sessions_sort_by_instant_not_by_wall_clock(lab: Any) -> None:
    tokyo = timezone(timedelta(hours=9))
    # 08:00 in Tokyo is before 01:00 in New York on the same day.
    log(lab, "late", "START", datetime(2026, 1, 5, 1, 0, tzinfo=EST))
    log(lab, "early", "START", datetime(2026, 1, 5, 8, 0, tzinfo=tokyo))
    assert [s.session_identifier for s in lab.list_sessions()] == ["early", "late"]
    assert [s.session_identifier for s in lab.list_sessions(limit=1, offset=1)] == ["late"]
    assert lab.list_sessions(status="TO_BE_BUILT") == []
    with pytest.raises(ValidationError, match="limit"):
        lab.list_sessions(limit=0)


# Upload log


def test_exported_only_when_every_destination_succeeded(lab: Any) -> None:
    log(lab, "s1", "START", T0)
    log(lab, "s1", "END", T0 + timedelta(hours=1))
    upload = lab.record_upload(
        session_identifier="s1",
        destination_name="cdcs",
        success=True,
        record_id="42",
        metadata={"pid": "42", "nested": {"ü": [1, 2]}},
    )
    assert upload.timestamp.utcoffset() == timedelta(0)
    lab.record_upload(
        session_identifier="s1",
        destination_name="labarchives",
        success=False,
        error_message="HTTP 503",
        timestamp=T0 + timedelta(hours=2),
    )
    assert lab.is_exported("s1", ["cdcs"]) is True
    assert lab.is_exported("s1", ["cdcs", "labarchives"]) is False
    lab.record_upload(session_identifier="s1", destination_name="labarchives", success=True)
    assert lab.is_exported("s1", ["cdcs", "labarchives"]) is True
    with pytest.raises(ValidationError, match="destinations"):
        lab.is_exported("s1", [])


def test_upload_for_unknown_session_or_bad_metadata_writes_nothing(lab: Any) -> None:
    with pytest.raises(NotFoundError, match="session"):
        lab.record_upload(session_identifier="nope", destination_name="cdcs", success=True)
    log(lab, "s1", "START", T0)
    with pytest.raises(ValidationError, match=r"upload_log\.metadata"):
        lab.record_upload(
            session_identifier="s1", destination_name="cdcs", success=True, metadata=[1]
        )
    assert lab.is_exported("s1", ["cdcs"]) is False


def test_update_refuses_unknown_fields(lab: Any) -> None:
    with pytest.raises(ValidationError, match=r"instruments\.colour"):
        lab.update_instrument(PID, colour="red")
    with pytest.raises(ConflictError, match=r"instruments\.api_url"):
        lab.register_instrument(
            **instrument(instrument_pid="OTHER", api_url="https://nemo.example.org/api/tools/?id=9")
        )
        lab.update_instrument("OTHER", api_url="https://nemo.example.org/api/tools/?id=1")
    assert lab.get_instrument("OTHER").api_url.endswith("id=9")
