"""What identity's use cases share: the acting party, request context and audit rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from nexus.identity.application.ports import IdentityUnitOfWork
from nexus.identity.domain.audit import AuditAction, AuditEvent
from nexus.identity.domain.emails import printable
from nexus.identity.domain.ids import AuditEventId
from nexus.identity.domain.rules import ip_address
from nexus.identity.domain.tokens import USER_AGENT_MAX_LENGTH
from nexus.shared.actors import OPERATOR, Actor, Operator
from nexus.shared.errors import PermissionDeniedError, ValidationError
from nexus.shared.ids import UserId


@attrs.frozen
class Acting:
    """The party a use case acts for: a user (maybe a superadmin) or the operator."""

    user_id: UserId | None
    is_superadmin: bool = False

    @property
    def is_privileged(self) -> bool:
        return self.user_id is None or self.is_superadmin

    def audit_details(self, subject: UserId | None = None) -> dict[str, Any]:
        """Who acted, for an audit row about `subject`: the operator, or a user acting on
        someone else (a superadmin minting a key for another user is not that user)."""
        if self.user_id is None:
            return {"actor": "operator"}
        if subject is not None and self.user_id != subject:
            return {"actor": str(self.user_id)}
        return {}


def resolve_actor(uow: IdentityUnitOfWork, actor: Actor) -> Acting:
    if isinstance(actor, Operator):
        return Acting(None)
    user = uow.users.find(actor)
    if user is None or not user.is_active:
        raise PermissionDeniedError("the acting user is unknown or inactive")
    return Acting(user.id, user.is_superadmin)


def _clip_user_agent(value: object) -> str | None:
    """A long user agent is cut, not refused (metadata); but text that cannot be stored
    as-is on every engine (controls, NUL, lone surrogates) is refused before anything is
    counted, so a crafted request can neither lock an account nor escape the audit log."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("user_agent", "must be text")
    if not printable(value):
        raise ValidationError(
            "user_agent", "must not contain control or invisible characters (NUL included)"
        )
    return value[:USER_AGENT_MAX_LENGTH]


def _request_ip(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    try:
        ip_address(instance, attribute, value)
    except ValidationError as refused:
        raise ValidationError("ip_address", refused.rule) from None


@attrs.frozen(kw_only=True)
class RequestContext:
    """Where a request came from, as the audit log and refresh tokens record it."""

    ip_address: str | None = attrs.field(default=None, validator=_request_ip)
    user_agent: str | None = attrs.field(default=None, converter=_clip_user_agent)


NO_CONTEXT = RequestContext()


def record(
    uow: IdentityUnitOfWork,
    action: AuditAction,
    now: datetime,
    *,
    user_id: UserId | None = None,
    resource: tuple[str, object] | None = None,
    details: dict[str, Any] | None = None,
    success: bool = True,
    context: RequestContext = NO_CONTEXT,
) -> AuditEventId:
    """Stage an audit row in the unit of work, so it commits (or not) with the event."""
    event = AuditEvent(
        user_id=user_id,
        action=action.value,
        resource_type=None if resource is None else resource[0],
        resource_id=None if resource is None else str(resource[1]),
        details=details or None,
        ip_address=context.ip_address,
        user_agent=context.user_agent,
        success=success,
        created_at=now,
    )
    uow.audit.add(event)
    return event.id


__all__ = ["OPERATOR", "Acting", "Actor", "Operator", "resolve_actor"]
