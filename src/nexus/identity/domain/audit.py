"""Audit events: one row per security event, written in the same transaction as the event."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs

from nexus.identity.domain.ids import AuditEventId, new_audit_event_id
from nexus.identity.domain.rules import ip_address
from nexus.identity.domain.tokens import USER_AGENT_MAX_LENGTH
from nexus.shared.entity import Entity, aware_datetime, boolean, text
from nexus.shared.errors import ValidationError
from nexus.shared.ids import UserId
from nexus.shared.values import check_json


class AuditAction(StrEnum):
    USER_REGISTERED = "user.registered"
    LOGIN = "user.login"
    LOGIN_FAILED = "user.login_failed"
    LOCKED = "user.locked"
    LOGOUT = "user.logout"
    PASSWORD_CHANGED = "user.password_changed"  # noqa: S105
    PASSWORD_CHANGE_FAILED = "user.password_change_failed"  # noqa: S105
    EMAIL_VERIFIED = "user.email_verified"
    DEACTIVATED = "user.deactivated"
    REACTIVATED = "user.reactivated"
    UNLOCKED = "user.unlocked"
    PASSWORD_RESET_REQUESTED = "password_reset.requested"  # noqa: S105
    PASSWORD_RESET_COMPLETED = "password_reset.completed"  # noqa: S105
    PASSWORD_RESET_FAILED = "password_reset.failed"  # noqa: S105
    MAGIC_LINK_ISSUED = "magic_link.issued"
    MAGIC_LINK_REDEEMED = "magic_link.redeemed"
    MAGIC_LINK_FAILED = "magic_link.failed"
    REFRESH_ROTATED = "refresh_token.rotated"
    REFRESH_REUSE_DETECTED = "refresh_token.reuse_detected"
    REFRESH_FAILED = "refresh_token.failed"
    API_KEY_CREATED = "api_key.created"
    API_KEY_REVOKED = "api_key.revoked"
    API_KEY_AUTH_FAILED = "api_key.auth_failed"
    ORGANIZATION_CREATED = "organization.created"
    ORGANIZATION_UPDATED = "organization.updated"
    ORGANIZATION_DELETED = "organization.deleted"
    MEMBER_ADDED = "organization.member_added"
    MEMBER_ROLE_CHANGED = "organization.member_role_changed"
    MEMBER_REMOVED = "organization.member_removed"
    DOMAIN_ADDED = "organization.domain_added"
    DOMAIN_VERIFIED = "organization.domain_verified"
    DOMAIN_REMOVED = "organization.domain_removed"


def _details(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        raise ValidationError("audit_logs.details", "must be a JSON object")
    check_json(value, "audit_logs.details")


@attrs.define(kw_only=True)
class AuditEvent(Entity):
    """Who did what to which resource, and whether it worked. `user_id` is None for events
    without a known user (an unknown email, the operator)."""

    __label__ = "audit_logs"

    id: AuditEventId = attrs.field(factory=new_audit_event_id)
    user_id: UserId | None = None
    action: str = attrs.field(
        validator=text(
            min_length=3,
            max_length=100,
            pattern=r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+",
            rule="must be a dotted lower-case name like user.login_failed",
        )
    )
    resource_type: str | None = attrs.field(
        default=None, validator=text(min_length=1, max_length=50, optional=True)
    )
    resource_id: str | None = attrs.field(
        default=None, validator=text(min_length=1, max_length=255, optional=True)
    )
    details: dict[str, Any] | None = attrs.field(default=None, validator=_details)
    ip_address: str | None = attrs.field(default=None, validator=ip_address)
    user_agent: str | None = attrs.field(
        default=None, validator=text(max_length=USER_AGENT_MAX_LENGTH, optional=True)
    )
    success: bool = attrs.field(default=True, validator=boolean)
    created_at: datetime = attrs.field(validator=aware_datetime())
