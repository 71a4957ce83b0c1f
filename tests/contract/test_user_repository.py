"""The UserRepository contract, on the in-memory adapter, SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest

from nexus.container import Container
from nexus.shared.errors import ConcurrencyError, ConflictError, NotFoundError
from nexus.shared.ids import UserId
from tests.factories import make_user


def test_add_then_get_round_trips_every_field(container: Container) -> None:
    uow = container.identity.unit_of_work
    user = make_user(username="ada", phone="+14155550123", bio="émoji 🧮", company="Acme")
    with uow() as tx:
        tx.users.add(user)
        tx.commit()
    with uow() as tx:
        loaded = tx.users.get(user.id)
    assert loaded == user
    assert loaded.created_at.tzinfo is not None


def test_get_unknown_id_raises_not_found(container: Container) -> None:
    with container.identity.unit_of_work() as tx, pytest.raises(NotFoundError):
        tx.users.get(UserId(uuid.uuid4()))


def test_find_by_email_ignores_case_and_spaces(container: Container) -> None:
    uow = container.identity.unit_of_work
    user = make_user(email="Grace@Example.org")
    with uow() as tx:
        tx.users.add(user)
        tx.commit()
    with uow() as tx:
        found = tx.users.find_by_email("  GRACE@example.ORG ")
        missing = tx.users.find_by_email("nobody@example.org")
    assert found is not None
    assert found.id == user.id
    assert missing is None


@pytest.mark.parametrize(
    ("field", "first", "second"),
    [
        ("email", "same@example.org", "SAME@example.org"),
        ("username", "sameuser", "sameuser"),
        ("phone", "+14155550100", "+14155550100"),
    ],
)
def test_unique_fields_refuse_a_second_row(
    container: Container, field: str, first: str, second: str
) -> None:
    uow = container.identity.unit_of_work
    with uow() as tx:
        tx.users.add(make_user(**{field: first}))
        tx.commit()
    with pytest.raises(ConflictError) as raised, uow() as tx:
        tx.users.add(make_user(**{field: second}))
        tx.commit()
    assert f"users.{field}" in str(raised.value)
    assert container.identity.user_queries().count_users() == 1


def test_leaving_without_commit_rolls_back(container: Container) -> None:
    uow = container.identity.unit_of_work
    user = make_user()
    with uow() as tx:
        tx.users.add(user)
    with uow() as tx:
        assert tx.users.find(user.id) is None


def test_an_error_inside_the_block_rolls_back(container: Container) -> None:
    uow = container.identity.unit_of_work
    user = make_user()
    with pytest.raises(RuntimeError), uow() as tx:
        tx.users.add(user)
        raise RuntimeError("boom")
    with uow() as tx:
        assert tx.users.find(user.id) is None


def test_update_persists_and_bumps_the_version(container: Container) -> None:
    uow = container.identity.unit_of_work
    user = make_user()
    with uow() as tx:
        tx.users.add(user)
        tx.commit()
    with uow() as tx:
        loaded = tx.users.get(user.id)
        loaded.record_failed_login(user.created_at + timedelta(minutes=1))
        tx.users.update(loaded)
        tx.commit()
    with uow() as tx:
        again = tx.users.get(user.id)
    assert again.failed_login_attempts == 1
    assert again.version == 2
    assert again.updated_at == user.created_at + timedelta(minutes=1)


def test_update_without_change_keeps_the_version(container: Container) -> None:
    uow = container.identity.unit_of_work
    user = make_user()
    with uow() as tx:
        tx.users.add(user)
        tx.commit()
    with uow() as tx:
        tx.users.update(tx.users.get(user.id))
        tx.commit()
    with uow() as tx:
        assert tx.users.get(user.id).version == 1


def test_a_stale_entity_cannot_overwrite_a_newer_one(container: Container) -> None:
    uow = container.identity.unit_of_work
    user = make_user()
    with uow() as tx:
        tx.users.add(user)
        tx.commit()
    with uow() as tx:
        stale = tx.users.get(user.id)
    with uow() as tx:
        fresh = tx.users.get(user.id)
        fresh.name = "First Writer"
        tx.users.update(fresh)
        tx.commit()
    stale.name = "Second Writer"
    with pytest.raises(ConcurrencyError), uow() as tx:
        tx.users.update(stale)
        tx.commit()
    with uow() as tx:
        assert tx.users.get(user.id).name == "First Writer"


def test_two_concurrent_writers_exactly_one_wins(container: Container) -> None:
    uow = container.identity.unit_of_work
    user = make_user()
    with uow() as tx:
        tx.users.add(user)
        tx.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def writer(name: str) -> None:
        try:
            with uow() as tx:
                loaded = tx.users.get(user.id)
                loaded.name = name
                barrier.wait(timeout=10)
                tx.users.update(loaded)
                tx.commit()
            outcomes.append("won")
        except ConcurrencyError:
            outcomes.append("lost")

    threads = [threading.Thread(target=writer, args=(f"Writer {i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["lost", "won"]
    with uow() as tx:
        assert tx.users.get(user.id).name in ("Writer 0", "Writer 1")
        assert tx.users.get(user.id).version == 2


def test_list_users_is_ordered_by_email_and_pages(container: Container) -> None:
    uow = container.identity.unit_of_work
    with uow() as tx:
        for letter in "cab":
            tx.users.add(make_user(email=f"{letter}@example.org"))
        tx.commit()
    queries = container.identity.user_queries()
    assert [u.email for u in queries.list_users()] == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]
    assert [u.email for u in queries.list_users(limit=1, offset=1)] == ["b@example.org"]
    assert queries.count_users() == 3


def test_two_concurrent_registrations_of_one_email_leave_one_row(container: Container) -> None:
    """No check-then-insert race: the constraint decides, and the loser gets a ConflictError."""
    from nexus.app import Nexus
    from nexus.settings import Settings

    persistence = "memory" if container.config.persistence() == "memory" else "sqlalchemy"
    app = Nexus(
        container, Settings(database_url=container.config.database_url(), persistence=persistence)
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def register(spelling: str) -> None:
        barrier.wait(timeout=10)
        try:
            app.identity.register_user(email=spelling, name="Racer", password="correct horse 1")
            outcomes.append("registered")
        except ConflictError:
            outcomes.append("conflict")

    threads = [
        threading.Thread(target=register, args=(s,))
        for s in ("race@example.org", "RACE@example.org")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "registered"]
    assert container.identity.user_queries().count_users() == 1
