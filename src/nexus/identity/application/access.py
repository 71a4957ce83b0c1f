"""Who may act on an organization: its owners and admins manage it; members may read it;
operators and superadmins may do anything."""

from __future__ import annotations

from nexus.identity.application.ports import IdentityUnitOfWork
from nexus.identity.application.support import Acting
from nexus.identity.domain.organizations import MemberRole, OrganizationMember
from nexus.shared.errors import NotFoundError, PermissionDeniedError
from nexus.shared.ids import OrganizationId


def membership(
    uow: IdentityUnitOfWork, organization_id: OrganizationId, acting: Acting
) -> OrganizationMember | None:
    """The acting user's membership (None for the operator or a superadmin). A non-member is
    told the organization does not exist, so ids of other tenants reveal nothing."""
    if acting.is_privileged or acting.user_id is None:
        if uow.organizations.find(organization_id) is None:
            raise NotFoundError("organization", organization_id)
        return None
    member = uow.members.find(organization_id, acting.user_id)
    if member is None:
        raise NotFoundError("organization", organization_id)
    return member


def require_manager(
    uow: IdentityUnitOfWork, organization_id: OrganizationId, acting: Acting
) -> OrganizationMember | None:
    member = membership(uow, organization_id, acting)
    if member is not None and not member.manages_members:
        raise PermissionDeniedError("only owners and admins manage this organization")
    return member


def require_owner(uow: IdentityUnitOfWork, organization_id: OrganizationId, acting: Acting) -> None:
    member = membership(uow, organization_id, acting)
    if member is not None and not member.is_owner:
        raise PermissionDeniedError("only owners may do this")


def may_touch_role(manager: OrganizationMember | None, *roles: MemberRole) -> None:
    """Admins manage admins and members; only owners (or privileged callers) grant, change or
    take away the owner role."""
    if manager is None or manager.is_owner:
        return
    if MemberRole.OWNER in roles:
        raise PermissionDeniedError("only owners may grant, change or remove the owner role")
