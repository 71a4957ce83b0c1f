"""Identity's SQLAlchemy repositories for users and organizations, and the unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, select, update
from sqlalchemy.orm import Session

from nexus.identity.domain.domains import OrganizationDomain
from nexus.identity.domain.ids import DomainId
from nexus.identity.domain.organizations import MemberRole, Organization, OrganizationMember
from nexus.identity.domain.users import User, normalise_email
from nexus.identity.infrastructure.mappers import (
    domain_mapper,
    member_mapper,
    organization_mapper,
    user_mapper,
)
from nexus.identity.infrastructure.records import (
    OrganizationDomainRecord,
    OrganizationMemberRecord,
    OrganizationRecord,
    UserRecord,
)
from nexus.identity.infrastructure.token_repositories import (
    SqlAlchemyApiKeyRepository,
    SqlAlchemyAuditLog,
    SqlAlchemyMagicLinkTokenRepository,
    SqlAlchemyPasswordResetTokenRepository,
    SqlAlchemyRefreshTokenRepository,
)
from nexus.persistence.repository import SqlAlchemyRepository
from nexus.persistence.uow import SqlAlchemyUnitOfWork
from nexus.shared.errors import NotFoundError
from nexus.shared.ids import OrganizationId, UserId


class SqlAlchemyUserRepository(SqlAlchemyRepository[User, UserRecord]):
    mapper = user_mapper
    kind = "user"
    version_field = "version"

    def find_by_email(self, email: str) -> User | None:
        return self._one(select(UserRecord).where(UserRecord.email == normalise_email(email)))

    def reserve_login_attempt(
        self, user_id: UserId, now: datetime, limit: int
    ) -> tuple[str, int] | None:
        users = UserRecord.__table__.c
        row = self.session.execute(
            update(UserRecord)
            .where(
                users.id == user_id,
                users.is_active.is_(True),
                users.failed_login_attempts < limit,
            )
            .values(
                failed_login_attempts=users.failed_login_attempts + 1,
                version=users.version + 1,
                updated_at=now,
            )
            .returning(users.hashed_password, users.failed_login_attempts)
        ).first()
        return None if row is None else (row[0], row[1])


class SqlAlchemyOrganizationRepository(SqlAlchemyRepository[Organization, OrganizationRecord]):
    mapper = organization_mapper
    kind = "organization"
    version_field = "version"

    def find_by_slug(self, slug: str) -> Organization | None:
        return self._one(select(OrganizationRecord).where(OrganizationRecord.slug == slug))

    def lock(self, organization_id: OrganizationId) -> Organization:
        # A no-op UPDATE takes the row lock on PostgreSQL and the write lock on SQLite, so a
        # second caller waits here until the first commits, then reads what it committed.
        table: Table = OrganizationRecord.__table__  # type: ignore[assignment]
        result = self.session.execute(
            update(table).where(table.c.id == organization_id).values(version=table.c.version)
        )
        if getattr(result, "rowcount", 0) != 1:
            raise NotFoundError(self.kind, organization_id)
        record = self.session.get(OrganizationRecord, organization_id, populate_existing=True)
        assert record is not None
        return organization_mapper.to_entity(record)


class SqlAlchemyMemberRepository(
    SqlAlchemyRepository[OrganizationMember, OrganizationMemberRecord]
):
    mapper = member_mapper
    kind = "organization member"

    def _select(self, organization_id: OrganizationId, user_id: UserId) -> Select[Any]:
        return select(OrganizationMemberRecord).where(
            OrganizationMemberRecord.organization_id == organization_id,
            OrganizationMemberRecord.user_id == user_id,
        )

    def find(  # type: ignore[override]
        self, organization_id: OrganizationId, user_id: UserId
    ) -> OrganizationMember | None:
        return self._one(self._select(organization_id, user_id))

    def remove(self, organization_id: OrganizationId, user_id: UserId) -> None:  # type: ignore[override]
        record = self.session.scalars(self._select(organization_id, user_id)).first()
        if record is None:
            raise NotFoundError(self.kind, user_id)
        self.session.delete(record)

    def owners(self, organization_id: OrganizationId) -> list[UserId]:
        statement = (
            select(OrganizationMemberRecord.user_id)
            .where(
                OrganizationMemberRecord.organization_id == organization_id,
                OrganizationMemberRecord.role == MemberRole.OWNER.value,
            )
            .order_by(OrganizationMemberRecord.created_at, OrganizationMemberRecord.id)
        )
        return [UserId(u) for u in self.session.scalars(statement)]


class SqlAlchemyDomainRepository(
    SqlAlchemyRepository[OrganizationDomain, OrganizationDomainRecord]
):
    mapper = domain_mapper
    kind = "organization domain"

    def _select(self, organization_id: OrganizationId, domain_id: DomainId) -> Select[Any]:
        return select(OrganizationDomainRecord).where(
            OrganizationDomainRecord.organization_id == organization_id,
            OrganizationDomainRecord.id == domain_id,
        )

    def find(  # type: ignore[override]
        self, organization_id: OrganizationId, domain_id: DomainId
    ) -> OrganizationDomain | None:
        return self._one(self._select(organization_id, domain_id))

    def remove(self, organization_id: OrganizationId, domain_id: DomainId) -> None:  # type: ignore[override]
        record = self.session.scalars(self._select(organization_id, domain_id)).first()
        if record is None:
            raise NotFoundError(self.kind, domain_id)
        self.session.delete(record)

    def verified(self, hostname: str) -> OrganizationDomain | None:
        r = OrganizationDomainRecord
        return self._one(select(r).where(r.domain == hostname, r.is_verified.is_(True)))


class SqlAlchemyIdentityUnitOfWork(SqlAlchemyUnitOfWork):
    users: SqlAlchemyUserRepository
    organizations: SqlAlchemyOrganizationRepository
    members: SqlAlchemyMemberRepository
    domains: SqlAlchemyDomainRepository
    reset_tokens: SqlAlchemyPasswordResetTokenRepository
    magic_links: SqlAlchemyMagicLinkTokenRepository
    refresh_tokens: SqlAlchemyRefreshTokenRepository
    api_keys: SqlAlchemyApiKeyRepository
    audit: SqlAlchemyAuditLog

    def _open(self, session: Session) -> None:
        self.users = SqlAlchemyUserRepository(session)
        self.organizations = SqlAlchemyOrganizationRepository(session)
        self.members = SqlAlchemyMemberRepository(session)
        self.domains = SqlAlchemyDomainRepository(session)
        self.reset_tokens = SqlAlchemyPasswordResetTokenRepository(session)
        self.magic_links = SqlAlchemyMagicLinkTokenRepository(session)
        self.refresh_tokens = SqlAlchemyRefreshTokenRepository(session)
        self.api_keys = SqlAlchemyApiKeyRepository(session)
        self.audit = SqlAlchemyAuditLog(session)
