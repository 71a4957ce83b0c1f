"""Identity's mappers, registered with the generic mapper registry."""

from __future__ import annotations

from typing import Any

from nexus.identity.domain.api_keys import ApiKey
from nexus.identity.domain.audit import AuditEvent
from nexus.identity.domain.domains import OrganizationDomain
from nexus.identity.domain.organizations import Organization, OrganizationMember
from nexus.identity.domain.tokens import MagicLinkToken, PasswordResetToken, RefreshToken
from nexus.identity.domain.users import User
from nexus.identity.infrastructure.records import (
    ApiKeyRecord,
    AuditLogRecord,
    MagicLinkTokenRecord,
    OrganizationDomainRecord,
    OrganizationMemberRecord,
    OrganizationRecord,
    PasswordResetTokenRecord,
    RefreshTokenRecord,
    UserRecord,
)
from nexus.persistence.mapper import Convert, register


def _enum_value(value: Any) -> Any:
    """A StrEnum (or None) as its plain string; the entity's converter parses it back."""
    return None if value is None else str(value.value if hasattr(value, "value") else value)


_as_text = Convert(to_record=_enum_value, to_entity=lambda v: v)

user_mapper = register(User, UserRecord)
organization_mapper = register(
    Organization, OrganizationRecord, converters={"default_theme": _as_text}
)
member_mapper = register(
    OrganizationMember, OrganizationMemberRecord, converters={"role": _as_text}
)
domain_mapper = register(OrganizationDomain, OrganizationDomainRecord)
reset_token_mapper = register(PasswordResetToken, PasswordResetTokenRecord)
magic_link_mapper = register(MagicLinkToken, MagicLinkTokenRecord)
refresh_token_mapper = register(
    RefreshToken, RefreshTokenRecord, converters={"revoked_reason": _as_text}
)
api_key_mapper = register(ApiKey, ApiKeyRecord)
audit_mapper = register(AuditEvent, AuditLogRecord)
