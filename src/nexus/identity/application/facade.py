"""`app.identity`: the context's methods for application services and embedding apps.
Ids may be given as UUIDs or text; `actor` is the acting user's id, or OPERATOR."""

from __future__ import annotations

import uuid
from typing import Any

import attrs

from nexus.identity.application import commands
from nexus.identity.application.accounts import AccountStatus, ChangePassword
from nexus.identity.application.api_keys import ApiKeys
from nexus.identity.application.audit import ListAuditEvents
from nexus.identity.application.domains import Domains
from nexus.identity.application.organizations import Organizations
from nexus.identity.application.recovery import MagicLinks, PasswordResets
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
from nexus.identity.application.sessions import Sessions
from nexus.identity.application.support import Actor, Operator, RequestContext
from nexus.identity.application.users import Authenticate, GetUser, ListUsers, RegisterUser
from nexus.identity.domain.ids import ApiKeyId, DomainId
from nexus.shared.arguments import Credential, checked_facade
from nexus.shared.errors import ValidationError
from nexus.shared.ids import OrganizationId, UserId, WorkspaceId, parse_id
from nexus.shared.values import check_page

IdLike = uuid.UUID | str
ActorLike = uuid.UUID | str | Operator


def _user(value: IdLike, field: str = "user_id") -> UserId:
    return UserId(parse_id(value, field=field))


def _org(value: IdLike) -> OrganizationId:
    return OrganizationId(parse_id(value, field="organization_id"))


def _actor(value: ActorLike) -> Actor:
    return value if isinstance(value, Operator) else _user(value, "actor")


def _context(ip_address: str | None, user_agent: str | None) -> RequestContext:
    return RequestContext(ip_address=ip_address, user_agent=user_agent)


@attrs.frozen(kw_only=True)
class IdentityUseCases:
    """Every use case object the facade delegates to (the container builds them)."""

    register_user: RegisterUser
    authenticate: Authenticate
    get_user: GetUser
    list_users: ListUsers
    change_password: ChangePassword
    account_status: AccountStatus
    password_resets: PasswordResets
    magic_links: MagicLinks
    sessions: Sessions
    organizations: Organizations
    domains: Domains
    api_keys: ApiKeys
    list_audit_events: ListAuditEvents


@checked_facade
class IdentityFacade:
    def __init__(self, use_cases: IdentityUseCases) -> None:
        self._u = use_cases

    # Users and sign-in

    def register_user(
        self, *, email: str, name: str, password: str, username: str | None = None
    ) -> UserResult:
        return self._u.register_user(
            commands.RegisterUser(email=email, name=name, password=password, username=username)
        )

    def authenticate(
        self,
        *,
        email: str,
        password: Credential,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> UserResult:
        """The user, or AuthenticationError (same error for every kind of failure)."""
        command = commands.Authenticate(
            email=email, password=password, context=_context(ip_address, user_agent)
        )
        return self._u.authenticate(command)

    def login(
        self,
        *,
        email: str,
        password: Credential,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> LoginResult:
        """As `authenticate`, and starts a session: the user and a raw refresh token."""
        command = commands.Authenticate(
            email=email, password=password, context=_context(ip_address, user_agent)
        )
        return self._u.authenticate.login(command)

    def rotate_refresh_token(
        self,
        refresh_token: Credential,
        *,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> LoginResult:
        return self._u.sessions.rotate(refresh_token, _context(ip_address, user_agent))

    def logout(self, refresh_token: Credential) -> bool:
        """Revokes the session; False when the token is unknown (nothing to do)."""
        return self._u.sessions.logout(refresh_token)

    def get_user(self, user_id: IdLike) -> UserResult:
        return self._u.get_user.by_id(_user(user_id))

    def get_user_by_email(self, email: str) -> UserResult:
        return self._u.get_user.by_email(email)

    def list_users(self, *, limit: int = 100, offset: int = 0) -> list[UserResult]:
        return self._u.list_users(limit=limit, offset=offset)

    def change_password(
        self,
        user_id: IdLike,
        *,
        current_password: Credential,
        new_password: str,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> None:
        self._u.change_password(
            commands.ChangePassword(
                user_id=_user(user_id),
                current_password=current_password,
                new_password=new_password,
                context=_context(ip_address, user_agent),
            )
        )

    def request_password_reset(self, email: str, *, ip_address: str | None = None) -> str | None:
        """The raw reset token to deliver, or None (unknown or inactive account)."""
        return self._u.password_resets.request(email, _context(ip_address, None))

    def reset_password(self, token: Credential, new_password: str) -> None:
        self._u.password_resets.reset(token, new_password)

    def issue_magic_link(
        self, email: str, *, ip_address: str | None = None
    ) -> MagicLinkIssued | None:
        """The raw link token and one-time code to deliver, or None."""
        return self._u.magic_links.issue(email, _context(ip_address, None))

    def redeem_magic_link(
        self,
        token: Credential | None = None,
        *,
        email: str | None = None,
        code: Credential | None = None,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> LoginResult:
        """Redeem with the link's token, or with the email and the one-time code."""
        context = _context(ip_address, user_agent)
        if token is not None:
            return self._u.magic_links.redeem(token, context)
        if email is None or code is None:
            raise ValidationError("token", "give the link's token, or the email and the code")
        return self._u.magic_links.redeem_code(email, code, context)

    def verify_email(self, user_id: IdLike, *, actor: ActorLike) -> UserResult:
        return self._u.account_status.verify_email(_user(user_id), actor=_actor(actor))

    def deactivate_user(self, user_id: IdLike, *, actor: ActorLike) -> UserResult:
        return self._u.account_status.deactivate(_user(user_id), actor=_actor(actor))

    def reactivate_user(self, user_id: IdLike, *, actor: ActorLike) -> UserResult:
        return self._u.account_status.reactivate(_user(user_id), actor=_actor(actor))

    # Organizations, members, domains

    def create_organization(self, *, name: str, slug: str, owner_id: IdLike) -> OrganizationResult:
        return self._u.organizations.create(
            commands.CreateOrganization(name=name, slug=slug, owner_id=_user(owner_id, "owner_id"))
        )

    def update_organization(
        self, organization_id: IdLike, *, actor: ActorLike, **changes: Any
    ) -> OrganizationResult:
        """Rename or rebrand; only the fields given change (None clears an optional one)."""
        return self._u.organizations.update(
            commands.UpdateOrganization(
                organization_id=_org(organization_id), actor=_actor(actor), changes=changes
            )
        )

    def delete_organization(self, organization_id: IdLike, *, actor: ActorLike) -> None:
        self._u.organizations.delete(_org(organization_id), actor=_actor(actor))

    def get_organization(self, organization_id: IdLike, *, actor: ActorLike) -> OrganizationResult:
        return self._u.organizations.get(_org(organization_id), actor=_actor(actor))

    def get_organization_by_slug(self, slug: str, *, actor: ActorLike) -> OrganizationResult:
        return self._u.organizations.get_by_slug(slug, actor=_actor(actor))

    def list_organizations(
        self, *, actor: ActorLike, limit: int = 100, offset: int = 0
    ) -> list[OrganizationResult]:
        limit, offset = check_page(limit, offset)
        return self._u.organizations.list_visible(actor=_actor(actor), limit=limit, offset=offset)

    def list_organization_members(
        self, organization_id: IdLike, *, actor: ActorLike
    ) -> list[MemberResult]:
        return self._u.organizations.members(_org(organization_id), actor=_actor(actor))

    def add_organization_member(
        self, organization_id: IdLike, user_id: IdLike, *, actor: ActorLike, role: str = "member"
    ) -> MemberResult:
        return self._u.organizations.add_member(
            _org(organization_id), _user(user_id), role, actor=_actor(actor)
        )

    def change_member_role(
        self, organization_id: IdLike, user_id: IdLike, role: str, *, actor: ActorLike
    ) -> None:
        self._u.organizations.change_role(
            _org(organization_id), _user(user_id), role, actor=_actor(actor)
        )

    def remove_organization_member(
        self, organization_id: IdLike, user_id: IdLike, *, actor: ActorLike
    ) -> None:
        self._u.organizations.remove_member(
            _org(organization_id), _user(user_id), actor=_actor(actor)
        )

    def add_domain(self, organization_id: IdLike, domain: str, *, actor: ActorLike) -> DomainAdded:
        """The domain and the raw verification token to publish (shown once)."""
        return self._u.domains.add(_org(organization_id), domain, actor=_actor(actor))

    def verify_domain(
        self, organization_id: IdLike, domain_id: IdLike, token: Credential, *, actor: ActorLike
    ) -> DomainResult:
        return self._u.domains.verify(
            _org(organization_id),
            DomainId(parse_id(domain_id, field="domain_id")),
            token,
            actor=_actor(actor),
        )

    def remove_domain(
        self, organization_id: IdLike, domain_id: IdLike, *, actor: ActorLike
    ) -> None:
        self._u.domains.remove(
            _org(organization_id),
            DomainId(parse_id(domain_id, field="domain_id")),
            actor=_actor(actor),
        )

    def list_domains(self, organization_id: IdLike, *, actor: ActorLike) -> list[DomainResult]:
        return self._u.domains.list_domains(_org(organization_id), actor=_actor(actor))

    # API keys and the audit log

    def create_api_key(
        self,
        user_id: IdLike,
        *,
        name: str,
        actor: ActorLike,
        workspace_id: IdLike | None = None,
        expires_in_days: int | None = None,
    ) -> ApiKeyCreated:
        """The key's metadata and the raw key (`nxk_...`), returned this once only."""
        workspace = (
            None
            if workspace_id is None
            else WorkspaceId(parse_id(workspace_id, field="workspace_id"))
        )
        return self._u.api_keys.create(
            commands.CreateApiKey(
                user_id=_user(user_id),
                name=name,
                actor=_actor(actor),
                workspace_id=workspace,
                expires_in_days=expires_in_days,
            )
        )

    def authenticate_api_key(
        self,
        raw_key: Credential,
        *,
        workspace_id: IdLike | None = None,
        ip_address: str | None = None,
        user_agent: str | None = None,
    ) -> ApiKeyAuthentication:
        """The key's user and workspace scope, or AuthenticationError."""
        workspace = (
            None
            if workspace_id is None
            else WorkspaceId(parse_id(workspace_id, field="workspace_id"))
        )
        return self._u.api_keys.authenticate(
            raw_key, workspace_id=workspace, context=_context(ip_address, user_agent)
        )

    def list_api_keys(self, user_id: IdLike, *, actor: ActorLike) -> list[ApiKeyResult]:
        return self._u.api_keys.list_keys(_user(user_id), actor=_actor(actor))

    def revoke_api_key(self, user_id: IdLike, key_id: IdLike, *, actor: ActorLike) -> ApiKeyResult:
        return self._u.api_keys.revoke(
            _user(user_id), ApiKeyId(parse_id(key_id, field="key_id")), actor=_actor(actor)
        )

    def list_audit_events(
        self,
        *,
        actor: ActorLike,
        user_id: IdLike | None = None,
        action: str | None = None,
        resource_type: str | None = None,
        resource_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[AuditEventResult]:
        return self._u.list_audit_events(
            actor=_actor(actor),
            user_id=None if user_id is None else _user(user_id),
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            limit=limit,
            offset=offset,
        )
