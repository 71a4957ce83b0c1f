"""RegisterUser and Authenticate on the in-memory adapters."""

from __future__ import annotations

import threading
from datetime import timedelta

import argon2
import pytest

from nexus.app import Nexus
from nexus.identity.infrastructure.hashing import Argon2PasswordHasher
from nexus.shared.errors import AuthenticationError, ConflictError, NotFoundError, ValidationError

PASSWORD = "correct horse battery"


def test_register_normalises_email_and_returns_a_result_without_hash(memory_app: Nexus) -> None:
    user = memory_app.identity.register_user(
        email="  Ada@Example.ORG ", name="Ada", password=PASSWORD
    )
    assert user.email == "ada@example.org"
    assert not hasattr(user, "hashed_password")
    assert memory_app.identity.get_user(user.id) == user
    assert memory_app.identity.get_user(str(user.id)) == user
    assert memory_app.identity.get_user_by_email("ADA@example.org") == user


@pytest.mark.parametrize("variant", ["ada@example.org", "ADA@EXAMPLE.ORG", " Ada@example.org\t"])
def test_duplicate_email_in_any_case_is_refused_and_nothing_written(
    memory_app: Nexus, variant: str
) -> None:
    memory_app.identity.register_user(email="ada@example.org", name="Ada", password=PASSWORD)
    with pytest.raises(ConflictError, match=r"users\.email"):
        memory_app.identity.register_user(email=variant, name="Other", password=PASSWORD)
    assert len(memory_app.identity.list_users()) == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"email": "not-an-email"}, "users.email"),
        ({"name": ""}, "users.name"),
        ({"name": "x" * 256}, "users.name"),
        ({"password": "short"}, "password"),
        ({"password": "x" * 1025}, "password"),
        ({"username": "No Spaces"}, "users.username"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    memory_app: Nexus, kwargs: dict[str, str], field: str
) -> None:
    values = {"email": "ada@example.org", "name": "Ada", "password": PASSWORD, **kwargs}
    with pytest.raises(ValidationError) as raised:
        memory_app.identity.register_user(**values)
    assert raised.value.field == field
    assert memory_app.identity.list_users() == []


def test_stored_hash_is_argon2id(memory_app: Nexus) -> None:
    user = memory_app.identity.register_user(email="a@example.org", name="A", password=PASSWORD)
    with memory_app.container.identity.unit_of_work() as tx:
        stored = tx.users.get(user.id).hashed_password
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_authenticate_success_records_login(memory_app: Nexus) -> None:
    memory_app.identity.register_user(email="a@example.org", name="A", password=PASSWORD)
    clock = memory_app.container.clock()
    clock.advance(timedelta(minutes=5))
    user = memory_app.identity.authenticate(email="A@example.org ", password=PASSWORD)
    assert user.last_login_at == clock.now()


def test_wrong_password_and_unknown_email_give_the_same_error(memory_app: Nexus) -> None:
    memory_app.identity.register_user(email="a@example.org", name="A", password=PASSWORD)
    with pytest.raises(AuthenticationError) as wrong:
        memory_app.identity.authenticate(email="a@example.org", password="wrong password")
    with pytest.raises(AuthenticationError) as unknown:
        memory_app.identity.authenticate(email="b@example.org", password="wrong password")
    assert str(wrong.value) == str(unknown.value)
    with pytest.raises(ValidationError) as garbage:  # refused before anything is counted
        memory_app.identity.authenticate(email="not an email", password="wrong password")
    assert garbage.value.field == "email"


class CountingHasher(Argon2PasswordHasher):
    """A real hasher that counts the Argon2 verifications it performs."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1, insecure=True)
        self.verifications = 0

    def verify(self, hashed: str, password: str) -> bool:
        self.verifications += 1
        return super().verify(hashed, password)


def test_unknown_email_costs_the_same_hashing_work(memory_app: Nexus) -> None:
    hasher = CountingHasher()
    memory_app.container.password_hasher.override(hasher)
    memory_app.container.identity.facade.reset()
    memory_app.identity = memory_app.container.identity.facade()
    memory_app.identity.register_user(email="a@example.org", name="A", password=PASSWORD)
    with pytest.raises(AuthenticationError):
        memory_app.identity.authenticate(email="a@example.org", password="wrong password")
    known = hasher.verifications
    with pytest.raises(AuthenticationError):
        memory_app.identity.authenticate(email="nobody@example.org", password="wrong password")
    assert known == 1
    assert hasher.verifications - known == 1


def test_five_failures_lock_the_account_even_with_the_right_password(memory_app: Nexus) -> None:
    memory_app.identity.register_user(email="a@example.org", name="A", password=PASSWORD)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            memory_app.identity.authenticate(email="a@example.org", password="wrong password")
    assert memory_app.identity.get_user_by_email("a@example.org").is_locked
    with pytest.raises(AuthenticationError):
        memory_app.identity.authenticate(email="a@example.org", password=PASSWORD)


def test_a_success_resets_the_failure_count(memory_app: Nexus) -> None:
    memory_app.identity.register_user(email="a@example.org", name="A", password=PASSWORD)
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            memory_app.identity.authenticate(email="a@example.org", password="wrong password")
    memory_app.identity.authenticate(email="a@example.org", password=PASSWORD)
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            memory_app.identity.authenticate(email="a@example.org", password="wrong password")
    assert not memory_app.identity.get_user_by_email("a@example.org").is_locked


def test_concurrent_failures_all_count(memory_app: Nexus) -> None:
    memory_app.identity.register_user(email="a@example.org", name="A", password=PASSWORD)

    def attempt() -> None:
        with pytest.raises(AuthenticationError):
            memory_app.identity.authenticate(email="a@example.org", password="wrong password")

    threads = [threading.Thread(target=attempt) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert memory_app.identity.get_user_by_email("a@example.org").is_locked


def test_outdated_hash_is_upgraded_on_login(memory_app: Nexus) -> None:
    weaker = Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, insecure=True)
    stronger = Argon2PasswordHasher(time_cost=2, memory_cost=16, parallelism=1, insecure=True)
    memory_app.container.password_hasher.override(weaker)
    memory_app.container.identity.facade.reset()
    memory_app.identity = memory_app.container.identity.facade()
    user = memory_app.identity.register_user(email="a@example.org", name="A", password=PASSWORD)
    memory_app.container.password_hasher.override(stronger)
    memory_app.container.identity.facade.reset()
    memory_app.identity = memory_app.container.identity.facade()
    memory_app.identity.authenticate(email="a@example.org", password=PASSWORD)
    with memory_app.container.identity.unit_of_work() as tx:
        stored = tx.users.get(user.id).hashed_password
    params = argon2.extract_parameters(stored)
    assert (params.time_cost, params.memory_cost) == (2, 16)
    memory_app.identity.authenticate(email="a@example.org", password=PASSWORD)


def test_inactive_user_cannot_log_in(memory_app: Nexus) -> None:
    user = memory_app.identity.register_user(email="a@example.org", name="A", password=PASSWORD)
    uow = memory_app.container.identity.unit_of_work
    with uow() as tx:
        entity = tx.users.get(user.id)
        entity.deactivate(entity.updated_at)
        tx.users.update(entity)
        tx.commit()
    with pytest.raises(AuthenticationError):
        memory_app.identity.authenticate(email="a@example.org", password=PASSWORD)


def test_get_unknown_user_is_not_found(memory_app: Nexus) -> None:
    with pytest.raises(NotFoundError):
        memory_app.identity.get_user_by_email("nobody@example.org")
    with pytest.raises(ValidationError, match="user_id"):
        memory_app.identity.get_user("not-a-uuid")


def test_production_hasher_is_at_or_above_the_owasp_floor() -> None:
    params = Argon2PasswordHasher().parameters
    assert params.type is argon2.Type.ID
    assert params.memory_cost >= 19 * 1024
    assert params.time_cost >= 2
    assert params.parallelism >= 1
    with pytest.raises(ValueError, match="OWASP"):
        Argon2PasswordHasher(time_cost=1, memory_cost=8)


def test_create_app_takes_settings_from_arguments_then_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nexus import create_app

    monkeypatch.setenv("NEXUS_PERSISTENCE", "memory")
    monkeypatch.setenv("NEXUS_DATABASE_URL", "sqlite:////nonexistent/dir/never.db")
    with create_app() as app:
        assert app.settings.persistence == "memory"
        assert app.settings.database_url == "sqlite:////nonexistent/dir/never.db"
        assert app.identity.list_users() == []
    with create_app("sqlite://", persistence="memory") as app:
        assert app.settings.database_url == "sqlite://"
    monkeypatch.delenv("NEXUS_PERSISTENCE")
    monkeypatch.delenv("NEXUS_DATABASE_URL")
    with create_app(persistence="memory") as app:
        assert app.settings.database_url == "sqlite:///nexus.db"
