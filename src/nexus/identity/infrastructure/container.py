"""Identity's container: its unit of work and queries on the tables the root container picks
(SQL or in memory), and the use cases."""

from __future__ import annotations

from dependency_injector import containers, providers

from nexus.identity.application import ports
from nexus.identity.application.facade import IdentityFacade
from nexus.identity.application.policy import IdentityPolicy
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

    facade = providers.Singleton(
        IdentityFacade,
        uow=uow,
        clock=clock,
        hasher=password_hasher,
        policy=policy,
        user_queries=user_queries,
        organization_queries=organization_queries,
        api_key_queries=api_key_queries,
        audit_queries=audit_queries,
        workspace_access=workspace_access,
    )
