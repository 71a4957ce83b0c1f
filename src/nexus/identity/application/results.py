"""Result objects returned to callers: plain frozen values, never ORM records, never digests.
A raw secret appears only in the result of the call that created it, and never in a repr."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import attrs

from nexus.identity.domain.api_keys import ApiKey
from nexus.identity.domain.audit import AuditEvent
from nexus.identity.domain.domains import OrganizationDomain
from nexus.identity.domain.organizations import Organization
from nexus.identity.domain.users import User
from nexus.shared.results import Result


@attrs.frozen(kw_only=True)
class UserResult(Result):
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
        return cls.from_entity(user)


@attrs.frozen(kw_only=True)
class LoginResult(Result):
    """A signed-in user and the raw refresh token of the new session (shown once)."""

    user: UserResult
    refresh_token: str = attrs.field(repr=False)
    refresh_token_expires_at: datetime


@attrs.frozen(kw_only=True)
class MagicLinkIssued:
    """The raw link token and one-time code, for the caller to deliver; never stored."""

    token: str = attrs.field(repr=False)
    code: str = attrs.field(repr=False)
    expires_at: datetime


@attrs.frozen(kw_only=True)
class OrganizationResult(Result):
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
        theme = organization.default_theme
        return cls.from_entity(organization, default_theme=None if theme is None else theme.value)


@attrs.frozen(kw_only=True)
class MemberResult(Result):
    organization_id: uuid.UUID
    user_id: uuid.UUID
    email: str
    name: str
    role: str
    created_at: datetime


@attrs.frozen(kw_only=True)
class DomainResult(Result):
    id: uuid.UUID
    organization_id: uuid.UUID
    domain: str
    is_verified: bool
    created_at: datetime
    verified_at: datetime | None

    @classmethod
    def from_domain(cls, domain: OrganizationDomain) -> DomainResult:
        return cls.from_entity(domain)


@attrs.frozen(kw_only=True)
class DomainAdded:
    """The new domain and the raw verification token to publish (shown once)."""

    domain: DomainResult
    verification_token: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class ApiKeyResult(Result):
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
        return cls.from_entity(key)


@attrs.frozen(kw_only=True)
class ApiKeyCreated:
    """The new key's metadata and the raw key, returned this once only."""

    key: ApiKeyResult
    raw_key: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class ApiKeyAuthentication(Result):
    key_id: uuid.UUID
    user_id: uuid.UUID
    workspace_id: uuid.UUID | None


@attrs.frozen(kw_only=True)
class AuditEventResult(Result):
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
        return cls.from_entity(event)
