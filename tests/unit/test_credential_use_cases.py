"""Sign-in, sessions, password reset and change, magic links, account status, API keys and
the audit trail, through `app.identity` on the in-memory adapters."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from nexus.app import Nexus
from nexus.identity import OPERATOR, IdentityPolicy, UserResult
from nexus.shared.errors import AuthenticationError, PermissionDeniedError, ValidationError

PASSWORD = "correct horse battery"
NEW_PASSWORD = "another long secret"


@pytest.fixture
def ada(memory_app: Nexus) -> UserResult:
    return memory_app.identity.register_user(email="ada@example.org", name="Ada", password=PASSWORD)


def actions(app: Nexus, **filters: Any) -> list[tuple[str, bool]]:
    found = app.identity.list_audit_events(actor=OPERATOR, **filters)
    return [(e.action, e.success) for e in reversed(found)]


def advance(app: Nexus, **delta: float) -> None:
    app.container.clock().advance(timedelta(**delta))


def test_login_returns_the_user_and_a_refresh_token_and_audits(
    memory_app: Nexus, ada: UserResult
) -> None:
    login = memory_app.identity.login(
        email="ADA@example.org", password=PASSWORD, ip_address="203.0.113.7", user_agent="t/1"
    )
    assert login.user.id == ada.id
    assert len(login.refresh_token) >= 43
    assert login.refresh_token not in repr(login)
    with pytest.raises(AuthenticationError):
        memory_app.identity.login(email="ada@example.org", password="wrong password")
    with pytest.raises(AuthenticationError):
        memory_app.identity.login(email="nobody@example.org", password="wrong password")
    events = memory_app.identity.list_audit_events(actor=OPERATOR)
    assert [(e.action, e.success) for e in reversed(events)] == [
        ("user.registered", True),
        ("user.login", True),
        ("user.login_failed", False),
        ("user.login_failed", False),
    ]
    assert events[-2].ip_address == "203.0.113.7"
    assert events[0].details == {"reason": "unknown_email", "email": "nobody@example.org"}


def test_five_failures_lock_and_are_audited(memory_app: Nexus, ada: UserResult) -> None:
    for _ in range(6):
        with pytest.raises(AuthenticationError):
            memory_app.identity.authenticate(email="ada@example.org", password="wrong password")
    trail = actions(memory_app, user_id=ada.id)
    assert trail.count(("user.login_failed", False)) == 6
    assert trail.count(("user.locked", False)) == 1


def test_rotation_keeps_the_family_and_reuse_revokes_it(memory_app: Nexus, ada: UserResult) -> None:
    first = memory_app.identity.login(email="ada@example.org", password=PASSWORD)
    second = memory_app.identity.rotate_refresh_token(first.refresh_token)
    third = memory_app.identity.rotate_refresh_token(second.refresh_token)
    assert len({first.refresh_token, second.refresh_token, third.refresh_token}) == 3
    other_session = memory_app.identity.login(email="ada@example.org", password=PASSWORD)
    advance(memory_app, seconds=10)  # past the grace window for concurrent refreshes
    with pytest.raises(AuthenticationError):
        memory_app.identity.rotate_refresh_token(first.refresh_token)  # replay of a rotated token
    with pytest.raises(AuthenticationError):
        memory_app.identity.rotate_refresh_token(third.refresh_token)  # the family is dead
    memory_app.identity.rotate_refresh_token(other_session.refresh_token)  # another session lives
    assert ("refresh_token.reuse_detected", False) in actions(memory_app)
    with pytest.raises(AuthenticationError):
        memory_app.identity.rotate_refresh_token("not a token")


def test_refresh_tokens_expire_and_logout_revokes(memory_app: Nexus, ada: UserResult) -> None:
    login = memory_app.identity.login(email="ada@example.org", password=PASSWORD)
    assert memory_app.identity.logout(login.refresh_token) is True
    assert memory_app.identity.logout("unknown") is False
    with pytest.raises(AuthenticationError):
        memory_app.identity.rotate_refresh_token(login.refresh_token)
    login = memory_app.identity.login(email="ada@example.org", password=PASSWORD)
    advance(memory_app, days=31)
    with pytest.raises(AuthenticationError):
        memory_app.identity.rotate_refresh_token(login.refresh_token)


def test_password_reset_is_single_use_expires_and_revokes_sessions(
    memory_app: Nexus, ada: UserResult
) -> None:
    session = memory_app.identity.login(email="ada@example.org", password=PASSWORD)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            memory_app.identity.authenticate(email="ada@example.org", password="wrong password")
    older = memory_app.identity.request_password_reset("ada@example.org")
    token = memory_app.identity.request_password_reset(" ADA@example.org ")
    assert token is not None
    assert older is not None
    memory_app.identity.reset_password(token, NEW_PASSWORD)
    assert memory_app.identity.authenticate(email="ada@example.org", password=NEW_PASSWORD)
    with pytest.raises(AuthenticationError):
        memory_app.identity.reset_password(token, "yet another secret")
    with pytest.raises(AuthenticationError):
        memory_app.identity.reset_password(older, "yet another secret")  # invalidated
    with pytest.raises(AuthenticationError):
        memory_app.identity.rotate_refresh_token(session.refresh_token)
    late = memory_app.identity.request_password_reset("ada@example.org")
    assert late is not None
    advance(memory_app, minutes=30)
    with pytest.raises(AuthenticationError):
        memory_app.identity.reset_password(late, "yet another secret")
    with pytest.raises(ValidationError, match="new_password"):
        memory_app.identity.reset_password(late, "short")


def test_reset_for_an_unknown_email_gives_nothing_and_looks_the_same(
    memory_app: Nexus, ada: UserResult
) -> None:
    assert memory_app.identity.request_password_reset("nobody@example.org") is None
    assert memory_app.identity.request_password_reset("not an email") is None
    assert memory_app.identity.issue_magic_link("nobody@example.org") is None
    requested = actions(memory_app, action="password_reset.requested")
    assert requested == [("password_reset.requested", False)] * 2


def test_change_password_needs_the_current_one(memory_app: Nexus, ada: UserResult) -> None:
    session = memory_app.identity.login(email="ada@example.org", password=PASSWORD)
    reset = memory_app.identity.request_password_reset("ada@example.org")
    with pytest.raises(AuthenticationError):
        memory_app.identity.change_password(
            ada.id, current_password="wrong password", new_password=NEW_PASSWORD
        )
    assert memory_app.identity.get_user(ada.id).is_locked is False
    memory_app.identity.change_password(
        ada.id, current_password=PASSWORD, new_password=NEW_PASSWORD
    )
    memory_app.identity.authenticate(email="ada@example.org", password=NEW_PASSWORD)
    with pytest.raises(AuthenticationError):
        memory_app.identity.rotate_refresh_token(session.refresh_token)
    assert reset is not None
    with pytest.raises(AuthenticationError):
        memory_app.identity.reset_password(reset, "yet another secret")
    assert ("user.password_change_failed", False) in actions(memory_app)
    assert ("user.password_changed", True) in actions(memory_app)


def test_magic_link_by_token_signs_in_once_and_verifies_the_email(
    memory_app: Nexus, ada: UserResult
) -> None:
    issued = memory_app.identity.issue_magic_link("ada@example.org")
    assert issued is not None
    assert issued.token not in repr(issued)
    assert issued.code not in repr(issued)
    assert issued.expires_at == memory_app.container.clock().now() + timedelta(minutes=15)
    login = memory_app.identity.redeem_magic_link(issued.token)
    assert login.user.id == ada.id
    assert login.user.is_verified
    with pytest.raises(AuthenticationError):
        memory_app.identity.redeem_magic_link(issued.token)
    with pytest.raises(AuthenticationError):
        memory_app.identity.redeem_magic_link(email="ada@example.org", code=issued.code)


def test_magic_link_code_counts_tries_and_dies_after_five(
    memory_app: Nexus, ada: UserResult
) -> None:
    issued = memory_app.identity.issue_magic_link("ada@example.org")
    assert issued is not None
    wrong = "000000" if issued.code != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            memory_app.identity.redeem_magic_link(email="ada@example.org", code=wrong)
    login = memory_app.identity.redeem_magic_link(email="Ada@example.org", code=issued.code)
    assert login.user.id == ada.id
    again = memory_app.identity.issue_magic_link("ada@example.org")
    assert again is not None
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            memory_app.identity.redeem_magic_link(email="ada@example.org", code=wrong)
    with pytest.raises(AuthenticationError):
        memory_app.identity.redeem_magic_link(email="ada@example.org", code=again.code)
    # Five failed codes lock the account, as five wrong passwords do: the link is refused too
    # until a password reset lifts the lock.
    with pytest.raises(AuthenticationError):
        memory_app.identity.redeem_magic_link(again.token)
    reset = memory_app.identity.request_password_reset("ada@example.org")
    assert reset is not None
    memory_app.identity.reset_password(reset, "a brand new passphrase")
    memory_app.identity.redeem_magic_link(again.token)
    with pytest.raises(ValidationError):
        memory_app.identity.redeem_magic_link(email="ada@example.org")


def test_magic_link_lifetime_is_configurable(memory_app: Nexus, ada: UserResult) -> None:
    memory_app.container.identity.policy.override(
        IdentityPolicy(magic_link_ttl=timedelta(minutes=2))
    )
    memory_app.container.identity.facade.reset()
    memory_app.identity = memory_app.container.identity.facade()
    issued = memory_app.identity.issue_magic_link("ada@example.org")
    assert issued is not None
    advance(memory_app, minutes=2)
    with pytest.raises(AuthenticationError):
        memory_app.identity.redeem_magic_link(issued.token)


def test_deactivate_revokes_sessions_and_reactivate_restores_login(
    memory_app: Nexus, ada: UserResult
) -> None:
    bob = memory_app.identity.register_user(email="bob@example.org", name="B", password=PASSWORD)
    session = memory_app.identity.login(email="ada@example.org", password=PASSWORD)
    with pytest.raises(PermissionDeniedError):
        memory_app.identity.deactivate_user(ada.id, actor=bob.id)
    assert memory_app.identity.deactivate_user(ada.id, actor=OPERATOR).is_active is False
    with pytest.raises(AuthenticationError):
        memory_app.identity.rotate_refresh_token(session.refresh_token)
    with pytest.raises(AuthenticationError):
        memory_app.identity.login(email="ada@example.org", password=PASSWORD)
    assert memory_app.identity.request_password_reset("ada@example.org") is None
    with pytest.raises(PermissionDeniedError):
        memory_app.identity.reactivate_user(ada.id, actor=bob.id)
    memory_app.identity.reactivate_user(ada.id, actor=OPERATOR)
    memory_app.identity.login(email="ada@example.org", password=PASSWORD)
    memory_app.identity.deactivate_user(bob.id, actor=bob.id)  # anyone may deactivate themself
    with pytest.raises(PermissionDeniedError):
        memory_app.identity.verify_email(ada.id, actor=bob.id)  # inactive actor
    assert memory_app.identity.verify_email(ada.id, actor=OPERATOR).is_verified
    trail = actions(memory_app, resource_type="user")
    assert ("user.deactivated", True) in trail
    assert ("user.reactivated", True) in trail


def test_api_keys_create_authenticate_list_revoke(memory_app: Nexus, ada: UserResult) -> None:
    workspace = memory_app.workspaces.create_workspace(
        name="CI", slug="ci-ws", owner_id=ada.id, actor=ada.id
    ).id
    created = memory_app.identity.create_api_key(
        ada.id, name="ci", actor=ada.id, workspace_id=workspace, expires_in_days=30
    )
    raw = created.raw_key
    assert raw.startswith("nxk_")
    assert raw not in repr(created)
    principal = memory_app.identity.authenticate_api_key(raw)
    assert (principal.user_id, principal.workspace_id) == (ada.id, workspace)
    assert memory_app.identity.authenticate_api_key(raw, workspace_id=workspace).user_id == ada.id
    with pytest.raises(AuthenticationError):
        memory_app.identity.authenticate_api_key(raw, workspace_id=uuid.uuid4())
    unscoped = memory_app.identity.create_api_key(ada.id, name="all", actor=OPERATOR)
    scope = memory_app.identity.authenticate_api_key(unscoped.raw_key, workspace_id=workspace)
    assert scope.workspace_id is None
    listed = memory_app.identity.list_api_keys(ada.id, actor=ada.id)
    assert [k.name for k in listed] == ["all", "ci"]
    assert listed[1].last_used_at == memory_app.container.clock().now()
    assert all(raw not in str(k.to_json()) for k in listed)
    assert "key_hash" not in listed[0].to_json()
    memory_app.identity.revoke_api_key(ada.id, created.key.id, actor=ada.id)
    with pytest.raises(AuthenticationError):
        memory_app.identity.authenticate_api_key(raw)
    advance(memory_app, days=400)
    memory_app.identity.authenticate_api_key(unscoped.raw_key)
    reasons = [
        e.details
        for e in memory_app.identity.list_audit_events(actor=OPERATOR, action="api_key.auth_failed")
    ]
    assert reasons == [{"reason": "revoked"}, {"reason": "wrong_workspace"}]


def test_api_key_rules(memory_app: Nexus, ada: UserResult) -> None:
    bob = memory_app.identity.register_user(email="bob@example.org", name="B", password=PASSWORD)
    with pytest.raises(PermissionDeniedError):
        memory_app.identity.create_api_key(ada.id, name="x", actor=bob.id)
    with pytest.raises(ValidationError, match="expires_in_days"):
        memory_app.identity.create_api_key(ada.id, name="x", actor=ada.id, expires_in_days=0)
    with pytest.raises(ValidationError, match=r"api_keys\.name"):
        memory_app.identity.create_api_key(ada.id, name="", actor=ada.id)
    expiring = memory_app.identity.create_api_key(
        ada.id, name="short", actor=ada.id, expires_in_days=1
    )
    key = memory_app.identity.create_api_key(ada.id, name="k", actor=ada.id)
    with pytest.raises(PermissionDeniedError):
        memory_app.identity.list_api_keys(ada.id, actor=bob.id)
    from nexus.shared.errors import NotFoundError

    with pytest.raises(NotFoundError):
        memory_app.identity.revoke_api_key(bob.id, key.key.id, actor=bob.id)
    advance(memory_app, days=1)
    with pytest.raises(AuthenticationError):
        memory_app.identity.authenticate_api_key(expiring.raw_key)
    memory_app.identity.deactivate_user(ada.id, actor=OPERATOR)
    with pytest.raises(AuthenticationError):
        memory_app.identity.authenticate_api_key(key.raw_key)
    memory_app.identity.reactivate_user(ada.id, actor=OPERATOR)
    assert memory_app.identity.authenticate_api_key(key.raw_key).user_id == ada.id


def test_users_read_only_their_own_audit_events(memory_app: Nexus, ada: UserResult) -> None:
    bob = memory_app.identity.register_user(email="bob@example.org", name="B", password=PASSWORD)
    mine = memory_app.identity.list_audit_events(actor=ada.id)
    assert [e.action for e in mine] == ["user.registered"]
    with pytest.raises(PermissionDeniedError):
        memory_app.identity.list_audit_events(actor=ada.id, user_id=bob.id)
    assert len(memory_app.identity.list_audit_events(actor=OPERATOR)) == 2


def test_change_password_of_an_unknown_user_is_a_failed_attempt(memory_app: Nexus) -> None:
    """Answered as a wrong password is, with its audit row: never a 'not found' that wrote."""
    nobody = uuid.UUID(int=0)
    with pytest.raises(AuthenticationError):
        memory_app.identity.change_password(
            nobody, current_password=PASSWORD, new_password=NEW_PASSWORD
        )
    assert actions(memory_app, action="user.password_change_failed") == [
        ("user.password_change_failed", False)
    ]
