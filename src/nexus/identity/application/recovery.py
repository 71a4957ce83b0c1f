"""Password reset and magic links: issue a raw token once, redeem it once, atomically.
Issuing for an unknown email returns nothing and looks like any other request."""

from __future__ import annotations

import re
from datetime import datetime

from nexus.identity.application.attempts import Attempts, Refused, Reserved, secret_text
from nexus.identity.application.policy import IdentityPolicy
from nexus.identity.application.ports import IdentityUnitOfWork, UnitOfWorkFactory
from nexus.identity.application.results import LoginResult, MagicLinkIssued
from nexus.identity.application.sessions import start_session
from nexus.identity.application.support import (
    NO_CONTEXT,
    RequestContext,
    record,
)
from nexus.identity.domain.audit import AuditAction
from nexus.identity.domain.credentials import (
    OTP_DIGITS,
    digest,
    new_otp_code,
    new_token,
    otp_digest,
)
from nexus.identity.domain.ids import new_token_id
from nexus.identity.domain.passwords import PasswordHasher, check_password_policy
from nexus.identity.domain.tokens import MagicLinkToken, PasswordResetToken, RevokedReason
from nexus.identity.domain.users import User, normalise_email
from nexus.shared.clock import Clock
from nexus.shared.errors import AuthenticationError, ValidationError
from nexus.shared.retry import retry_on_concurrency

_INVALID = "token: invalid, expired or already used"
_BAD_CODE = "code: invalid, expired or too many tries"
_CODE = re.compile(f"[0-9]{{{OTP_DIGITS}}}")


def _otp_code(value: object) -> str:
    """The code as typed: malformed input is refused before it is counted."""
    code = secret_text(value, "code")
    if not _CODE.fullmatch(code):
        raise ValidationError("code", f"must be the {OTP_DIGITS}-digit code")
    return code


def _email_or_none(email: str) -> str | None:
    try:
        return normalise_email(email)
    except ValidationError:
        return None


def _record_request(
    uow: IdentityUnitOfWork,
    action: AuditAction,
    now: datetime,
    user: User | None,
    email: str | None,
    issued: object,
    context: RequestContext,
) -> None:
    """The same audit row whether or not the account exists (the email only when it does not,
    since there is no user to point at)."""
    record(
        uow,
        action,
        now,
        user_id=None if user is None else user.id,
        details=None if user is not None else {"email": email or "(invalid)"},
        success=issued is not None,
        context=context,
    )


class PasswordResets:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        policy: IdentityPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._policy = policy

    def request(self, email: str, context: RequestContext = NO_CONTEXT) -> str | None:
        """The raw token for the caller to deliver, or None for an unknown or inactive account.
        Both cases write one audit row, so they cost the same."""
        now = self._clock.now()
        normalised = _email_or_none(email)
        with self._uow() as uow:
            user = None if normalised is None else uow.users.find_by_email(normalised)
            raw = None
            if user is not None and user.is_active:
                raw = new_token()
                token = PasswordResetToken(
                    user_id=user.id,
                    token_hash=digest(raw),
                    expires_at=now + self._policy.password_reset_ttl,
                    created_at=now,
                )
                uow.reset_tokens.add(token)
            _record_request(
                uow, AuditAction.PASSWORD_RESET_REQUESTED, now, user, normalised, raw, context
            )
            uow.commit()
        return raw

    def reset(
        self, raw_token: str, new_password: str, context: RequestContext = NO_CONTEXT
    ) -> None:
        """Consume the token (once), set the new password (which lifts a lockout), revoke every
        refresh token and every other outstanding reset token of the user."""
        check_password_policy(new_password, field="new_password")
        new_hash = self._hasher.hash(new_password)
        retry_on_concurrency(lambda: self._reset(str(raw_token), new_hash, context))

    def _reset(self, raw_token: str, new_hash: str, context: RequestContext) -> None:
        now = self._clock.now()
        with self._uow() as uow:
            token = uow.reset_tokens.consume(digest(raw_token), now)
            user = None if token is None else uow.users.find(token.user_id)
            if token is None or user is None or not user.is_active:
                uow.rollback()
                record(uow, AuditAction.PASSWORD_RESET_FAILED, now, success=False, context=context)
                uow.commit()
                raise AuthenticationError(_INVALID)
            user.set_password_hash(new_hash, now)
            uow.users.update(user)
            uow.refresh_tokens.revoke_all_for_user(user.id, now, RevokedReason.PASSWORD_RESET)
            uow.reset_tokens.invalidate_outstanding(user.id, now)
            record(uow, AuditAction.PASSWORD_RESET_COMPLETED, now, user_id=user.id, context=context)
            uow.commit()


class MagicLinks:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, policy: IdentityPolicy) -> None:
        self._uow = uow
        self._clock = clock
        self._policy = policy
        self._code_tries = Attempts(
            uow, clock, AuditAction.MAGIC_LINK_FAILED, {"method": "code"}, wrong="wrong_code"
        )

    def issue(self, email: str, context: RequestContext = NO_CONTEXT) -> MagicLinkIssued | None:
        """A raw link token and 6-digit code to deliver, or None for an unknown or inactive
        account (one audit row either way)."""
        now = self._clock.now()
        normalised = _email_or_none(email)
        issued = None
        with self._uow() as uow:
            user = None if normalised is None else uow.users.find_by_email(normalised)
            if user is not None and user.is_active:
                raw, code, token_id = new_token(), new_otp_code(), new_token_id()
                token = MagicLinkToken(
                    id=token_id,
                    user_id=user.id,
                    token_hash=digest(raw),
                    otp_code_hash=otp_digest(token_id, code),
                    expires_at=now + self._policy.magic_link_ttl,
                    created_at=now,
                )
                uow.magic_links.add(token)
                issued = MagicLinkIssued(token=raw, code=code, expires_at=token.expires_at)
            _record_request(
                uow, AuditAction.MAGIC_LINK_ISSUED, now, user, normalised, issued, context
            )
            uow.commit()
        return issued

    def redeem(self, raw_token: str, context: RequestContext = NO_CONTEXT) -> LoginResult:
        """Consume the link (once) and sign the user in; it also proves the email address."""
        token = secret_text(raw_token, "token")
        return retry_on_concurrency(lambda: self._redeem(token, context))

    def _redeem(self, raw_token: str, context: RequestContext) -> LoginResult:
        now = self._clock.now()
        with self._uow() as uow:
            token = uow.magic_links.consume(digest(raw_token), now)
            user = None if token is None else uow.users.find(token.user_id)
            if token is None or user is None or not user.can_log_in:
                uow.rollback()
                record(uow, AuditAction.MAGIC_LINK_FAILED, now, success=False, context=context)
                uow.commit()
                raise AuthenticationError(_INVALID)
            return self._sign_in(uow, user, now, context, "link")

    def redeem_code(
        self, email: str, code: str, context: RequestContext = NO_CONTEXT
    ) -> LoginResult:
        """Redeem the newest outstanding link of `email` with its one-time code. A try is
        counted against the account, as a failed password is, before the code is compared,
        and audited; the fifth failure (codes and passwords together) locks the account until
        a password reset, whatever the number of links issued. Each link also dies after 5
        tries of its own."""
        normalised = normalise_email(email, field="email")
        typed = _otp_code(code)
        reserved = self._code_tries.reserve(context, email=normalised)
        if isinstance(reserved, Refused):
            raise AuthenticationError(_BAD_CODE)
        return retry_on_concurrency(lambda: self._redeem_code(reserved, typed, context))

    def _redeem_code(self, reserved: Reserved, code: str, context: RequestContext) -> LoginResult:
        now = self._clock.now()
        with self._uow() as uow:
            user = uow.users.get(reserved.user_id)
            token = uow.magic_links.latest_for_code(user.id, now)
            counted = token is not None and uow.magic_links.count_code_try(token.id, now)
            won = (
                counted
                and token is not None
                and token.code_matches(code)
                and uow.magic_links.consume_by_id(token.id, now)
            )
            if not won or not user.is_active:
                if won:
                    uow.rollback()  # an account deactivated meanwhile keeps the link unused
                else:
                    uow.commit()  # the link's own try count (the failure row is written)
                raise AuthenticationError(_BAD_CODE)
            reserved.undo(uow)
            return self._sign_in(uow, user, now, context, "code")

    def _sign_in(
        self,
        uow: IdentityUnitOfWork,
        user: User,
        now: datetime,
        context: RequestContext,
        method: str,
    ) -> LoginResult:
        user.verify_email(now)
        user.record_successful_login(now)
        uow.users.update(user)
        session = start_session(uow, user, now, self._policy, context)
        record(
            uow,
            AuditAction.MAGIC_LINK_REDEEMED,
            now,
            user_id=user.id,
            details={"method": method},
            context=context,
        )
        uow.commit()
        return session
