"""Hypothesis stateful test of the ingestion-job state machine: random steps through
`app.conversations` on the in-memory adapters and on SQLite agree with a reference model
(queued -> running -> succeeded | failed | cancelled; failed with attempts left -> queued;
finished is immutable; progress only forward), step after step."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from nexus.app import Nexus
from nexus.settings import Settings
from nexus.shared.actors import OPERATOR
from nexus.shared.clock import FixedClock
from nexus.shared.errors import DomainError
from tests.conftest import make_container
from tests.contract.conversations_setup import crew

FINISHED = {"succeeded", "failed", "cancelled"}
MAX_ATTEMPTS = 2


class Model:
    """What the rules say, written plainly."""

    def __init__(self) -> None:
        self.status, self.progress, self.attempt = "queued", 0, 0

    def start(self) -> bool:
        if self.status != "queued" or self.attempt >= MAX_ATTEMPTS:
            return False
        self.status, self.attempt = "running", self.attempt + 1
        return True

    def advance(self, progress: int) -> bool:
        if self.status != "running" or not 0 <= progress <= 100 or progress < self.progress:
            return False
        self.progress = progress
        return True

    def finish(self, status: str, allowed: set[str]) -> bool:
        if self.status not in allowed:
            return False
        self.status = status
        if status == "succeeded":
            self.progress = 100
        return True

    def retry(self) -> bool:
        if self.status != "failed" or self.attempt >= MAX_ATTEMPTS:
            return False
        self.status = "queued"
        return True


def _app(persistence: str, url: str, hasher: Any) -> Nexus:
    container = make_container(persistence, url, FixedClock(), hasher)
    return Nexus(container, Settings(database_url=url, persistence=persistence))


def test_ingestion_jobs_follow_their_state_machine(
    migrated_sqlite_template: Path, cheap_hasher: Any
) -> None:
    class Machine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.folder = tempfile.mkdtemp()
            target = Path(self.folder) / "nexus.db"
            shutil.copyfile(migrated_sqlite_template, target)
            self.apps = [
                _app("memory", "sqlite://", cheap_hasher),
                _app("sqlalchemy", f"sqlite:///{target}", cheap_hasher),
            ]
            self.sides = []
            for app in self.apps:
                team = crew(app)
                job = app.conversations.queue_ingestion_job(
                    team.workspace,
                    source_path="/drive/file.pdf",
                    actor=team.member,
                    max_attempts=MAX_ATTEMPTS,
                )
                self.sides.append((app, team.workspace, job.id))
            self.model = Model()

        def teardown(self) -> None:
            for app in self.apps:
                app.close()
            shutil.rmtree(self.folder, ignore_errors=True)

        def _step(self, name: str, expected: bool, *args: Any, **kwargs: Any) -> None:
            outcomes = []
            for app, workspace, job in self.sides:
                call = getattr(app.conversations, name)
                try:
                    call(workspace, job, *args, actor=OPERATOR, **kwargs)
                    outcomes.append("ok")
                except DomainError as error:
                    outcomes.append(type(error).__name__)
            assert outcomes[0] == outcomes[1]
            assert (outcomes[0] == "ok") is expected, (name, args, outcomes)

        @rule()
        def start(self) -> None:
            self._step("start_job", self.model.start())

        @rule(progress=st.integers(-5, 110))
        def advance(self, progress: int) -> None:
            self._step("advance_job", self.model.advance(progress), progress)

        @rule()
        def complete(self) -> None:
            self._step("complete_job", self.model.finish("succeeded", {"running"}))

        @rule()
        def fail(self) -> None:
            allowed = self.model.finish("failed", {"queued", "running"})
            self._step("fail_job", allowed, error_code="boom", error_message="it broke")

        @rule()
        def cancel(self) -> None:
            self._step("cancel_job", self.model.finish("cancelled", {"queued", "running"}))

        @rule()
        def retry(self) -> None:
            self._step("retry_job", self.model.retry())

        @invariant()
        def both_sides_hold_the_model(self) -> None:
            for app, workspace, job_id in self.sides:
                job = app.conversations.get_job(workspace, job_id, actor=OPERATOR)
                state = (job.status, job.progress, job.attempt)
                assert state == (self.model.status, self.model.progress, self.model.attempt)
                assert (job.finished_at is not None) == (job.status in FINISHED)

    Machine.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    Machine.TestCase().runTest()
