"""The root container: settings, engine, session factory, and one container per context.

Contexts meet here (and in the migrations env and the CLI) and nowhere else.
"""

from __future__ import annotations

from dependency_injector import containers, providers

from nexus.identity.infrastructure.container import (
    IdentityContainer,
    InMemoryIdentityAdapters,
    SqlAlchemyIdentityAdapters,
)
from nexus.identity.infrastructure.hashing import Argon2PasswordHasher
from nexus.lab.infrastructure.container import (
    InMemoryLabAdapters,
    LabContainer,
    SqlAlchemyLabAdapters,
)
from nexus.persistence.engine import engine_resource, make_session_factory
from nexus.persistence.memory import InMemoryStore
from nexus.settings import Settings
from nexus.shared.clock import SystemClock


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)

    engine = providers.Resource(engine_resource, config.database_url)
    session_factory = providers.Singleton(make_session_factory, engine)
    memory_store = providers.Singleton(InMemoryStore)
    clock = providers.Singleton(SystemClock)
    password_hasher = providers.Singleton(Argon2PasswordHasher)

    # Each context's `adapters` are filled in by build_container with the SQLAlchemy or the
    # in-memory set (same provider names), as the settings say.
    identity = providers.Container(
        IdentityContainer,
        clock=clock,
        password_hasher=password_hasher,
    )
    lab = providers.Container(LabContainer, clock=clock)


def _sqlalchemy_adapters(c: Container) -> dict[str, providers.Provider]:  # type: ignore[type-arg]
    return {
        "identity": providers.Container(
            SqlAlchemyIdentityAdapters, session_factory=c.session_factory
        ),
        "lab": providers.Container(SqlAlchemyLabAdapters, session_factory=c.session_factory),
    }


def _memory_adapters(c: Container) -> dict[str, providers.Provider]:  # type: ignore[type-arg]
    return {
        "identity": providers.Container(InMemoryIdentityAdapters, store=c.memory_store),
        "lab": providers.Container(InMemoryLabAdapters, store=c.memory_store),
    }


ADAPTER_SETS = {"sqlalchemy": _sqlalchemy_adapters, "memory": _memory_adapters}


def build_container(settings: Settings) -> Container:
    """A ready container for these settings. Nothing is built until a provider is called."""
    container = Container()
    container.config.from_dict(
        {"database_url": settings.database_url, "persistence": settings.persistence}
    )
    for context, adapters in ADAPTER_SETS[settings.persistence](container).items():
        getattr(container, context).adapters.override(adapters)
    container.check_dependencies()
    return container
