"""NEMO usage events as a NexusLIMS site has them: NEMO users resolved through external ids
(with a backfill when the mapping arrives), two NEMO servers whose tool ids collide, paged API
responses, documents and streams as well as files, sessions named by nexus before identifiers
held URLs; and the session behaviours NexusLIMS has (str, rebuild, START without END)."""

from __future__ import annotations

import io
import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.lab.application.usage_events import legacy_session_identifier
from nexus.shared.errors import ConflictError, NotFoundError, ValidationError
from tests.factories import make_instrument

A = "https://nemo-a.example.org/api/"
B = "https://nemo-b.example.org/api/"
EST = timezone(timedelta(hours=-5))


def event(event_id: int, user: Any = 42, tool: int = 1, end: str | None = "T11") -> dict[str, Any]:
    return {
        "id": event_id,
        "start": "2026-01-05T09:00:00-05:00",
        "end": None if end is None else "2026-01-05T11:00:00-05:00",
        "user": user,
        "tool": tool,
    }


@pytest.fixture
def lab(app: Nexus) -> Any:
    for server, pid in ((A, "Titan-A"), (B, "Quanta-B")):
        instrument = make_instrument(instrument_pid=pid, api_url=f"{server}tools/?id=1")
        app.lab.register_instrument(**instrument.to_dict())
    return app.lab


def test_tool_ids_of_two_servers_are_told_apart_by_the_server(lab: Any) -> None:
    with pytest.raises(ValidationError, match=r"usage_events\[0\].tool: tool 1 matches several"):
        lab.import_usage_events([event(1)])
    assert lab.list_sessions() == []
    lab.import_usage_events([event(1)], server=A)
    lab.import_usage_events([event(1)], server=B.rstrip("/"))
    sessions = {s.session_identifier: s.instrument for s in lab.list_sessions()}
    assert sessions == {f"{A}usage_events/?id=1": "Titan-A", f"{B}usage_events/?id=1": "Quanta-B"}


def test_a_page_pointing_to_more_is_reported_and_names_its_server(lab: Any) -> None:
    page = {
        "count": 3,
        "next": f"{B}usage_events/?page=2",
        "previous": None,
        "results": [event(7), event(8)],
    }
    result = lab.import_usage_events(page)
    assert result.next_page == f"{B}usage_events/?page=2"
    assert not result.complete
    assert result.to_json()["next_page"] == f"{B}usage_events/?page=2"
    assert {s.instrument for s in lab.list_sessions()} == {"Quanta-B"}
    last = lab.import_usage_events({"next": None, "results": [event(9)]}, server=B)
    assert last.complete
    assert last.added == 1


def test_documents_and_streams_are_accepted_as_files_are(lab: Any) -> None:
    document = [event(1), event(2)]
    assert lab.import_usage_events(document, server=A).added == 2
    raw = json.dumps([event(3)])
    assert lab.import_usage_events(io.BytesIO(raw.encode()), server=A).added == 1
    assert lab.import_usage_events(io.StringIO(raw), server=A).unchanged == 1
    # Events already in memory: JSON text (str or bytes), a generator of dicts, a page as text.
    assert lab.import_usage_events(json.dumps([event(4)]), server=A).added == 1
    assert lab.import_usage_events(b" " + json.dumps([event(5)]).encode(), server=A).added == 1
    assert lab.import_usage_events((event(i) for i in (6, 7)), server=A).added == 2
    page = json.dumps({"next": None, "results": [event(7), event(8)]})
    imported = lab.import_usage_events("\n  " + page, server=A)
    assert (imported.added, imported.unchanged, imported.complete) == (1, 1, True)
    assert len(lab.list_sessions()) == 8
    with pytest.raises(ValidationError, match="the JSON text is not valid JSON"):
        lab.import_usage_events('[{"id": 1,', server=A)
    with pytest.raises(ValidationError, match="usage_events: must be a path, JSON text"):
        lab.import_usage_events(12, server=A)
    with pytest.raises(ValidationError, match="the stream is not valid JSON"):
        lab.import_usage_events(io.StringIO("[nope"), server=A)


def test_a_nemo_user_mapped_later_is_filled_in(lab: Any) -> None:
    lab.import_usage_events([event(1, user=42), event(2, user={"id": 43})], server=A)
    assert [s.user for s in lab.list_sessions()] == [None, None]
    lab.store_external_id("mdoe", "nemo", "42")  # the backfill: mdoe's sessions get her name
    assert sorted(str(s.user) for s in lab.list_sessions()) == ["None", "mdoe"]
    lab.store_external_id("jsmith", "nemo", "43")
    again = lab.import_usage_events([event(1, user=42), event(2, user={"id": 43})], server=A)
    assert (again.added, again.unchanged) == (0, 2)
    assert sorted(str(s.user) for s in lab.list_sessions()) == ["jsmith", "mdoe"]


def test_re_import_fills_in_a_user_known_now(lab: Any) -> None:
    sid = f"{A}usage_events/?id=5"
    for kind, hour in (("START", 9), ("END", 11)):
        at = datetime(2026, 1, 5, hour, tzinfo=EST)
        lab.insert_log(session_identifier=sid, instrument="Titan-A", timestamp=at, event_type=kind)
    lab.store_external_id("mdoe", "nemo", "42")
    result = lab.import_usage_events([event(5, user=42)], server=A)
    assert result.revised == 1
    assert [s.user for s in lab.list_sessions()] == ["mdoe"]


def test_sessions_named_by_uuid5_earlier_are_still_found(lab: Any) -> None:
    legacy = legacy_session_identifier(B, "1")
    assert uuid.UUID(legacy).version == 5
    # a session an older nexus imported under the UUIDv5 name stays readable, and a re-import
    # of its event finds it there instead of adding the session again under its URL
    for kind, hour in (("START", 9), ("END", 11)):
        at = datetime(2026, 1, 5, hour, tzinfo=EST)
        lab.insert_log(
            session_identifier=legacy, instrument="Quanta-B", timestamp=at, event_type=kind
        )
    result = lab.import_usage_events([event(1)], server=B)
    assert (result.added, result.unchanged) == (0, 1)
    assert [s.session_identifier for s in lab.list_sessions()] == [legacy]
    assert lab.import_usage_events([event(2)], server=B).added == 1
    assert f"{B}usage_events/?id=2" in {s.session_identifier for s in lab.list_sessions()}


def test_str_of_an_instrument_is_pid_in_location(lab: Any) -> None:
    titan = lab.get_instrument("Titan-A")
    assert str(titan) == f"Titan-A in {titan.location}"


def test_a_built_record_is_reset_for_a_rebuild(lab: Any) -> None:
    lab.import_usage_events([event(1)], server=A)
    sid = f"{A}usage_events/?id=1"
    lab.set_record_status(sid, "COMPLETED")
    assert lab.sessions_to_build() == []
    lab.reset_for_rebuild(sid)
    assert [s.session_identifier for s in lab.sessions_to_build()] == [sid]
    waiting = f"{A}usage_events/?id=2"
    at = datetime(2026, 1, 6, 9, tzinfo=EST)
    lab.insert_log(
        session_identifier=waiting, instrument="Titan-A", timestamp=at, event_type="START"
    )
    with pytest.raises(ConflictError, match="has not ended"):
        lab.reset_for_rebuild(waiting)
    with pytest.raises(NotFoundError):
        lab.reset_for_rebuild("no-such-session")
