"""Reading the audit log: superadmins and operators read everything, users their own events."""

from __future__ import annotations

from nexus.identity.application.ports import AuditQueries, UnitOfWorkFactory
from nexus.identity.application.results import AuditEventResult
from nexus.identity.application.support import Actor, resolve_actor
from nexus.shared.errors import PermissionDeniedError
from nexus.shared.ids import UserId
from nexus.shared.values import check_page


class ListAuditEvents:
    def __init__(self, uow: UnitOfWorkFactory, queries: AuditQueries) -> None:
        self._uow = uow
        self._queries = queries

    def __call__(
        self,
        *,
        actor: Actor,
        user_id: UserId | None = None,
        action: str | None = None,
        resource_type: str | None = None,
        resource_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEventResult]:
        limit, offset = check_page(limit, offset)
        with self._uow() as uow:
            acting = resolve_actor(uow, actor)
        if not acting.is_privileged:
            if user_id is not None and user_id != acting.user_id:
                raise PermissionDeniedError("users may read only their own audit events")
            user_id = acting.user_id
        return self._queries.list_events(
            user_id=user_id,
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            limit=limit,
            offset=offset,
        )
