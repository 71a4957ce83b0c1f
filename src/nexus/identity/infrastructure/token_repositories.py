"""SQLAlchemy repositories for tokens, API keys and the audit log. Single use is one
conditional UPDATE whose row count says who won."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Table, bindparam, exists, select, update
from sqlalchemy.orm import Session

from nexus.identity.domain.api_keys import ApiKey, ApiKeyPrincipal
from nexus.identity.domain.audit import AuditEvent
from nexus.identity.domain.ids import ApiKeyId, TokenFamilyId, TokenId
from nexus.identity.domain.tokens import (
    MAX_OTP_ATTEMPTS,
    MagicLinkToken,
    PasswordResetToken,
    RefreshToken,
    RevokedReason,
)
from nexus.identity.infrastructure.mappers import (
    api_key_mapper,
    audit_mapper,
    magic_link_mapper,
    refresh_token_mapper,
    reset_token_mapper,
)
from nexus.identity.infrastructure.records import (
    ApiKeyRecord,
    AuditLogRecord,
    MagicLinkTokenRecord,
    PasswordResetTokenRecord,
    RefreshTokenRecord,
    UserRecord,
)
from nexus.persistence.repository import SqlAlchemyRepository
from nexus.shared.ids import UserId, WorkspaceId


def _table(record: type[Any]) -> Table:
    table: Table = record.__table__
    return table


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class _SingleUse:
    """consume(): UPDATE ... SET used_at = :now WHERE token_hash = :h AND used_at IS NULL AND
    expires_at > :now. On PostgreSQL the loser's UPDATE waits for the winner's row lock and then
    finds used_at set; on SQLite the write lock serialises them. Either way: one row, one winner."""

    session: Session
    record: ClassVar[Any]
    mapper: ClassVar[Any]

    def _consume(self, *criteria: Any, now: datetime) -> int:
        table = self.record.__table__
        statement = (
            update(table)
            .where(*criteria, table.c.used_at.is_(None), table.c.expires_at > now)
            .values(used_at=now)
        )
        return _rowcount(self.session.execute(statement))

    def consume(self, token_hash: str, now: datetime) -> Any:
        if self._consume(self.record.__table__.c.token_hash == token_hash, now=now) != 1:
            return None
        record = self.session.scalars(
            select(self.record)
            .where(self.record.token_hash == token_hash)
            .execution_options(populate_existing=True)
        ).one()
        return self.mapper.to_entity(record)

    def invalidate_outstanding(self, user_id: UserId, now: datetime) -> int:
        table = self.record.__table__
        statement = (
            update(table)
            .where(table.c.user_id == user_id, table.c.used_at.is_(None))
            .values(used_at=now)
        )
        return _rowcount(self.session.execute(statement))


class SqlAlchemyPasswordResetTokenRepository(
    _SingleUse, SqlAlchemyRepository[PasswordResetToken, PasswordResetTokenRecord]
):
    mapper = reset_token_mapper
    record = PasswordResetTokenRecord
    kind = "password reset token"


class SqlAlchemyMagicLinkTokenRepository(
    _SingleUse, SqlAlchemyRepository[MagicLinkToken, MagicLinkTokenRecord]
):
    mapper = magic_link_mapper
    record = MagicLinkTokenRecord
    kind = "magic link token"

    def latest_for_code(self, user_id: UserId, now: datetime) -> MagicLinkToken | None:
        r = MagicLinkTokenRecord
        return self._one(
            select(r)
            .where(
                r.user_id == user_id,
                r.used_at.is_(None),
                r.expires_at > now,
                r.otp_attempts < MAX_OTP_ATTEMPTS,
            )
            .order_by(r.created_at.desc(), r.id.desc())
            .limit(1)
        )

    def count_code_try(self, token_id: TokenId, now: datetime) -> bool:
        t = MagicLinkTokenRecord.__table__.c
        statement = (
            update(_table(MagicLinkTokenRecord))
            .where(
                t.id == token_id,
                t.used_at.is_(None),
                t.expires_at > now,
                t.otp_attempts < MAX_OTP_ATTEMPTS,
            )
            .values(otp_attempts=t.otp_attempts + 1)
        )
        return _rowcount(self.session.execute(statement)) == 1

    def consume_by_id(self, token_id: TokenId, now: datetime) -> bool:
        return self._consume(MagicLinkTokenRecord.__table__.c.id == token_id, now=now) == 1


class SqlAlchemyRefreshTokenRepository(SqlAlchemyRepository[RefreshToken, RefreshTokenRecord]):
    mapper = refresh_token_mapper
    kind = "refresh token"

    def find_by_hash(self, token_hash: str) -> RefreshToken | None:
        return self._one(
            select(RefreshTokenRecord).where(RefreshTokenRecord.token_hash == token_hash)
        )

    def _revoke(self, *criteria: Any, now: datetime, reason: RevokedReason) -> int:
        t = RefreshTokenRecord.__table__.c
        statement = (
            update(_table(RefreshTokenRecord))
            .where(*criteria, t.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason.value, last_used_at=now)
        )
        return _rowcount(self.session.execute(statement))

    def revoke_if_active(self, token_id: TokenId, now: datetime, reason: RevokedReason) -> bool:
        return (
            self._revoke(RefreshTokenRecord.__table__.c.id == token_id, now=now, reason=reason) == 1
        )

    def revoke_family(self, family_id: TokenFamilyId, now: datetime, reason: RevokedReason) -> int:
        c = RefreshTokenRecord.__table__.c
        return self._revoke(c.family_id == family_id, now=now, reason=reason)

    def revoke_all_for_user(self, user_id: UserId, now: datetime, reason: RevokedReason) -> int:
        c = RefreshTokenRecord.__table__.c
        return self._revoke(c.user_id == user_id, now=now, reason=reason)

    def family_is_live(self, family_id: TokenFamilyId, now: datetime) -> bool:
        c = RefreshTokenRecord.__table__.c
        live = exists().where(c.family_id == family_id, c.revoked_at.is_(None), c.expires_at > now)
        return bool(self.session.scalar(select(live)))


class SqlAlchemyApiKeyRepository(SqlAlchemyRepository[ApiKey, ApiKeyRecord]):
    mapper = api_key_mapper
    kind = "api key"

    def find(self, user_id: UserId, key_id: ApiKeyId) -> ApiKey | None:  # type: ignore[override]
        return self._one(
            select(ApiKeyRecord).where(ApiKeyRecord.user_id == user_id, ApiKeyRecord.id == key_id)
        )

    def find_by_hash(self, key_hash: str) -> ApiKey | None:
        return self._one(select(ApiKeyRecord).where(ApiKeyRecord.key_hash == key_hash))

    def use(self, key_hash: str, now: datetime) -> ApiKeyPrincipal | None:
        # The hot path of every API request: one prebuilt statement on the session's
        # connection (no expression building, the compiled form is cached once).
        row = (
            self.session.connection()
            .execute(_USE_API_KEY, {"presented_hash": key_hash, "now_at": now})
            .first()
        )
        if row is None:
            return None
        return ApiKeyPrincipal(
            key_id=ApiKeyId(row.id),
            user_id=UserId(row.user_id),
            workspace_id=None if row.workspace_id is None else WorkspaceId(row.workspace_id),
        )


def _use_api_key_statement() -> Any:
    k = _table(ApiKeyRecord).c
    u = _table(UserRecord).c
    now = bindparam("now_at", type_=k.last_used_at.type)
    return (
        update(_table(ApiKeyRecord))
        .where(
            k.key_hash == bindparam("presented_hash"),
            k.revoked_at.is_(None),
            k.expires_at.is_(None) | (k.expires_at > now),
            exists().where(u.id == k.user_id, u.is_active.is_(True)),
        )
        .values(last_used_at=now)
        .returning(k.id, k.user_id, k.workspace_id)
    )


_USE_API_KEY = _use_api_key_statement()


class SqlAlchemyAuditLog(SqlAlchemyRepository[AuditEvent, AuditLogRecord]):
    mapper = audit_mapper
    kind = "audit event"
