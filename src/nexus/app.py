"""The embedding API: `create_app` returns one facade per context; `migrate` upgrades a database."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from nexus import migrating
from nexus.container import Container, build_container
from nexus.documents.application.facade import DocumentsFacade
from nexus.identity.application.facade import IdentityFacade
from nexus.lab.application.facade import LabFacade
from nexus.settings import Settings


class Nexus:
    """An application: `app.identity`, `app.lab`, `app.documents`. Close it (or use `with`) to
    release its connections."""

    def __init__(self, container: Container, settings: Settings) -> None:
        self.container = container
        self.settings = settings
        self.identity: IdentityFacade = container.identity.facade()
        self.lab: LabFacade = container.lab.facade()
        self.documents: DocumentsFacade = container.documents.facade()

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
    migrated here; call `nexus.migrate(url)` (or `nexus db upgrade`) first.
    """
    settings = Settings.from_env(database_url=database_url, persistence=persistence)
    return Nexus(container or build_container(settings), settings)


def migrate(database_url: str | None = None, revision: str = "head") -> None:
    """Upgrade the database to `revision` (head by default)."""
    migrating.upgrade(Settings.from_env(database_url=database_url).database_url, revision)
