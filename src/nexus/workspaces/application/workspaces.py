"""Use cases on workspaces themselves: create (the creator becomes owner and `owner` member in
one transaction), get, list, update, move into / out of an organization, delete."""

from __future__ import annotations

from typing import Any

from nexus.shared.errors import ConflictError, NotFoundError, PermissionDeniedError
from nexus.shared.ids import OrganizationId, UserId, parse_id
from nexus.shared.usecases import Page, transaction
from nexus.workspaces.application.ports import WorkspacesUnitOfWork
from nexus.workspaces.application.results import WorkspaceResult
from nexus.workspaces.application.support import (
    ActorLike,
    IdLike,
    WorkspacesUseCases,
    acting,
    authorize,
    authorized,
    workspace_id_of,
)
from nexus.workspaces.domain.roles import Action, require
from nexus.workspaces.domain.workspaces import Workspace


def _organization(value: IdLike | None) -> OrganizationId | None:
    return None if value is None else OrganizationId(parse_id(value, field="organization_id"))


def _slug_free(tx: WorkspacesUnitOfWork, slug: str, workspace: Workspace | None = None) -> None:
    holder = tx.workspaces.find_by_slug(slug)
    if holder is not None and (workspace is None or holder.id != workspace.id):
        raise ConflictError("workspaces.slug: already taken", field="workspaces.slug")


class Workspaces(WorkspacesUseCases):
    def _may_use_organization(
        self, organization_id: OrganizationId | None, *users: UserId | None
    ) -> None:
        if organization_id is None:
            return
        for user in users:
            if user is not None and not self.users.in_organization(organization_id, user):
                raise PermissionDeniedError(
                    "workspaces.organization_id: the user is not a member of that organization"
                )

    @transaction
    def create_workspace(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        *,
        name: str,
        slug: str,
        owner_id: IdLike,
        actor: ActorLike,
        organization_id: IdLike | None = None,
    ) -> WorkspaceResult:
        """A user creates a workspace for themself (the operator for anyone); inside an
        organization only when the owner (and the actor) belong to it."""
        owner = UserId(parse_id(owner_id, field="owner_id"))
        user = acting(actor)
        if user is not None and user != owner:
            raise PermissionDeniedError("create_workspace: a user creates workspaces they own")
        organization = _organization(organization_id)
        workspace, member = Workspace.create(
            name=name,
            slug=slug,
            owner_id=owner,
            organization_id=organization,
            now=self.clock.now(),
        )
        if not self.users.exists(owner):
            raise NotFoundError("user", owner)
        self._may_use_organization(organization, owner, user)
        _slug_free(tx, workspace.slug)
        tx.workspaces.add(workspace)
        tx.members.add(member)
        return WorkspaceResult.from_entity(workspace)

    @transaction
    def get_workspace(
        self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, *, actor: ActorLike
    ) -> WorkspaceResult:
        workspace = authorized(tx, workspace_id, actor, Action.GET_WORKSPACE)
        return WorkspaceResult.from_entity(tx.workspaces.get(workspace))

    @transaction
    def get_workspace_by_slug(
        self, tx: WorkspacesUnitOfWork, /, slug: str, *, actor: ActorLike
    ) -> WorkspaceResult:
        found = tx.workspaces.find_by_slug(slug) if isinstance(slug, str) else None
        if found is None:
            if acting(actor) is None:
                raise NotFoundError("workspace", slug)
            require(None, Action.GET_WORKSPACE)  # the same refusal as a real non-member's
            raise AssertionError("unreachable")
        authorize(tx, found.id, actor, Action.GET_WORKSPACE)
        return WorkspaceResult.from_entity(found)

    @transaction
    def list_workspaces(
        self, tx: WorkspacesUnitOfWork, /, *, actor: ActorLike, limit: int = 100, offset: int = 0
    ) -> list[WorkspaceResult]:
        """The workspaces the actor belongs to (every workspace for the operator), by name."""
        page = Page.of(limit, offset)
        user = acting(actor)
        if user is None:
            found = tx.workspaces.every(page.limit, page.offset)
        else:
            found = tx.workspaces.of_member(user, page.limit, page.offset)
        return [WorkspaceResult.from_entity(w) for w in found]

    @transaction
    def update_workspace(
        self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, *, actor: ActorLike, **changes: Any
    ) -> WorkspaceResult:
        """Rename, change the slug, restyle (`Workspace.change`'s fields)."""
        workspace_key = authorized(tx, workspace_id, actor, Action.UPDATE_WORKSPACE)
        workspace = tx.workspaces.get(workspace_key)
        if workspace.change(changes, self.clock.now()):
            if "slug" in changes:
                _slug_free(tx, workspace.slug, workspace)
            tx.workspaces.update(workspace)
        return WorkspaceResult.from_entity(workspace)

    @transaction
    def move_workspace(
        self,
        tx: WorkspacesUnitOfWork,
        /,
        workspace_id: IdLike,
        *,
        organization_id: IdLike | None,
        actor: ActorLike,
    ) -> WorkspaceResult:
        """Into an organization the actor belongs to, or out of it (None). Owners only."""
        workspace_key = authorized(tx, workspace_id, actor, Action.MOVE_WORKSPACE)
        organization = _organization(organization_id)
        self._may_use_organization(organization, acting(actor))
        workspace = tx.workspaces.get(workspace_key)
        if workspace.move_to(organization, self.clock.now()):
            tx.workspaces.update(workspace)
        return WorkspaceResult.from_entity(workspace)

    @transaction
    def delete_workspace(
        self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, *, actor: ActorLike
    ) -> None:
        """Everything the workspace owns goes with it, in every context (foreign keys)."""
        workspace = authorized(tx, workspace_id, actor, Action.DELETE_WORKSPACE)
        tx.workspaces.remove(workspace)

    @transaction
    def is_member(self, tx: WorkspacesUnitOfWork, /, workspace_id: IdLike, user_id: IdLike) -> bool:
        """Whether the user belongs to the workspace (other contexts ask this)."""
        user = UserId(parse_id(user_id, field="user_id"))
        return tx.members.find_member(workspace_id_of(workspace_id), user) is not None
