"""Identity's ORM records and their mappers (infrastructure only; the domain never sees them)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    column,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nexus.identity.domain.api_keys import ApiKey
from nexus.identity.domain.audit import AuditEvent
from nexus.identity.domain.domains import OrganizationDomain
from nexus.identity.domain.organizations import Organization, OrganizationMember
from nexus.identity.domain.tokens import MagicLinkToken, PasswordResetToken, RefreshToken
from nexus.identity.domain.users import User
from nexus.persistence.base import Base
from nexus.persistence.mapper import register
from nexus.persistence.schema import partial_where
from nexus.persistence.types import JSONType, UTCDateTime, flag_column


class UserRecord(Base):
    """One person. NEXUS's `users` columns plus Soft-Bee's; `version` guards concurrent edits."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("failed_login_attempts >= 0", name="failed_login_attempts_non_negative"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    username: Mapped[str | None] = mapped_column(String(50), unique=True)
    hashed_password: Mapped[str] = mapped_column(String(255))
    avatar: Mapped[str | None] = mapped_column(Text)
    company: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(100))
    bio: Mapped[str | None] = mapped_column(String(2000))
    first_name: Mapped[str | None] = mapped_column(String(50))
    last_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    is_superadmin: Mapped[bool] = flag_column(False)
    is_active: Mapped[bool] = flag_column(True)
    is_verified: Mapped[bool] = flag_column(False)
    failed_login_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


def _parent(record: type[Base]) -> Any:
    """A many-to-one that is never loaded (lazy="raise"): it exists so the unit of work inserts
    parents before children and deletes children before parents."""
    return relationship(record, lazy="raise")


def _user_fk(ondelete: str = "CASCADE") -> ForeignKey:
    return ForeignKey("users.id", ondelete=ondelete)


def _org_fk() -> ForeignKey:
    return ForeignKey("organizations.id", ondelete="CASCADE")


class OrganizationRecord(Base):
    """An organization and its login-page branding (NEXUS's columns, with real checks)."""

    __tablename__ = "organizations"
    __table_args__ = (
        CheckConstraint(
            "default_theme IS NULL OR default_theme IN ('light', 'dark')", name="default_theme"
        ),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(Uuid, _user_fk(), index=True)
    logo_url: Mapped[str | None] = mapped_column(Text)
    logo_rectangle_url: Mapped[str | None] = mapped_column(Text)
    secondary_logo_url: Mapped[str | None] = mapped_column(Text)
    login_bg_image_url: Mapped[str | None] = mapped_column(Text)
    font_url: Mapped[str | None] = mapped_column(Text)
    logo_emoji: Mapped[str | None] = mapped_column(String(10))
    primary_color: Mapped[str | None] = mapped_column(String(7))
    accent_color: Mapped[str | None] = mapped_column(String(7))
    background_color: Mapped[str | None] = mapped_column(String(7))
    login_card_color: Mapped[str | None] = mapped_column(String(7))
    login_text_color: Mapped[str | None] = mapped_column(String(7))
    login_input_color: Mapped[str | None] = mapped_column(String(7))
    font_family: Mapped[str | None] = mapped_column(String(255))
    login_card_max_width: Mapped[str | None] = mapped_column(String(50))
    login_card_padding: Mapped[str | None] = mapped_column(String(50))
    login_border_radius: Mapped[str | None] = mapped_column(String(50))
    login_footer_text: Mapped[str | None] = mapped_column(Text)
    show_terms_footer: Mapped[bool] = flag_column(True)
    show_powered_by: Mapped[bool] = flag_column(True)
    show_logo_separator: Mapped[bool] = flag_column(False)
    default_theme: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    owner: Mapped[UserRecord] = _parent(UserRecord)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class OrganizationMemberRecord(Base):
    __tablename__ = "organization_members"
    __table_args__ = (
        UniqueConstraint("organization_id", "user_id"),
        CheckConstraint("role IN ('owner', 'admin', 'member')", name="role"),
        # "Who are the owners?" (the at-least-one-owner rule) starts with the tenant key.
        Index(None, "organization_id", "role"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # organization_id is indexed by the composite index and the unique constraint it leads.
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, _org_fk())
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, _user_fk(), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member", server_default="member")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    organization: Mapped[OrganizationRecord] = _parent(OrganizationRecord)
    user: Mapped[UserRecord] = _parent(UserRecord)


class OrganizationDomainRecord(Base):
    __tablename__ = "organization_domains"
    __table_args__ = (
        # Claims do not block one another: any organization may claim a hostname, once.
        UniqueConstraint("organization_id", "domain"),
        # Verification is the claim: a hostname is verified for one organization at most.
        Index(
            "uq_organization_domains_domain_verified",
            "domain",
            unique=True,
            **partial_where(column("is_verified") == true()),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # organization_id is indexed by the unique constraint it leads.
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, _org_fk())
    domain: Mapped[str] = mapped_column(String(253))
    is_verified: Mapped[bool] = flag_column(False)
    verification_token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    organization: Mapped[OrganizationRecord] = _parent(OrganizationRecord)


class PasswordResetTokenRecord(Base):
    __tablename__ = "password_reset_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, _user_fk(), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user: Mapped[UserRecord] = _parent(UserRecord)


class MagicLinkTokenRecord(Base):
    __tablename__ = "magic_link_tokens"
    __table_args__ = (
        CheckConstraint("otp_attempts >= 0 AND otp_attempts <= 5", name="otp_attempts_range"),
        # "The user's newest link" for code redemption.
        Index(None, "user_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # user_id is indexed by the (user_id, created_at) index it leads.
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, _user_fk())
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    otp_code_hash: Mapped[str] = mapped_column(String(64))
    otp_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user: Mapped[UserRecord] = _parent(UserRecord)


class RefreshTokenRecord(Base):
    __tablename__ = "refresh_tokens"
    __table_args__ = (
        CheckConstraint(
            "revoked_reason IS NULL OR revoked_reason IN ('rotated', 'logout', 'reuse_detected',"
            " 'password_changed', 'password_reset', 'deactivated')",
            name="revoked_reason",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, _user_fk(), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(30))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user: Mapped[UserRecord] = _parent(UserRecord)


class ApiKeyRecord(Base):
    """A key may be scoped to one workspace; deleting the workspace deletes the key."""

    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, _user_fk(), index=True)
    workspace_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user: Mapped[UserRecord] = _parent(UserRecord)


class AuditLogRecord(Base):
    """Outlives its user (SET NULL): the trail of what happened stays."""

    __tablename__ = "audit_logs"
    __table_args__ = (Index(None, "resource_type", "resource_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, _user_fk("SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(100), index=True)
    resource_type: Mapped[str | None] = mapped_column(String(50))
    resource_id: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    success: Mapped[bool] = flag_column(True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user: Mapped[UserRecord | None] = _parent(UserRecord)


# Mappers, one per record (enums stored as their values).

user_mapper = register(User, UserRecord)
organization_mapper = register(Organization, OrganizationRecord)
member_mapper = register(OrganizationMember, OrganizationMemberRecord)
domain_mapper = register(OrganizationDomain, OrganizationDomainRecord)
reset_token_mapper = register(PasswordResetToken, PasswordResetTokenRecord)
magic_link_mapper = register(MagicLinkToken, MagicLinkTokenRecord)
refresh_token_mapper = register(RefreshToken, RefreshTokenRecord)
api_key_mapper = register(ApiKey, ApiKeyRecord)
audit_mapper = register(AuditEvent, AuditLogRecord)
