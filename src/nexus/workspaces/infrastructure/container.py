"""Workspaces' container: its unit of work on the tables the root container picks, the secret
cipher on the key ring, and the use cases (`facade`)."""

from __future__ import annotations

from collections.abc import Callable

from dependency_injector import containers, providers

from nexus.persistence.uow import TablesFactory
from nexus.shared.clock import Clock
from nexus.workspaces.application import ports
from nexus.workspaces.application.facade import WorkspacesFacade
from nexus.workspaces.domain.secrets import SecretCipher
from nexus.workspaces.infrastructure.key_ring import KeyRing, load_key_ring
from nexus.workspaces.infrastructure.repositories import WorkspacesUnitOfWork
from nexus.workspaces.infrastructure.secret_cipher import LazySecretCipher


def workspaces_unit_of_work(tables: TablesFactory) -> ports.WorkspacesUnitOfWork:
    """Typed with the port, so mypy checks the adapter against it."""
    return WorkspacesUnitOfWork(tables)


def key_ring(persistence: str, database_url: str) -> KeyRing:
    """NEXUS_SECRET_KEYS, else the key file; the in-memory adapters get a ring that lives and
    dies with the process."""
    if persistence == "memory":
        return KeyRing.ephemeral()
    return load_key_ring(database_url)


def secret_cipher(ring: Callable[[], KeyRing]) -> SecretCipher:
    return LazySecretCipher(ring)


class WorkspacesContainer(containers.DeclarativeContainer):
    tables: providers.Dependency[TablesFactory] = providers.Dependency()
    clock: providers.Dependency[Clock] = providers.Dependency()
    users: providers.Dependency[ports.UserDirectory] = providers.Dependency()
    persistence: providers.Dependency[str] = providers.Dependency()
    database_url: providers.Dependency[str] = providers.Dependency()

    unit_of_work = providers.Factory(workspaces_unit_of_work, tables=tables)
    uow = unit_of_work.provider
    key_ring = providers.Singleton(key_ring, persistence=persistence, database_url=database_url)
    cipher = providers.Singleton(secret_cipher, ring=key_ring.provider)

    facade = providers.Singleton(WorkspacesFacade, uow=uow, clock=clock, cipher=cipher, users=users)
