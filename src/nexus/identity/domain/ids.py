"""Identity's own typed ids (UserId and OrganizationId live in the shared kernel)."""

from __future__ import annotations

import uuid
from typing import NewType

from nexus.shared.ids import new_id

MemberId = NewType("MemberId", uuid.UUID)
DomainId = NewType("DomainId", uuid.UUID)
TokenId = NewType("TokenId", uuid.UUID)
TokenFamilyId = NewType("TokenFamilyId", uuid.UUID)
ApiKeyId = NewType("ApiKeyId", uuid.UUID)
AuditEventId = NewType("AuditEventId", uuid.UUID)


def new_member_id() -> MemberId:
    return MemberId(new_id())


def new_domain_id() -> DomainId:
    return DomainId(new_id())


def new_token_id() -> TokenId:
    return TokenId(new_id())


def new_token_family_id() -> TokenFamilyId:
    return TokenFamilyId(new_id())


def new_api_key_id() -> ApiKeyId:
    return ApiKeyId(new_id())


def new_audit_event_id() -> AuditEventId:
    return AuditEventId(new_id())
