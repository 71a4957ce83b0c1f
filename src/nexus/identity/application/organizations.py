"""Use cases on organizations and their members: create, change, delete; add, re-role and
remove members, always keeping at least one owner."""

from __future__ import annotations

from typing import Any

from nexus.identity.application.access import (
    may_touch_role,
    membership,
    require_manager,
    require_owner,
)
from nexus.identity.application.base import ActorLike, IdentityUseCases, IdLike, as_actor
from nexus.identity.application.ports import IdentityUnitOfWork
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
from nexus.shared.ids import OrganizationId, UserId, parse_typed_id
from nexus.shared.usecases import Page, transaction

_role = enum_converter(MemberRole, "organization_members.role")


def _audit_organization(
    tx: IdentityUnitOfWork,
    action: AuditAction,
    acting: Acting,
    organization_id: OrganizationId,
    clock: Clock,
    **details: object,
) -> None:
    record(
        tx,
        action,
        clock.now(),
        user_id=acting.user_id,
        resource=("organization", organization_id),
        details={**acting.audit_details(), **{k: str(v) for k, v in details.items()}},
    )


class Organizations(IdentityUseCases):
    @transaction
    def create_organization(
        self, tx: IdentityUnitOfWork, *, name: str, slug: str, owner_id: IdLike
    ) -> OrganizationResult:
        """The creator becomes the owner and an `owner` member, in one transaction."""
        owner = parse_typed_id(UserId, owner_id, "owner_id")
        now = self.clock.now()
        organization = Organization.create(name=name, slug=slug, owner_id=owner, now=now)
        acting = resolve_actor(tx, owner)
        if tx.organizations.find_by_slug(organization.slug) is not None:
            raise ConflictError("organizations.slug: already taken", field="organizations.slug")
        tx.organizations.add(organization)
        tx.flush()
        tx.members.add(
            OrganizationMember(
                organization_id=organization.id,
                user_id=owner,
                role=MemberRole.OWNER,
                created_at=now,
            )
        )
        _audit_organization(
            tx, AuditAction.ORGANIZATION_CREATED, acting, organization.id, self.clock
        )
        return OrganizationResult.from_organization(organization)

    @transaction
    def update_organization(
        self,
        tx: IdentityUnitOfWork,
        /,
        organization_id: IdLike,
        *,
        actor: ActorLike,
        **changes: Any,
    ) -> OrganizationResult:
        """Rename or rebrand; only the fields given change (None clears an optional one).
        Owners and admins only."""
        org_id = parse_typed_id(OrganizationId, organization_id, "organization_id")
        acting = resolve_actor(tx, as_actor(actor))
        require_manager(tx, org_id, acting)
        organization = tx.organizations.get(org_id)
        changed = organization.change(changes, self.clock.now())
        if "slug" in changed:
            other = tx.organizations.find_by_slug(organization.slug)
            if other is not None and other.id != organization.id:
                raise ConflictError("organizations.slug: already taken", field="organizations.slug")
        if changed:
            tx.organizations.update(organization)
            _audit_organization(
                tx,
                AuditAction.ORGANIZATION_UPDATED,
                acting,
                organization.id,
                self.clock,
                fields=",".join(changed),
            )
        return OrganizationResult.from_organization(organization)

    @transaction
    def delete_organization(
        self, tx: IdentityUnitOfWork, organization_id: IdLike, *, actor: ActorLike
    ) -> None:
        """Owners only. Members and domains go with it."""
        org_id = parse_typed_id(OrganizationId, organization_id, "organization_id")
        acting = resolve_actor(tx, as_actor(actor))
        require_owner(tx, org_id, acting)
        tx.organizations.remove(org_id)
        _audit_organization(tx, AuditAction.ORGANIZATION_DELETED, acting, org_id, self.clock)

    @transaction
    def get_organization(
        self, tx: IdentityUnitOfWork, organization_id: IdLike, *, actor: ActorLike
    ) -> OrganizationResult:
        org_id = parse_typed_id(OrganizationId, organization_id, "organization_id")
        membership(tx, org_id, resolve_actor(tx, as_actor(actor)))
        return OrganizationResult.from_organization(tx.organizations.get(org_id))

    @transaction
    def get_organization_by_slug(
        self, tx: IdentityUnitOfWork, slug: str, *, actor: ActorLike
    ) -> OrganizationResult:
        acting = resolve_actor(tx, as_actor(actor))
        found = tx.organizations.find_by_slug(str(slug).strip().lower())
        try:
            if found is None:
                raise NotFoundError("organization", slug)
            membership(tx, found.id, acting)
        except NotFoundError:
            # One answer whether the slug is unknown or belongs to someone else's
            # organization: a non-member learns neither that it exists nor its id.
            raise NotFoundError("organization", slug) from None
        return OrganizationResult.from_organization(found)

    def list_organizations(
        self, *, actor: ActorLike, limit: int = 100, offset: int = 0
    ) -> list[OrganizationResult]:
        """Every organization for the operator or a superadmin; a user's own otherwise."""
        page = Page.of(limit, offset)
        acting = self._acting(as_actor(actor))
        member = None if acting.is_privileged else acting.user_id
        return self.organization_queries.list_organizations(
            member=member, limit=page.limit, offset=page.offset
        )

    def count_organizations(self, *, actor: ActorLike) -> int:
        """How many organizations `list_organizations` pages through for this actor."""
        acting = self._acting(as_actor(actor))
        member = None if acting.is_privileged else acting.user_id
        return self.organization_queries.count_organizations(member=member)

    def list_organization_members(
        self, organization_id: IdLike, *, actor: ActorLike
    ) -> list[MemberResult]:
        org_id = parse_typed_id(OrganizationId, organization_id, "organization_id")
        self._may_read_organization(org_id, as_actor(actor))
        return self.organization_queries.list_members(org_id)

    @transaction
    def add_organization_member(
        self,
        tx: IdentityUnitOfWork,
        organization_id: IdLike,
        user_id: IdLike,
        *,
        actor: ActorLike,
        role: str = "member",
    ) -> MemberResult:
        org_id = parse_typed_id(OrganizationId, organization_id, "organization_id")
        member_id = parse_typed_id(UserId, user_id, "user_id")
        acting_as = as_actor(actor)
        wanted = _role(role)
        now = self.clock.now()
        acting = resolve_actor(tx, acting_as)
        manager = require_manager(tx, org_id, acting)
        may_touch_role(manager, wanted)
        user = tx.users.get(member_id)
        if tx.members.find(org_id, member_id) is not None:
            raise ConflictError(
                "organization_members.user_id: already a member",
                field="organization_members.organization_id+user_id",
            )
        member = OrganizationMember(
            organization_id=org_id, user_id=member_id, role=wanted, created_at=now
        )
        tx.members.add(member)
        _audit_organization(
            tx,
            AuditAction.MEMBER_ADDED,
            acting,
            org_id,
            self.clock,
            member=member_id,
            role=wanted.value,
        )
        return MemberResult(
            organization_id=org_id,
            user_id=member_id,
            email=user.email,
            name=user.name,
            role=wanted.value,
            created_at=now,
        )

    @transaction
    def change_member_role(
        self,
        tx: IdentityUnitOfWork,
        organization_id: IdLike,
        user_id: IdLike,
        role: str,
        *,
        actor: ActorLike,
    ) -> None:
        org_id = parse_typed_id(OrganizationId, organization_id, "organization_id")
        member_id = parse_typed_id(UserId, user_id, "user_id")
        acting_as = as_actor(actor)
        self._change_members(tx, org_id, member_id, _role(role), acting_as)

    @transaction
    def remove_organization_member(
        self, tx: IdentityUnitOfWork, organization_id: IdLike, user_id: IdLike, *, actor: ActorLike
    ) -> None:
        """Owners and admins remove members; anyone may leave. The last owner cannot go."""
        org_id = parse_typed_id(OrganizationId, organization_id, "organization_id")
        member_id = parse_typed_id(UserId, user_id, "user_id")
        self._change_members(tx, org_id, member_id, None, as_actor(actor))

    def _change_members(
        self,
        tx: IdentityUnitOfWork,
        org_id: OrganizationId,
        user_id: UserId,
        role: MemberRole | None,
        actor: Actor,
    ) -> None:
        """Change a role (`role` given) or remove the member (`role` None). The organization
        row is locked first, so two concurrent changes cannot both remove the last owner."""
        acting = resolve_actor(tx, actor)
        organization = tx.organizations.lock(org_id)
        leaving = role is None and acting.user_id == user_id
        manager = membership(tx, org_id, acting)
        if manager is not None and not manager.manages_members and not leaving:
            raise PermissionDeniedError("only owners and admins manage members")
        member = tx.members.find(org_id, user_id)
        if member is None:
            raise NotFoundError("organization member", user_id)
        if not leaving:
            may_touch_role(manager, member.role, *(() if role is None else (role,)))
        details: dict[str, object] = {"member": user_id}
        if role is None:
            tx.members.remove(org_id, user_id)
            action = AuditAction.MEMBER_REMOVED
        else:
            if role is member.role:
                return
            details.update(role=role.value, was=member.role.value)
            member.role = role
            tx.members.update(member)
            action = AuditAction.MEMBER_ROLE_CHANGED
        tx.flush()
        owners = tx.members.owners(org_id)
        if not owners:
            raise ConflictError(
                "organization_members.role: an organization must keep at least one owner",
                field="organization_members.role",
            )
        if organization.owner_id not in owners:
            organization.hand_over(owners[0], self.clock.now())
            tx.organizations.update(organization)
        _audit_organization(tx, action, acting, org_id, self.clock, **details)
