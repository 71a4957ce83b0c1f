"""The embedding API: `create_app` returns one facade per context; `migrate` upgrades a database."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from nexus import migrating
from nexus.container import Container, build_container
from nexus.conversations.application.facade import ConversationsFacade
from nexus.dbguard import ensure_nexus_database
from nexus.documents.application.facade import DocumentsFacade
from nexus.identity.application.facade import IdentityFacade
from nexus.knowledge.application.facade import KnowledgeFacade
from nexus.lab.application.facade import LabFacade
from nexus.settings import Settings
from nexus.workspaces.application.facade import WorkspacesFacade


class Nexus:
    """An application: `app.identity`, `app.lab`, `app.workspaces`, `app.conversations`,
    `app.knowledge`, `app.documents`. Close it (or use `with`) to release its connections."""

    def __init__(self, container: Container, settings: Settings) -> None:
        self.container = container
        self.settings = settings
        self.identity: IdentityFacade = container.identity.facade()
        self.lab: LabFacade = container.lab.facade()
        self.workspaces: WorkspacesFacade = container.workspaces.facade()
        self.documents: DocumentsFacade = container.documents.facade()
        self.conversations: ConversationsFacade = container.conversations.facade()
        self.knowledge: KnowledgeFacade = container.knowledge.facade()

    def close(self) -> None:
        self.container.shutdown_resources()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def create_app(
    database_url: str | None = None,
    *,
    persistence: str | None = None,
    container: Container | None = None,
) -> Nexus:
    """Build nexus for `database_url` (else NEXUS_DATABASE_URL, else sqlite:///nexus.db).

    `persistence="memory"` gives the in-memory adapters (no database); by default it is
    NEXUS_PERSISTENCE, else "sqlalchemy". The database is not
    migrated here; call `nexus.migrate(url)` (or `nexus db upgrade`) first. A backend nexus
    does not support, or another application's database (a foreign Alembic history, tables
    without a nexus revision), is a ValidationError here, before anything is written.
    """
    settings = Settings.from_env(database_url=database_url, persistence=persistence)
    built = container or build_container(settings)
    if built.config.persistence() == "sqlalchemy":
        try:
            ensure_nexus_database(built.engine())
        except BaseException:
            if container is None:
                built.shutdown_resources()
            raise
    return Nexus(built, settings)


def migrate(database_url: str | None = None, revision: str = "head") -> None:
    """Upgrade the database to `revision` (head by default)."""
    migrating.upgrade(Settings.from_env(database_url=database_url).database_url, revision)
