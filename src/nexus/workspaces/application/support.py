"""What workspaces' use-case groups share: their dependencies, the acting party, and the one
role check every use case makes before it reads or writes anything."""

from __future__ import annotations

import uuid
from typing import Any

from nexus.shared.actors import OPERATOR, Actor, Operator
from nexus.shared.clock import Clock
from nexus.shared.errors import PermissionDeniedError
from nexus.shared.ids import UserId, WorkspaceId, parse_id
from nexus.workspaces.application.ports import (
    UserDirectory,
    WorkspacesUnitOfWork,
    WorkspacesUnitOfWorkFactory,
)
from nexus.workspaces.domain.roles import Action, WorkspaceRole, require
from nexus.workspaces.domain.secrets import SecretCipher

IdLike = str | uuid.UUID
ActorLike = Actor | str | uuid.UUID


class WorkspacesUseCases:
    """`app.workspaces` is one object made of the groups (workspaces, members, servers,
    providers, agents, secrets, apps and catalog); each method is one use case, named once."""

    def __init__(
        self,
        *,
        uow: WorkspacesUnitOfWorkFactory,
        clock: Clock,
        cipher: SecretCipher,
        users: UserDirectory,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.cipher = cipher
        self.users = users


def acting(actor: ActorLike) -> UserId | None:
    """The acting user's id, or None for the operator."""
    if isinstance(actor, Operator):
        return None
    return UserId(parse_id(actor, field="actor"))


def workspace_id_of(value: IdLike) -> WorkspaceId:
    return WorkspaceId(parse_id(value, field="workspace_id"))


def authorize(
    tx: WorkspacesUnitOfWork, workspace_id: WorkspaceId, actor: ActorLike, action: Action
) -> WorkspaceRole | None:
    """The actor's role in the workspace, after checking it may do `action` (the operator:
    None, once the workspace is known to exist). A non-member is refused whether or not the
    workspace exists, so ids cannot be probed."""
    user = acting(actor)
    if user is None:
        tx.workspaces.get(workspace_id)
        return None
    member = tx.members.find_member(workspace_id, user)
    role = None if member is None else member.role
    require(role, action)
    return role


def authorized(
    tx: WorkspacesUnitOfWork, workspace_id: IdLike, actor: ActorLike, action: Action
) -> WorkspaceId:
    """The workspace's typed id, once the actor may do `action` there (`authorize`)."""
    workspace = workspace_id_of(workspace_id)
    authorize(tx, workspace, actor, action)
    return workspace


def operator_only(actor: ActorLike, what: str) -> None:
    """Global maintenance (the model catalog, key rotation) is the operator's."""
    if acting(actor) is not None:
        raise PermissionDeniedError(f"{what}: only the operator may do this")


def parsed(value: Any, field: str) -> uuid.UUID:
    return parse_id(value, field=field)


__all__ = [
    "OPERATOR",
    "ActorLike",
    "IdLike",
    "WorkspacesUseCases",
    "acting",
    "authorize",
    "authorized",
]
