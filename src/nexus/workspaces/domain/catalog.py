"""The model catalog (global): served values, the source's last values, and user overrides
that a later source listing never overwrites."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from nexus.shared.entity import Entity, aware_datetime, integer, text
from nexus.shared.errors import ValidationError
from nexus.workspaces.domain.rules import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, assign

# The fields a source provides and a user may override.
CATALOG_FIELDS = ("name", "description", "image", "context_window")
CANONICAL_ID_MAX_LENGTH = 255
IMAGE_MAX_LENGTH = 2048


def _window(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        integer(minimum=1, maximum=2**31 - 1)(instance, attribute, value)


def _overrides(value: object) -> tuple[str, ...]:
    """Sorted, without duplicates; only catalog field names."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError("model_catalog.overridden_fields", "must be a list of field names")
    fields = set(value)
    unknown = sorted(str(f) for f in fields - set(CATALOG_FIELDS))
    if unknown:
        raise ValidationError(
            "model_catalog.overridden_fields",
            f"must name only {', '.join(CATALOG_FIELDS)} (not {unknown[0]!r})",
        )
    return tuple(sorted(fields))


def _catalog_field(field: str) -> str:
    if field not in CATALOG_FIELDS:
        raise ValidationError("model_catalog.field", f"must be one of {', '.join(CATALOG_FIELDS)}")
    return field


@attrs.frozen(kw_only=True)
class CatalogSource:
    """One model as the source lists it."""

    canonical_id: str
    name: str
    description: str | None = None
    image: str | None = None
    context_window: int | None = None


@attrs.define(kw_only=True)
class ModelCatalogEntry(Entity):
    """A model of the catalog; `canonical_id` is its natural key."""

    __label__ = "model_catalog"

    canonical_id: str = attrs.field(
        validator=text(min_length=1, max_length=CANONICAL_ID_MAX_LENGTH, strip_check=True)
    )
    name: str = attrs.field(validator=text(min_length=1, max_length=NAME_MAX_LENGTH))
    description: str | None = attrs.field(
        default=None, validator=text(max_length=TEXT_MAX_LENGTH, optional=True)
    )
    image: str | None = attrs.field(
        default=None, validator=text(max_length=IMAGE_MAX_LENGTH, optional=True)
    )
    context_window: int | None = attrs.field(default=None, validator=_window)
    source_name: str | None = attrs.field(
        default=None, validator=text(min_length=1, max_length=NAME_MAX_LENGTH, optional=True)
    )
    source_description: str | None = attrs.field(
        default=None, validator=text(max_length=TEXT_MAX_LENGTH, optional=True)
    )
    source_image: str | None = attrs.field(
        default=None, validator=text(max_length=IMAGE_MAX_LENGTH, optional=True)
    )
    source_context_window: int | None = attrs.field(default=None, validator=_window)
    overridden_fields: tuple[str, ...] = attrs.field(default=(), converter=_overrides)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())

    @classmethod
    def from_source(cls, source: CatalogSource, now: datetime) -> ModelCatalogEntry:
        values = {f: getattr(source, f) for f in CATALOG_FIELDS}
        return cls(
            canonical_id=source.canonical_id,
            **values,
            **{f"source_{f}": v for f, v in values.items()},
            created_at=now,
            updated_at=now,
        )

    def apply_source(self, source: CatalogSource, now: datetime) -> bool:
        """Record the source's values; served fields take them unless the user overrode them.
        Everything is validated before anything changes. Returns whether anything changed."""
        if source.canonical_id != self.canonical_id:
            raise ValidationError("model_catalog.canonical_id", "must be the entry's own")
        changes: dict[str, Any] = {}
        for field in CATALOG_FIELDS:
            value = getattr(source, field)
            changes[f"source_{field}"] = value
            if field not in self.overridden_fields:
                changes[field] = value
        return bool(assign(self, changes, now))

    def override(self, field: str, value: Any, now: datetime) -> None:
        """A user's value for a field; later source listings leave it alone."""
        field = _catalog_field(field)
        setattr(self, field, value)
        self.overridden_fields = (*self.overridden_fields, field)
        self.updated_at = now

    def clear_override(self, field: str, now: datetime) -> None:
        """Back to the source's last value, which later listings update again."""
        field = _catalog_field(field)
        if field in self.overridden_fields:
            source = getattr(self, f"source_{field}")
            if field == "name" and source is None:
                raise ValidationError("model_catalog.name", "has no source value to go back to")
            setattr(self, field, source)
            self.overridden_fields = tuple(f for f in self.overridden_fields if f != field)
            self.updated_at = now


def upsert(
    existing: ModelCatalogEntry | None, source: CatalogSource, now: datetime
) -> tuple[ModelCatalogEntry, bool]:
    """Merge one source listing: a new entry, or the existing one updated without touching any
    field the user overrode. Returns the entry and whether it is new or changed (to save)."""
    if existing is None:
        return ModelCatalogEntry.from_source(source, now), True
    return existing, existing.apply_source(source, now)
