"""Hypothesis stateful test: the same operations on the in-memory and a SQLAlchemy user
repository never diverge (results, errors, stored state)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from nexus.container import Container
from nexus.shared.errors import DomainError
from tests.conftest import make_container
from tests.factories import NOW, make_user

EMAILS = st.sampled_from(["a@example.org", "B@example.org", "b@example.org ", "c@example.org"])
NAMES = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
).filter(str.strip)


def _outcome(container: Container, action: Any) -> Any:
    try:
        with container.identity.unit_of_work() as tx:
            result = action(tx)
            tx.commit()
        return ("ok", result)
    except DomainError as error:
        return ("error", type(error).__name__)


@pytest.mark.usefixtures("migrated_sqlite_template")
def test_memory_and_sqlite_repositories_agree(
    migrated_sqlite_template: Path, clock: Any, cheap_hasher: Any
) -> None:
    class Machine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.dir = Path(tempfile.mkdtemp())
            shutil.copyfile(migrated_sqlite_template, self.dir / "db.sqlite")
            self.sql = make_container(
                "sqlalchemy", f"sqlite:///{self.dir / 'db.sqlite'}", clock, cheap_hasher
            )
            self.memory = make_container("memory", "sqlite://", clock, cheap_hasher)
            self.ids: list[Any] = []

        def both(self, action: Any) -> Any:
            left, right = _outcome(self.memory, action), _outcome(self.sql, action)
            assert left == right
            return left

        @rule(email=EMAILS, name=NAMES)
        def add(self, email: str, name: str) -> None:
            user = make_user(email=email, name=name)
            if self.both(lambda tx: tx.users.add(user))[0] == "ok":
                self.ids.append(user.id)

        @rule(data=st.data())
        def fail_login(self, data: st.DataObject) -> None:
            if not self.ids:
                return
            user_id = data.draw(st.sampled_from(self.ids))

            def action(tx: Any) -> int:
                user = tx.users.get(user_id)
                user.record_failed_login(NOW + timedelta(seconds=1))
                tx.users.update(user)
                return int(user.failed_login_attempts)

            self.both(action)

        @rule(email=EMAILS)
        def find(self, email: str) -> None:
            self.both(lambda tx: tx.users.find_by_email(email))

        @invariant()
        def same_listing(self) -> None:
            left = self.memory.identity.user_queries().list_users()
            right = self.sql.identity.user_queries().list_users()
            assert left == right

        def teardown(self) -> None:
            self.sql.shutdown_resources()
            shutil.rmtree(self.dir, ignore_errors=True)

    Machine.TestCase.settings = settings(
        max_examples=15,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    Machine.TestCase().runTest()
