"""Valid identity entities with overridable fields, for tests."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from nexus.identity.domain.api_keys import ApiKey, display_prefix, new_api_key
from nexus.identity.domain.audit import AuditEvent
from nexus.identity.domain.credentials import digest, new_token, otp_digest
from nexus.identity.domain.domains import OrganizationDomain
from nexus.identity.domain.ids import new_token_family_id, new_token_id
from nexus.identity.domain.organizations import MemberRole, Organization, OrganizationMember, Theme
from nexus.identity.domain.tokens import (
    MagicLinkToken,
    PasswordResetToken,
    RefreshToken,
    RevokedReason,
)
from nexus.identity.domain.users import User
from nexus.shared.ids import OrganizationId, UserId, WorkspaceId, new_id
from tests.factories.common import NOW


def make_user(**overrides: Any) -> User:
    values: dict[str, Any] = {
        "email": f"user-{uuid.uuid4().hex[:10]}@example.org",
        "name": "Ada Lovelace",
        "hashed_password": "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(overrides)
    return User(**values)


def make_organization(**overrides: Any) -> Organization:
    values: dict[str, Any] = {
        "name": "Acme Research",
        "slug": f"acme-{uuid.uuid4().hex[:8]}",
        "owner_id": UserId(new_id()),
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(overrides)
    return Organization(**values)


def make_member(**overrides: Any) -> OrganizationMember:
    values: dict[str, Any] = {
        "organization_id": OrganizationId(new_id()),
        "user_id": UserId(new_id()),
        "role": MemberRole.MEMBER,
        "created_at": NOW,
    }
    values.update(overrides)
    return OrganizationMember(**values)


def make_domain(**overrides: Any) -> OrganizationDomain:
    values: dict[str, Any] = {
        "organization_id": OrganizationId(new_id()),
        "domain": f"login-{uuid.uuid4().hex[:8]}.example.org",
        "verification_token_hash": digest(new_token()),
        "created_at": NOW,
    }
    values.update(overrides)
    return OrganizationDomain(**values)


def make_reset_token(**overrides: Any) -> PasswordResetToken:
    values: dict[str, Any] = {
        "user_id": UserId(new_id()),
        "token_hash": digest(new_token()),
        "expires_at": NOW + timedelta(minutes=30),
        "created_at": NOW,
    }
    values.update(overrides)
    return PasswordResetToken(**values)


def make_magic_link(**overrides: Any) -> MagicLinkToken:
    token_id = overrides.pop("id", None) or new_token_id()
    values: dict[str, Any] = {
        "id": token_id,
        "user_id": UserId(new_id()),
        "token_hash": digest(new_token()),
        "otp_code_hash": otp_digest(token_id, "123456"),
        "expires_at": NOW + timedelta(minutes=15),
        "created_at": NOW,
    }
    values.update(overrides)
    return MagicLinkToken(**values)


def make_refresh_token(**overrides: Any) -> RefreshToken:
    values: dict[str, Any] = {
        "user_id": UserId(new_id()),
        "token_hash": digest(new_token()),
        "family_id": new_token_family_id(),
        "expires_at": NOW + timedelta(days=30),
        "created_at": NOW,
    }
    values.update(overrides)
    return RefreshToken(**values)


def make_api_key(**overrides: Any) -> ApiKey:
    raw = new_api_key()
    values: dict[str, Any] = {
        "user_id": UserId(new_id()),
        "name": "ci key",
        "key_hash": digest(raw),
        "key_prefix": display_prefix(raw),
        "created_at": NOW,
    }
    values.update(overrides)
    return ApiKey(**values)


def make_audit_event(**overrides: Any) -> AuditEvent:
    values: dict[str, Any] = {"action": "user.login", "created_at": NOW}
    values.update(overrides)
    return AuditEvent(**values)


IDENTITY_EXAMPLES: dict[type[Any], Any] = {
    User: lambda: make_user(
        username="ada.l",
        phone="+14155550123",
        bio="Analyst 🧮 of engines",
        is_verified=True,
        failed_login_attempts=2,
        last_login_at=NOW,
        first_name="Ada",
        last_name="Lovelace",
    ),
    Organization: lambda: make_organization(
        logo_url="https://cdn.example.org/logo.png",
        font_url="http://fonts.example.org/inter.css",
        logo_emoji="🧪",
        accent_color="#FFF",
        login_card_max_width="440px",
        login_border_radius="1.5rem",
        font_family="Inter, 'Helvetica Neue', sans-serif",
        login_footer_text="© Acme — ünïcode",
        show_logo_separator=True,
        default_theme=Theme.DARK,
        version=3,
    ),
    OrganizationMember: lambda: make_member(role=MemberRole.ADMIN),
    OrganizationDomain: lambda: make_domain(is_verified=True, verified_at=NOW),
    PasswordResetToken: lambda: make_reset_token(used_at=NOW + timedelta(minutes=1)),
    MagicLinkToken: lambda: make_magic_link(otp_attempts=2),
    RefreshToken: lambda: make_refresh_token(
        last_used_at=NOW,
        revoked_at=NOW,
        revoked_reason=RevokedReason.ROTATED,
        user_agent="Mozilla/5.0 (X11)",
        ip_address="2001:db8::1",
    ),
    ApiKey: lambda: make_api_key(
        workspace_id=WorkspaceId(new_id()), expires_at=NOW + timedelta(days=90), last_used_at=NOW
    ),
    AuditEvent: lambda: make_audit_event(
        user_id=UserId(new_id()),
        resource_type="api_key",
        resource_id=str(new_id()),
        details={"reason": "revoked", "nested": {"list": [1, 2.5, None, "ü"]}},
        ip_address="203.0.113.9",
        user_agent="curl/8",
        success=False,
    ),
}
