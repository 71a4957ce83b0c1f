"""The root container: settings, engine, session factory, and one container per context.

Contexts meet here (and in the migrations env and the CLI) and nowhere else.
"""

from __future__ import annotations

from dependency_injector import containers, providers

import nexus.records  # noqa: F401  (every context's tables first: foreign keys cross contexts)
from nexus import links
from nexus.conversations.infrastructure.container import ConversationsContainer
from nexus.documents.infrastructure.container import DocumentsContainer
from nexus.identity.application.directory import IdentityDirectory
from nexus.identity.infrastructure.container import IdentityContainer, identity_unit_of_work
from nexus.identity.infrastructure.hashing import Argon2PasswordHasher
from nexus.knowledge.infrastructure.container import KnowledgeContainer
from nexus.lab.infrastructure.container import LabContainer
from nexus.persistence.engine import engine_resource
from nexus.persistence.memory import InMemoryStore
from nexus.persistence.uow import TablesFactory, memory_tables, sql_tables
from nexus.settings import Settings
from nexus.shared.clock import SystemClock
from nexus.workspaces.application.directory import WorkspaceDirectory
from nexus.workspaces.infrastructure.container import (
    WorkspacesContainer,
    workspaces_unit_of_work,
)


def _chosen(tables: TablesFactory) -> TablesFactory:
    return tables


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)

    engine = providers.Resource(engine_resource, config.database_url, config.schema)
    memory_store = providers.Singleton(InMemoryStore)
    # The one switch between adapters: every context's units of work and queries stand on
    # these tables, SQL or in memory, as the settings say. Chosen once (a Singleton around
    # the Selector): every unit of work asks for them, and a Selector reads its option on each
    # call; the settings do not change after the container is built.
    tables = providers.Singleton(
        _chosen,
        providers.Selector(
            config.persistence,
            sqlalchemy=providers.Singleton(sql_tables, engine),
            memory=providers.Singleton(memory_tables, memory_store),
        ),
    )
    clock = providers.Singleton(SystemClock)
    password_hasher = providers.Singleton(Argon2PasswordHasher)

    # Between contexts (nexus.links): each context's port answered by the other's use cases.
    identity_directory = providers.Singleton(
        IdentityDirectory, uow=providers.Factory(identity_unit_of_work, tables=tables).provider
    )
    workspace_directory = providers.Singleton(
        WorkspaceDirectory, uow=providers.Factory(workspaces_unit_of_work, tables=tables).provider
    )
    user_directory = providers.Singleton(links.user_directory, identity_directory)
    workspace_access = providers.Singleton(links.workspace_membership, workspace_directory)

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
        ConversationsContainer,
        tables=tables,
        clock=clock,
        access=providers.Singleton(links.conversations_access, workspace_directory),
        persistence=config.persistence,
        database_url=config.database_url,
    )

    knowledge = providers.Container(
        KnowledgeContainer,
        tables=tables,
        clock=clock,
        access=providers.Singleton(links.knowledge_access, workspace_directory),
        roles=providers.Singleton(links.WorkspaceRolesOnTables),
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
