"""Identity's mappers, registered with the generic mapper registry."""

from __future__ import annotations

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
from nexus.persistence.mapper import register

user_mapper = register(User, UserRecord)
organization_mapper = register(Organization, OrganizationRecord)
member_mapper = register(OrganizationMember, OrganizationMemberRecord)
domain_mapper = register(OrganizationDomain, OrganizationDomainRecord)
reset_token_mapper = register(PasswordResetToken, PasswordResetTokenRecord)
magic_link_mapper = register(MagicLinkToken, MagicLinkTokenRecord)
refresh_token_mapper = register(RefreshToken, RefreshTokenRecord)
api_key_mapper = register(ApiKey, ApiKeyRecord)
audit_mapper = register(AuditEvent, AuditLogRecord)
