"""Use cases on an organization's domains: add (returns the token to publish), verify, remove."""

from __future__ import annotations

from datetime import datetime

from nexus.identity.application.access import membership, require_manager
from nexus.identity.application.attempts import secret_text
from nexus.identity.application.ports import (
    IdentityUnitOfWork,
    OrganizationQueries,
    UnitOfWorkFactory,
)
from nexus.identity.application.results import DomainAdded, DomainResult
from nexus.identity.application.support import Acting, Actor, record, resolve_actor
from nexus.identity.domain.audit import AuditAction
from nexus.identity.domain.credentials import new_token
from nexus.identity.domain.domains import OrganizationDomain
from nexus.identity.domain.ids import DomainId
from nexus.shared.clock import Clock
from nexus.shared.errors import AuthenticationError, ConflictError, NotFoundError
from nexus.shared.ids import OrganizationId


def _owned(
    uow: IdentityUnitOfWork, organization_id: OrganizationId, domain_id: DomainId
) -> OrganizationDomain:
    domain = uow.domains.find(organization_id, domain_id)
    if domain is None:
        raise NotFoundError("organization domain", domain_id)
    return domain


def _audit(
    uow: IdentityUnitOfWork,
    action: AuditAction,
    now: datetime,
    acting: Acting,
    domain: OrganizationDomain,
    *,
    failure: str = "",
) -> None:
    details = {**acting.audit_details(), "domain": domain.domain}
    if failure:
        details["reason"] = failure
    record(
        uow,
        action,
        now,
        user_id=acting.user_id,
        resource=("organization", domain.organization_id),
        details=details,
        success=not failure,
    )


_CLAIMED = "organization_domains.domain: already verified by another organization"


class Domains:
    """Owners and admins manage domains; members may list them. Any organization may claim a
    hostname (the answer is the same whether or not another one has); the first to verify
    it holds it, and other claims of it can no longer verify."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, queries: OrganizationQueries) -> None:
        self._uow = uow
        self._clock = clock
        self._queries = queries

    def add(self, organization_id: OrganizationId, domain: str, *, actor: Actor) -> DomainAdded:
        now = self._clock.now()
        token = new_token()
        with self._uow() as uow:
            acting = resolve_actor(uow, actor)
            require_manager(uow, organization_id, acting)
            claimed = OrganizationDomain.claim(
                organization_id=organization_id, domain=domain, token=token, now=now
            )
            try:
                uow.domains.add(claimed)
                uow.flush()
                _audit(uow, AuditAction.DOMAIN_ADDED, now, acting, claimed)
                uow.commit()
            except ConflictError:
                # Only this organization's own claims can conflict: the answer says nothing
                # about other organizations.
                raise ConflictError(
                    "organization_domains.domain: already added to this organization",
                    field="organization_domains.domain",
                ) from None
        return DomainAdded(domain=DomainResult.from_domain(claimed), verification_token=token)

    def verify(
        self, organization_id: OrganizationId, domain_id: DomainId, token: str, *, actor: Actor
    ) -> DomainResult:
        """Verification is the claim: refused (ConflictError) when another organization has
        verified the hostname first; the unique index settles two verifications racing."""
        token = secret_text(token, "verification_token")
        now = self._clock.now()
        with self._uow() as uow:
            acting = resolve_actor(uow, actor)
            require_manager(uow, organization_id, acting)
            domain = _owned(uow, organization_id, domain_id)
            try:
                domain.verify(token, now)
            except AuthenticationError:
                failure = "token"
            else:
                holder = uow.domains.verified(domain.domain)
                failure = "" if holder is None or holder.id == domain.id else "claimed"
            if not failure:
                uow.domains.update(domain)
            _audit(uow, AuditAction.DOMAIN_VERIFIED, now, acting, domain, failure=failure)
            try:
                uow.commit()
            except ConflictError:
                failure = "claimed"
        if failure == "token":
            raise AuthenticationError("organization_domains.verification_token: does not match")
        if failure == "claimed":
            raise ConflictError(_CLAIMED, field="organization_domains.domain")
        return DomainResult.from_domain(domain)

    def remove(self, organization_id: OrganizationId, domain_id: DomainId, *, actor: Actor) -> None:
        now = self._clock.now()
        with self._uow() as uow:
            acting = resolve_actor(uow, actor)
            require_manager(uow, organization_id, acting)
            domain = _owned(uow, organization_id, domain_id)
            uow.domains.remove(organization_id, domain_id)
            _audit(uow, AuditAction.DOMAIN_REMOVED, now, acting, domain)
            uow.commit()

    def list_domains(self, organization_id: OrganizationId, *, actor: Actor) -> list[DomainResult]:
        with self._uow() as uow:
            membership(uow, organization_id, resolve_actor(uow, actor))
        return self._queries.list_domains(organization_id)
