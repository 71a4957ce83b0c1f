"""`app.identity`: the context's use cases for application services and embedding apps. Each
method is defined once, in the group module named in its class (users, accounts, ...). Ids may
be given as UUIDs or text; `actor` is the acting user's id, or OPERATOR."""

from __future__ import annotations

from nexus.identity.application.accounts import Accounts
from nexus.identity.application.api_keys import ApiKeys
from nexus.identity.application.audit import Audit
from nexus.identity.application.domains import Domains
from nexus.identity.application.organizations import Organizations
from nexus.identity.application.recovery import Recovery
from nexus.identity.application.sessions import Sessions
from nexus.identity.application.users import Users
from nexus.shared.arguments import checked_facade


@checked_facade
class IdentityFacade(Users, Accounts, Recovery, Sessions, Organizations, Domains, ApiKeys, Audit):
    """Every identity use case: `app.identity.register_user(...)`, `app.identity.login(...)`."""
