"""Settings from the environment: NEXUS_DATABASE_URL, NEXUS_PERSISTENCE, and for a database
shared with another application NEXUS_VERSION_TABLE and NEXUS_SCHEMA."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

import attrs

from nexus.shared.errors import ValidationError

DEFAULT_DATABASE_URL = "sqlite:///nexus.db"
PERSISTENCE_CHOICES = ("sqlalchemy", "memory")
DEFAULT_VERSION_TABLE = "alembic_version"
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _check_persistence(_instance: object, _attribute: object, value: str) -> None:
    if value not in PERSISTENCE_CHOICES:
        raise ValidationError("persistence", f"must be one of {', '.join(PERSISTENCE_CHOICES)}")


def check_identifier(field: str, value: str | None) -> None:
    """A version-table or schema name: lower-case letters, digits and `_`, as PostgreSQL folds
    unquoted names (so it is the same name in SQL written by hand)."""
    if value is not None and not _IDENTIFIER.fullmatch(value):
        raise ValidationError(
            field, "must be 1 to 63 lower-case letters, digits or '_', not starting with a digit"
        )


def _identifier(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_identifier(attribute.name, value)


@attrs.frozen(kw_only=True)
class Settings:
    """`version_table` names nexus's Alembic version table and `schema` the PostgreSQL schema
    its tables live in (its connections' search_path), so nexus can share a database whose
    own Alembic history (and `alembic_version`) belong to another application."""

    database_url: str = DEFAULT_DATABASE_URL
    persistence: str = attrs.field(default="sqlalchemy", validator=_check_persistence)
    version_table: str = attrs.field(default=DEFAULT_VERSION_TABLE, validator=_identifier)
    schema: str | None = attrs.field(default=None, validator=_identifier)

    @property
    def shared(self) -> bool:
        """The database is shared with another application (its tables are not nexus's)."""
        return self.version_table != DEFAULT_VERSION_TABLE or self.schema is not None

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        database_url: str | None = None,
        persistence: str | None = None,
        version_table: str | None = None,
        schema: str | None = None,
    ) -> Settings:
        """Explicit arguments win, then the environment, then the defaults."""
        env = os.environ if environ is None else environ
        return cls(
            database_url=database_url or env.get("NEXUS_DATABASE_URL") or DEFAULT_DATABASE_URL,
            persistence=persistence or env.get("NEXUS_PERSISTENCE") or "sqlalchemy",
            version_table=version_table or env.get("NEXUS_VERSION_TABLE") or DEFAULT_VERSION_TABLE,
            schema=schema or env.get("NEXUS_SCHEMA") or None,
        )
