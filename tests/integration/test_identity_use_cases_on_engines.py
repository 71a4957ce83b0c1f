"""Every identity use case once more, through the embedding API, in memory, on SQLite and on
PostgreSQL: the same outcomes on every adapter."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.shared.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)

PASSWORD = "correct horse battery"


def test_organizations_members_and_domains(app: Nexus) -> None:
    ident = app.identity
    ada = ident.register_user(email="ada@example.org", name="Ada", password=PASSWORD)
    bob = ident.register_user(email="bob@example.org", name="Bob", password=PASSWORD)
    acme = ident.create_organization(name="Acme", slug="acme", owner_id=ada.id)
    ident.update_organization(acme.id, actor=ada.id, primary_color="#fff", default_theme="light")
    renamed = ident.update_organization(acme.id, actor=ada.id, name="Acme Labs")
    assert (renamed.primary_color, renamed.default_theme) == ("#fff", "light")
    ident.add_organization_member(acme.id, bob.id, role="admin", actor=ada.id)
    with pytest.raises(ConflictError, match="at least one owner"):
        ident.change_member_role(acme.id, ada.id, "member", actor=OPERATOR)
    with pytest.raises(ConflictError, match="at least one owner"):
        ident.remove_organization_member(acme.id, ada.id, actor=ada.id)
    assert [
        e.action
        for e in ident.list_audit_events(actor=OPERATOR, action="organization.member_removed")
    ] == []
    ident.change_member_role(acme.id, bob.id, "owner", actor=ada.id)
    ident.remove_organization_member(acme.id, ada.id, actor=ada.id)
    assert ident.get_organization(acme.id, actor=bob.id).owner_id == bob.id
    assert [(m.email, m.role) for m in ident.list_organization_members(acme.id, actor=bob.id)] == [
        ("bob@example.org", "owner")
    ]
    with pytest.raises(NotFoundError):
        ident.list_organization_members(acme.id, actor=ada.id)
    added = ident.add_domain(acme.id, "login.acme.org", actor=bob.id)
    ident.verify_domain(acme.id, added.domain.id, added.verification_token, actor=bob.id)
    assert ident.list_domains(acme.id, actor=bob.id)[0].is_verified
    bee = ident.create_organization(name="Bee", slug="bee", owner_id=ada.id)
    late = ident.add_domain(bee.id, "login.acme.org", actor=ada.id)  # a claim blocks nobody
    with pytest.raises(ConflictError):  # but verification is the claim: Acme holds it
        ident.verify_domain(bee.id, late.domain.id, late.verification_token, actor=ada.id)
    ident.remove_domain(bee.id, late.domain.id, actor=ada.id)
    with pytest.raises(NotFoundError):
        ident.remove_domain(bee.id, added.domain.id, actor=ada.id)
    with pytest.raises(PermissionDeniedError):
        ident.add_organization_member(acme.id, ada.id, actor=uuid.uuid4())
    ident.delete_organization(acme.id, actor=bob.id)
    assert [o.slug for o in ident.list_organizations(actor=OPERATOR)] == ["bee"]
    ident.add_domain(bee.id, "login.acme.org", actor=ada.id)


def test_sign_in_sessions_recovery_and_accounts(app: Nexus) -> None:
    ident = app.identity
    ada = ident.register_user(email="ada@example.org", name="Ada", password=PASSWORD)
    login = ident.login(email="ada@example.org", password=PASSWORD, ip_address="::1")
    rotated = ident.rotate_refresh_token(login.refresh_token)
    app.container.clock().advance(timedelta(seconds=10))  # past the refresh grace window
    with pytest.raises(AuthenticationError):
        ident.rotate_refresh_token(login.refresh_token)
    with pytest.raises(AuthenticationError):
        ident.rotate_refresh_token(rotated.refresh_token)
    token = ident.request_password_reset("ada@example.org")
    assert token is not None
    ident.reset_password(token, "a brand new secret")
    ident.change_password(ada.id, current_password="a brand new secret", new_password=PASSWORD)
    link = ident.issue_magic_link("ada@example.org")
    assert link is not None
    assert ident.redeem_magic_link(email="ada@example.org", code=link.code).user.is_verified
    session = ident.login(email="ada@example.org", password=PASSWORD)
    assert ident.logout(session.refresh_token)
    ident.deactivate_user(ada.id, actor=OPERATOR)
    with pytest.raises(AuthenticationError):
        ident.login(email="ada@example.org", password=PASSWORD)
    ident.reactivate_user(ada.id, actor=OPERATOR)
    ident.verify_email(ada.id, actor=OPERATOR)
    actions = {e.action for e in ident.list_audit_events(actor=OPERATOR, limit=1000)}
    assert {
        "user.login",
        "refresh_token.rotated",
        "refresh_token.reuse_detected",
        "password_reset.completed",
        "user.password_changed",
        "magic_link.redeemed",
        "user.logout",
        "user.deactivated",
        "user.reactivated",
        "user.login_failed",
        "user.email_verified",
    } <= actions
    assert all(e.user_id == ada.id for e in ident.list_audit_events(actor=ada.id))
