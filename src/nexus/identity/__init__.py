"""Identity: users, organizations, domains, memberships, tokens, API keys, audit log.

The public API of the context: its facade (`app.identity`), commands and results.
"""

from nexus.identity.application.commands import Authenticate, RegisterUser
from nexus.identity.application.facade import IdentityFacade
from nexus.identity.application.results import UserResult

__all__ = ["Authenticate", "IdentityFacade", "RegisterUser", "UserResult"]
