"""The entity base and the attrs validators every entity uses to hold its invariants."""

from __future__ import annotations

import copy
import enum
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Self, TypeVar

import attrs

from nexus.shared.errors import ValidationError
from nexus.shared.values import INT64_MAX, INT64_MIN, check_datetime, check_int64, check_text

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


@attrs.define(kw_only=True)
class Entity:
    """Base of every entity. Subclasses are `@attrs.define(kw_only=True)` classes whose
    validators run on construction and on every assignment, so an invalid entity cannot exist."""

    def copy(self) -> Self:
        """A deep copy: what in-memory repositories store and hand out, so a caller editing a
        nested value (a JSON dict) in place never changes committed state."""
        return copy.deepcopy(self)


def _encodes(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _name(instance: Any, attribute: attrs.Attribute[Any]) -> str:
    table = getattr(type(instance), "__label__", type(instance).__name__)
    return f"{table}.{attribute.name}"


def text(
    *,
    max_length: int,
    min_length: int = 0,
    pattern: str | None = None,
    rule: str | None = None,
    optional: bool = False,
    strip_check: bool = False,
) -> Validator:
    """A string of bounded length, optionally matching a regular expression."""
    compiled = re.compile(pattern) if pattern else None

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        # The common case (valid text, or None where allowed) is checked first, with the
        # field's name built only for an error: validators run for every field of every row.
        if value is None:
            if optional:
                return
        elif (
            type(value) is str
            and min_length <= len(value) <= max_length
            and not strip_check
            and (min_length == 0 or not value.isspace())
            and (compiled is None or compiled.fullmatch(value) is not None)
            and ("\x00" not in value)
            and (value.isascii() or _encodes(value))
        ):
            return
        _refuse(instance, attribute, value)

    def _refuse(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        name = _name(instance, attribute)
        if value is None:
            raise ValidationError(name, "is required")
        if not isinstance(value, str):
            raise ValidationError(name, "must be text", value=value)
        if "\x00" in value:
            raise ValidationError(name, "must not contain NUL characters")
        if strip_check and value.strip() != value:
            raise ValidationError(name, "must not start or end with spaces")
        if len(value) < min_length:
            what = (
                "must not be empty"
                if min_length == 1
                else f"must be at least {min_length} characters"
            )
            raise ValidationError(name, what)
        if min_length >= 1 and not value.strip():
            raise ValidationError(name, "must not be blank")
        if len(value) > max_length:
            raise ValidationError(name, f"must be at most {max_length} characters")
        check_text(value, name)
        if compiled is not None and not compiled.fullmatch(value):
            raise ValidationError(name, rule or f"must match {pattern}", value=value)

    return validate


def aware_datetime(*, optional: bool = False) -> Validator:
    """A timezone-aware datetime; naive values are refused with a clear error."""

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if type(value) is datetime and value.tzinfo is UTC:
            return  # an instant in UTC (the common case) exists and is aware
        name = _name(instance, attribute)
        if value is None:
            raise ValidationError(name, "is required")
        if not isinstance(value, datetime):
            raise ValidationError(name, "must be a datetime", value=value)
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(name, "must be timezone-aware (naive datetimes are refused)")
        check_datetime(value, name)

    return validate


def integer(*, minimum: int | None = None, maximum: int | None = None) -> Validator:
    low = INT64_MIN if minimum is None else max(minimum, INT64_MIN)
    high = INT64_MAX if maximum is None else min(maximum, INT64_MAX)

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is int and low <= value <= high:
            return  # the common case, without building the field's name
        name = _name(instance, attribute)
        check_int64(value, name)
        if minimum is not None and value < minimum:
            raise ValidationError(name, f"must be at least {minimum}", value=value)
        if maximum is not None and value > maximum:
            raise ValidationError(name, f"must be at most {maximum}", value=value)

    return validate


def boolean(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise ValidationError(_name(instance, attribute), "must be true or false", value=value)


def one_of(choices: Iterable[str], *, optional: bool = False) -> Validator:
    allowed = tuple(choices)

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if value not in allowed:
            raise ValidationError(
                _name(instance, attribute), f"must be one of {', '.join(allowed)}", value=value
            )

    return validate


EnumT = TypeVar("EnumT", bound=enum.Enum)


def to_enum(enum_cls: type[EnumT], field: str, value: object) -> EnumT:
    """`value` as a member of `enum_cls`, or a ValidationError naming `field` and the choices."""
    if isinstance(value, enum_cls):
        return value
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum_cls)
        raise ValidationError(field, f"must be one of {allowed}", value=value) from None


def enum_converter(enum_cls: type[Any], field: str) -> Callable[[Any], Any]:
    """An attrs converter turning a string into `enum_cls`, refusing unknown values clearly."""

    def convert(value: Any) -> Any:
        return to_enum(enum_cls, field, value)

    return convert


NORMALISING = "__nexus_normalising__"
F = TypeVar("F", bound=Callable[..., Any])


def normalising(converter: F) -> F:
    """Mark a field converter that only puts text in its normal form (idempotent, same type in
    and out, e.g. trimming and lower-casing an email): a stored value already is in that form,
    so the mapper does not run it again when it loads a row."""
    setattr(converter, NORMALISING, True)
    return converter
