"""Importing NEMO usage events: idempotent, a revised event replaces its END, bad files are
clear domain errors that write nothing; on the in-memory adapters, SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.lab.application.usage_events import session_identifier_for
from nexus.shared.errors import ValidationError
from tests.factories import make_instrument

BASE = "https://nemo.example.org/api/"
EST = timezone(timedelta(hours=-5))


def events() -> list[dict[str, Any]]:
    return [
        {
            "id": 1,
            "start": "2026-01-05T09:00:00-05:00",
            "end": "2026-01-05T11:00:00-05:00",
            "user": {"id": 7, "username": "jsmith"},
            "tool": {"id": 3},
        },
        {
            "id": 2,
            "start": "2026-01-06T08:00:00",
            "end": "2026-01-06T10:00:00",
            "user": 42,
            "tool": 3,
        },
        {"id": 3, "start": "2026-01-07T08:00:00-05:00", "end": None, "user": "x", "tool": 3},
        {
            "id": 4,
            "start": "2026-01-07T08:00:00Z",
            "end": "2026-01-07T09:00:00Z",
            "user": "y",
            "tool": 99,
        },
    ]


def write(tmp_path: Path, document: Any, name: str = "events.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def lab(app: Nexus) -> Any:
    instrument = make_instrument(api_url=f"{BASE}tools/?id=3", timezone="America/New_York")
    app.lab.register_instrument(**instrument.to_dict())
    app.lab.store_external_id("mdoe", "nemo", "42")
    return app.lab


def test_import_makes_sessions_to_build(lab: Any, tmp_path: Path) -> None:
    result = lab.import_usage_events(write(tmp_path, events()))
    assert (result.events, result.added, result.not_ended, result.unknown_tool) == (4, 2, 1, 1)
    first, second = lab.sessions_to_build()
    # NexusLIMS's own name for the session: the NEMO event's URL.
    assert first.session_identifier == session_identifier_for(BASE, "1")
    assert first.session_identifier == f"{BASE}usage_events/?id=1"
    assert (first.start, first.end) == (
        datetime(2026, 1, 5, 9, tzinfo=EST),
        datetime(2026, 1, 5, 11, tzinfo=EST),
    )
    assert first.user == "jsmith"
    # A time without offset is the instrument's wall clock; NEMO's user id maps through the
    # external ids to the NexusLIMS username.
    assert second.start == datetime(2026, 1, 6, 8, tzinfo=EST)
    assert second.start.utcoffset() == timedelta(hours=-5)
    assert second.user == "mdoe"


def test_importing_the_same_file_twice_changes_nothing(lab: Any, tmp_path: Path) -> None:
    path = write(tmp_path, events())
    lab.import_usage_events(path)
    before = lab.list_sessions()
    again = lab.import_usage_events(path)
    assert (again.added, again.revised, again.unchanged) == (0, 0, 2)
    assert lab.list_sessions() == before


def test_a_revised_event_updates_its_end(lab: Any, tmp_path: Path) -> None:
    lab.import_usage_events(write(tmp_path, events()))
    revised = events()
    revised[0]["end"] = "2026-01-05T12:30:00-05:00"
    revised[2]["end"] = "2026-01-07T09:00:00-05:00"  # event 3 has now ended
    result = lab.import_usage_events(write(tmp_path, revised, "revised.json"))
    assert (result.added, result.revised, result.unchanged) == (1, 1, 1)
    sessions = lab.sessions_to_build()
    assert len(sessions) == 3
    assert sessions[0].end == datetime(2026, 1, 5, 12, 30, tzinfo=EST)


def test_a_built_session_keeps_its_status_when_re_imported(lab: Any, tmp_path: Path) -> None:
    path = write(tmp_path, events())
    lab.import_usage_events(path)
    sid = session_identifier_for(BASE, "1")
    lab.set_record_status(sid, "COMPLETED")
    lab.import_usage_events(path)
    assert [s.session_identifier for s in lab.sessions_to_build()] == [
        session_identifier_for(BASE, "2")
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b'{"a": 1}', "JSON list of usage events"),
        (b"[1]", r"usage_events\[0\]: must be a JSON object"),
        (b'[{"id": 1, "start": "yesterday", "end": null, "tool": 3}]', r"\[0\]\.start"),
        (b'[{"id": 1, "start": "2026-01-01T00:00:00", "end": 5, "tool": 3}]', r"\[0\]\.end"),
        (b'[{"id": true, "start": "2026-01-01T00:00:00", "end": null, "tool": 3}]', r"\[0\]\.id"),
        (b'[{"id": 1, "start": "2026-01-01T00:00:00", "end": null}]', r"\[0\]\.tool"),
        (b"[" * 100_000, "bad.json is nested too deeply"),
    ],
)
def test_bad_files_are_clear_errors_and_write_nothing(
    lab: Any, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ValidationError, match=message):
        lab.import_usage_events(path)
    assert lab.list_sessions() == []


def test_an_invalid_event_late_in_the_file_writes_nothing(lab: Any, tmp_path: Path) -> None:
    broken = events()
    broken[1]["end"] = "2026-01-06T07:00:00"  # before its start
    with pytest.raises(ValidationError, match="before its START"):
        lab.import_usage_events(write(tmp_path, broken))
    assert lab.list_sessions() == []


def test_an_invalid_event_is_named_with_the_entry_field_and_rule(lab: Any, tmp_path: Path) -> None:
    too_long = events()
    too_long[0]["user"] = "u" * 51
    with pytest.raises(ValidationError) as caught:
        lab.import_usage_events(write(tmp_path, too_long))
    assert str(caught.value) == "usage_events[0]: session_log.user: must be at most 50 characters"
    backwards = events()
    backwards[1]["end"] = "2026-01-06T07:00:00"  # before its start
    with pytest.raises(ValidationError) as caught:
        lab.import_usage_events(write(tmp_path, backwards, "backwards.json"))
    assert str(caught.value) == (
        "usage_events[1]: session_log.timestamp: an END must not be before its START"
    )
    assert caught.value.field == "usage_events[1]"
    assert lab.list_sessions() == []


def test_directories_and_unreadable_paths(lab: Any, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="directory"):
        lab.import_usage_events(tmp_path)
    a_file = write(tmp_path, events())
    with pytest.raises(ValidationError, match="cannot read"):
        lab.import_usage_events(a_file / "inside-a-file.json")
    assert lab.list_sessions() == []


def test_a_nemo_api_page_is_accepted(lab: Any, tmp_path: Path) -> None:
    page = {"count": 4, "next": None, "previous": None, "results": events()}
    assert lab.import_usage_events(write(tmp_path, page)).added == 2


def _recorder(sent: list[str]) -> Any:
    return lambda *args: sent.append(args[2])


def test_statements_per_import_do_not_grow_with_the_events(
    database_url: str, tmp_path: Path, figure: Any
) -> None:
    """Batch finders inside the loop over events: 10 and 200 events cost the same statements
    (users resolved through the external ids, sessions loaded and saved in batches)."""
    from sqlalchemy import event

    from nexus import create_app

    url = database_url
    engine_name = url.split(":", 1)[0]
    counts = []
    for size in (10, 200):
        with create_app(url) as app:
            pid = f"FEI-{size}"
            app.lab.register_instrument(
                **make_instrument(instrument_pid=pid, api_url=f"{BASE}tools/?id={size}").to_dict()
            )
            for i in range(size):
                app.lab.store_external_id(f"user{size}-{i}", "nemo", str(size * 1000 + i))
            document = [
                {
                    "id": f"{size}-{i}",
                    "start": "2026-01-05T09:00:00+00:00",
                    "end": "2026-01-05T10:00:00+00:00",
                    "user": size * 1000 + i,
                    "tool": size,
                }
                for i in range(size)
            ]
            path = write(tmp_path, document, f"events{size}.json")
            sent: list[str] = []
            engine = app.container.engine()
            listener = _recorder(sent)
            event.listen(engine, "before_cursor_execute", listener)
            try:
                result = app.lab.import_usage_events(path)
            finally:
                event.remove(engine, "before_cursor_execute", listener)
            assert result.added == size
            (session, *_) = app.lab.list_sessions(instrument=pid, limit=1)
            assert session.user is not None
            assert session.user.startswith(f"user{size}-")
            counts.append(len(sent))
    figure(
        f"statements per usage-event import ({engine_name}): "
        f"10 events {counts[0]}, 200 events {counts[1]}"
    )
    assert counts[0] == counts[1]
