"""Identity's read side, written once for both adapters: lists returned as result DTOs."""

from __future__ import annotations

import attrs

from nexus.identity.application.ports import ANY_EVENT, FIRST_PAGE, AuditEventQuery
from nexus.identity.application.results import (
    ApiKeyResult,
    AuditEventResult,
    DomainResult,
    MemberResult,
    OrganizationResult,
    UserResult,
)
from nexus.identity.infrastructure.records import (
    api_key_mapper,
    audit_mapper,
    domain_mapper,
    member_mapper,
    organization_mapper,
    user_mapper,
)
from nexus.persistence.repository import Queries
from nexus.shared.ids import OrganizationId, UserId
from nexus.shared.usecases import Page


class UserQueries(Queries):
    def list_users(self, *, limit: int = 100, offset: int = 0) -> list[UserResult]:
        users = self._rows(user_mapper, order_by=("email",), limit=limit, offset=offset)
        return [UserResult.from_user(u) for u in users]

    def count_users(self) -> int:
        return self._count(user_mapper)


class OrganizationQueries(Queries):
    def list_organizations(
        self, *, member: UserId | None = None, limit: int = 100, offset: int = 0
    ) -> list[OrganizationResult]:
        if member is None:
            found = self._rows(organization_mapper, order_by=("slug",), limit=limit, offset=offset)
        else:
            mine = [m.organization_id for m in self._rows(member_mapper, {"user_id": member})]
            found = sorted(self._rows_in(organization_mapper, "id", mine), key=lambda o: o.slug)
            found = found[offset : offset + limit]
        return [OrganizationResult.from_organization(o) for o in found]

    def count_organizations(self, *, member: UserId | None = None) -> int:
        if member is None:
            return self._count(organization_mapper)
        return self._count(member_mapper, user_id=member)

    def list_members(self, organization_id: OrganizationId) -> list[MemberResult]:
        members = self._rows(member_mapper, {"organization_id": organization_id})
        users = {u.id: u for u in self._rows_in(user_mapper, "id", [m.user_id for m in members])}
        found = [
            MemberResult(
                organization_id=m.organization_id,
                user_id=m.user_id,
                email=users[m.user_id].email,
                name=users[m.user_id].name,
                role=m.role.value,
                created_at=m.created_at,
            )
            for m in members
            if m.user_id in users
        ]
        return sorted(found, key=lambda r: r.email)

    def list_domains(self, organization_id: OrganizationId) -> list[DomainResult]:
        found = self._rows(domain_mapper, {"organization_id": organization_id}, ("domain",))
        return [DomainResult.from_domain(d) for d in found]


class ApiKeyQueries(Queries):
    def list_api_keys(self, user_id: UserId) -> list[ApiKeyResult]:
        found = self._rows(api_key_mapper, {"user_id": user_id}, ("-created_at", "-id"))
        return [ApiKeyResult.from_key(k) for k in found]


class AuditQueries(Queries):
    def list_events(
        self, query: AuditEventQuery = ANY_EVENT, page: Page = FIRST_PAGE
    ) -> list[AuditEventResult]:
        found = self._rows(
            audit_mapper,
            _filters(query),
            ("-created_at", "-id"),
            limit=page.limit,
            offset=page.offset,
        )
        return [AuditEventResult.from_event(e) for e in found]

    def count_events(self, query: AuditEventQuery = ANY_EVENT) -> int:
        return self._count(audit_mapper, **_filters(query))


def _filters(query: AuditEventQuery) -> dict[str, object]:
    return {k: v for k, v in attrs.asdict(query).items() if v is not None}
