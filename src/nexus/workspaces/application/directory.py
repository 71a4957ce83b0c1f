"""What other contexts ask of workspaces, as use cases of workspaces' own (the composition
root, `nexus.links`, hands them to the asking context's ports): whether a workspace exists, and
a user's membership and role in it. No actor: the asking context authorises its caller with the
answer. Not on the public facade (a role is not for anyone to read)."""

from __future__ import annotations

from nexus.shared.ids import UserId, WorkspaceId
from nexus.shared.usecases import transaction
from nexus.workspaces.application.ports import WorkspacesUnitOfWork, WorkspacesUnitOfWorkFactory


class WorkspaceDirectory:
    def __init__(self, *, uow: WorkspacesUnitOfWorkFactory) -> None:
        self.uow = uow

    @transaction
    def exists(self, tx: WorkspacesUnitOfWork, workspace_id: WorkspaceId) -> bool:
        return tx.workspaces.find(workspace_id) is not None

    @transaction
    def role_of(
        self, tx: WorkspacesUnitOfWork, workspace_id: WorkspaceId, user_id: UserId
    ) -> str | None:
        """The user's role in the workspace (owner, admin, member, viewer), or None."""
        member = tx.members.find_member(workspace_id, user_id)
        return None if member is None else member.role.value

    @transaction
    def is_member(
        self, tx: WorkspacesUnitOfWork, workspace_id: WorkspaceId, user_id: UserId
    ) -> bool:
        return tx.members.find_member(workspace_id, user_id) is not None
