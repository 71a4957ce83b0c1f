"""Identity's containers: two adapter sets with the same provider names, and the use cases."""

from __future__ import annotations

from dependency_injector import containers, providers
from sqlalchemy.orm import Session, sessionmaker

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
from nexus.identity.infrastructure.memory import InMemoryIdentityUnitOfWork
from nexus.identity.infrastructure.memory_queries import (
    InMemoryApiKeyQueries,
    InMemoryAuditQueries,
    InMemoryOrganizationQueries,
    InMemoryUserQueries,
)
from nexus.identity.infrastructure.queries import (
    SqlAlchemyApiKeyQueries,
    SqlAlchemyAuditQueries,
    SqlAlchemyOrganizationQueries,
    SqlAlchemyUserQueries,
)
from nexus.identity.infrastructure.repositories import SqlAlchemyIdentityUnitOfWork
from nexus.persistence.memory import InMemoryStore
from nexus.shared.clock import Clock


class SqlAlchemyIdentityAdapters(containers.DeclarativeContainer):
    session_factory: providers.Dependency[sessionmaker[Session]] = providers.Dependency()

    uow = providers.Factory(SqlAlchemyIdentityUnitOfWork, session_factory=session_factory)
    user_queries = providers.Singleton(SqlAlchemyUserQueries, session_factory=session_factory)
    organization_queries = providers.Singleton(
        SqlAlchemyOrganizationQueries, session_factory=session_factory
    )
    api_key_queries = providers.Singleton(SqlAlchemyApiKeyQueries, session_factory=session_factory)
    audit_queries = providers.Singleton(SqlAlchemyAuditQueries, session_factory=session_factory)


class InMemoryIdentityAdapters(containers.DeclarativeContainer):
    store: providers.Dependency[InMemoryStore] = providers.Dependency()

    uow = providers.Factory(InMemoryIdentityUnitOfWork, store=store)
    user_queries = providers.Singleton(InMemoryUserQueries, store=store)
    organization_queries = providers.Singleton(InMemoryOrganizationQueries, store=store)
    api_key_queries = providers.Singleton(InMemoryApiKeyQueries, store=store)
    audit_queries = providers.Singleton(InMemoryAuditQueries, store=store)


class IdentityContainer(containers.DeclarativeContainer):
    adapters = providers.DependenciesContainer()
    clock: providers.Dependency[Clock] = providers.Dependency()
    password_hasher: providers.Dependency[PasswordHasher] = providers.Dependency()
    policy = providers.Singleton(IdentityPolicy)

    uow = adapters.uow.provider

    register_user = providers.Factory(RegisterUser, uow=uow, hasher=password_hasher, clock=clock)
    authenticate = providers.Factory(
        Authenticate, uow=uow, hasher=password_hasher, clock=clock, policy=policy
    )
    get_user = providers.Factory(GetUser, uow=uow)
    list_users = providers.Factory(ListUsers, queries=adapters.user_queries)
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
        Organizations, uow=uow, clock=clock, queries=adapters.organization_queries
    )
    domains = providers.Factory(
        Domains, uow=uow, clock=clock, queries=adapters.organization_queries
    )
    api_keys = providers.Factory(ApiKeys, uow=uow, clock=clock, queries=adapters.api_key_queries)
    list_audit_events = providers.Factory(ListAuditEvents, uow=uow, queries=adapters.audit_queries)

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
