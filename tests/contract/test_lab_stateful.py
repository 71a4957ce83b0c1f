"""Hypothesis stateful test: the same lab use cases on the in-memory adapters and on SQLite give
the same results and the same errors, step after step (ids aside: each side makes its own)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from nexus.app import Nexus
from nexus.lab.samples import SAMPLE_INSTRUMENT
from nexus.settings import Settings
from nexus.shared.clock import FixedClock
from nexus.shared.errors import DomainError
from tests.conftest import make_container

PID = SAMPLE_INSTRUMENT["instrument_pid"]
SESSIONS = st.sampled_from(["s-1", "s-2", "s-3"])
BASE = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
ZONES = [UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=45))]
MOMENTS = st.builds(
    lambda hours, zone: (BASE + timedelta(hours=hours)).astimezone(zone),
    st.integers(0, 6),
    st.sampled_from(ZONES),
)
USERS = st.sampled_from(["jsmith", "mdoe", "émile"])
SYSTEMS = st.sampled_from(["nemo", "cdcs", "labarchives_eln", "not_a_system"])
EXTERNAL = st.sampled_from(["1", "2", "Ω-3"])
STATUSES = st.sampled_from(
    ["WAITING_FOR_END", "TO_BE_BUILT", "COMPLETED", "ERROR", "BUILT_NOT_EXPORTED", "BOGUS"]
)
IDS = {"id", "id_session_log"}


def _plain(value: Any) -> Any:
    """Results without the ids each side generates for itself."""
    if hasattr(value, "to_json"):
        value = value.to_json()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in IDS}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _outcome(call: Any) -> Any:
    try:
        return ("ok", _plain(call()))
    except DomainError as error:
        return ("error", type(error).__name__, str(error))


def test_memory_and_sqlite_lab_agree(migrated_sqlite_template: Path, cheap_hasher: Any) -> None:
    class Machine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.dir = Path(tempfile.mkdtemp())
            shutil.copyfile(migrated_sqlite_template, self.dir / "lab.db")
            url = f"sqlite:///{self.dir / 'lab.db'}"
            self.apps = [
                Nexus(
                    make_container(p, u, FixedClock(BASE), cheap_hasher),
                    Settings(database_url=u, persistence=p),
                )
                for p, u in (("memory", "sqlite://"), ("sqlalchemy", url))
            ]
            for app in self.apps:
                app.lab.register_instrument(**SAMPLE_INSTRUMENT)

        def both(self, call: Any) -> Any:
            memory, sql = (_outcome(lambda a=app: call(a)) for app in self.apps)
            assert memory == sql
            return memory

        @rule(session=SESSIONS, at=MOMENTS, event=st.sampled_from(["START", "END"]), user=USERS)
        def log(self, session: str, at: datetime, event: str, user: str) -> None:
            self.both(
                lambda app: app.lab.insert_log(
                    session_identifier=session,
                    instrument=PID,
                    timestamp=at,
                    event_type=event,
                    user=user,
                )
            )

        @rule(session=SESSIONS, status=STATUSES)
        def set_status(self, session: str, status: str) -> None:
            self.both(lambda app: app.lab.set_record_status(session, status))

        @rule(user=USERS, system=SYSTEMS, external=EXTERNAL, email=st.none() | st.just("a@b.org"))
        def store(self, user: str, system: str, external: str, email: str | None) -> None:
            self.both(lambda app: app.lab.store_external_id(user, system, external, email=email))

        @rule(external=EXTERNAL, system=SYSTEMS)
        def lookup(self, external: str, system: str) -> None:
            self.both(lambda app: app.lab.get_nexuslims_username(external, system))

        @invariant()
        def same_state(self) -> None:
            self.both(lambda app: app.lab.sessions_to_build())
            self.both(lambda app: app.lab.list_sessions())
            for user in ("jsmith", "mdoe", "émile"):
                self.both(lambda app, u=user: app.lab.get_all_external_ids(u))

        def teardown(self) -> None:
            for app in self.apps:
                app.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    Machine.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    Machine.TestCase().runTest()
