"""Lab writers racing each other (found in review), on memory, SQLite and PostgreSQL: two
status moves of one session, and two imports of the same events in opposite orders.

The use cases run on the real units of work; a gate only makes the race certain: each
writer's first write to the session log waits until every writer has read and decided."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from nexus.app import Nexus
from nexus.lab.application.facade import LabFacade
from nexus.lab.domain.enums import RecordStatus
from nexus.records import metadata
from nexus.shared.errors import ConflictError
from tests.factories import make_instrument

BASE = "https://nemo.example.org/api/"


class Gate:
    """A unit-of-work factory over the real one: in each of `parties` threads, the first
    `add` or `update` of a session-log row waits until every thread has got that far."""

    def __init__(self, factory: Callable[[], Any], parties: int) -> None:
        self._factory = factory
        self._barrier = threading.Barrier(parties)
        self._passed: set[int] = set()

    def __call__(self) -> GatedUnitOfWork:
        return GatedUnitOfWork(self._factory(), self)

    def wait_once(self) -> None:
        me = threading.get_ident()
        if me not in self._passed:
            self._passed.add(me)
            self._barrier.wait(timeout=20)


class GatedRepository:
    def __init__(self, inner: Any, gate: Gate) -> None:
        self._inner = inner
        self._gate = gate

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def add(self, entity: Any) -> None:
        self._gate.wait_once()
        self._inner.add(entity)

    def update(self, entity: Any) -> None:
        self._gate.wait_once()
        self._inner.update(entity)

    def save_sessions(self, sessions: Any) -> None:
        self._gate.wait_once()
        self._inner.save_sessions(sessions)


class GatedUnitOfWork:
    def __init__(self, inner: Any, gate: Gate) -> None:
        self._inner = inner
        self._gate = gate

    def __enter__(self) -> GatedUnitOfWork:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._inner.__exit__(*exc_info)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    @property
    def session_log(self) -> GatedRepository:
        return GatedRepository(self._inner.session_log, self._gate)


def _in_threads(actions: list[Callable[[], Any]]) -> list[Any]:
    """Run each action in its own thread; its result, or the exception it raised."""
    outcomes: list[Any] = [None] * len(actions)

    def run(i: int) -> None:
        try:
            outcomes[i] = actions[i]()
        except BaseException as error:
            outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _event_rows(app: Nexus) -> Counter[tuple[str, str]]:
    """(session_identifier, event_type) -> number of rows, read straight from the store."""
    if app.settings.persistence == "memory":
        rows = app.container.memory_store().snapshot("session_log")
        return Counter((e["session_identifier"], e["event_type"]) for e in rows)
    table = metadata.tables["session_log"]
    with app.container.engine().connect() as connection:
        found = connection.execute(
            select(table.c.session_identifier, table.c.event_type, func.count()).group_by(
                table.c.session_identifier, table.c.event_type
            )
        )
        return Counter({(sid, event): int(n) for sid, event, n in found})


@pytest.fixture
def pid(app: Nexus) -> str:
    instrument = make_instrument(api_url=f"{BASE}tools/?id=3")
    app.lab.register_instrument(**instrument.to_dict())
    return instrument.instrument_pid


def test_concurrent_status_moves_one_wins_and_the_lifecycle_holds(app: Nexus, pid: str) -> None:
    targets = [RecordStatus.COMPLETED, RecordStatus.ERROR]
    for round_ in range(3):
        sid = f"race-{round_}"
        for event, hour in (("START", 9), ("END", 11)):
            app.lab.insert_log(
                session_identifier=sid,
                instrument=pid,
                timestamp=datetime(2026, 1, 5, hour, tzinfo=UTC),
                event_type=event,
            )
        move = _gated_lab(app).set_record_status
        outcomes = _in_threads([lambda t=t, m=move, s=sid: m(s, t) for t in targets])

        winners = [t for t, o in zip(targets, outcomes, strict=True) if o is None]
        losers = [o for o in outcomes if o is not None]
        assert len(winners) == 1, outcomes
        # The loser's unit of work was re-run on fresh state and refused the illegal move
        # (COMPLETED is final; ERROR -> COMPLETED is not a lifecycle move).
        assert len(losers) == 1
        assert isinstance(losers[0], ConflictError), repr(losers[0])
        assert "cannot move" in str(losers[0])
        (session,) = app.lab.list_sessions(instrument=pid, limit=10, offset=round_)
        assert session.session_identifier == sid
        assert session.record_status == winners[0].value


def _gated_lab(app: Nexus) -> LabFacade:
    """`app.lab` whose units of work hold every thread's first write until both got there."""
    return LabFacade(
        uow=Gate(app.container.lab.unit_of_work, parties=2),
        queries=app.container.lab.queries(),
        clock=app.container.clock(),
    )


def _usage_events(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "start": f"2026-01-05T{9 + i % 10:02d}:00:00+00:00",
            "end": f"2026-01-05T{9 + i % 10:02d}:30:00+00:00",
            "user": f"user{i % 7}",
            "tool": 3,
        }
        for i in range(count)
    ]


def test_concurrent_imports_in_opposite_orders_both_finish(
    app: Nexus, pid: str, tmp_path: Path
) -> None:
    events = _usage_events(300)
    forward, backward = tmp_path / "forward.json", tmp_path / "backward.json"
    forward.write_text(json.dumps(events), encoding="utf-8")
    backward.write_text(json.dumps(events[::-1]), encoding="utf-8")
    importer = _gated_lab(app).import_usage_events

    outcomes = _in_threads([lambda p=p: importer(p) for p in (forward, backward)])

    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert errors == []
    # One import added every session; the other, re-run after losing, found them unchanged.
    assert sorted((o.added, o.unchanged) for o in outcomes) == [(0, 300), (300, 0)]
    rows = _event_rows(app)
    assert len(rows) == 600
    assert set(rows.values()) == {1}
    assert {event for _sid, event in rows} == {"START", "END"}
    assert len(app.lab.sessions_to_build()) == 300
