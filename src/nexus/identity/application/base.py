"""The base of identity's use-case groups: the dependencies every group's methods share, and the
argument forms the facade takes (ids as UUID or text; an actor id or OPERATOR)."""

from __future__ import annotations

import uuid

from nexus.identity.application.access import membership
from nexus.identity.application.policy import IdentityPolicy
from nexus.identity.application.ports import (
    ApiKeyQueries,
    AuditQueries,
    IdentityUnitOfWork,
    OrganizationQueries,
    UnitOfWorkFactory,
    UserQueries,
    WorkspaceAccess,
)
from nexus.identity.application.support import Acting, Actor, Operator, resolve_actor
from nexus.identity.domain.passwords import PasswordHasher
from nexus.shared.clock import Clock
from nexus.shared.ids import OrganizationId, UserId, parse_typed_id
from nexus.shared.usecases import transaction

IdLike = uuid.UUID | str
ActorLike = uuid.UUID | str | Operator


def as_actor(value: ActorLike) -> Actor:
    """The acting party: OPERATOR, or a user id given as UUID or text (field `actor`)."""
    return value if isinstance(value, Operator) else parse_typed_id(UserId, value, "actor")


class IdentityUseCases:
    """`app.identity` is one object made of the groups (users, accounts, recovery, sessions,
    organizations, domains, API keys, audit); each method is one use case, named once."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        clock: Clock,
        hasher: PasswordHasher,
        policy: IdentityPolicy,
        user_queries: UserQueries,
        organization_queries: OrganizationQueries,
        api_key_queries: ApiKeyQueries,
        audit_queries: AuditQueries,
        workspace_access: WorkspaceAccess,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.hasher = hasher
        self.policy = policy
        self.user_queries = user_queries
        self.organization_queries = organization_queries
        self.api_key_queries = api_key_queries
        self.audit_queries = audit_queries
        self.workspace_access = workspace_access

    @transaction
    def _acting(self, tx: IdentityUnitOfWork, actor: Actor) -> Acting:
        """Who acts, for a list that then reads through the queries (outside the unit of
        work, as every list does)."""
        return resolve_actor(tx, actor)

    @transaction
    def _may_read_organization(
        self, tx: IdentityUnitOfWork, org_id: OrganizationId, actor: Actor
    ) -> None:
        """A member (or a privileged caller) reads it; anyone else is told it does not exist
        (before a list of its members or domains is read through the queries)."""
        membership(tx, org_id, resolve_actor(tx, actor))
