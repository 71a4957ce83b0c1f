"""Result objects returned to callers: plain frozen values, never ORM records, never digests.
A raw secret appears only in the result of the call that created it, and never in a repr."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Any

import attrs

from nexus.identity.domain.api_keys import ApiKey
from nexus.identity.domain.audit import AuditEvent
from nexus.identity.domain.domains import OrganizationDomain
from nexus.identity.domain.organizations import Organization
from nexus.identity.domain.users import User


def _json(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


class _Result:
    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict: ids and instants as strings."""
        cls: Any = type(self)
        return {f.name: _json(getattr(self, f.name)) for f in attrs.fields(cls)}


@attrs.frozen(kw_only=True)
class UserResult(_Result):
    id: uuid.UUID
    email: str
    name: str
    username: str | None
    first_name: str | None
    last_name: str | None
    phone: str | None
    avatar: str | None
    company: str | None
    role: str | None
    bio: str | None
    is_superadmin: bool
    is_active: bool
    is_verified: bool
    is_locked: bool
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_user(cls, user: User) -> UserResult:
        return cls(
            id=user.id,
            email=user.email,
            name=user.name,
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
            phone=user.phone,
            avatar=user.avatar,
            company=user.company,
            role=user.role,
            bio=user.bio,
            is_superadmin=user.is_superadmin,
            is_active=user.is_active,
            is_verified=user.is_verified,
            is_locked=user.is_locked,
            last_login_at=user.last_login_at,
            created_at=user.created_at,
            updated_at=user.updated_at,
        )


@attrs.frozen(kw_only=True)
class LoginResult(_Result):
    """A signed-in user and the raw refresh token of the new session (shown once)."""

    user: UserResult
    refresh_token: str = attrs.field(repr=False)
    refresh_token_expires_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "user": self.user.to_json(),
            "refresh_token": self.refresh_token,
            "refresh_token_expires_at": self.refresh_token_expires_at.isoformat(),
        }


@attrs.frozen(kw_only=True)
class MagicLinkIssued:
    """The raw link token and one-time code, for the caller to deliver; never stored."""

    token: str = attrs.field(repr=False)
    code: str = attrs.field(repr=False)
    expires_at: datetime


@attrs.frozen(kw_only=True)
class OrganizationResult(_Result):
    id: uuid.UUID
    name: str
    slug: str
    owner_id: uuid.UUID
    logo_url: str | None
    logo_rectangle_url: str | None
    secondary_logo_url: str | None
    login_bg_image_url: str | None
    font_url: str | None
    logo_emoji: str | None
    primary_color: str | None
    accent_color: str | None
    background_color: str | None
    login_card_color: str | None
    login_text_color: str | None
    login_input_color: str | None
    font_family: str | None
    login_card_max_width: str | None
    login_card_padding: str | None
    login_border_radius: str | None
    login_footer_text: str | None
    show_terms_footer: bool
    show_powered_by: bool
    show_logo_separator: bool
    default_theme: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_organization(cls, organization: Organization) -> OrganizationResult:
        values = attrs.asdict(organization, recurse=False)
        values.pop("version")
        theme = values["default_theme"]
        values["default_theme"] = None if theme is None else theme.value
        return cls(**values)


@attrs.frozen(kw_only=True)
class MemberResult(_Result):
    organization_id: uuid.UUID
    user_id: uuid.UUID
    email: str
    name: str
    role: str
    created_at: datetime


@attrs.frozen(kw_only=True)
class DomainResult(_Result):
    id: uuid.UUID
    organization_id: uuid.UUID
    domain: str
    is_verified: bool
    created_at: datetime
    verified_at: datetime | None

    @classmethod
    def from_domain(cls, domain: OrganizationDomain) -> DomainResult:
        return cls(
            id=domain.id,
            organization_id=domain.organization_id,
            domain=domain.domain,
            is_verified=domain.is_verified,
            created_at=domain.created_at,
            verified_at=domain.verified_at,
        )


@attrs.frozen(kw_only=True)
class DomainAdded:
    """The new domain and the raw verification token to publish (shown once)."""

    domain: DomainResult
    verification_token: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class ApiKeyResult(_Result):
    """What a list shows: the display prefix and metadata, never the key or its digest."""

    id: uuid.UUID
    user_id: uuid.UUID
    workspace_id: uuid.UUID | None
    name: str
    key_prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_key(cls, key: ApiKey) -> ApiKeyResult:
        return cls(
            id=key.id,
            user_id=key.user_id,
            workspace_id=key.workspace_id,
            name=key.name,
            key_prefix=key.key_prefix,
            created_at=key.created_at,
            expires_at=key.expires_at,
            last_used_at=key.last_used_at,
            revoked_at=key.revoked_at,
        )


@attrs.frozen(kw_only=True)
class ApiKeyCreated:
    """The new key's metadata and the raw key, returned this once only."""

    key: ApiKeyResult
    raw_key: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class ApiKeyAuthentication(_Result):
    key_id: uuid.UUID
    user_id: uuid.UUID
    workspace_id: uuid.UUID | None


@attrs.frozen(kw_only=True)
class AuditEventResult(_Result):
    id: uuid.UUID
    user_id: uuid.UUID | None
    action: str
    resource_type: str | None
    resource_id: str | None
    details: dict[str, Any] | None
    ip_address: str | None
    user_agent: str | None
    success: bool
    created_at: datetime

    @classmethod
    def from_event(cls, event: AuditEvent) -> AuditEventResult:
        return cls(**attrs.asdict(event, recurse=False))
