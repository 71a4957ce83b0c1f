"""Use cases on an organization's domains: add (returns the token to publish), verify, remove."""

from __future__ import annotations

from datetime import datetime

from nexus.identity.application.access import require_manager
from nexus.identity.application.attempts import secret_text
from nexus.identity.application.base import ActorLike, IdentityUseCases, IdLike, as_actor
from nexus.identity.application.ports import IdentityUnitOfWork
from nexus.identity.application.results import DomainAdded, DomainResult
from nexus.identity.application.support import Acting, record, resolve_actor
from nexus.identity.domain.audit import AuditAction
from nexus.identity.domain.credentials import new_token
from nexus.identity.domain.domains import OrganizationDomain
from nexus.identity.domain.ids import DomainId
from nexus.shared.arguments import Credential
from nexus.shared.errors import AuthenticationError, ConflictError, NotFoundError
from nexus.shared.ids import OrganizationId, parse_typed_id
from nexus.shared.usecases import transaction


def _owned(
    uow: IdentityUnitOfWork, organization_id: OrganizationId, domain_id: DomainId
) -> OrganizationDomain:
    domain = uow.domains.find(organization_id, domain_id)
    if domain is None:
        raise NotFoundError("organization domain", domain_id)
    return domain


def _audit_domain(
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


class Domains(IdentityUseCases):
    """Owners and admins manage domains; members may list them. Any organization may claim a
    hostname (the answer is the same whether or not another one has); the first to verify
    it holds it, and other claims of it can no longer verify."""

    @transaction
    def add_domain(
        self, tx: IdentityUnitOfWork, organization_id: IdLike, domain: str, *, actor: ActorLike
    ) -> DomainAdded:
        """The domain and the raw verification token to publish (shown once)."""
        org_id = parse_typed_id(OrganizationId, organization_id, "organization_id")
        acting_as = as_actor(actor)
        now = self.clock.now()
        token = new_token()
        acting = resolve_actor(tx, acting_as)
        require_manager(tx, org_id, acting)
        claimed = OrganizationDomain.claim(
            organization_id=org_id, domain=domain, token=token, now=now
        )
        try:
            tx.domains.add(claimed)
            tx.flush()
        except ConflictError:
            # Only this organization's own claims can conflict: the answer says nothing
            # about other organizations.
            raise ConflictError(
                "organization_domains.domain: already added to this organization",
                field="organization_domains.domain",
            ) from None
        _audit_domain(tx, AuditAction.DOMAIN_ADDED, now, acting, claimed)
        return DomainAdded(domain=DomainResult.from_domain(claimed), verification_token=token)

    def verify_domain(
        self, organization_id: IdLike, domain_id: IdLike, token: Credential, *, actor: ActorLike
    ) -> DomainResult:
        """Verification is the claim: refused (ConflictError) when another organization has
        verified the hostname first; the unique index settles two verifications racing. A
        failure is audited, committed and then raised, so the unit of work is explicit here
        (`@transaction` would roll the audit row back with the error)."""
        org_id = parse_typed_id(OrganizationId, organization_id, "organization_id")
        claim_id = parse_typed_id(DomainId, domain_id, "domain_id")
        acting_as = as_actor(actor)
        presented = secret_text(token, "verification_token")
        now = self.clock.now()
        with self.uow() as tx:
            acting = resolve_actor(tx, acting_as)
            require_manager(tx, org_id, acting)
            domain = _owned(tx, org_id, claim_id)
            try:
                domain.verify(presented, now)
            except AuthenticationError:
                failure = "token"
            else:
                holder = tx.domains.verified(domain.domain)
                failure = "" if holder is None or holder.id == domain.id else "claimed"
            if not failure:
                tx.domains.update(domain)
            _audit_domain(tx, AuditAction.DOMAIN_VERIFIED, now, acting, domain, failure=failure)
            try:
                tx.commit()
            except ConflictError:
                failure = "claimed"
        if failure == "token":
            raise AuthenticationError("organization_domains.verification_token: does not match")
        if failure == "claimed":
            raise ConflictError(_CLAIMED, field="organization_domains.domain")
        return DomainResult.from_domain(domain)

    @transaction
    def remove_domain(
        self,
        tx: IdentityUnitOfWork,
        organization_id: IdLike,
        domain_id: IdLike,
        *,
        actor: ActorLike,
    ) -> None:
        org_id = parse_typed_id(OrganizationId, organization_id, "organization_id")
        claim_id = parse_typed_id(DomainId, domain_id, "domain_id")
        acting_as = as_actor(actor)
        now = self.clock.now()
        acting = resolve_actor(tx, acting_as)
        require_manager(tx, org_id, acting)
        domain = _owned(tx, org_id, claim_id)
        tx.domains.remove(org_id, claim_id)
        _audit_domain(tx, AuditAction.DOMAIN_REMOVED, now, acting, domain)

    def list_domains(self, organization_id: IdLike, *, actor: ActorLike) -> list[DomainResult]:
        org_id = parse_typed_id(OrganizationId, organization_id, "organization_id")
        self._may_read_organization(org_id, as_actor(actor))
        return self.organization_queries.list_domains(org_id)
