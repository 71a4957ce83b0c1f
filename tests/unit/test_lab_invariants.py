"""Hypothesis and examples: lab entities refuse every invalid value, and the lifecycle table."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nexus.lab.domain.enums import EventType, RecordStatus
from nexus.lab.domain.timestamps import fixed_offset, join_instant, split_instant
from nexus.lab.domain.uploads import is_exported
from nexus.shared.errors import ValidationError
from tests.factories import (
    NOW,
    make_external_id,
    make_instrument,
    make_session_entry,
    make_upload,
)

ZONES = sorted(zoneinfo.available_timezones())


@given(st.sampled_from(ZONES))
def test_every_iana_zone_is_accepted(zone: str) -> None:
    assert make_instrument(timezone=zone).zone == zoneinfo.ZoneInfo(zone)


@given(st.text(max_size=40))
def test_unknown_zones_are_a_validation_error(zone: str) -> None:
    try:
        zoneinfo.ZoneInfo(zone)
        known = True
    except Exception:  # anything zoneinfo refuses, for whatever reason, is unknown
        known = False
    assume(not known)
    with pytest.raises(ValidationError) as raised:
        make_instrument(timezone=zone)
    assert raised.value.field == "instruments.timezone"


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        ("/data/titan", "relative"),
        ("\\\\server\\share", "relative"),
        ("C:\\data", "relative"),
        ("../outside", "'..'"),
        ("titan/../../etc", "'..'"),
        ("titan\\..\\x", "'..'"),
        ("", "empty"),
        (" titan", "spaces"),
        ("x" * 256, "at most 255"),
    ],
)
def test_filestore_path_must_be_relative_and_inside(path: str, rule: str) -> None:
    with pytest.raises(ValidationError, match=rule) as raised:
        make_instrument(filestore_path=path)
    assert raised.value.field == "instruments.filestore_path"


@pytest.mark.parametrize("path", ["titan", "Titan/TEM/2026", "a..b/c", "./x", "titan_tem"])
def test_relative_filestore_paths_are_kept(path: str) -> None:
    assert make_instrument(filestore_path=path).filestore_path == path


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("instrument_pid", "x" * 101),
        ("instrument_pid", "has space"),
        ("instrument_pid", ""),
        ("location", "x" * 101),
        ("property_tag", "x" * 21),
        ("api_url", "ftp://nemo/api"),
        ("calendar_url", "not a url"),
        ("harvester", "outlook"),
        ("display_name", ""),
    ],
)
def test_instrument_fields_are_checked(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as raised:
        make_instrument(**{field: value})
    assert raised.value.field == f"instruments.{field}"


def test_localize_keeps_naive_wall_clock_and_converts_aware() -> None:
    instrument = make_instrument(timezone="America/Denver")
    naive = datetime(2026, 7, 1, 9, 0)
    local = instrument.localize_datetime(naive)
    assert (local.hour, local.utcoffset()) == (9, timedelta(hours=-6))
    aware = instrument.localize_datetime(datetime(2026, 7, 1, 15, 0, tzinfo=UTC))
    assert (aware.hour, aware.tzinfo) == (9, zoneinfo.ZoneInfo("America/Denver"))
    assert instrument.localize_datetime_str(naive) == "2026-07-01 09:00:00 MDT"
    assert instrument.localize_datetime_str(naive, "%H:%M %z") == "09:00 -0600"


def test_to_dict_and_json_use_the_key_timezone() -> None:
    instrument = make_instrument(timezone="Asia/Tokyo")
    assert instrument.to_dict()["timezone"] == "Asia/Tokyo"
    assert '"timezone": "Asia/Tokyo"' in instrument.to_json()
    assert instrument.name == instrument.instrument_pid
    assert str(instrument) == f"{instrument.instrument_pid} in {instrument.location}"


@given(
    st.datetimes(
        min_value=datetime(1950, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from([zoneinfo.ZoneInfo(z) for z in ZONES[::7]]),
    )
)
def test_fixed_offset_keeps_instant_and_offset(moment: datetime) -> None:
    fixed = fixed_offset(moment)
    assert fixed.utcoffset() == moment.utcoffset()
    assert fixed.astimezone(UTC) == moment.astimezone(UTC)
    assert join_instant(*split_instant(fixed)) == fixed
    assert join_instant(*split_instant(fixed)).utcoffset() == fixed.utcoffset()


@given(st.datetimes())
def test_naive_event_timestamps_are_refused(naive: datetime) -> None:
    with pytest.raises(ValidationError, match="timezone-aware"):
        make_session_entry(timestamp=naive)
    with pytest.raises(ValidationError, match="timezone-aware"):
        make_upload(timestamp=naive)


def test_one_instant_in_two_offsets_is_the_same_event() -> None:
    first = make_session_entry(timestamp=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    second = make_session_entry(
        session_identifier=first.session_identifier,
        timestamp=datetime(2026, 1, 5, 4, 0, tzinfo=timezone(timedelta(hours=-5))),
    )
    assert first.same_event(second)
    assert second.timestamp.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("session_identifier", "x" * 256),
        ("session_identifier", "with space"),
        ("user", "u" * 51),
        ("event_type", "PAUSE"),
        ("record_status", "DONE"),
    ],
)
def test_session_entry_fields_are_checked(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as raised:
        make_session_entry(**{field: value})
    assert raised.value.field == f"session_log.{field}"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("destination_name", ""),
        ("destination_name", "d" * 101),
        ("record_url", "u" * 501),
        ("metadata", ["not", "an", "object"]),
        ("metadata", {"x": float("nan")}),
        ("metadata", {"x": object()}),
        ("success", "yes"),
    ],
)
def test_upload_fields_are_checked(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as raised:
        make_upload(**{field: value})
    assert raised.value.field.startswith(f"upload_log.{field}") or field == "success"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("external_system", "sharepoint"),
        ("external_id", "x" * 501),
        ("external_id", ""),
        ("nexuslims_username", ""),
        ("email", "not-an-email"),
    ],
)
def test_external_id_fields_are_checked(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as raised:
        make_external_id(**{field: value})
    assert raised.value.field == f"external_user_identifiers.{field}"


def test_external_id_repr_names_user_system_and_id() -> None:
    text = repr(make_external_id(nexuslims_username="jsmith", external_id="uid_abc123"))
    assert "username=jsmith" in text
    assert "system=nemo" in text
    assert "external_id=uid_abc123" in text


ALLOWED = {
    (RecordStatus.WAITING_FOR_END, RecordStatus.TO_BE_BUILT),
    *(
        (RecordStatus.TO_BE_BUILT, outcome)
        for outcome in (
            RecordStatus.COMPLETED,
            RecordStatus.BUILT_NOT_EXPORTED,
            RecordStatus.ERROR,
            RecordStatus.NO_FILES_FOUND,
            RecordStatus.NO_CONSENT,
            RecordStatus.NO_RESERVATION,
        )
    ),
    (RecordStatus.BUILT_NOT_EXPORTED, RecordStatus.COMPLETED),
    (RecordStatus.BUILT_NOT_EXPORTED, RecordStatus.ERROR),
    (RecordStatus.ERROR, RecordStatus.TO_BE_BUILT),
}


@pytest.mark.parametrize("source", list(RecordStatus))
@pytest.mark.parametrize("target", list(RecordStatus))
def test_the_lifecycle_table(source: RecordStatus, target: RecordStatus) -> None:
    expected = source is target or (source, target) in ALLOWED
    assert source.can_move_to(target) is expected
    if target is RecordStatus.WAITING_FOR_END and source is not target:
        assert not source.can_move_to(target)


def test_enum_values_are_nexuslims_values() -> None:
    assert [e.value for e in EventType] == ["START", "END", "RECORD_GENERATION"]
    assert RecordStatus("BUILT_NOT_EXPORTED") is RecordStatus.BUILT_NOT_EXPORTED


def test_exported_only_when_every_destination_succeeded() -> None:
    assert is_exported({"cdcs", "labarchives"}, ["cdcs", "labarchives"])
    assert not is_exported({"cdcs"}, ["cdcs", "labarchives"])
    assert is_exported({"cdcs", "elabftw"}, ["cdcs"])
    with pytest.raises(ValidationError, match="at least one"):
        is_exported({"cdcs"}, [])


def test_created_at_must_be_aware() -> None:
    with pytest.raises(ValidationError, match="timezone-aware"):
        make_external_id(created_at=NOW.replace(tzinfo=None))
