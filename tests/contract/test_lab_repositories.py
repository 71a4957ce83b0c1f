"""The lab ports' contract (repositories and queries), on the in-memory adapter, SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from nexus.container import Container
from nexus.lab.domain.enums import EventType, ExternalSystem, Harvester, RecordStatus
from nexus.shared.errors import ConcurrencyError, ConflictError, NotFoundError
from tests.factories import (
    NOW,
    make_external_id,
    make_instrument,
    make_session_entry,
    make_upload,
)

KOLKATA = timezone(timedelta(hours=5, minutes=30))


def add_instrument(container: Container, **overrides: object) -> str:
    instrument = make_instrument(**overrides)
    with container.lab.unit_of_work() as tx:
        tx.instruments.add(instrument)
        tx.commit()
    return instrument.instrument_pid


def test_instrument_round_trip_update_and_finders(container: Container) -> None:
    uow = container.lab.unit_of_work
    instrument = make_instrument(harvester=Harvester.SHAREPOINT, timezone="Pacific/Chatham")
    with uow() as tx:
        tx.instruments.add(instrument)
        tx.commit()
    with uow() as tx:
        loaded = tx.instruments.get(instrument.instrument_pid)
        assert loaded == instrument
        assert tx.instruments.find_by_api_url(instrument.api_url) == instrument
        assert tx.instruments.find_by_api_url("https://nowhere.example.org") is None
        assert tx.instruments.with_harvester(Harvester.SHAREPOINT) == [instrument]
        assert tx.instruments.with_harvester(Harvester.NEMO) == []
        loaded.location = "Room 9"
        tx.instruments.update(loaded)
        tx.commit()
    with uow() as tx:
        assert tx.instruments.get(instrument.instrument_pid).location == "Room 9"
        with pytest.raises(NotFoundError):
            tx.instruments.get("NOPE")


def test_a_stale_session_log_row_is_refused_and_versions_count_changes(
    container: Container,
) -> None:
    uow = container.lab.unit_of_work
    entry = make_session_entry(instrument=add_instrument(container))
    with uow() as tx:
        tx.session_log.add(entry)
        tx.commit()
    with uow() as stale_tx:
        stale = stale_tx.session_log.get(entry.id_session_log)
    assert stale.version == 1
    with uow() as tx:
        fresh = tx.session_log.get(entry.id_session_log)
        fresh.record_status = RecordStatus.TO_BE_BUILT
        tx.session_log.update(fresh)
        tx.commit()
    assert fresh.version == 2
    stale.record_status = RecordStatus.ERROR
    with pytest.raises(ConcurrencyError), uow() as tx:
        tx.session_log.update(stale)
        tx.commit()
    with uow() as tx:
        stored = tx.session_log.get(entry.id_session_log)
        assert (stored.record_status, stored.version) == (RecordStatus.TO_BE_BUILT, 2)
        # An update that changes nothing keeps the version.
        tx.session_log.update(stored)
        tx.commit()
    with uow() as tx:
        assert tx.session_log.get(entry.id_session_log).version == 2


def test_instrument_pid_and_api_url_are_unique(container: Container) -> None:
    uow = container.lab.unit_of_work
    first = make_instrument()
    add_instrument(container, **{f: getattr(first, f) for f in ("instrument_pid", "api_url")})
    with pytest.raises(ConflictError, match=r"instruments\.api_url"), uow() as tx:
        tx.instruments.add(make_instrument(api_url=first.api_url))
        tx.commit()
    with pytest.raises(ConflictError), uow() as tx:
        tx.instruments.add(make_instrument(instrument_pid=first.instrument_pid))
        tx.commit()
    assert len(container.lab.queries().list_instruments()) == 1


def test_session_rows_round_trip_with_their_offset(container: Container) -> None:
    pid = add_instrument(container)
    uow = container.lab.unit_of_work
    start = make_session_entry(instrument=pid, timestamp=datetime(2026, 1, 5, 9, 0, tzinfo=KOLKATA))
    end = make_session_entry(
        instrument=pid,
        session_identifier=start.session_identifier,
        event_type=EventType.END,
        timestamp=datetime(2026, 1, 5, 5, 0, tzinfo=UTC),
        user="jsmith",
    )
    with uow() as tx:
        tx.session_log.add(end)
        tx.session_log.add(start)
        tx.commit()
    with uow() as tx:
        rows = tx.session_log.for_session(start.session_identifier)
        assert rows == [start, end]  # by instant: 03:30Z before 05:00Z
        assert [r.timestamp.utcoffset() for r in rows] == [KOLKATA.utcoffset(None), timedelta(0)]
        assert tx.session_log.for_session("unknown") == []
        assert tx.session_log.for_sessions([start.session_identifier, "unknown"]) == {
            start.session_identifier: [start, end]
        }
        rows[0].record_status = RecordStatus.TO_BE_BUILT
        tx.session_log.update(rows[0])
        tx.commit()
    with uow() as tx:
        (first, _end) = tx.session_log.for_session(start.session_identifier)
        assert first.record_status is RecordStatus.TO_BE_BUILT


def test_one_start_and_one_end_per_session(container: Container) -> None:
    pid = add_instrument(container)
    uow = container.lab.unit_of_work
    start = make_session_entry(instrument=pid)
    with uow() as tx:
        tx.session_log.add(start)
        tx.commit()
    with pytest.raises(ConflictError), uow() as tx:
        tx.session_log.add(
            make_session_entry(
                instrument=pid,
                session_identifier=start.session_identifier,
                timestamp=NOW + timedelta(minutes=1),
            )
        )
        tx.commit()
    with uow() as tx:
        for minutes in (1, 2):  # record generations are not limited
            tx.session_log.add(
                make_session_entry(
                    instrument=pid,
                    session_identifier=start.session_identifier,
                    event_type=EventType.RECORD_GENERATION,
                    timestamp=NOW + timedelta(minutes=minutes),
                )
            )
        tx.commit()
    with uow() as tx:
        assert len(tx.session_log.for_session(start.session_identifier)) == 3


def test_a_session_row_needs_its_instrument(container: Container) -> None:
    with pytest.raises(ConflictError, match="refers to a row"), container.lab.unit_of_work() as tx:
        tx.session_log.add(make_session_entry(instrument="NO-SUCH-INSTRUMENT"))
        tx.commit()


def test_sessions_query_joins_start_and_end_and_filters(container: Container) -> None:
    pid = add_instrument(container)
    other = add_instrument(container)
    uow = container.lab.unit_of_work
    with uow() as tx:
        for i, instrument in enumerate([pid, other, pid]):
            start = make_session_entry(
                instrument=instrument,
                session_identifier=f"s{i}",
                timestamp=NOW + timedelta(hours=i),
                record_status=RecordStatus.TO_BE_BUILT if i < 2 else RecordStatus.WAITING_FOR_END,
                user=f"user{i}",
            )
            tx.session_log.add(start)
            if i < 2:
                tx.session_log.add(
                    make_session_entry(
                        instrument=instrument,
                        session_identifier=f"s{i}",
                        event_type=EventType.END,
                        timestamp=(NOW + timedelta(hours=i, minutes=30)).astimezone(KOLKATA),
                        record_status=RecordStatus.TO_BE_BUILT,
                    )
                )
        tx.commit()
    queries = container.lab.queries()
    every = queries.sessions()
    assert [s.session_identifier for s in every] == ["s0", "s1", "s2"]
    assert every[0].end == NOW + timedelta(minutes=30)
    assert every[0].end is not None
    assert every[0].end.utcoffset() == KOLKATA.utcoffset(None)
    assert every[2].end is None
    assert every[2].user == "user2"
    assert [s.session_identifier for s in queries.sessions(instrument=pid)] == ["s0", "s2"]
    to_build = queries.sessions(status=RecordStatus.TO_BE_BUILT, limit=None)
    assert [s.session_identifier for s in to_build] == ["s0", "s1"]
    assert [s.session_identifier for s in queries.sessions(limit=1, offset=2)] == ["s2"]


def test_uploads_and_successful_destinations(container: Container) -> None:
    uow = container.lab.unit_of_work
    upload = make_upload(
        session_identifier="s1",
        timestamp=datetime(2026, 1, 5, 9, 0, tzinfo=KOLKATA),
        metadata={"nested": {"list": [1, "two", None, True]}, "emoji": "🧪"},
    )
    with uow() as tx:
        tx.upload_log.add(upload)
        tx.upload_log.add(make_upload(session_identifier="s1", destination_name="cdcs"))
        tx.upload_log.add(
            make_upload(session_identifier="s1", destination_name="eln", success=False)
        )
        tx.upload_log.add(make_upload(session_identifier="s2", destination_name="eln"))
        tx.commit()
    with uow() as tx:
        assert tx.upload_log.get(upload.id) == upload
        assert tx.upload_log.get(upload.id).timestamp.utcoffset() == KOLKATA.utcoffset(None)
    assert container.lab.queries().successful_destinations("s1") == {"cdcs"}
    assert container.lab.queries().successful_destinations("none") == set()


def test_external_ids_finders_and_unique_keys(container: Container) -> None:
    uow = container.lab.unit_of_work
    mapping = make_external_id(nexuslims_username="jsmith", external_id="12345")
    with uow() as tx:
        tx.external_ids.add(mapping)
        tx.external_ids.add(
            make_external_id(
                nexuslims_username="jsmith", external_system=ExternalSystem.CDCS, external_id="1"
            )
        )
        tx.commit()
    with uow() as tx:
        assert tx.external_ids.find_for_user("jsmith", ExternalSystem.NEMO) == mapping
        assert tx.external_ids.find_for_user("jsmith", ExternalSystem.LABARCHIVES_ELN) is None
        assert tx.external_ids.find_by_external_id("12345", ExternalSystem.NEMO) == mapping
        assert tx.external_ids.find_by_external_id("12345", ExternalSystem.CDCS) is None
    queries = container.lab.queries()
    assert queries.external_ids_of("jsmith") == {"cdcs": "1", "nemo": "12345"}
    assert queries.external_ids_of("nobody") == {}
    for duplicate in (
        make_external_id(nexuslims_username="jsmith", external_id="other"),
        make_external_id(nexuslims_username="jdoe", external_id="12345"),
    ):
        with pytest.raises(ConflictError, match="external_user_identifiers"), uow() as tx:
            tx.external_ids.add(duplicate)
            tx.commit()
    assert queries.external_ids_of("jdoe") == {}
