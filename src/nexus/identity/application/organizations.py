"""Use cases on organizations and their members: create, change, delete; add, re-role and
remove members, always keeping at least one owner."""

from __future__ import annotations

from nexus.identity.application import commands
from nexus.identity.application.access import (
    may_touch_role,
    membership,
    require_manager,
    require_owner,
)
from nexus.identity.application.ports import (
    IdentityUnitOfWork,
    OrganizationQueries,
    UnitOfWorkFactory,
)
from nexus.identity.application.results import MemberResult, OrganizationResult
from nexus.identity.application.support import (
    Acting,
    Actor,
    record,
    resolve_actor,
)
from nexus.identity.domain.audit import AuditAction
from nexus.identity.domain.organizations import (
    MemberRole,
    Organization,
    OrganizationMember,
)
from nexus.shared.clock import Clock
from nexus.shared.entity import enum_converter
from nexus.shared.errors import ConflictError, NotFoundError, PermissionDeniedError
from nexus.shared.ids import OrganizationId, UserId
from nexus.shared.retry import retry_on_concurrency

_role = enum_converter(MemberRole, "organization_members.role")


def _audit(
    uow: IdentityUnitOfWork,
    action: AuditAction,
    acting: Acting,
    organization_id: OrganizationId,
    clock: Clock,
    **details: object,
) -> None:
    record(
        uow,
        action,
        clock.now(),
        user_id=acting.user_id,
        resource=("organization", organization_id),
        details={**acting.audit_details(), **{k: str(v) for k, v in details.items()}},
    )


class Organizations:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, queries: OrganizationQueries) -> None:
        self._uow = uow
        self._clock = clock
        self._queries = queries

    def create(self, command: commands.CreateOrganization) -> OrganizationResult:
        """The creator becomes the owner and an `owner` member, in one transaction."""
        now = self._clock.now()
        organization = Organization.create(
            name=command.name, slug=command.slug, owner_id=command.owner_id, now=now
        )
        with self._uow() as uow:
            acting = resolve_actor(uow, command.owner_id)
            if uow.organizations.find_by_slug(organization.slug) is not None:
                raise ConflictError("organizations.slug: already taken", field="organizations.slug")
            uow.organizations.add(organization)
            uow.flush()
            uow.members.add(
                OrganizationMember(
                    organization_id=organization.id,
                    user_id=command.owner_id,
                    role=MemberRole.OWNER,
                    created_at=now,
                )
            )
            _audit(uow, AuditAction.ORGANIZATION_CREATED, acting, organization.id, self._clock)
            uow.commit()
        return OrganizationResult.from_organization(organization)

    def update(self, command: commands.UpdateOrganization) -> OrganizationResult:
        """Partial: only the fields given change. Owners and admins only."""
        return retry_on_concurrency(lambda: self._update(command))

    def _update(self, command: commands.UpdateOrganization) -> OrganizationResult:
        with self._uow() as uow:
            acting = resolve_actor(uow, command.actor)
            require_manager(uow, command.organization_id, acting)
            organization = uow.organizations.get(command.organization_id)
            changed = organization.change(command.changes, self._clock.now())
            if "slug" in changed:
                other = uow.organizations.find_by_slug(organization.slug)
                if other is not None and other.id != organization.id:
                    raise ConflictError(
                        "organizations.slug: already taken", field="organizations.slug"
                    )
            if changed:
                uow.organizations.update(organization)
                _audit(
                    uow,
                    AuditAction.ORGANIZATION_UPDATED,
                    acting,
                    organization.id,
                    self._clock,
                    fields=",".join(changed),
                )
                uow.commit()
        return OrganizationResult.from_organization(organization)

    def delete(self, organization_id: OrganizationId, *, actor: Actor) -> None:
        """Owners only. Members and domains go with it."""
        with self._uow() as uow:
            acting = resolve_actor(uow, actor)
            require_owner(uow, organization_id, acting)
            uow.organizations.remove(organization_id)
            _audit(uow, AuditAction.ORGANIZATION_DELETED, acting, organization_id, self._clock)
            uow.commit()

    def get(self, organization_id: OrganizationId, *, actor: Actor) -> OrganizationResult:
        with self._uow() as uow:
            membership(uow, organization_id, resolve_actor(uow, actor))
            return OrganizationResult.from_organization(uow.organizations.get(organization_id))

    def get_by_slug(self, slug: str, *, actor: Actor) -> OrganizationResult:
        with self._uow() as uow:
            acting = resolve_actor(uow, actor)
            found = uow.organizations.find_by_slug(str(slug).strip().lower())
            try:
                if found is None:
                    raise NotFoundError("organization", slug)
                membership(uow, found.id, acting)
            except NotFoundError:
                # One answer whether the slug is unknown or belongs to someone else's
                # organization: a non-member learns neither that it exists nor its id.
                raise NotFoundError("organization", slug) from None
            return OrganizationResult.from_organization(found)

    def list_visible(
        self, *, actor: Actor, limit: int = 100, offset: int = 0
    ) -> list[OrganizationResult]:
        """Every organization for the operator or a superadmin; a user's own otherwise."""
        with self._uow() as uow:
            acting = resolve_actor(uow, actor)
        member = None if acting.is_privileged else acting.user_id
        return self._queries.list_organizations(member=member, limit=limit, offset=offset)

    def members(self, organization_id: OrganizationId, *, actor: Actor) -> list[MemberResult]:
        with self._uow() as uow:
            membership(uow, organization_id, resolve_actor(uow, actor))
        return self._queries.list_members(organization_id)

    def add_member(
        self, organization_id: OrganizationId, user_id: UserId, role: object, *, actor: Actor
    ) -> MemberResult:
        wanted = _role(role)
        now = self._clock.now()
        with self._uow() as uow:
            acting = resolve_actor(uow, actor)
            manager = require_manager(uow, organization_id, acting)
            may_touch_role(manager, wanted)
            user = uow.users.get(user_id)
            if uow.members.find(organization_id, user_id) is not None:
                raise ConflictError(
                    "organization_members.user_id: already a member",
                    field="organization_members.organization_id+user_id",
                )
            member = OrganizationMember(
                organization_id=organization_id, user_id=user_id, role=wanted, created_at=now
            )
            uow.members.add(member)
            _audit(
                uow,
                AuditAction.MEMBER_ADDED,
                acting,
                organization_id,
                self._clock,
                member=user_id,
                role=wanted.value,
            )
            uow.commit()
        return MemberResult(
            organization_id=organization_id,
            user_id=user_id,
            email=user.email,
            name=user.name,
            role=wanted.value,
            created_at=now,
        )

    def change_role(
        self, organization_id: OrganizationId, user_id: UserId, role: object, *, actor: Actor
    ) -> None:
        wanted = _role(role)
        retry_on_concurrency(lambda: self._change_members(organization_id, user_id, wanted, actor))

    def remove_member(
        self, organization_id: OrganizationId, user_id: UserId, *, actor: Actor
    ) -> None:
        """Owners and admins remove members; anyone may leave. The last owner cannot go."""
        retry_on_concurrency(lambda: self._change_members(organization_id, user_id, None, actor))

    def _change_members(
        self,
        organization_id: OrganizationId,
        user_id: UserId,
        role: MemberRole | None,
        actor: Actor,
    ) -> None:
        """Change a role (`role` given) or remove the member (`role` None). The organization
        row is locked first, so two concurrent changes cannot both remove the last owner."""
        with self._uow() as uow:
            acting = resolve_actor(uow, actor)
            organization = uow.organizations.lock(organization_id)
            leaving = role is None and acting.user_id == user_id
            manager = membership(uow, organization_id, acting)
            if manager is not None and not manager.manages_members and not leaving:
                raise PermissionDeniedError("only owners and admins manage members")
            member = uow.members.find(organization_id, user_id)
            if member is None:
                raise NotFoundError("organization member", user_id)
            if not leaving:
                may_touch_role(manager, member.role, *(() if role is None else (role,)))
            details: dict[str, object] = {"member": user_id}
            if role is None:
                uow.members.remove(organization_id, user_id)
                action = AuditAction.MEMBER_REMOVED
            else:
                if role is member.role:
                    return
                details.update(role=role.value, was=member.role.value)
                member.role = role
                uow.members.update(member)
                action = AuditAction.MEMBER_ROLE_CHANGED
            uow.flush()
            owners = uow.members.owners(organization_id)
            if not owners:
                raise ConflictError(
                    "organization_members.role: an organization must keep at least one owner",
                    field="organization_members.role",
                )
            if organization.owner_id not in owners:
                organization.hand_over(owners[0], self._clock.now())
                uow.organizations.update(organization)
            _audit(uow, action, acting, organization_id, self._clock, **details)
            uow.commit()
