"""Account-takeover paths of issue 9, on memory, SQLite and PostgreSQL: one-time codes bounded
per account across re-issued links, nothing counted before a request is validated, and every
counted failure and lock in the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.identity.domain.credentials import OTP_DIGITS
from nexus.identity.domain.users import MAX_FAILED_LOGINS
from nexus.shared.errors import AuthenticationError, ValidationError

PASSWORD = "correct horse battery"
EMAIL = "ada@example.org"


def _events(app: Nexus) -> list[tuple[str, str | None]]:
    """(action, reason) of every audit row after registration, oldest first."""
    found = reversed(app.identity.list_audit_events(actor=OPERATOR, limit=1000))
    return [
        (e.action, (e.details or {}).get("reason")) for e in found if e.action != "user.registered"
    ]


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**OTP_DIGITS:0{OTP_DIGITS}d}"


def test_code_guesses_are_bounded_per_account_across_reissued_links(
    app: Nexus, figure: Callable[[str], None]
) -> None:
    """An attacker who knows only the email re-issues a link after every few guesses: the
    guesses are counted against the account, so five of them lock it, links or no links."""
    app.identity.register_user(email=EMAIL, name="Ada", password=PASSWORD)
    checked = 0
    issued_links = 0
    for _round in range(4):
        issued = app.identity.issue_magic_link(EMAIL)
        assert issued is not None
        issued_links += 1
        for _ in range(3):  # fewer than the per-link limit of 5, so each link would allow more
            with pytest.raises(AuthenticationError):
                app.identity.redeem_magic_link(email=EMAIL, code=_wrong(issued.code))
    events = _events(app)
    checked = sum(1 for action, reason in events if reason == "wrong_code")
    assert checked == MAX_FAILED_LOGINS
    assert events.count(("user.locked", None)) == 1
    refused = [reason for action, reason in events if action == "magic_link.failed"]
    assert refused.count("locked") == 12 - MAX_FAILED_LOGINS
    # Locked: even the right code of a fresh link, or the right password, gets nothing.
    fresh = app.identity.issue_magic_link(EMAIL)
    assert fresh is not None
    with pytest.raises(AuthenticationError):
        app.identity.redeem_magic_link(email=EMAIL, code=fresh.code)
    with pytest.raises(AuthenticationError):
        app.identity.login(email=EMAIL, password=PASSWORD)
    space = 10**OTP_DIGITS
    figure(
        f"one-time codes: {issued_links} links re-issued, {checked} guesses checked per "
        f"lockout (until a password reset); P(success) <= {checked}/{space} = {checked / space:.1e}"
    )


def test_failed_codes_and_passwords_share_one_lockout(app: Nexus) -> None:
    app.identity.register_user(email=EMAIL, name="Ada", password=PASSWORD)
    issued = app.identity.issue_magic_link(EMAIL)
    assert issued is not None
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            app.identity.login(email=EMAIL, password="wrong password")
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            app.identity.redeem_magic_link(email=EMAIL, code=_wrong(issued.code))
    with pytest.raises(AuthenticationError):
        app.identity.redeem_magic_link(email=EMAIL, code=issued.code)
    assert ("user.locked", None) in _events(app)


def test_a_right_code_resets_the_count_and_leaves_no_failure_row(app: Nexus) -> None:
    app.identity.register_user(email=EMAIL, name="Ada", password=PASSWORD)
    issued = app.identity.issue_magic_link(EMAIL)
    assert issued is not None
    with pytest.raises(AuthenticationError):
        app.identity.redeem_magic_link(email=EMAIL, code=_wrong(issued.code))
    login = app.identity.redeem_magic_link(email=EMAIL, code=issued.code)
    assert login.user.email == EMAIL
    assert _events(app) == [
        ("magic_link.issued", None),
        ("magic_link.failed", "wrong_code"),
        ("magic_link.redeemed", None),
    ]
    for _ in range(MAX_FAILED_LOGINS - 1):  # the count starts again from zero
        with pytest.raises(AuthenticationError):
            app.identity.login(email=EMAIL, password="wrong password")
    app.identity.login(email=EMAIL, password=PASSWORD)


HOSTILE_REQUESTS: list[tuple[str, dict[str, Any]]] = [
    ("user_agent", {"user_agent": "Mozilla/5.0\x00"}),
    ("user_agent", {"user_agent": "Mozilla/5.0 \ud800"}),
    ("user_agent", {"user_agent": "Mozilla\x1b[31m"}),
    ("user_agent", {"user_agent": "Mozilla\u202e"}),
    ("ip_address", {"ip_address": "127.0.0.1\x00"}),
    ("ip_address", {"ip_address": "\ud800"}),
    ("password", {"password": "wrong \ud800 password"}),
    ("email", {"email": "ada@example.org\x00"}),
    ("email", {"email": "ada\u200b@example.org"}),
    ("email", {"email": "ada\ud800@example.org"}),
]


@pytest.mark.parametrize(("field", "changes"), HOSTILE_REQUESTS)
def test_an_invalid_login_request_is_refused_before_anything_is_counted(
    app: Nexus, field: str, changes: dict[str, Any]
) -> None:
    app.identity.register_user(email=EMAIL, name="Ada", password=PASSWORD)
    request: dict[str, Any] = {"email": EMAIL, "password": "wrong password", **changes}
    for _ in range(MAX_FAILED_LOGINS + 2):
        with pytest.raises(ValidationError) as refused:
            app.identity.login(**request)
        assert refused.value.field == field
    assert _events(app) == []
    app.identity.login(email=EMAIL, password=PASSWORD)  # not locked


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("user_agent", {"user_agent": "x\x00"}),
        ("code", {"code": "12345\ud800"}),
        ("code", {"code": "\uff11\uff12\uff13\uff14\uff15\uff16"}),  # full-width digits
        ("code", {"code": "1234567"}),
        ("email", {"email": "ada@example.org\u200d"}),
    ],
)
def test_an_invalid_code_request_is_refused_before_anything_is_counted(
    app: Nexus, field: str, changes: dict[str, Any]
) -> None:
    app.identity.register_user(email=EMAIL, name="Ada", password=PASSWORD)
    issued = app.identity.issue_magic_link(EMAIL)
    assert issued is not None
    request: dict[str, Any] = {"email": EMAIL, "code": _wrong(issued.code), **changes}
    for _ in range(MAX_FAILED_LOGINS + 2):
        with pytest.raises(ValidationError) as refused:
            app.identity.redeem_magic_link(**request)
        assert refused.value.field == field
    assert _events(app) == [("magic_link.issued", None)]
    app.identity.redeem_magic_link(email=EMAIL, code=issued.code)


def test_every_counted_failure_and_the_lock_are_audited_with_the_request(app: Nexus) -> None:
    user = app.identity.register_user(email=EMAIL, name="Ada", password=PASSWORD)
    for _ in range(MAX_FAILED_LOGINS + 1):
        with pytest.raises(AuthenticationError):
            app.identity.login(
                email=EMAIL, password="wrong password", ip_address="::1", user_agent="Tab/1"
            )
    with pytest.raises(AuthenticationError):
        app.identity.change_password(
            user.id, current_password=PASSWORD, new_password="another long passphrase"
        )
    rows = [e for e in reversed(app.identity.list_audit_events(actor=OPERATOR)) if e.user_id]
    counted = [e for e in rows if (e.details or {}).get("reason") == "wrong_password"]
    assert len(counted) == MAX_FAILED_LOGINS
    assert all(e.user_agent == "Tab/1" and e.ip_address == "::1" for e in counted)
    assert [e.action for e in rows if e.action == "user.locked"] == ["user.locked"]
    assert [(e.details or {}).get("reason") for e in rows[-2:]] == ["locked", "locked"]
    assert rows[-1].action == "user.password_change_failed"
