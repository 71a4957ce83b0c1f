"""Counted sign-in attempts (a password, a one-time code): validated first, then counted and
audited as failed in one transaction before any secret is checked; a success undoes both."""

from __future__ import annotations

import uuid
from typing import Any

import attrs

from nexus.identity.application.ports import IdentityUnitOfWork, UnitOfWorkFactory
from nexus.identity.application.support import RequestContext, record
from nexus.identity.domain.audit import AuditAction
from nexus.identity.domain.ids import AuditEventId
from nexus.identity.domain.users import MAX_FAILED_LOGINS, User
from nexus.shared.clock import Clock
from nexus.shared.errors import ValidationError
from nexus.shared.ids import UserId
from nexus.shared.retry import retry_on_concurrency

# The reservation is run for an unknown email too, against an id no user has, so every
# refusal costs the same statements as a counted attempt (see docs/identity.md, login timing).
_NOBODY = UserId(uuid.UUID(int=0))


def secret_text(value: object, field: str) -> str:
    """A password or code as typed: any text that can be encoded (no lone surrogates)."""
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(field, "must be text encodable as UTF-8") from None
    return value


@attrs.frozen
class Reserved:
    """A counted attempt: the password hash it is checked against, and the audit rows that
    record it as failed (the failure, and the lock when it used the last try)."""

    user_id: UserId
    verified_hash: str
    audit_ids: tuple[AuditEventId, ...]

    @property
    def locks(self) -> bool:
        return len(self.audit_ids) > 1

    def still_valid_for(self, user: User) -> bool:
        """The outcome applies only to the password that was verified, of an active user: a
        reset, change or deactivation committed while the secret was checked wins over it."""
        return user.is_active and user.hashed_password == self.verified_hash

    def undo(self, uow: IdentityUnitOfWork, *, keep_lock: bool = False) -> None:
        """A success: the attempt was no failure after all (the caller resets the counter).
        `keep_lock` removes only the failure row, which the caller replaces with its reason."""
        for event_id in self.audit_ids[:1] if keep_lock else self.audit_ids:
            uow.audit.remove(event_id)


@attrs.frozen
class Refused:
    """Not counted: unknown email, locked or inactive account (already audited)."""

    user_id: UserId | None
    reason: str


class Attempts:
    """One transaction per attempt, the same statements on every path: look the user up,
    count the attempt (one conditional UPDATE, refused once locked or inactive; so any number
    of parallel attempts gets at most five checks), write its audit row, commit."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        action: AuditAction,
        details: dict[str, Any] | None = None,
        wrong: str = "wrong_password",
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._action = action
        self._details = details or {}
        self._wrong = wrong

    def reserve(
        self, context: RequestContext, *, email: str | None = None, user_id: UserId | None = None
    ) -> Reserved | Refused:
        return retry_on_concurrency(lambda: self._reserve(context, email, user_id))

    def _reserve(
        self, context: RequestContext, email: str | None, user_id: UserId | None
    ) -> Reserved | Refused:
        now = self._clock.now()
        with self._uow() as uow:
            if user_id is not None:
                user = uow.users.find(user_id)
            else:
                user = None if email is None else uow.users.find_by_email(email)
            target = _NOBODY if user is None else user.id
            reserved = uow.users.reserve_login_attempt(target, now, MAX_FAILED_LOGINS)
            if user is None or reserved is None:
                reason = _refusal(user, "unknown_user" if user_id is not None else "unknown_email")
                details = {**self._details, "reason": reason}
                if user is None and email is not None:
                    details["email"] = email
                self._audit(uow, self._action, user, details, context)
                uow.commit()
                return Refused(None if user is None else user.id, reason)
            verified_hash, failures = reserved
            details = {**self._details, "reason": self._wrong}
            ids = [self._audit(uow, self._action, user, details, context)]
            if failures >= MAX_FAILED_LOGINS:
                ids.append(self._audit(uow, AuditAction.LOCKED, user, dict(self._details), context))
            uow.commit()
        return Reserved(user.id, verified_hash, tuple(ids))

    def _audit(
        self,
        uow: IdentityUnitOfWork,
        action: AuditAction,
        user: User | None,
        details: dict[str, Any],
        context: RequestContext,
    ) -> AuditEventId:
        return record(
            uow,
            action,
            self._clock.now(),
            user_id=None if user is None else user.id,
            details=details,
            success=False,
            context=context,
        )


def _refusal(user: User | None, unknown: str) -> str:
    if user is None:
        return unknown
    return "inactive" if not user.is_active else "locked"
