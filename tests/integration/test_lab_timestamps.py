"""Event timestamps on SQLite and PostgreSQL: random zones (DST folds included) round-trip
keeping their offset and their instant, sort by instant, and one instant written in two offsets
is one event."""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexus.app import Nexus, create_app
from nexus.lab.domain.enums import EventType
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
    uow = app.container.lab.adapters.uow
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
