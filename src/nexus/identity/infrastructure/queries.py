"""Identity's read side in SQL: lists returned as result DTOs, one query each."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from nexus.identity.application.results import (
    ApiKeyResult,
    AuditEventResult,
    DomainResult,
    MemberResult,
    OrganizationResult,
    UserResult,
)
from nexus.identity.infrastructure.mappers import (
    api_key_mapper,
    audit_mapper,
    domain_mapper,
    organization_mapper,
    user_mapper,
)
from nexus.identity.infrastructure.records import (
    ApiKeyRecord,
    AuditLogRecord,
    OrganizationDomainRecord,
    OrganizationMemberRecord,
    OrganizationRecord,
    UserRecord,
)
from nexus.shared.ids import OrganizationId, UserId


class _Queries:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory


class SqlAlchemyUserQueries(_Queries):
    def list_users(self, *, limit: int = 100, offset: int = 0) -> list[UserResult]:
        statement = select(UserRecord).order_by(UserRecord.email).limit(limit).offset(offset)
        with self._session_factory() as session:
            return [
                UserResult.from_user(user_mapper.to_entity(r)) for r in session.scalars(statement)
            ]

    def count_users(self) -> int:
        with self._session_factory() as session:
            return int(session.scalar(select(func.count()).select_from(UserRecord)) or 0)


class SqlAlchemyOrganizationQueries(_Queries):
    def list_organizations(
        self, *, member: UserId | None = None, limit: int = 100, offset: int = 0
    ) -> list[OrganizationResult]:
        statement = select(OrganizationRecord)
        if member is not None:
            statement = statement.join(
                OrganizationMemberRecord,
                (OrganizationMemberRecord.organization_id == OrganizationRecord.id)
                & (OrganizationMemberRecord.user_id == member),
            )
        statement = statement.order_by(OrganizationRecord.slug).limit(limit).offset(offset)
        with self._session_factory() as session:
            return [
                OrganizationResult.from_organization(organization_mapper.to_entity(r))
                for r in session.scalars(statement)
            ]

    def list_members(self, organization_id: OrganizationId) -> list[MemberResult]:
        m, u = OrganizationMemberRecord, UserRecord
        statement = (
            select(m.organization_id, m.user_id, u.email, u.name, m.role, m.created_at)
            .join(u, u.id == m.user_id)
            .where(m.organization_id == organization_id)
            .order_by(u.email)
        )
        with self._session_factory() as session:
            return [MemberResult(**row._asdict()) for row in session.execute(statement)]

    def list_domains(self, organization_id: OrganizationId) -> list[DomainResult]:
        d = OrganizationDomainRecord
        statement = select(d).where(d.organization_id == organization_id).order_by(d.domain)
        with self._session_factory() as session:
            return [
                DomainResult.from_domain(domain_mapper.to_entity(r))
                for r in session.scalars(statement)
            ]


class SqlAlchemyApiKeyQueries(_Queries):
    def list_api_keys(self, user_id: UserId) -> list[ApiKeyResult]:
        k = ApiKeyRecord
        statement = select(k).where(k.user_id == user_id).order_by(k.created_at.desc(), k.id.desc())
        with self._session_factory() as session:
            return [
                ApiKeyResult.from_key(api_key_mapper.to_entity(r))
                for r in session.scalars(statement)
            ]


class SqlAlchemyAuditQueries(_Queries):
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
        a = AuditLogRecord
        statement = select(a)
        for column, value in (
            (a.user_id, user_id),
            (a.action, action),
            (a.resource_type, resource_type),
            (a.resource_id, resource_id),
        ):
            if value is not None:
                statement = statement.where(column == value)
        statement = statement.order_by(a.created_at.desc(), a.id.desc()).limit(limit).offset(offset)
        with self._session_factory() as session:
            return [
                AuditEventResult.from_event(audit_mapper.to_entity(r))
                for r in session.scalars(statement)
            ]
