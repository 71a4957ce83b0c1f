"""Reading the audit log: superadmins and operators read everything, users their own events."""

from __future__ import annotations

from nexus.identity.application.base import ActorLike, IdentityUseCases, IdLike, as_actor
from nexus.identity.application.ports import AuditEventQuery
from nexus.identity.application.results import AuditEventResult
from nexus.shared.errors import PermissionDeniedError
from nexus.shared.ids import UserId, parse_typed_id
from nexus.shared.usecases import Page


class Audit(IdentityUseCases):
    def list_audit_events(
        self,
        *,
        actor: ActorLike,
        user_id: IdLike | None = None,
        action: str | None = None,
        resource_type: str | None = None,
        resource_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEventResult]:
        """Newest first, filtered by whatever is given; users read only their own events."""
        acting_as = as_actor(actor)
        subject = None if user_id is None else parse_typed_id(UserId, user_id, "user_id")
        page = Page.of(limit, offset)
        acting = self._acting(acting_as)
        if not acting.is_privileged:
            if subject is not None and subject != acting.user_id:
                raise PermissionDeniedError("users may read only their own audit events")
            subject = acting.user_id
        query = AuditEventQuery(
            user_id=subject, action=action, resource_type=resource_type, resource_id=resource_id
        )
        return self.audit_queries.list_events(query, page)
