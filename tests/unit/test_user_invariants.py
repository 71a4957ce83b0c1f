"""Hypothesis: the User entity refuses every invalid value and keeps every valid one."""

from __future__ import annotations

import string
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nexus.identity.domain.users import User, normalise_email
from nexus.shared.errors import ValidationError
from tests.factories import NOW, make_user

local = st.text(alphabet=string.ascii_letters + string.digits + "._+-", min_size=1, max_size=30)
domain = st.from_regex(r"[a-z0-9]{1,20}\.[a-z]{2,6}", fullmatch=True)


@given(local=local, domain=domain, pad=st.sampled_from(["", " ", "\t", "  "]))
def test_any_spelling_of_an_email_normalises_to_one_value(
    local: str, domain: str, pad: str
) -> None:
    email = f"{local}@{domain}"
    variants = [email, email.upper(), email.lower(), f"{pad}{email.swapcase()}{pad}"]
    normalised = {make_user(email=v).email for v in variants}
    assert normalised == {email.lower()}


@given(st.text(max_size=40))
def test_text_without_at_sign_is_never_an_email(value: str) -> None:
    assume("@" not in value)
    with pytest.raises(ValidationError) as raised:
        normalise_email(value)
    assert raised.value.field == "users.email"


@given(st.text(alphabet=st.characters(blacklist_characters="\x00"), min_size=256, max_size=300))
def test_names_longer_than_255_are_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="at most 255"):
        make_user(name=name)


@given(st.text(alphabet=string.ascii_lowercase + string.digits + "_.-", min_size=3, max_size=50))
def test_valid_usernames_are_kept(username: str) -> None:
    assert make_user(username=username).username == username


@given(st.text(max_size=60))
def test_invalid_usernames_are_refused(username: str) -> None:
    valid = 3 <= len(username) <= 50 and all(
        c in string.ascii_lowercase + string.digits + "_.-" for c in username
    )
    assume(not valid)
    with pytest.raises(ValidationError) as raised:
        make_user(username=username)
    assert raised.value.field == "users.username"


@given(st.integers(max_value=-1))
def test_negative_failure_counts_are_refused(count: int) -> None:
    with pytest.raises(ValidationError, match="failed_login_attempts"):
        make_user(failed_login_attempts=count)


@given(st.datetimes())
def test_naive_datetimes_are_refused(naive: datetime) -> None:
    with pytest.raises(ValidationError, match="timezone-aware"):
        make_user(created_at=naive)


@given(st.integers(min_value=0, max_value=20))
def test_lock_after_five_consecutive_failures(failures: int) -> None:
    user = make_user()
    for i in range(failures):
        user.record_failed_login(NOW + timedelta(seconds=i))
    assert user.is_locked is (failures >= 5)
    user.set_password_hash("$argon2id$new", NOW)
    assert not user.is_locked


def test_assignment_is_validated_too() -> None:
    user = make_user()
    with pytest.raises(ValidationError, match=r"users\.phone"):
        user.phone = "555-1234"
    with pytest.raises(ValidationError, match=r"users\.name"):
        user.name = "a\x00b"
    user.email = " New@Example.org "
    assert user.email == "new@example.org"


def test_new_ids_are_uuid7_and_ordered() -> None:
    first, second = (
        User.register(email="a@example.org", name="A", hashed_password="h", now=NOW),
        User.register(email="b@example.org", name="B", hashed_password="h", now=NOW),
    )
    assert first.id.version == 7
    assert first.id < second.id


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))),
        datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_instants_outside_the_utc_range_are_refused(moment: datetime) -> None:
    with pytest.raises(ValidationError, match="between the years 1 and 9999 in UTC"):
        make_user(last_login_at=moment)


@given(st.text(alphabet=" \t\n\r\u00a0\u2003", min_size=1, max_size=20))
def test_blank_names_are_refused(name: str) -> None:
    with pytest.raises(ValidationError, match=r"users\.name: must not be blank"):
        make_user(name=name)


def test_ids_are_ordered_and_unique_across_threads_and_forks() -> None:
    import os
    import threading
    import time

    from nexus.shared.ids import new_id

    many = [new_id() for _ in range(50_000)]
    assert many == sorted(many)
    assert len(set(many)) == len(many)
    assert abs(int(many[-1].int >> 80) - time.time_ns() // 1_000_000) < 5_000  # clock: no drift
    made: list[list[object]] = []
    threads = [
        threading.Thread(target=lambda: made.append([new_id() for _ in range(5_000)]))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({i for batch in made for i in batch}) == 10_000
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: ids right after the fork, as a pre-forking server's worker makes
        os.close(read)
        os.write(write, "\n".join(str(new_id()) for _ in range(200)).encode())
        os._exit(0)
    os.close(write)
    mine = {str(new_id()) for _ in range(200)}
    os.waitpid(pid, 0)
    with os.fdopen(read) as pipe:
        theirs = set(pipe.read().split("\n"))
    assert len(theirs) == 200
    assert not mine & theirs
