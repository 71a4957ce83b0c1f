"""Event timestamps on SQLite and PostgreSQL: random zones (DST folds included) round-trip
keeping their offset and their instant, sort by instant, and one instant written in two offsets
is one event."""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexus.app import Nexus, create_app
from nexus.lab.domain.enums import EventType
from nexus.shared.errors import ValidationError
from tests.factories import make_instrument, make_session_entry, make_upload

ZONES = [
    zoneinfo.ZoneInfo(name)
    for name in (
        "America/New_York",  # DST folds and gaps
        "Europe/London",
        "Australia/Lord_Howe",  # 30-minute DST shift
        "Pacific/Chatham",  # +12:45 / +13:45
        "Asia/Kathmandu",  # +05:45
        "America/St_Johns",  # -03:30 / -02:30
        "Pacific/Kiritimati",  # +14:00
        "Pacific/Niue",  # -11:00
        "UTC",
    )
]
moments = st.builds(
    lambda moment, fold: moment.replace(fold=fold),
    st.datetimes(
        min_value=datetime(1970, 1, 2),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from(ZONES),
    ),
    st.sampled_from([0, 1]),
)


@pytest.fixture
def lab_app(database_url: str) -> Iterator[tuple[Nexus, str]]:
    app = create_app(database_url)
    pid = make_instrument().instrument_pid
    app.lab.register_instrument(**make_instrument(instrument_pid=pid).to_dict())
    yield app, pid
    app.close()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25)
@given(written=st.lists(moments, min_size=1, max_size=4))
def test_timestamps_keep_offset_and_instant_and_sort_by_instant(
    lab_app: tuple[Nexus, str], written: list[datetime]
) -> None:
    app, pid = lab_app
    uow = app.container.lab.unit_of_work
    sid = str(uuid.uuid4())
    entries = [
        make_session_entry(
            session_identifier=sid,
            instrument=pid,
            timestamp=moment,
            event_type=EventType.START if i == 0 else EventType.RECORD_GENERATION,
        )
        for i, moment in enumerate(written)
    ]
    uploads = [make_upload(session_identifier=sid, timestamp=moment) for moment in written]
    with uow() as tx:
        for entry in entries:
            tx.session_log.add(entry)
        for upload in uploads:
            tx.upload_log.add(upload)
        tx.commit()
    with uow() as tx:
        loaded = tx.session_log.for_session(sid)
        loaded_uploads = [tx.upload_log.get(u.id) for u in uploads]
    by_id = {e.id_session_log: e for e in loaded}
    for entry, moment in zip(entries, written, strict=True):
        back = by_id[entry.id_session_log]
        assert back.timestamp.utcoffset() == moment.utcoffset()
        assert back.timestamp.astimezone(UTC) == moment.astimezone(UTC)
        assert back.timestamp.replace(tzinfo=None) == moment.replace(tzinfo=None, fold=0)
    for upload, moment in zip(loaded_uploads, written, strict=True):
        assert upload.timestamp.utcoffset() == moment.utcoffset()
        assert upload.timestamp.astimezone(UTC) == moment.astimezone(UTC)
    instants = [e.timestamp.astimezone(UTC) for e in loaded]
    assert instants == sorted(instants)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=20)
@given(moment=moments, other=st.sampled_from(ZONES))
def test_one_instant_in_two_offsets_is_one_event(
    lab_app: tuple[Nexus, str], moment: datetime, other: zoneinfo.ZoneInfo
) -> None:
    app, pid = lab_app
    sid = str(uuid.uuid4())
    first = app.lab.insert_log(
        session_identifier=sid, instrument=pid, timestamp=moment, event_type="START"
    )
    again = app.lab.insert_log(
        session_identifier=sid,
        instrument=pid,
        timestamp=moment.astimezone(other),
        event_type="START",
    )
    assert first.inserted
    assert again.duplicate
    assert again.entry.id_session_log == first.entry.id_session_log
    assert again.entry.timestamp.utcoffset() == moment.utcoffset()


def test_a_dst_fold_keeps_both_instants_apart(lab_app: tuple[Nexus, str]) -> None:
    app, pid = lab_app
    zone = zoneinfo.ZoneInfo("America/New_York")
    first = datetime(2025, 11, 2, 1, 30, tzinfo=zone, fold=0)  # EDT, -04:00
    second = datetime(2025, 11, 2, 1, 30, tzinfo=zone, fold=1)  # EST, -05:00, an hour later
    app.lab.insert_log(
        session_identifier="fold", instrument=pid, timestamp=first, event_type="START"
    )
    ended = app.lab.insert_log(
        session_identifier="fold", instrument=pid, timestamp=second, event_type="END"
    )
    assert ended.inserted
    (session,) = app.lab.sessions_to_build()
    assert session.start.utcoffset() != session.end.utcoffset()  # type: ignore[union-attr]
    assert session.end - session.start == (second.astimezone(UTC) - first.astimezone(UTC))  # type: ignore[operator]


# Valid aware datetimes whose UTC instant is outside datetime's range (found in review: a raw
# OverflowError on SQLite and PostgreSQL, accepted in memory).
OUT_OF_RANGE = [
    datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))),
    datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(minutes=-1))),
]
# ... and the extremes that are in range, which must round-trip.
EDGES = [
    datetime(1, 1, 1, tzinfo=UTC),
    datetime(1, 1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=-5))),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(9999, 12, 31, 18, 59, tzinfo=timezone(timedelta(hours=-5))),
    datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=5))),
]


def test_an_instant_outside_the_utc_range_is_refused_on_every_adapter(app: Nexus) -> None:
    pid = make_instrument().instrument_pid
    app.lab.register_instrument(**make_instrument(instrument_pid=pid).to_dict())
    for i, moment in enumerate(OUT_OF_RANGE):
        with pytest.raises(ValidationError, match=r"^session_log\.timestamp: must be an instant"):
            app.lab.insert_log(
                session_identifier=f"out{i}", instrument=pid, timestamp=moment, event_type="START"
            )
    app.lab.insert_log(
        session_identifier="s", instrument=pid, timestamp=EDGES[0], event_type="START"
    )
    for moment in OUT_OF_RANGE:
        with pytest.raises(ValidationError, match=r"^upload_log\.timestamp: must be an instant"):
            app.lab.record_upload(
                session_identifier="s", destination_name="cdcs", success=True, timestamp=moment
            )
    assert [s.session_identifier for s in app.lab.list_sessions()] == ["s"]
    assert not app.lab.is_exported("s", ["cdcs"])
    # The extremes in range are taken and round-trip.
    for i, moment in enumerate(EDGES):
        app.lab.insert_log(
            session_identifier=f"edge{i}", instrument=pid, timestamp=moment, event_type="START"
        )
        uploaded = app.lab.record_upload(
            session_identifier=f"edge{i}", destination_name="cdcs", success=True, timestamp=moment
        )
        assert uploaded.timestamp == moment
        assert uploaded.timestamp.utcoffset() == moment.utcoffset()
    back = {s.session_identifier: s.start for s in app.lab.list_sessions()}
    for i, moment in enumerate(EDGES):
        assert back[f"edge{i}"] == moment
        assert back[f"edge{i}"].utcoffset() == moment.utcoffset()  # type: ignore[union-attr]
