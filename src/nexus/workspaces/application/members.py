"""Use cases on members: list, add, change role, remove (or leave). A workspace always keeps
an owner: changes lock the workspace row, so two cannot both remove the last one."""

from __future__ import annotations

from nexus.shared.errors import ConflictError, NotFoundError
from nexus.shared.ids import UserId, WorkspaceId, parse_id
from nexus.shared.usecases import transaction
from nexus.workspaces.application.ports import WorkspacesUnitOfWork
from nexus.workspaces.application.results import MemberResult
from nexus.workspaces.application.support import (
    ActorLike,
    IdLike,
    WorkspacesUseCases,
    acting,
    authorize,
    authorized,
    workspace_id_of,
)
from nexus.workspaces.domain import workspaces as rules
from nexus.workspaces.domain.roles import Action, WorkspaceRole, require_role_change, role_of
from nexus.workspaces.domain.workspaces import WorkspaceMember


def _user(value: IdLike) -> UserId:
    return UserId(parse_id(value, field="user_id"))


def _lock(tx: WorkspacesUnitOfWork, workspace_id: WorkspaceId) -> list[WorkspaceMember]:
    if not tx.workspaces.lock(workspace_id):
        raise NotFoundError("workspace", workspace_id)
    return tx.members.members_of(workspace_id)


def _hand_over(tx: WorkspacesUnitOfWork, workspace_id: WorkspaceId, now: object) -> None:
    """Keep `owner_id` on an owner member after a change."""
    workspace = tx.workspaces.get(workspace_id)
    heir = rules.successor(workspace, tx.members.members_of(workspace_id))
    if heir is not None:
        workspace.hand_over(heir, now)  # type: ignore[arg-type]
        tx.workspaces.update(workspace)


class Members(WorkspacesUseCases):
    @transaction
    def list_members(
        self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, *, actor: ActorLike
    ) -> list[MemberResult]:
        workspace = authorized(tx, workspace_id, actor, Action.LIST_MEMBERS)
        return [MemberResult.from_entity(m) for m in tx.members.members_of(workspace)]

    @transaction
    def add_member(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        user_id: IdLike,
        *,
        actor: ActorLike,
        role: WorkspaceRole | str = WorkspaceRole.MEMBER,
    ) -> MemberResult:
        workspace, user, wanted = workspace_id_of(workspace_id), _user(user_id), role_of(role)
        mine = authorize(tx, workspace, actor, Action.ADD_MEMBER)
        if mine is not None:
            require_role_change(mine, wanted)
        if not self.users.exists(user):
            raise NotFoundError("user", user)
        if tx.members.find_member(workspace, user) is not None:
            raise ConflictError(
                "workspace_members.user_id: already a member", field="workspace_members.user_id"
            )
        member = WorkspaceMember(
            workspace_id=workspace, user_id=user, role=wanted, created_at=self.clock.now()
        )
        tx.members.add(member)
        return MemberResult.from_entity(member)

    @transaction
    def change_member_role(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        user_id: IdLike,
        *,
        role: WorkspaceRole | str,
        actor: ActorLike,
    ) -> MemberResult:
        workspace, user, wanted = workspace_id_of(workspace_id), _user(user_id), role_of(role)
        mine = authorize(tx, workspace, actor, Action.CHANGE_MEMBER_ROLE)
        members = _lock(tx, workspace)
        target = next((m for m in members if m.user_id == user), None)
        if target is None:
            raise NotFoundError("workspace member", user)
        if mine is not None:
            require_role_change(mine, target.role, wanted)
        changed = rules.change_role(members, user, wanted)
        if changed is not None:
            tx.members.update(changed)
            _hand_over(tx, workspace, self.clock.now())
        return MemberResult.from_entity(target)

    @transaction
    def remove_member(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        user_id: IdLike,
        *,
        actor: ActorLike,
    ) -> None:
        """Managers remove members; anyone may leave (remove themself). The last owner stays."""
        workspace, user = workspace_id_of(workspace_id), _user(user_id)
        leaving = acting(actor) == user
        action = Action.LEAVE_WORKSPACE if leaving else Action.REMOVE_MEMBER
        mine = authorize(tx, workspace, actor, action)
        members = _lock(tx, workspace)
        target = rules.remove_member(members, user)
        if mine is not None and not leaving:
            require_role_change(mine, target.role)
        tx.members.remove(workspace, target.id)
        _hand_over(tx, workspace, self.clock.now())
