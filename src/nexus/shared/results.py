"""What every result DTO shares: built from an entity's fields of the same names, and a
JSON-ready dict (ids and instants as strings, enums as their values)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Any, Self

import attrs


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Result):
        return value.to_json()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


class Result:
    """Base of `@attrs.frozen` result classes. Results are plain values: never ORM records, and
    never a secret except in the result of the call that created it."""

    __slots__ = ()

    @classmethod
    def from_entity(cls, entity: object, **overrides: Any) -> Self:
        """Each field from the entity's attribute (or property) of the same name, unless
        `overrides` gives it."""
        names = [f.name for f in attrs.fields(cls)]  # type: ignore[arg-type]
        return cls(**{n: overrides[n] if n in overrides else getattr(entity, n) for n in names})

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        fields = attrs.fields(type(self))  # type: ignore[arg-type]
        return {f.name: to_jsonable(getattr(self, f.name)) for f in fields}
