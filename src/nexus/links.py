"""Between contexts: the ports one context declares, implemented with another's units of work
(the composition root's job; contexts never import one another).

- workspaces' `UserDirectory` (does a user exist, is it in an organization) from identity;
- identity's `WorkspaceAccess` (is a user a member of a workspace) from workspaces.
"""

from __future__ import annotations

from collections.abc import Callable

from nexus.identity.application.ports import IdentityUnitOfWork
from nexus.shared.ids import OrganizationId, UserId, WorkspaceId
from nexus.workspaces.application.ports import WorkspacesUnitOfWork


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
