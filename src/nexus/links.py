"""Between contexts: the ports one context declares, implemented with another's units of work
(the composition root's job; contexts never import one another).

- workspaces' `UserDirectory` (does a user exist, is it in an organization) from identity;
- identity's `WorkspaceAccess` (is a user a member of a workspace) from workspaces;
- conversations' and knowledge's `WorkspaceAccess` (a user's role in a workspace) from
  workspaces;
- knowledge's `RolesOnTables`: the same answers read on a gateway already open (a traversal
  checks the role on its own connection).
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from sqlalchemy import ColumnElement, bindparam, exists, literal

from nexus.identity.application.ports import IdentityUnitOfWork
from nexus.persistence.schema import info_for
from nexus.persistence.tables import Tables
from nexus.shared.ids import OrganizationId, UserId, WorkspaceId
from nexus.workspaces.application.ports import WorkspacesUnitOfWork
from nexus.workspaces.infrastructure.records import WorkspaceMemberRecord, WorkspaceRecord


class IdentityUserDirectory:
    """workspaces' UserDirectory, answered by identity's repositories."""

    def __init__(self, uow: Callable[[], IdentityUnitOfWork]) -> None:
        self._uow = uow

    def exists(self, user_id: UserId) -> bool:
        with self._uow() as tx:
            return tx.users.find(user_id) is not None

    def in_organization(self, organization_id: OrganizationId, user_id: UserId) -> bool:
        with self._uow() as tx:
            return tx.members.find(organization_id, user_id) is not None


class WorkspaceMembership:
    """identity's WorkspaceAccess, answered by workspaces' repositories."""

    def __init__(self, uow: Callable[[], WorkspacesUnitOfWork]) -> None:
        self._uow = uow

    def is_member(self, workspace_id: WorkspaceId, user_id: UserId) -> bool:
        with self._uow() as tx:
            return tx.members.find_member(workspace_id, user_id) is not None


class WorkspaceRoles:
    """conversations' and knowledge's WorkspaceAccess: a user's role in a workspace (and
    whether it exists), answered by workspaces' repositories."""

    def __init__(self, uow: Callable[[], WorkspacesUnitOfWork]) -> None:
        self._uow = uow

    def role_of(self, workspace_id: WorkspaceId, user_id: UserId) -> str | None:
        with self._uow() as tx:
            member = tx.members.find_member(workspace_id, user_id)
        return None if member is None else member.role.value

    def exists(self, workspace_id: WorkspaceId) -> bool:
        with self._uow() as tx:
            return tx.workspaces.find(workspace_id) is not None


class WorkspaceRolesOnTables:
    """knowledge's RolesOnTables: what `WorkspaceRoles` answers, read on the caller's open
    gateway (one primary-key or unique-key lookup each, on the caller's connection)."""

    def __init__(self) -> None:
        self._members = info_for(WorkspaceMemberRecord)
        self._workspaces = info_for(WorkspaceRecord)
        self._role = self._members.columns.index("role")

    def role_of(self, tables: Tables, workspace_id: WorkspaceId, user_id: UserId) -> str | None:
        row = tables.fetch_one(self._members, {"workspace_id": workspace_id, "user_id": user_id})
        return None if row is None else str(row[self._role])

    def exists(self, tables: Tables, workspace_id: WorkspaceId) -> bool:
        return tables.fetch_one(self._workspaces, {"id": workspace_id}) is not None

    def admits(self, roles: Collection[str]) -> ColumnElement[bool]:
        """EXISTS a membership of the `reader` in the `workspace_id` with one of `roles` (a
        primary-key lookup inside the statement that carries it)."""
        members = self._members.table
        return exists().where(
            members.c.workspace_id == bindparam("workspace_id"),
            members.c.user_id == bindparam("reader", type_=members.c.user_id.type),
            members.c.role.in_([literal(role) for role in roles]),
        )
