"""What every result DTO shares: built from an entity's fields of the same names, and a
JSON-ready dict (ids and instants as strings, enums as their values)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
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


_BUILDERS: dict[type[Any], Callable[..., Any]] = {}


def _compile_builder(cls: type[Any]) -> Callable[..., Any]:
    """`from_entity(c, entity, **overrides)` for `cls`: the class called with each field read
    straight from the entity, or from `overrides` when it names any field. Installed on `cls`
    itself after its first use, so a call is one function call, as a hand-written one is."""
    names = [f.name for f in attrs.fields(cls) if f.init]
    fast = ", ".join(f"{n}=e.{n}" for n in names)
    slow = ", ".join(f"{n}=o[{n!r}] if {n!r} in o else e.{n}" for n in names)
    source = (
        "def from_entity(c, e, **o):\n"
        "    if c is not cls:\n"  # a subclass inheriting the installed method: its own
        "        return generic(c, e, **o)\n"
        f"    if o:\n        return cls({slow})\n    return cls({fast})\n"
    )
    namespace: dict[str, Any] = {"cls": cls, "generic": _from_entity}
    exec(compile(source, f"<from_entity {cls.__name__}>", "exec"), namespace)  # noqa: S102
    return namespace["from_entity"]  # type: ignore[no-any-return]


def _from_entity(cls: type[Any], entity: object, **overrides: Any) -> Any:
    build = _BUILDERS.get(cls)
    if build is None:
        build = _BUILDERS[cls] = _compile_builder(cls)
        if "from_entity" not in cls.__dict__:
            cls.from_entity = classmethod(build)  # later calls go straight to it
    return build(cls, entity, **overrides)


class Result:
    """Base of `@attrs.frozen` result classes. Results are plain values: never ORM records, and
    never a secret except in the result of the call that created it."""

    __slots__ = ()

    @classmethod
    def from_entity(cls, entity: object, **overrides: Any) -> Self:
        """Each field from the entity's attribute (or property) of the same name, unless
        `overrides` gives it. Runs a function compiled once per class (hand-written speed)."""
        return _from_entity(cls, entity, **overrides)  # type: ignore[no-any-return]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of every field."""
        fields = attrs.fields(type(self))  # type: ignore[arg-type]
        return {f.name: to_jsonable(getattr(self, f.name)) for f in fields}
