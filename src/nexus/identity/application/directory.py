"""What other contexts ask of identity, as use cases of identity's own (the composition root,
`nexus.links`, hands them to the asking context's ports). No actor and no audit row: the asking
context has authorised its caller already. Not on the public facade."""

from __future__ import annotations

from nexus.identity.application.ports import IdentityUnitOfWork, UnitOfWorkFactory
from nexus.shared.ids import OrganizationId, UserId
from nexus.shared.usecases import transaction


class IdentityDirectory:
    def __init__(self, *, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    @transaction
    def exists(self, tx: IdentityUnitOfWork, user_id: UserId) -> bool:
        """Whether the user exists."""
        return tx.users.find(user_id) is not None

    @transaction
    def in_organization(
        self, tx: IdentityUnitOfWork, organization_id: OrganizationId, user_id: UserId
    ) -> bool:
        """Whether the user is a member of the organization."""
        return tx.members.find(organization_id, user_id) is not None
