"""What knowledge's use-case groups share: their dependencies, the acting party, and the role
check every use case makes first (the workspace's roles, asked through `WorkspaceAccess`).

Viewers and up read the graph, the ontology and the views; members and up change nodes and
edges, import, and save views; owners and admins set or delete the ontology."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from nexus.knowledge.application.ports import (
    GraphFiles,
    KnowledgeQueries,
    KnowledgeUnitOfWorkFactory,
    WorkspaceAccess,
)
from nexus.shared.actors import Actor, Operator
from nexus.shared.clock import Clock
from nexus.shared.errors import NotFoundError, PermissionDeniedError
from nexus.shared.ids import UserId, WorkspaceId, parse_id

IdLike = str | uuid.UUID
ActorLike = Actor | str | uuid.UUID


class Need(StrEnum):
    READ = "read"
    WRITE = "write"
    MANAGE = "manage"


ROLES: dict[Need, tuple[str, ...]] = {
    Need.READ: ("owner", "admin", "member", "viewer"),
    Need.WRITE: ("owner", "admin", "member"),
    Need.MANAGE: ("owner", "admin"),
}


def acting(actor: ActorLike) -> UserId | None:
    """The acting user's id, or None for the operator."""
    if isinstance(actor, Operator):
        return None
    return UserId(parsed(actor, "actor"))


def workspace_id_of(value: IdLike) -> WorkspaceId:
    return WorkspaceId(parsed(value, "workspace_id"))


class KnowledgeUseCases:
    """`app.knowledge` is one object made of the groups (ontologies, graph, traversals,
    transfer, views); each method is one use case, named once."""

    def __init__(
        self,
        *,
        uow: KnowledgeUnitOfWorkFactory,
        queries: KnowledgeQueries,
        clock: Clock,
        access: WorkspaceAccess,
        files: GraphFiles,
    ) -> None:
        self.uow = uow
        self.queries = queries
        self.clock = clock
        self.access = access
        self.files = files

    def authorize(
        self, workspace_id: WorkspaceId, actor: ActorLike, need: Need, what: str
    ) -> UserId | None:
        """The acting user (None: the operator, once the workspace is known to exist). A
        non-member is refused whether or not the workspace exists, so ids cannot be probed."""
        return self._authorize(self.access, workspace_id, actor, need, what)

    @staticmethod
    def _authorize(
        access: WorkspaceAccess, workspace_id: WorkspaceId, actor: ActorLike, need: Need, what: str
    ) -> UserId | None:
        """`authorize`, asking `access` (a read already open: the check shares its
        connection)."""
        user = acting(actor)
        if user is None:
            if not access.exists(workspace_id):
                raise NotFoundError("workspace", workspace_id)
            return None
        role = access.role_of(workspace_id, user)
        if role not in ROLES[need]:
            who = "a non-member" if role is None else f"a workspace {role}"
            raise PermissionDeniedError(
                f"{what}: {who} may not do this (needs {', '.join(ROLES[need])})"
            )
        return user


def parsed(value: Any, field: str) -> uuid.UUID:
    """A UUID as it is (the common case, and a third of a traversal's own cost when each id
    went through `parse_id`); text parsed by `parse_id`."""
    return value if isinstance(value, uuid.UUID) else parse_id(value, field=field)
