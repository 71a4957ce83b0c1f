"""The root container: settings, engine, session factory, and one container per context.

Contexts meet here (and in the migrations env and the CLI) and nowhere else.
"""

from __future__ import annotations

from dependency_injector import containers, providers

import nexus.records  # noqa: F401  (every context's tables first: foreign keys cross contexts)
from nexus.conversations.infrastructure.container import ConversationsContainer
from nexus.documents.infrastructure.container import DocumentsContainer
from nexus.identity.infrastructure.container import IdentityContainer, identity_unit_of_work
from nexus.identity.infrastructure.hashing import Argon2PasswordHasher
from nexus.knowledge.infrastructure.container import KnowledgeContainer
from nexus.lab.infrastructure.container import LabContainer
from nexus.links import IdentityUserDirectory, WorkspaceMembership, WorkspaceRoles
from nexus.persistence.engine import engine_resource
from nexus.persistence.memory import InMemoryStore
from nexus.persistence.uow import memory_tables, sql_tables
from nexus.settings import Settings
from nexus.shared.clock import SystemClock
from nexus.workspaces.infrastructure.container import (
    WorkspacesContainer,
    workspaces_unit_of_work,
)


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)

    engine = providers.Resource(engine_resource, config.database_url, config.schema)
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

    # Between contexts (nexus.links): each context's port answered by the other's storage.
    user_directory = providers.Singleton(
        IdentityUserDirectory, uow=providers.Factory(identity_unit_of_work, tables=tables).provider
    )
    workspace_access = providers.Singleton(
        WorkspaceMembership,
        uow=providers.Factory(workspaces_unit_of_work, tables=tables).provider,
    )

    workspace_roles = providers.Singleton(
        WorkspaceRoles, uow=providers.Factory(workspaces_unit_of_work, tables=tables).provider
    )

    identity = providers.Container(
        IdentityContainer,
        tables=tables,
        clock=clock,
        password_hasher=password_hasher,
        workspace_access=workspace_access,
    )
    lab = providers.Container(LabContainer, tables=tables, clock=clock)
    workspaces = providers.Container(
        WorkspacesContainer,
        tables=tables,
        clock=clock,
        users=user_directory,
        persistence=config.persistence,
        database_url=config.database_url,
    )
    documents = providers.Container(DocumentsContainer, tables=tables, clock=clock)
    conversations = providers.Container(
        ConversationsContainer, tables=tables, clock=clock, access=workspace_roles
    )

    knowledge = providers.Container(
        KnowledgeContainer, tables=tables, clock=clock, access=workspace_roles
    )


def build_container(settings: Settings) -> Container:
    """A ready container for these settings. Nothing is built until a provider is called."""
    container = Container()
    container.config.from_dict(
        {
            "database_url": settings.database_url,
            "persistence": settings.persistence,
            "schema": settings.schema,
            "version_table": settings.version_table,
        }
    )
    container.check_dependencies()
    return container
