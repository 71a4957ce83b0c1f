"""The root container: settings, engine, session factory, and one container per context.

Contexts meet here (and in the migrations env and the CLI) and nowhere else.
"""

from __future__ import annotations

from dependency_injector import containers, providers

from nexus.documents.infrastructure.container import DocumentsContainer
from nexus.identity.infrastructure.container import IdentityContainer
from nexus.identity.infrastructure.hashing import Argon2PasswordHasher
from nexus.lab.infrastructure.container import LabContainer
from nexus.persistence.engine import engine_resource
from nexus.persistence.memory import InMemoryStore
from nexus.persistence.uow import memory_tables, sql_tables
from nexus.settings import Settings
from nexus.shared.clock import SystemClock


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)

    engine = providers.Resource(engine_resource, config.database_url)
    memory_store = providers.Singleton(InMemoryStore)
    # The one switch between adapters: every context's units of work and queries stand on
    # these tables, SQL or in memory, as the settings say.
    tables = providers.Selector(
        config.persistence,
        sqlalchemy=providers.Singleton(sql_tables, engine),
        memory=providers.Singleton(memory_tables, memory_store),
    )
    clock = providers.Singleton(SystemClock)
    password_hasher = providers.Singleton(Argon2PasswordHasher)

    identity = providers.Container(
        IdentityContainer, tables=tables, clock=clock, password_hasher=password_hasher
    )
    lab = providers.Container(LabContainer, tables=tables, clock=clock)
    documents = providers.Container(DocumentsContainer, tables=tables, clock=clock)


def build_container(settings: Settings) -> Container:
    """A ready container for these settings. Nothing is built until a provider is called."""
    container = Container()
    container.config.from_dict(
        {"database_url": settings.database_url, "persistence": settings.persistence}
    )
    container.check_dependencies()
    return container
