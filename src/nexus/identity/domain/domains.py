"""An organization's domain (a login hostname), proven with a published verification token."""

from __future__ import annotations

from datetime import datetime

import attrs

from nexus.identity.domain.credentials import DIGEST_LENGTH, digest, same_secret
from nexus.identity.domain.ids import DomainId, new_domain_id
from nexus.identity.domain.rules import normalise_hostname
from nexus.shared.entity import Entity, aware_datetime, boolean, text
from nexus.shared.errors import AuthenticationError
from nexus.shared.ids import OrganizationId


@attrs.define(kw_only=True)
class OrganizationDomain(Entity):
    """A hostname belongs to at most one organization. Only the token's digest is kept."""

    __label__ = "organization_domains"

    id: DomainId = attrs.field(factory=new_domain_id)
    organization_id: OrganizationId
    domain: str = attrs.field(converter=normalise_hostname)
    is_verified: bool = attrs.field(default=False, validator=boolean)
    verification_token_hash: str = attrs.field(
        validator=text(min_length=DIGEST_LENGTH, max_length=DIGEST_LENGTH), repr=False
    )
    created_at: datetime = attrs.field(validator=aware_datetime())
    verified_at: datetime | None = attrs.field(
        default=None, validator=aware_datetime(optional=True)
    )

    @classmethod
    def claim(
        cls, *, organization_id: OrganizationId, domain: str, token: str, now: datetime
    ) -> OrganizationDomain:
        return cls(
            organization_id=organization_id,
            domain=domain,
            verification_token_hash=digest(token),
            created_at=now,
        )

    def verify(self, token: str, now: datetime) -> None:
        """Mark verified when `token` is the one issued; AuthenticationError otherwise."""
        if not same_secret(digest(token), self.verification_token_hash):
            raise AuthenticationError("organization_domains.verification_token: does not match")
        if not self.is_verified:
            self.is_verified = True
            self.verified_at = now
