"""Login timing (issue 9): an unknown email, a wrong password, a locked and an inactive account
cost the same statements and the same hashing, on every engine. The medians are a figure, not
an assertion; the statement counts are asserted."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.shared.errors import AuthenticationError

PASSWORD = "correct horse battery"
TRIES = 60  # per case, interleaved in a shuffled order
CASES = ("unknown email", "wrong password", "locked", "inactive")


@contextmanager
def _statements(app: Nexus) -> Iterator[list[str]]:
    """Every statement the engine runs meanwhile (none for the in-memory adapters)."""
    seen: list[str] = []
    if app.settings.persistence == "memory":
        yield seen
        return
    engine = app.container.engine()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    def commit(_conn: Any) -> None:
        seen.append("COMMIT")

    event.listen(engine, "before_cursor_execute", count)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)
        event.remove(engine, "commit", commit)


def test_login_failures_cost_the_same_on_every_engine(
    app: Nexus, figure: Callable[[str], None]
) -> None:
    ident = app.identity
    for name in ("wrong", "locked", "inactive"):
        ident.register_user(email=f"{name}@example.org", name=name, password=PASSWORD)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            ident.login(email="locked@example.org", password="not the password")
    inactive = ident.get_user_by_email("inactive@example.org")
    ident.deactivate_user(inactive.id, actor=OPERATOR)
    emails = {
        "unknown email": "nobody@example.org",
        "wrong password": "wrong@example.org",
        "locked": "locked@example.org",
        "inactive": "inactive@example.org",
    }
    timings: dict[str, list[float]] = {case: [] for case in CASES}
    statements: dict[str, set[tuple[str, ...]]] = {case: set() for case in CASES}
    shuffle = random.Random(9)
    for n in range(TRIES):
        if n % 3 == 0:  # keep "wrong password" a counted failure, never a lock
            ident.login(email="wrong@example.org", password=PASSWORD)
        for case in shuffle.sample(CASES, len(CASES)):  # no case always runs first
            with _statements(app) as seen:
                started = time.perf_counter()
                with pytest.raises(AuthenticationError) as refused:
                    ident.login(email=emails[case], password="not the password")
                timings[case].append(time.perf_counter() - started)
            assert str(refused.value) == "invalid credentials"
            statements[case].add(tuple(seen))
    medians = {case: statistics.median(timings[case]) * 1000 for case in CASES}
    shapes = {case: sorted(statements[case]) for case in CASES}
    engine = (
        app.settings.persistence
        if app.settings.persistence == "memory"
        else (app.container.engine().dialect.name)
    )
    figure(
        f"login failure medians over {TRIES} tries [{engine}]: "
        + ", ".join(f"{case} {medians[case]:.2f} ms" for case in CASES)
        + f"; statements per attempt: {' '.join(shapes['unknown email'][0]) or 'none'}"
    )
    # The same statements, in the same order, for every case.
    assert all(len(s) == 1 for s in shapes.values()), shapes
    assert len({tuple(s) for s in shapes.values()}) == 1, shapes
