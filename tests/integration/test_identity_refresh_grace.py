"""Two tabs refreshing one token at once (issue 9): within the grace window both get a working
session; a replay after it still revokes the whole family. Real thread races on memory,
SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from nexus.app import Nexus
from nexus.identity.application.policy import IdentityPolicy
from nexus.shared.errors import AuthenticationError, ValidationError

RACES = 50
PASSWORD = "correct horse battery"
EMAIL = "ada@example.org"


def _with_policy(app: Nexus, policy: IdentityPolicy) -> Nexus:
    app.container.identity.policy.override(policy)
    app.container.identity.facade.reset()
    app.identity = app.container.identity.facade()
    return app


def _race(pool: ThreadPoolExecutor, app: Nexus, token: str) -> list[str | None]:
    """Both contenders rotate `token` at once; each gets its new token or None."""
    barrier = threading.Barrier(2)

    def contender() -> str | None:
        barrier.wait(timeout=30)
        try:
            return app.identity.rotate_refresh_token(token).refresh_token
        except AuthenticationError:
            return None

    first, second = pool.submit(contender), pool.submit(contender)
    return [first.result(timeout=60), second.result(timeout=60)]


def _works(app: Nexus, token: str | None) -> bool:
    if token is None:
        return False
    try:
        app.identity.rotate_refresh_token(token)
    except AuthenticationError:
        return False
    return True


def test_two_tabs_refreshing_at_once_both_keep_a_working_session(
    app: Nexus, figure: Callable[[str], None]
) -> None:
    app.identity.register_user(email=EMAIL, name="Ada", password=PASSWORD)
    outcomes: dict[str, int] = {"both work": 0, "one works": 0, "none works": 0}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(RACES):
            token = app.identity.login(email=EMAIL, password=PASSWORD).refresh_token
            new_tokens = _race(pool, app, token)
            working = sum(_works(app, t) for t in new_tokens)
            outcomes[["none works", "one works", "both work"][working]] += 1
    figure(f"refresh grace: {RACES} two-tab races: {outcomes}")
    assert outcomes == {"both work": RACES, "one works": 0, "none works": 0}


def test_a_replay_after_the_grace_window_revokes_the_family(app: Nexus) -> None:
    app.identity.register_user(email=EMAIL, name="Ada", password=PASSWORD)
    token = app.identity.login(email=EMAIL, password=PASSWORD).refresh_token
    successor = app.identity.rotate_refresh_token(token).refresh_token
    sibling = app.identity.rotate_refresh_token(token).refresh_token  # within 10 s: a sibling
    app.container.clock().advance(timedelta(seconds=11))
    with pytest.raises(AuthenticationError):
        app.identity.rotate_refresh_token(token)  # a replay: the whole family goes
    for live in (successor, sibling):
        with pytest.raises(AuthenticationError):
            app.identity.rotate_refresh_token(live)


def test_the_grace_window_never_revives_a_logged_out_session(app: Nexus) -> None:
    app.identity.register_user(email=EMAIL, name="Ada", password=PASSWORD)
    token = app.identity.login(email=EMAIL, password=PASSWORD).refresh_token
    successor = app.identity.rotate_refresh_token(token).refresh_token
    assert app.identity.logout(successor)
    with pytest.raises(AuthenticationError):
        app.identity.rotate_refresh_token(token)


def test_a_zero_grace_window_is_the_strict_reading(app: Nexus) -> None:
    """Configurable: with no window, a concurrent refresh is a reuse and ends the session."""
    _with_policy(app, IdentityPolicy(refresh_reuse_grace=timedelta(0)))
    app.identity.register_user(email=EMAIL, name="Ada", password=PASSWORD)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(10):
            token = app.identity.login(email=EMAIL, password=PASSWORD).refresh_token
            new_tokens = _race(pool, app, token)
            assert sum(t is not None for t in new_tokens) == 1
            assert not any(_works(app, t) for t in new_tokens)


@pytest.mark.parametrize("grace", [timedelta(seconds=-1), timedelta(hours=1)])
def test_the_grace_window_is_bounded(grace: timedelta) -> None:
    with pytest.raises(ValidationError, match="refresh_reuse_grace"):
        IdentityPolicy(refresh_reuse_grace=grace)
