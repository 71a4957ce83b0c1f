"""Unit-of-work atomicity: a fault at each write statement of a multi-row use case leaves every
table exactly as it was. The fault is injected at the driver boundary (a SQLAlchemy
`before_cursor_execute` listener), on SQLite and PostgreSQL; nothing of ours is mocked."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.lab.samples import SAMPLE_INSTRUMENT, usage_events_file
from nexus.records import metadata
from nexus.settings import Settings
from tests.conftest import make_container

WRITES = ("INSERT", "UPDATE", "DELETE")
_counter = itertools.count()


class InjectedFaultError(Exception):
    """Raised in place of the Nth write statement."""


@pytest.fixture
def sql_app(database_url: str, clock: Any, cheap_hasher: Any) -> Iterator[Nexus]:
    container = make_container("sqlalchemy", database_url, clock, cheap_hasher)
    app = Nexus(container, Settings(database_url=database_url))
    yield app
    app.close()


def _dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            table.name: sorted(
                (tuple(str(v) for v in row) for row in connection.execute(select(table))),
            )
            for table in metadata.sorted_tables
        }


def _fail_at(engine: Engine, n: int) -> Callable[[], None]:
    seen = {"writes": 0}

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            seen["writes"] += 1
            if seen["writes"] == n:
                raise InjectedFaultError(f"fault at write {n}: {statement.split()[0]}")

    event.listen(engine, "before_cursor_execute", before)
    return lambda: event.remove(engine, "before_cursor_execute", before)


def _count_writes(engine: Engine, action: Callable[[], Any]) -> int:
    seen = {"writes": 0}

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            seen["writes"] += 1

    event.listen(engine, "before_cursor_execute", before)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return seen["writes"]


def _each_step_is_atomic(
    app: Nexus, make_action: Callable[[], Callable[[], Any]], figure: Callable[[str], None]
) -> int:
    """Fail the use case at each of its write statements in turn; every table must be unchanged
    after each failure. Returns how many write steps were tried."""
    engine: Engine = app.container.engine()
    probe = make_action()
    before = _dump(engine)
    writes = _count_writes(engine, probe)
    assert writes >= 2, "a multi-row use case writes more than once"
    after_success = _dump(engine)
    assert after_success != before
    for n in range(1, writes + 1):
        action = make_action()
        snapshot = _dump(engine)
        remove = _fail_at(engine, n)
        try:
            with pytest.raises(InjectedFaultError):
                action()
        finally:
            remove()
        assert _dump(engine) == snapshot, f"partial rows left after a fault at write {n}"
    figure(f"write steps faulted, none left partial rows: {writes}")
    return writes


def _unique() -> int:
    return next(_counter)


def test_register_user_is_atomic(sql_app: Nexus, figure: Callable[[str], None]) -> None:
    def make() -> Callable[[], Any]:
        email = f"atomic{_unique()}@example.org"
        return lambda: sql_app.identity.register_user(
            email=email, name="Atomic", password="correct horse battery"
        )

    _each_step_is_atomic(sql_app, make, figure)


def test_create_organization_is_atomic(sql_app: Nexus, figure: Callable[[str], None]) -> None:
    owner = sql_app.identity.register_user(
        email="owner@example.org", name="Owner", password="correct horse battery"
    )

    def make() -> Callable[[], Any]:
        slug = f"acme-{_unique()}"
        return lambda: sql_app.identity.create_organization(
            name="Acme", slug=slug, owner_id=owner.id
        )

    _each_step_is_atomic(sql_app, make, figure)


def test_reset_password_is_atomic(sql_app: Nexus) -> None:
    sql_app.identity.register_user(
        email="reset@example.org", name="Reset", password="correct horse battery"
    )

    def make() -> Callable[[], Any]:
        sql_app.identity.login(email="reset@example.org", password="correct horse battery")
        token = sql_app.identity.request_password_reset("reset@example.org")
        assert token is not None
        return lambda: sql_app.identity.reset_password(token, "another long passphrase")

    engine: Engine = sql_app.container.engine()
    writes = _count_writes(engine, make())
    assert writes >= 3
    restore = sql_app.identity.request_password_reset("reset@example.org")
    assert restore is not None
    sql_app.identity.reset_password(restore, "correct horse battery")
    for n in range(1, writes + 1):
        action = make()
        snapshot = _dump(engine)
        remove = _fail_at(engine, n)
        try:
            with pytest.raises(InjectedFaultError):
                action()
        finally:
            remove()
        assert _dump(engine) == snapshot, f"partial rows left after a fault at write {n}"


def test_import_usage_events_is_atomic(sql_app: Nexus, tmp_path: Any) -> None:
    sql_app.lab.register_instrument(**SAMPLE_INSTRUMENT)
    with usage_events_file() as sample:
        content = sample.read_text()
    path = tmp_path / "events.json"
    path.write_text(content)
    engine: Engine = sql_app.container.engine()
    writes = _count_writes(engine, lambda: sql_app.lab.import_usage_events(path))
    assert writes >= 1  # the session rows go in as one executemany
    # Back to an empty session log, then fault the import at each write.
    with engine.begin() as connection:
        for table in ("upload_log", "session_log"):
            connection.execute(metadata.tables[table].delete())
    for n in range(1, writes + 1):
        snapshot = _dump(engine)
        remove = _fail_at(engine, n)
        try:
            with pytest.raises(InjectedFaultError):
                sql_app.lab.import_usage_events(path)
        finally:
            remove()
        assert _dump(engine) == snapshot, f"partial rows left after a fault at write {n}"
    assert sql_app.lab.import_usage_events(path) is not None


def test_delete_organization_leaves_no_orphans(sql_app: Nexus) -> None:
    owner = sql_app.identity.register_user(
        email="o@example.org", name="O", password="correct horse battery"
    )
    member = sql_app.identity.register_user(
        email="m@example.org", name="M", password="correct horse battery"
    )
    org = sql_app.identity.create_organization(name="Acme", slug="acme", owner_id=owner.id)
    sql_app.identity.add_organization_member(org.id, member.id, role="admin", actor=OPERATOR)
    sql_app.identity.add_domain(org.id, "acme.example.org", actor=OPERATOR)
    sql_app.identity.delete_organization(org.id, actor=OPERATOR)
    dump = _dump(sql_app.container.engine())
    assert dump["organizations"] == []
    assert dump["organization_members"] == []
    assert dump["organization_domains"] == []
    assert len(dump["users"]) == 2
