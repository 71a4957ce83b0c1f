"""Password reset and magic links: issue a raw token once, redeem it once, atomically.
Issuing for an unknown email returns nothing and looks like any other request."""

from __future__ import annotations

import re
from datetime import datetime

from nexus.identity.application.attempts import Attempts, Refused, Reserved, secret_text
from nexus.identity.application.base import IdentityUseCases
from nexus.identity.application.ports import IdentityUnitOfWork
from nexus.identity.application.results import LoginResult, MagicLinkIssued
from nexus.identity.application.sessions import start_session
from nexus.identity.application.support import NO_CONTEXT, RequestContext, record
from nexus.identity.domain.audit import AuditAction
from nexus.identity.domain.credentials import (
    OTP_DIGITS,
    digest,
    new_otp_code,
    new_token,
    otp_digest,
)
from nexus.identity.domain.ids import new_token_id
from nexus.identity.domain.passwords import check_password_policy
from nexus.identity.domain.tokens import MagicLinkToken, PasswordResetToken, RevokedReason
from nexus.identity.domain.users import User, normalise_email
from nexus.shared.arguments import Credential
from nexus.shared.errors import AuthenticationError, ValidationError
from nexus.shared.retry import retry_on_concurrency
from nexus.shared.usecases import transaction

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


class Recovery(IdentityUseCases):
    """Password reset and magic links. Redeeming records a refusal and then raises, so those
    use cases commit explicitly (`@transaction` rolls back whatever precedes an error)."""

    @transaction
    def request_password_reset(
        self, tx: IdentityUnitOfWork, email: str, *, ip_address: str | None = None
    ) -> str | None:
        """The raw reset token to deliver, or None (unknown or inactive account). Both cases
        write one audit row, so they cost the same."""
        context = RequestContext(ip_address=ip_address)
        now = self.clock.now()
        normalised = _email_or_none(email)
        user = None if normalised is None else tx.users.find_by_email(normalised)
        raw = None
        if user is not None and user.is_active:
            raw = new_token()
            token = PasswordResetToken(
                user_id=user.id,
                token_hash=digest(raw),
                expires_at=now + self.policy.password_reset_ttl,
                created_at=now,
            )
            tx.reset_tokens.add(token)
        _record_request(
            tx, AuditAction.PASSWORD_RESET_REQUESTED, now, user, normalised, raw, context
        )
        return raw

    def reset_password(self, token: Credential, new_password: str) -> None:
        """Consume the token (once), set the new password (which lifts a lockout), revoke every
        refresh token and every other outstanding reset token of the user."""
        check_password_policy(new_password, field="new_password")
        new_hash = self.hasher.hash(new_password)
        retry_on_concurrency(lambda: self._consume_reset(str(token), new_hash, NO_CONTEXT))

    def _consume_reset(self, raw_token: str, new_hash: str, context: RequestContext) -> None:
        now = self.clock.now()
        with self.uow() as tx:
            token = tx.reset_tokens.consume(digest(raw_token), now)
            user = None if token is None else tx.users.find(token.user_id)
            if token is None or user is None or not user.is_active:
                tx.rollback()
                record(tx, AuditAction.PASSWORD_RESET_FAILED, now, success=False, context=context)
                tx.commit()
                raise AuthenticationError(_INVALID)
            user.set_password_hash(new_hash, now)
            tx.users.update(user)
            tx.refresh_tokens.revoke_all_for_user(user.id, now, RevokedReason.PASSWORD_RESET)
            tx.reset_tokens.invalidate_outstanding(user.id, now)
            record(tx, AuditAction.PASSWORD_RESET_COMPLETED, now, user_id=user.id, context=context)
            tx.commit()

    @transaction
    def issue_magic_link(
        self, tx: IdentityUnitOfWork, email: str, *, ip_address: str | None = None
    ) -> MagicLinkIssued | None:
        """The raw link token and one-time (6-digit) code to deliver, or None for an unknown or
        inactive account (one audit row either way)."""
        context = RequestContext(ip_address=ip_address)
        now = self.clock.now()
        normalised = _email_or_none(email)
        issued = None
        user = None if normalised is None else tx.users.find_by_email(normalised)
        if user is not None and user.is_active:
            raw, code, token_id = new_token(), new_otp_code(), new_token_id()
            token = MagicLinkToken(
                id=token_id,
                user_id=user.id,
                token_hash=digest(raw),
                otp_code_hash=otp_digest(token_id, code),
                expires_at=now + self.policy.magic_link_ttl,
                created_at=now,
            )
            tx.magic_links.add(token)
            issued = MagicLinkIssued(token=raw, code=code, expires_at=token.expires_at)
        _record_request(tx, AuditAction.MAGIC_LINK_ISSUED, now, user, normalised, issued, context)
        return issued

    def redeem_magic_link(
        self,
        token: Credential | None = None,
        *,
        email: str | None = None,
        code: Credential | None = None,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> LoginResult:
        """Redeem with the link's token, or with the email and the one-time code. The link
        also proves the email address.

        A code try is counted against the account, as a failed password is, before the code
        is compared, and audited; the fifth failure (codes and passwords together) locks the
        account until a password reset, whatever the number of links issued. Each link also
        dies after 5 tries of its own."""
        context = RequestContext(ip_address=ip_address, user_agent=user_agent)
        if token is not None:
            link = secret_text(token, "token")
            return retry_on_concurrency(lambda: self._redeem_link(link, context))
        if email is None or code is None:
            raise ValidationError("token", "give the link's token, or the email and the code")
        normalised = normalise_email(email, field="email")
        typed = _otp_code(code)
        code_tries = Attempts(
            self.uow, self.clock, AuditAction.MAGIC_LINK_FAILED, {"method": "code"}, "wrong_code"
        )
        reserved = code_tries.reserve(context, email=normalised)
        if isinstance(reserved, Refused):
            raise AuthenticationError(_BAD_CODE)
        return retry_on_concurrency(lambda: self._redeem_code(reserved, typed, context))

    def _redeem_link(self, raw_token: str, context: RequestContext) -> LoginResult:
        now = self.clock.now()
        with self.uow() as tx:
            token = tx.magic_links.consume(digest(raw_token), now)
            user = None if token is None else tx.users.find(token.user_id)
            if token is None or user is None or not user.can_log_in:
                tx.rollback()
                record(tx, AuditAction.MAGIC_LINK_FAILED, now, success=False, context=context)
                tx.commit()
                raise AuthenticationError(_INVALID)
            return self._sign_in_by_link(tx, user, now, context, "link")

    def _redeem_code(self, reserved: Reserved, code: str, context: RequestContext) -> LoginResult:
        now = self.clock.now()
        with self.uow() as tx:
            user = tx.users.get(reserved.user_id)
            token = tx.magic_links.latest_for_code(user.id, now)
            counted = token is not None and tx.magic_links.count_code_try(token.id, now)
            won = (
                counted
                and token is not None
                and token.code_matches(code)
                and tx.magic_links.consume_by_id(token.id, now)
            )
            if not won or not user.is_active:
                if won:
                    tx.rollback()  # an account deactivated meanwhile keeps the link unused
                else:
                    tx.commit()  # the link's own try count (the failure row is written)
                raise AuthenticationError(_BAD_CODE)
            reserved.undo(tx)
            return self._sign_in_by_link(tx, user, now, context, "code")

    def _sign_in_by_link(
        self,
        tx: IdentityUnitOfWork,
        user: User,
        now: datetime,
        context: RequestContext,
        method: str,
    ) -> LoginResult:
        user.verify_email(now)
        user.record_successful_login(now)
        tx.users.update(user)
        session = start_session(tx, user, now, self.policy, context)
        record(
            tx,
            AuditAction.MAGIC_LINK_REDEEMED,
            now,
            user_id=user.id,
            details={"method": method},
            context=context,
        )
        tx.commit()
        return session
