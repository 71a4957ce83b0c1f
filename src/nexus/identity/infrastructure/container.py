"""Identity's containers: two adapter sets with the same provider names, and the use cases."""

from __future__ import annotations

from dependency_injector import containers, providers
from sqlalchemy.orm import Session, sessionmaker

from nexus.identity.application.facade import IdentityFacade
from nexus.identity.application.users import Authenticate, GetUser, ListUsers, RegisterUser
from nexus.identity.domain.passwords import PasswordHasher
from nexus.identity.infrastructure.memory import InMemoryIdentityUnitOfWork, InMemoryUserQueries
from nexus.identity.infrastructure.repositories import (
    SqlAlchemyIdentityUnitOfWork,
    SqlAlchemyUserQueries,
)
from nexus.persistence.memory import InMemoryStore
from nexus.shared.clock import Clock


class SqlAlchemyIdentityAdapters(containers.DeclarativeContainer):
    session_factory: providers.Dependency[sessionmaker[Session]] = providers.Dependency()

    uow = providers.Factory(SqlAlchemyIdentityUnitOfWork, session_factory=session_factory)
    user_queries = providers.Singleton(SqlAlchemyUserQueries, session_factory=session_factory)


class InMemoryIdentityAdapters(containers.DeclarativeContainer):
    store: providers.Dependency[InMemoryStore] = providers.Dependency()

    uow = providers.Factory(InMemoryIdentityUnitOfWork, store=store)
    user_queries = providers.Singleton(InMemoryUserQueries, store=store)


class IdentityContainer(containers.DeclarativeContainer):
    adapters = providers.DependenciesContainer()
    clock: providers.Dependency[Clock] = providers.Dependency()
    password_hasher: providers.Dependency[PasswordHasher] = providers.Dependency()

    register_user = providers.Factory(
        RegisterUser, uow=adapters.uow.provider, hasher=password_hasher, clock=clock
    )
    authenticate = providers.Factory(
        Authenticate, uow=adapters.uow.provider, hasher=password_hasher, clock=clock
    )
    get_user = providers.Factory(GetUser, uow=adapters.uow.provider)
    list_users = providers.Factory(ListUsers, queries=adapters.user_queries)

    facade = providers.Singleton(
        IdentityFacade,
        register_user=register_user,
        authenticate=authenticate,
        get_user=get_user,
        list_users=list_users,
    )
