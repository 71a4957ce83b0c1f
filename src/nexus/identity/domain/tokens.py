"""Single-use tokens (password reset, magic link with its one-time code) and refresh tokens.
Each holds only the SHA-256 digest of its raw value."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

import attrs

from nexus.identity.domain.credentials import DIGEST_LENGTH, otp_digest, same_secret
from nexus.identity.domain.ids import TokenFamilyId, TokenId, new_token_id
from nexus.identity.domain.rules import ip_address
from nexus.shared.entity import Entity, aware_datetime, integer, text, to_enum
from nexus.shared.ids import UserId

PASSWORD_RESET_TTL = timedelta(minutes=30)
MAGIC_LINK_TTL = timedelta(minutes=15)
REFRESH_TOKEN_TTL = timedelta(days=30)
REFRESH_REUSE_GRACE = timedelta(seconds=10)
REFRESH_REUSE_GRACE_MAX = timedelta(minutes=5)
MAX_OTP_ATTEMPTS = 5
USER_AGENT_MAX_LENGTH = 512


def _digest_field() -> str:
    return attrs.field(  # type: ignore[no-any-return]
        validator=text(min_length=DIGEST_LENGTH, max_length=DIGEST_LENGTH), repr=False
    )


@attrs.define(kw_only=True)
class SingleUseToken(Entity):
    """Redeemable once, before `expires_at`. `used_at` set means used (or invalidated)."""

    id: TokenId = attrs.field(factory=new_token_id)
    user_id: UserId
    token_hash: str = _digest_field()
    expires_at: datetime = attrs.field(validator=aware_datetime())
    used_at: datetime | None = attrs.field(default=None, validator=aware_datetime(optional=True))
    created_at: datetime = attrs.field(validator=aware_datetime())

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    def is_redeemable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at

    def use(self, now: datetime) -> None:
        self.used_at = now


@attrs.define(kw_only=True)
class PasswordResetToken(SingleUseToken):
    __label__ = "password_reset_tokens"


@attrs.define(kw_only=True)
class MagicLinkToken(SingleUseToken):
    """A magic link also carries a 6-digit code for typing instead of clicking; the code counts
    every try and stops working after 5."""

    __label__ = "magic_link_tokens"

    otp_code_hash: str = _digest_field()
    otp_attempts: int = attrs.field(
        default=0, validator=integer(minimum=0, maximum=MAX_OTP_ATTEMPTS)
    )

    def accepts_code_tries(self, now: datetime) -> bool:
        return self.is_redeemable(now) and self.otp_attempts < MAX_OTP_ATTEMPTS

    def code_matches(self, code: str) -> bool:
        return same_secret(otp_digest(self.id, code), self.otp_code_hash)


class RevokedReason(StrEnum):
    ROTATED = "rotated"
    LOGOUT = "logout"
    REUSE_DETECTED = "reuse_detected"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    PASSWORD_RESET = "password_reset"  # noqa: S105
    DEACTIVATED = "deactivated"


def _reason(value: object) -> RevokedReason | None:
    if value is None:
        return None
    converted: RevokedReason = to_enum(RevokedReason, "refresh_tokens.revoked_reason", value)
    return converted


@attrs.define(kw_only=True)
class RefreshToken(Entity):
    """One refresh token. Tokens rotated from one login share a family; presenting a token
    that was already rotated revokes the whole family."""

    __label__ = "refresh_tokens"

    id: TokenId = attrs.field(factory=new_token_id)
    user_id: UserId
    token_hash: str = _digest_field()
    family_id: TokenFamilyId
    expires_at: datetime = attrs.field(validator=aware_datetime())
    created_at: datetime = attrs.field(validator=aware_datetime())
    last_used_at: datetime | None = attrs.field(
        default=None, validator=aware_datetime(optional=True)
    )
    revoked_at: datetime | None = attrs.field(default=None, validator=aware_datetime(optional=True))
    revoked_reason: RevokedReason | None = attrs.field(default=None, converter=_reason)
    user_agent: str | None = attrs.field(
        default=None, validator=text(max_length=USER_AGENT_MAX_LENGTH, optional=True)
    )
    ip_address: str | None = attrs.field(default=None, validator=ip_address)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def was_rotated(self) -> bool:
        return self.revoked_reason is RevokedReason.ROTATED

    def is_active(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def rotated_within(self, grace: timedelta, now: datetime) -> bool:
        """Rotated less than `grace` ago (and not expired): a concurrent refresh, not a replay."""
        return (
            self.was_rotated
            and self.revoked_at is not None
            and now - self.revoked_at < grace
            and now < self.expires_at
        )

    def revoke(self, now: datetime, reason: RevokedReason) -> None:
        if self.revoked_at is None:
            self.revoked_at = now
            self.revoked_reason = reason
