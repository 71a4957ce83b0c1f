"""Workspaces' value rules: URL paths, long text, and the one way entities apply edits."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

import attrs

from nexus.shared.entity import text
from nexus.shared.errors import ValidationError
from nexus.shared.rules import field_label, http_url

NAME_MAX_LENGTH = 255
# Text columns (descriptions, prompts): bounded so the domain, not the database, says "too long".
TEXT_MAX_LENGTH = 100_000
PATH_MAX_LENGTH = 255

# An absolute URL path (RFC 3986 path characters), optionally with a query: `/api/tags`.
_URL_PATH = re.compile(r"/[A-Za-z0-9\-._~!$&*+,;=:@%/?]*")


def required_name() -> Any:
    """A required, non-blank name of at most 255 characters."""
    return attrs.field(validator=text(min_length=1, max_length=NAME_MAX_LENGTH))


def optional_text(max_length: int = TEXT_MAX_LENGTH) -> Any:
    return attrs.field(default=None, validator=text(max_length=max_length, optional=True))


def url_path(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or len(value) > PATH_MAX_LENGTH or not _URL_PATH.fullmatch(value):
        raise ValidationError(
            field_label(instance, attribute),
            f"must be a URL path starting with / of at most {PATH_MAX_LENGTH} characters "
            "(no spaces, quotes or brackets)",
            value=value,
        )


def required_url(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A required http or https URL."""
    if value is None:
        raise ValidationError(field_label(instance, attribute), "is required")
    http_url(instance, attribute, value)


class Timestamped(Protocol):
    updated_at: datetime


def apply_changes(
    entity: Timestamped, changes: Mapping[str, Any], editable: Iterable[str], now: datetime
) -> list[str]:
    """Set only the fields given (None clears an optional one), refusing fields outside
    `editable`. See `assign`."""
    label = getattr(type(entity), "__label__", type(entity).__name__)
    unknown = sorted(set(changes) - set(editable))
    if unknown:
        raise ValidationError(f"{label}.{unknown[0]}", "is not a field that can be changed")
    return assign(entity, changes, now)


def assign(entity: Timestamped, changes: Mapping[str, Any], now: datetime) -> list[str]:
    """Every value is validated before any is applied, so a bad one changes nothing. Returns
    the fields whose value changed, and touches `updated_at` when one did."""
    candidate = attrs.evolve(entity, **changes)  # type: ignore[misc]
    changed = [f for f in changes if getattr(candidate, f) != getattr(entity, f)]
    for field in changed:
        setattr(entity, field, getattr(candidate, field))
    if changed:
        entity.updated_at = now
    return changed


class Switchable:
    """enable/disable for entities with `enabled` and `updated_at`."""

    enabled: bool
    updated_at: datetime

    def enable(self, now: datetime) -> bool:
        return self._switch(True, now)

    def disable(self, now: datetime) -> bool:
        return self._switch(False, now)

    def set_enabled(self, enabled: bool, now: datetime) -> bool:
        return self._switch(enabled, now)

    def _switch(self, enabled: bool, now: datetime) -> bool:
        """Returns whether anything changed (enabling an enabled row is a no-op)."""
        if self.enabled is enabled:
            return False
        self.enabled = enabled
        self.updated_at = now
        return True
