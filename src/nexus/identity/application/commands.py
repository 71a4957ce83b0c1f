"""Commands: what a caller asks identity to do, as frozen values."""

from __future__ import annotations

from typing import Any

import attrs

from nexus.identity.application.support import NO_CONTEXT, Actor, RequestContext
from nexus.shared.ids import OrganizationId, UserId, WorkspaceId


@attrs.frozen(kw_only=True)
class RegisterUser:
    email: str
    name: str
    password: str = attrs.field(repr=False)
    username: str | None = None


@attrs.frozen(kw_only=True)
class Authenticate:
    email: str
    password: str = attrs.field(repr=False)
    context: RequestContext = NO_CONTEXT


@attrs.frozen(kw_only=True)
class ChangePassword:
    user_id: UserId
    current_password: str = attrs.field(repr=False)
    new_password: str = attrs.field(repr=False)
    context: RequestContext = NO_CONTEXT


@attrs.frozen(kw_only=True)
class CreateOrganization:
    name: str
    slug: str
    owner_id: UserId


@attrs.frozen(kw_only=True)
class UpdateOrganization:
    organization_id: OrganizationId
    actor: Actor
    changes: dict[str, Any]


@attrs.frozen(kw_only=True)
class CreateApiKey:
    user_id: UserId
    name: str
    actor: Actor
    workspace_id: WorkspaceId | None = None
    expires_in_days: int | None = None
