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
        page = Page.of(limit, offset)
        query = self._audit_query(actor, user_id, action, resource_type, resource_id)
        return self.audit_queries.list_events(query, page)

    def count_audit_events(
        self,
        *,
        actor: ActorLike,
        user_id: IdLike | None = None,
        action: str | None = None,
        resource_type: str | None = None,
        resource_id: str | None = None,
    ) -> int:
        """How many events `list_audit_events` pages through with the same filters."""
        query = self._audit_query(actor, user_id, action, resource_type, resource_id)
        return self.audit_queries.count_events(query)

    def _audit_query(
        self,
        actor: ActorLike,
        user_id: IdLike | None,
        action: str | None,
        resource_type: str | None,
        resource_id: str | None,
    ) -> AuditEventQuery:
        acting_as = as_actor(actor)
        subject = None if user_id is None else parse_typed_id(UserId, user_id, "user_id")
        acting = self._acting(acting_as)
        if not acting.is_privileged:
            if subject is not None and subject != acting.user_id:
                raise PermissionDeniedError("users may read only their own audit events")
            subject = acting.user_id
        return AuditEventQuery(
            user_id=subject, action=action, resource_type=resource_type, resource_id=resource_id
        )
