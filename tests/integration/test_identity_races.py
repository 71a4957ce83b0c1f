"""Single-use tokens under contention: 200 races of two concurrent redemptions of the same
token, exactly one winner each, in memory, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from nexus.app import Nexus
from nexus.shared.errors import AuthenticationError

RACES = 200
PASSWORD = "correct horse battery"


def _race(pool: ThreadPoolExecutor, redeem: Callable[[], object]) -> int:
    barrier = threading.Barrier(2)

    def contender() -> bool:
        barrier.wait(timeout=30)
        try:
            redeem()
        except AuthenticationError:
            return False
        return True

    first, second = pool.submit(contender), pool.submit(contender)
    return int(first.result(timeout=60)) + int(second.result(timeout=60))


@pytest.mark.parametrize("kind", ["password_reset", "magic_link", "magic_link_code"])
def test_two_concurrent_redemptions_exactly_one_wins(
    app: Nexus, kind: str, figure: Callable[[str], None]
) -> None:
    app.identity.register_user(email="ada@example.org", name="Ada", password=PASSWORD)
    winners: list[int] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(RACES):
            if kind == "password_reset":
                token = app.identity.request_password_reset("ada@example.org")
                assert token is not None
                winners.append(
                    _race(pool, lambda t=token: app.identity.reset_password(t, PASSWORD))
                )
            else:
                issued = app.identity.issue_magic_link("ada@example.org")
                assert issued is not None
                if kind == "magic_link":
                    redeem = lambda t=issued.token: app.identity.redeem_magic_link(t)  # noqa: E731
                else:
                    redeem = lambda c=issued.code: app.identity.redeem_magic_link(  # noqa: E731
                        email="ada@example.org", code=c
                    )
                winners.append(_race(pool, redeem))
    figure(f"{kind}: {RACES} races, winners per race: {sorted(set(winners))}")
    assert winners == [1] * RACES
