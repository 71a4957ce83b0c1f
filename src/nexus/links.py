"""Between contexts: the ports one context declares, answered by the other context's use cases
(the composition root's job; contexts never import one another). Each function below is typed
with the asking context's port, so mypy checks that the answering use cases fit it.

- workspaces' `UserDirectory` (does a user exist, is it in an organization): identity's
  `IdentityDirectory` use cases;
- identity's `WorkspaceAccess` (is a user a member of a workspace), conversations' and
  knowledge's `WorkspaceAccess` (a user's role in a workspace, does it exist): workspaces'
  `WorkspaceDirectory` use cases;
- the one exception, on a hot path: knowledge's `RolesOnTables` reads the role on the
  traversal's own open connection, inside the traversal's statement (issue 14: a traversal is
  one read), from workspaces' published tables; see architecture.md, "Between contexts".
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, bindparam, exists, literal

from nexus.conversations.application import ports as conversations_ports
from nexus.identity.application import ports as identity_ports
from nexus.identity.application.directory import IdentityDirectory
from nexus.knowledge.application import ports as knowledge_ports
from nexus.persistence.schema import info_for
from nexus.persistence.tables import Tables
from nexus.shared.ids import UserId, WorkspaceId
from nexus.workspaces.application import ports as workspaces_ports
from nexus.workspaces.application.directory import WorkspaceDirectory
from nexus.workspaces.domain.roles import WorkspaceRole
from nexus.workspaces.infrastructure.records import WorkspaceMemberRecord, WorkspaceRecord


def user_directory(directory: IdentityDirectory) -> workspaces_ports.UserDirectory:
    """workspaces' UserDirectory: identity's directory use cases."""
    return directory


def workspace_membership(directory: WorkspaceDirectory) -> identity_ports.WorkspaceAccess:
    """identity's WorkspaceAccess: workspaces' directory use cases."""
    return directory


def conversations_access(directory: WorkspaceDirectory) -> conversations_ports.WorkspaceAccess:
    """conversations' WorkspaceAccess: workspaces' directory use cases."""
    return directory


def knowledge_access(directory: WorkspaceDirectory) -> knowledge_ports.WorkspaceAccess:
    """knowledge's WorkspaceAccess: workspaces' directory use cases."""
    return directory


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
        unique-key lookup inside the statement that carries it). When `roles` are all the
        roles there are (reading), any membership admits: the column's CHECK constraint holds
        a membership's role to those, so the statement asks for none."""
        members = self._members.table
        conditions = [
            members.c.workspace_id == bindparam("workspace_id"),
            members.c.user_id == bindparam("reader", type_=members.c.user_id.type),
        ]
        if not set(roles) >= {role.value for role in WorkspaceRole}:
            conditions.append(members.c.role.in_([literal(role) for role in roles]))
        return exists().where(*conditions)
