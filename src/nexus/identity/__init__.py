"""Identity: users, organizations, domains, memberships, tokens, API keys, audit log.

The public API of the context: its facade (`app.identity`), results and OPERATOR.
"""

from nexus.identity.application.facade import IdentityFacade
from nexus.identity.application.policy import IdentityPolicy
from nexus.identity.application.results import (
    ApiKeyAuthentication,
    ApiKeyCreated,
    ApiKeyResult,
    AuditEventResult,
    DomainAdded,
    DomainResult,
    LoginResult,
    MagicLinkIssued,
    MemberResult,
    OrganizationResult,
    UserResult,
)
from nexus.identity.application.support import OPERATOR, Operator

__all__ = [
    "OPERATOR",
    "ApiKeyAuthentication",
    "ApiKeyCreated",
    "ApiKeyResult",
    "AuditEventResult",
    "DomainAdded",
    "DomainResult",
    "IdentityFacade",
    "IdentityPolicy",
    "LoginResult",
    "MagicLinkIssued",
    "MemberResult",
    "Operator",
    "OrganizationResult",
    "UserResult",
]
