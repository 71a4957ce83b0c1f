"""The embedding API: `create_app` returns one facade per context; `migrate` upgrades a database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self

from dependency_injector import providers
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from nexus import migrating
from nexus.container import Container, build_container
from nexus.conversations.application.facade import ConversationsFacade
from nexus.dbguard import ensure_nexus_database
from nexus.documents.application.facade import DocumentsFacade
from nexus.identity.application.facade import IdentityFacade
from nexus.knowledge.application.facade import KnowledgeFacade
from nexus.lab.application.facade import LabFacade
from nexus.persistence.engine import check_backend, normalise_url
from nexus.persistence.sql import Joined, adopt, release_idle
from nexus.persistence.uow import SqlTablesFactory
from nexus.settings import Settings
from nexus.shared.errors import ConcurrencyError, ValidationError
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
        """Releases nexus's connections (an engine the application passed in stays open, and
        nexus holds none of its connections)."""
        engine = self.container.engine
        if self.settings.persistence == "sqlalchemy" and (engine.overridden or engine.initialized):
            release_idle(engine())
        self.container.shutdown_resources()

    @contextmanager
    def joined(self, connection: Connection) -> Iterator[Self]:
        """Inside the block, every use case of this app in this thread (or task) runs on
        `connection`, inside the transaction the application began on it: a use case's writes
        are a SAVEPOINT (released when it succeeds, rolled back when it fails, so the
        application's transaction stays usable), and nothing is committed until the application
        commits its transaction; its rollback takes nexus's writes with it.

        The connection is used only by the thread that entered the block: a use case called
        from another thread that inherited the block (asyncio.to_thread copies context
        variables) is refused with a ValidationError naming `joined`, and one that runs after
        the application's transaction ended (a task started in the block) with a
        ConcurrencyError; neither touches the connection. With `schema`, the connection must
        use it (its current_schema())."""
        factory = self.container.tables()
        if not isinstance(factory, SqlTablesFactory):
            raise ValidationError("connection", "the in-memory adapters cannot join a transaction")
        if not isinstance(connection, Connection) or connection.closed:
            raise ValidationError("connection", "must be an open SQLAlchemy Connection")
        if not connection.in_transaction():
            raise ValidationError(
                "connection", "must be inside a transaction (connection.begin() first)"
            )
        if _database_of(connection.engine) != _database_of(factory.engine):
            raise ValidationError(
                "connection", "is on another database than this app's; create the app on it"
            )
        if self.settings.schema is not None and connection.dialect.name == "postgresql":
            try:
                current = connection.execute(text("SELECT current_schema()")).scalar()
            except DBAPIError as error:
                raise ConcurrencyError(
                    "the application's transaction cannot be joined (lost or aborted)",
                    retryable=False,
                ) from error
            if current != self.settings.schema:
                raise ValidationError(
                    "connection",
                    f"must use nexus's schema {self.settings.schema} (search_path); it uses "
                    f"{current}",
                )
        token = factory.joined.set(Joined(connection, connection.get_transaction()))
        try:
            yield self
        finally:
            factory.joined.reset(token)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _database_of(engine: Engine) -> str:
    return normalise_url(engine.url.render_as_string(hide_password=False))


def _same_url(a: str, b: str) -> bool:
    try:
        return normalise_url(a) == normalise_url(b)
    except Exception:  # not a URL: not the same one
        return a == b


def _settings_of(
    database_url: str | None, persistence: str | None, container: Container | None, **place: Any
) -> Settings:
    """The settings an app is built with. A container passed in names its database and
    adapters; an explicit URL or persistence that says otherwise is refused, never ignored."""
    if container is None:
        return Settings.from_env(database_url=database_url, persistence=persistence, **place)
    for name, value in place.items():
        if value is not None and value != container.config[name]():
            raise ValidationError(name, "the container is built with another one")
    named = str(container.config.database_url())
    if database_url is not None and not _same_url(database_url, named):
        raise ValidationError(
            "database_url",
            f"the container is built for another database ({_hidden(named)}); pass the URL "
            "to build_container, or leave it out of create_app",
        )
    chosen = str(container.config.persistence())
    if persistence is not None and persistence != chosen:
        raise ValidationError("persistence", f"the container is built for {chosen!r} persistence")
    return Settings(
        database_url=named,
        persistence=chosen,
        version_table=container.config.version_table(),
        schema=container.config.schema(),
    )


def _hidden(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL
        return "?"


def _adopt_engine(built: Container, engine: Any, schema: str | None) -> None:
    """The application's own engine (its pool settings, its connections) instead of nexus's.
    nexus never disposes it. On SQLite nexus relies on foreign keys being enforced; with a
    schema, the engine's connections must have it first on their search_path."""
    if not isinstance(engine, Engine):
        raise ValidationError("engine", "must be a SQLAlchemy Engine")
    check_backend(engine.url.render_as_string(hide_password=False))
    if schema is not None:
        with engine.connect() as connection:
            current = connection.execute(text("SELECT current_schema()")).scalar()
        if current != schema:
            raise ValidationError(
                "engine",
                f"its connections must use schema {schema} (connect_args="
                f"{{'options': '-c search_path={schema}'}}); they use {current}",
            )
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            enforced = connection.execute(text("PRAGMA foreign_keys")).scalar()
        if not enforced:
            raise ValidationError(
                "engine",
                "must turn SQLite foreign keys on for every connection (PRAGMA foreign_keys=ON "
                "in a 'connect' event listener)",
            )
    adopt(engine)
    built.engine.override(providers.Object(engine))


def create_app(
    database_url: str | None = None,
    *,
    persistence: str | None = None,
    container: Container | None = None,
    engine: Engine | None = None,
    version_table: str | None = None,
    schema: str | None = None,
) -> Nexus:
    """Build nexus for `database_url` (else NEXUS_DATABASE_URL, else sqlite:///nexus.db).

    `persistence="memory"` gives the in-memory adapters (no database); by default it is
    NEXUS_PERSISTENCE, else "sqlalchemy". `engine` is the application's own SQLAlchemy engine
    (its pool and settings; nexus uses it and never disposes it); `database_url` is then its URL.
    A `container` names its own database: a `database_url` naming another one is refused. The
    database is not migrated here; call `nexus.migrate(url)` (or `nexus db upgrade`) first. A
    backend nexus does not support, or another application's database (a foreign Alembic
    history, tables without a nexus revision), is a ValidationError here, before anything is
    written.

    To share a database with an application whose Alembic history is its own, give nexus its
    own `version_table` (e.g. "nexus_alembic_version"; the other tables are then not nexus's
    concern), and on PostgreSQL a `schema` for nexus's tables (else NEXUS_VERSION_TABLE and
    NEXUS_SCHEMA; `nexus.migrate` takes the same two).
    """
    if engine is not None:
        if container is not None:
            raise ValidationError("engine", "pass the engine or a container, not both")
        own = engine.url.render_as_string(hide_password=False) if isinstance(engine, Engine) else ""
        if database_url is not None and not _same_url(database_url, own):
            raise ValidationError("database_url", "names another database than the engine")
        database_url = own or database_url
    settings = _settings_of(
        database_url, persistence, container, version_table=version_table, schema=schema
    )
    if engine is not None and settings.persistence != "sqlalchemy":
        raise ValidationError("engine", "is for the sqlalchemy persistence, not in-memory")
    built = container or build_container(settings)
    try:
        if engine is not None:
            _adopt_engine(built, engine, settings.schema)
        if built.config.persistence() == "sqlalchemy":
            ensure_nexus_database(built.engine(), version_table=settings.version_table)
    except BaseException:
        if container is None:
            built.shutdown_resources()
        raise
    return Nexus(built, settings)


def migrate(
    database_url: str | None = None,
    revision: str = "head",
    *,
    version_table: str | None = None,
    schema: str | None = None,
) -> None:
    """Upgrade the database to `revision` (head by default); `version_table` and `schema` as
    for `create_app`."""
    migrating.upgrade(
        Settings.from_env(database_url=database_url).database_url,
        revision,
        version_table=version_table,
        schema=schema,
    )
