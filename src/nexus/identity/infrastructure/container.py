"""Identity's container: its unit of work and queries on the tables the root container picks
(SQL or in memory), and the use cases."""

from __future__ import annotations

from dependency_injector import containers, providers

from nexus.identity.application import ports
from nexus.identity.application.accounts import AccountStatus, ChangePassword
from nexus.identity.application.api_keys import ApiKeys
from nexus.identity.application.audit import ListAuditEvents
from nexus.identity.application.domains import Domains
from nexus.identity.application.facade import IdentityFacade, IdentityUseCases
from nexus.identity.application.organizations import Organizations
from nexus.identity.application.policy import IdentityPolicy
from nexus.identity.application.recovery import MagicLinks, PasswordResets
from nexus.identity.application.sessions import Sessions
from nexus.identity.application.users import Authenticate, GetUser, ListUsers, RegisterUser
from nexus.identity.domain.passwords import PasswordHasher
from nexus.identity.infrastructure.queries import (
    ApiKeyQueries,
    AuditQueries,
    OrganizationQueries,
    UserQueries,
)
from nexus.identity.infrastructure.repositories import IdentityUnitOfWork
from nexus.persistence.uow import TablesFactory
from nexus.shared.clock import Clock


def identity_unit_of_work(tables: TablesFactory) -> ports.IdentityUnitOfWork:
    """Typed with the port, so mypy checks the adapter against it."""
    return IdentityUnitOfWork(tables)


def make_user_queries(tables: TablesFactory) -> ports.UserQueries:
    return UserQueries(tables)


def make_organization_queries(tables: TablesFactory) -> ports.OrganizationQueries:
    return OrganizationQueries(tables)


def make_api_key_queries(tables: TablesFactory) -> ports.ApiKeyQueries:
    return ApiKeyQueries(tables)


def make_audit_queries(tables: TablesFactory) -> ports.AuditQueries:
    return AuditQueries(tables)


class IdentityContainer(containers.DeclarativeContainer):
    tables: providers.Dependency[TablesFactory] = providers.Dependency()
    clock: providers.Dependency[Clock] = providers.Dependency()
    password_hasher: providers.Dependency[PasswordHasher] = providers.Dependency()
    workspace_access: providers.Dependency[ports.WorkspaceAccess] = providers.Dependency()
    policy = providers.Singleton(IdentityPolicy)

    unit_of_work = providers.Factory(identity_unit_of_work, tables=tables)
    uow = unit_of_work.provider
    user_queries = providers.Singleton(make_user_queries, tables=tables)
    organization_queries = providers.Singleton(make_organization_queries, tables=tables)
    api_key_queries = providers.Singleton(make_api_key_queries, tables=tables)
    audit_queries = providers.Singleton(make_audit_queries, tables=tables)

    register_user = providers.Factory(RegisterUser, uow=uow, hasher=password_hasher, clock=clock)
    authenticate = providers.Factory(
        Authenticate, uow=uow, hasher=password_hasher, clock=clock, policy=policy
    )
    get_user = providers.Factory(GetUser, uow=uow)
    list_users = providers.Factory(ListUsers, queries=user_queries)
    change_password = providers.Factory(
        ChangePassword, uow=uow, hasher=password_hasher, clock=clock
    )
    account_status = providers.Factory(AccountStatus, uow=uow, clock=clock)
    password_resets = providers.Factory(
        PasswordResets, uow=uow, hasher=password_hasher, clock=clock, policy=policy
    )
    magic_links = providers.Factory(MagicLinks, uow=uow, clock=clock, policy=policy)
    sessions = providers.Factory(Sessions, uow=uow, clock=clock, policy=policy)
    organizations = providers.Factory(
        Organizations, uow=uow, clock=clock, queries=organization_queries
    )
    domains = providers.Factory(Domains, uow=uow, clock=clock, queries=organization_queries)
    api_keys = providers.Factory(
        ApiKeys, uow=uow, clock=clock, queries=api_key_queries, workspaces=workspace_access
    )
    list_audit_events = providers.Factory(ListAuditEvents, uow=uow, queries=audit_queries)

    use_cases = providers.Factory(
        IdentityUseCases,
        register_user=register_user,
        authenticate=authenticate,
        get_user=get_user,
        list_users=list_users,
        change_password=change_password,
        account_status=account_status,
        password_resets=password_resets,
        magic_links=magic_links,
        sessions=sessions,
        organizations=organizations,
        domains=domains,
        api_keys=api_keys,
        list_audit_events=list_audit_events,
    )
    facade = providers.Singleton(IdentityFacade, use_cases=use_cases)
