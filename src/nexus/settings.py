"""Settings from the environment: NEXUS_DATABASE_URL and NEXUS_PERSISTENCE."""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from nexus.shared.errors import ValidationError

DEFAULT_DATABASE_URL = "sqlite:///nexus.db"
PERSISTENCE_CHOICES = ("sqlalchemy", "memory")


def _check_persistence(_instance: object, _attribute: object, value: str) -> None:
    if value not in PERSISTENCE_CHOICES:
        raise ValidationError("persistence", f"must be one of {', '.join(PERSISTENCE_CHOICES)}")


@attrs.frozen(kw_only=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    persistence: str = attrs.field(default="sqlalchemy", validator=_check_persistence)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        database_url: str | None = None,
        persistence: str | None = None,
    ) -> Settings:
        """Explicit arguments win, then the environment, then the defaults."""
        env = os.environ if environ is None else environ
        return cls(
            database_url=database_url or env.get("NEXUS_DATABASE_URL") or DEFAULT_DATABASE_URL,
            persistence=persistence or env.get("NEXUS_PERSISTENCE") or "sqlalchemy",
        )
