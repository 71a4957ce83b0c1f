"""Identity's read side over the in-memory store: the same DTOs, the same order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nexus.identity.application.results import (
    ApiKeyResult,
    AuditEventResult,
    DomainResult,
    MemberResult,
    OrganizationResult,
    UserResult,
)
from nexus.persistence.memory import InMemoryStore
from nexus.shared.ids import OrganizationId, UserId


class _Queries:
    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def _rows(self, table: str) -> Iterator[Any]:
        return (entity for _key, entity in self._store.snapshot(table))


class InMemoryUserQueries(_Queries):
    def list_users(self, *, limit: int = 100, offset: int = 0) -> list[UserResult]:
        users = sorted(self._rows("users"), key=lambda u: u.email)
        return [UserResult.from_user(u) for u in users[offset : offset + limit]]

    def count_users(self) -> int:
        return len(self._store.table("users"))


class InMemoryOrganizationQueries(_Queries):
    def list_organizations(
        self, *, member: UserId | None = None, limit: int = 100, offset: int = 0
    ) -> list[OrganizationResult]:
        organizations = list(self._rows("organizations"))
        if member is not None:
            mine = {
                m.organization_id for m in self._rows("organization_members") if m.user_id == member
            }
            organizations = [o for o in organizations if o.id in mine]
        organizations.sort(key=lambda o: o.slug)
        return [
            OrganizationResult.from_organization(o) for o in organizations[offset : offset + limit]
        ]

    def list_members(self, organization_id: OrganizationId) -> list[MemberResult]:
        users = {u.id: u for u in self._rows("users")}
        found = [
            MemberResult(
                organization_id=m.organization_id,
                user_id=m.user_id,
                email=users[m.user_id].email,
                name=users[m.user_id].name,
                role=m.role.value,
                created_at=m.created_at,
            )
            for m in self._rows("organization_members")
            if m.organization_id == organization_id and m.user_id in users
        ]
        return sorted(found, key=lambda r: r.email)

    def list_domains(self, organization_id: OrganizationId) -> list[DomainResult]:
        found = [
            d for d in self._rows("organization_domains") if d.organization_id == organization_id
        ]
        return [DomainResult.from_domain(d) for d in sorted(found, key=lambda d: d.domain)]


class InMemoryApiKeyQueries(_Queries):
    def list_api_keys(self, user_id: UserId) -> list[ApiKeyResult]:
        found = [k for k in self._rows("api_keys") if k.user_id == user_id]
        found.sort(key=lambda k: (k.created_at, k.id), reverse=True)
        return [ApiKeyResult.from_key(k) for k in found]


class InMemoryAuditQueries(_Queries):
    def list_events(
        self,
        *,
        user_id: UserId | None = None,
        action: str | None = None,
        resource_type: str | None = None,
        resource_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEventResult]:
        wanted = {
            "user_id": user_id,
            "action": action,
            "resource_type": resource_type,
            "resource_id": resource_id,
        }
        found = [
            e
            for e in self._rows("audit_logs")
            if all(v is None or getattr(e, k) == v for k, v in wanted.items())
        ]
        found.sort(key=lambda e: (e.created_at, e.id), reverse=True)
        return [AuditEventResult.from_event(e) for e in found[offset : offset + limit]]
