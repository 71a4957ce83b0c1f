"""Logins racing password resets, changes, deactivations and each other (found in review):
the outcome of a password check stands only for the password it verified, and parallel
guesses never get past the lockout. On memory, SQLite and PostgreSQL; the hasher is the real
Argon2 hasher with a hook that runs another use case while a password is being verified."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.identity.infrastructure.hashing import Argon2PasswordHasher
from nexus.records import metadata
from nexus.shared.errors import AuthenticationError

OLD = "correct horse battery"
NEW = "another long passphrase"


class HookedHasher(Argon2PasswordHasher):
    """Cheap Argon2id that can run a hook (once) in the middle of a verification."""

    def __init__(self, *, needs_rehash: bool = False) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1, insecure=True)
        self.hook: Callable[[], None] | None = None
        self.force_rehash = needs_rehash
        self.verifications = 0
        self._lock = threading.Lock()

    def verify(self, hashed: str, password: str) -> bool:
        with self._lock:
            self.verifications += 1
            hook, self.hook = self.hook, None
        if hook is not None:
            hook()
        return super().verify(hashed, password)

    def needs_rehash(self, hashed: str) -> bool:
        return self.force_rehash or super().needs_rehash(hashed)


def _with_hasher(app: Nexus, hasher: HookedHasher) -> Nexus:
    app.container.password_hasher.override(hasher)
    app.container.identity.facade.reset()
    app.identity = app.container.identity.facade()
    return app


def _active_sessions(app: Nexus, user_id: Any) -> int:
    """Refresh tokens of the user that are not revoked, read straight from the store."""
    if app.settings.persistence == "memory":
        rows = app.container.memory_store().snapshot("refresh_tokens")
        return sum(1 for t in rows if t["user_id"] == user_id and t["revoked_at"] is None)
    table = metadata.tables["refresh_tokens"]
    with app.container.engine().connect() as connection:
        return int(
            connection.scalar(
                select(func.count())
                .select_from(table)
                .where(table.c.user_id == user_id, table.c.revoked_at.is_(None))
            )
            or 0
        )


@pytest.mark.parametrize("outdated_hash", [False, True])
def test_a_login_racing_a_password_reset_loses(app: Nexus, outdated_hash: bool) -> None:
    hasher = _with_hasher(app, HookedHasher(needs_rehash=outdated_hash)).container.password_hasher()
    user = app.identity.register_user(email="v@example.org", name="V", password=OLD)
    token = app.identity.request_password_reset("v@example.org")
    assert token is not None
    hasher.hook = lambda: app.identity.reset_password(token, NEW)
    with pytest.raises(AuthenticationError):
        app.identity.login(email="v@example.org", password=OLD)
    assert _active_sessions(app, user.id) == 0
    with pytest.raises(AuthenticationError):
        app.identity.authenticate(email="v@example.org", password=OLD)
    assert app.identity.authenticate(email="v@example.org", password=NEW).id == user.id


def test_a_login_racing_a_deactivation_gets_no_session(app: Nexus) -> None:
    hasher = _with_hasher(app, HookedHasher()).container.password_hasher()
    user = app.identity.register_user(email="d@example.org", name="D", password=OLD)
    hasher.hook = lambda: app.identity.deactivate_user(user.id, actor=OPERATOR)
    with pytest.raises(AuthenticationError):
        app.identity.login(email="d@example.org", password=OLD)
    assert _active_sessions(app, user.id) == 0


def test_a_password_change_racing_a_reset_does_not_undo_it(app: Nexus) -> None:
    hasher = _with_hasher(app, HookedHasher()).container.password_hasher()
    user = app.identity.register_user(email="c@example.org", name="C", password=OLD)
    token = app.identity.request_password_reset("c@example.org")
    assert token is not None
    hasher.hook = lambda: app.identity.reset_password(token, NEW)
    with pytest.raises(AuthenticationError):
        app.identity.change_password(
            user.id, current_password=OLD, new_password="attacker's choice"
        )
    assert app.identity.authenticate(email="c@example.org", password=NEW).id == user.id


def test_parallel_guesses_never_get_past_the_lockout(
    app: Nexus, figure: Callable[[str], None]
) -> None:
    hasher = _with_hasher(app, HookedHasher()).container.password_hasher()
    app.identity.register_user(email="g@example.org", name="G", password=OLD)
    barrier = threading.Barrier(12)
    refused: list[str] = []

    def guess(i: int) -> None:
        barrier.wait(timeout=20)
        try:
            app.identity.authenticate(email="g@example.org", password=f"wrong guess {i}")
        except AuthenticationError:
            refused.append("refused")

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(refused) == 12
    assert app.identity.get_user_by_email("g@example.org").is_locked
    with app.container.identity.unit_of_work() as tx:
        assert tx.users.find_by_email("g@example.org").failed_login_attempts == 5
    # Burns (equal work for refused attempts) count too: 12 attempts, each paid one verify.
    assert hasher.verifications == 12
    figure("12 parallel wrong guesses: 5 counted, account locked, 7 refused before any check")
    with pytest.raises(AuthenticationError):
        app.identity.authenticate(email="g@example.org", password=OLD)
