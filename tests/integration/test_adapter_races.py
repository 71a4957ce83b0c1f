"""The same races on every adapter (memory, SQLite, PostgreSQL), with threads: single-use tokens
have exactly one winner, a revoked key stays revoked, authenticating a valid key and reading
never fail. Outcome counts are printed as figures."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.lab.samples import SAMPLE_INSTRUMENT
from nexus.shared.errors import AuthenticationError, DomainError

PASSWORD = "correct horse battery"
THREADS = 6
NORMAL = {"tokens": 15, "revocations": 15, "authentications": 40, "reads": 40}
# NEXUS_RACE_SCALE multiplies the slow variant for a big run.
_SCALE = int(os.environ.get("NEXUS_RACE_SCALE", "1"))
SLOW = {race: 3 * n * _SCALE for race, n in NORMAL.items()}
FILLER = 60  # rows already in the token tables: the in-memory window grows with table size


def _outcome(action: Callable[[], object]) -> str:
    try:
        action()
    except AuthenticationError:
        return "refused"
    except DomainError as error:
        return type(error).__name__
    except Exception as error:  # counted, never raised out of a thread
        return f"unexpected {type(error).__name__}"
    return "won"


def _all_at_once(pool: ThreadPoolExecutor, action: Callable[[], object]) -> Counter[str]:
    barrier = threading.Barrier(THREADS)

    def contender() -> str:
        barrier.wait(timeout=60)
        return _outcome(action)

    futures = [pool.submit(contender) for _ in range(THREADS)]
    return Counter(f.result(timeout=120) for f in futures)


def _users(app: Nexus, prefix: str, count: int) -> Iterator[str]:
    for i in range(count):
        email = f"{prefix}{i}@example.org"
        app.identity.register_user(email=email, name=f"{prefix} {i}", password=PASSWORD)
        yield email


def single_use_tokens(app: Nexus, races: int, figure: Callable[[str], None]) -> None:
    for email in _users(app, "filler", FILLER):
        app.identity.request_password_reset(email)
        app.identity.issue_magic_link(email)
    winners: dict[str, Counter[int]] = {"password reset": Counter(), "magic link": Counter()}
    others: Counter[str] = Counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for email in _users(app, "racer", races):
            token = app.identity.request_password_reset(email)
            issued = app.identity.issue_magic_link(email)
            assert token is not None
            assert issued is not None
            for kind, redeem in (
                ("password reset", lambda t=token: app.identity.reset_password(t, PASSWORD)),
                ("magic link", lambda t=issued.token: app.identity.redeem_magic_link(t)),
            ):
                outcomes = _all_at_once(pool, redeem)
                winners[kind][outcomes["won"]] += 1
                others.update(k for k in outcomes.elements() if k not in ("won", "refused"))
    for kind, counts in winners.items():
        figure(f"{kind}: {races} races of {THREADS} threads, winners per race {dict(counts)}")
    figure(f"other outcomes: {dict(others)}")
    assert winners["password reset"] == Counter({1: races})
    assert winners["magic link"] == Counter({1: races})
    assert not others


def _one_revocation(
    app: Nexus, pool: ThreadPoolExecutor, user_id: Any, counts: Counter[str]
) -> None:
    """Revoke a key while THREADS - 1 threads authenticate it, each until five of its attempts
    began after the revoke returned."""
    created = app.identity.create_api_key(user_id, name="raced", actor=OPERATOR)
    revoked = threading.Event()
    revoke_outcome = ["pending"]
    started = threading.Barrier(THREADS)

    def authenticate() -> None:
        started.wait(timeout=60)
        after = 0
        while after < 5:
            began_after = revoked.is_set()
            outcome = _outcome(lambda: app.identity.authenticate_api_key(created.raw_key))
            when = f"after revoke {revoke_outcome[0]}" if began_after else "during revoke"
            counts[f"{when}: {outcome}"] += 1
            after += began_after

    def revoke() -> None:
        started.wait(timeout=60)
        outcome = _outcome(
            lambda: app.identity.revoke_api_key(user_id, created.key.id, actor=OPERATOR)
        )
        counts[f"revoke: {outcome}"] += 1
        revoke_outcome[0] = outcome
        revoked.set()

    futures = [pool.submit(authenticate) for _ in range(THREADS - 1)]
    futures.append(pool.submit(revoke))
    for future in futures:
        future.result(timeout=120)
    stored = {k.id: k for k in app.identity.list_api_keys(user_id, actor=OPERATOR)}
    state = "revoked" if stored[created.key.id].revoked_at is not None else "NOT revoked"
    counts[f"stored row: {state}"] += 1
    late = _outcome(lambda: app.identity.authenticate_api_key(created.raw_key))
    counts[f"late authentication: {late}"] += 1


def revocations(app: Nexus, races: int, figure: Callable[[str], None]) -> None:
    user = app.identity.register_user(email="ada@example.org", name="Ada", password=PASSWORD)
    counts: Counter[str] = Counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for _ in range(races):
            _one_revocation(app, pool, user.id, counts)
    figure(f"{races} revocations against {THREADS - 1} authenticating threads: {dict(counts)}")
    assert counts["revoke: won"] == races
    assert counts["stored row: revoked"] == races
    assert counts["late authentication: refused"] == races
    assert counts["after revoke won: won"] == 0
    assert not [k for k in counts if "unexpected" in k or "Error" in k]


def authentications(app: Nexus, rounds: int, figure: Callable[[str], None]) -> None:
    user = app.identity.register_user(email="ada@example.org", name="Ada", password=PASSWORD)
    raw = app.identity.create_api_key(user.id, name="busy", actor=OPERATOR).raw_key
    counts: Counter[str] = Counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for _ in range(rounds):
            counts.update(_all_at_once(pool, lambda: app.identity.authenticate_api_key(raw)))
    figure(f"{rounds} rounds of {THREADS} concurrent authentications of one key: {dict(counts)}")
    assert counts == Counter({"won": rounds * THREADS})


def reads(app: Nexus, rounds: int, figure: Callable[[str], None]) -> None:
    user = app.identity.register_user(email="ada@example.org", name="Ada", password=PASSWORD)
    raw = app.identity.create_api_key(user.id, name="busy", actor=OPERATOR).raw_key
    app.lab.register_instrument(**SAMPLE_INSTRUMENT)
    pid = SAMPLE_INSTRUMENT["instrument_pid"]
    readers: list[Callable[[], object]] = [
        lambda: app.identity.list_users(),
        lambda: app.identity.get_user(user.id),
        lambda: app.identity.get_user_by_email("ada@example.org"),
        lambda: app.identity.list_api_keys(user.id, actor=OPERATOR),
        lambda: app.identity.list_audit_events(actor=OPERATOR, limit=10),
        lambda: app.lab.get_instrument(pid),
        lambda: app.lab.list_sessions(),
    ]
    writes = iter(range(10**9))
    counts: Counter[str] = Counter()

    def writer() -> str:  # writes the rows the readers read
        n = next(writes)
        app.identity.authenticate_api_key(raw)
        app.identity.register_user(email=f"w{n}@example.org", name="W", password=PASSWORD)
        return "write"

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for i in range(rounds):
            read = readers[i % len(readers)]

            def contender(k: int, action: Callable[[], object], barrier: threading.Barrier) -> str:
                barrier.wait(timeout=60)
                if k < 2:
                    return f"write {_outcome(writer)}"
                return f"read {_outcome(action)}"

            barrier = threading.Barrier(THREADS)
            futures = [pool.submit(contender, k, read, barrier) for k in range(THREADS)]
            counts.update(f.result(timeout=120) for f in futures)
    figure(f"{rounds} rounds of 4 readers beside 2 writers: {dict(counts)}")
    assert counts == Counter({"read won": rounds * 4, "write won": rounds * 2})


RACES: dict[str, Callable[[Nexus, int, Callable[[str], None]], None]] = {
    "tokens": single_use_tokens,
    "revocations": revocations,
    "authentications": authentications,
    "reads": reads,
}


# What the in-memory adapter does not hold yet (issue 9): a revoke under concurrent
# authentications fails with ConcurrencyError (and authentications with it), the row is left
# unrevoked. Fixed by the persistence rewrite; strict, so the fix turns these into failures to
# remove.
MEMORY_FAILS: set[str] = set()


def _run(request: pytest.FixtureRequest, app: Nexus, race: str, size: dict[str, int]) -> None:
    if app.settings.persistence == "memory" and race in MEMORY_FAILS:
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="in-memory adapter concurrency: fixed by the persistence rewrite",
            )
        )
    RACES[race](app, size[race], request.getfixturevalue("figure"))


@pytest.mark.parametrize("race", list(RACES))
def test_adapter_races(request: pytest.FixtureRequest, app: Nexus, race: str) -> None:
    _run(request, app, race, NORMAL)


@pytest.mark.slow
@pytest.mark.parametrize("race", list(RACES))
def test_adapter_races_larger(request: pytest.FixtureRequest, app: Nexus, race: str) -> None:
    _run(request, app, race, SLOW)
