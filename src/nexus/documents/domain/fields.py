"""Validators shared by the exhibit entity and its input record, so a rule is written once."""

from __future__ import annotations

from typing import Any

import attrs

from nexus.shared.entity import Validator, aware_datetime, integer, text
from nexus.shared.errors import ValidationError

SHORT = text(max_length=255, optional=True)
STAMP = text(max_length=50, optional=True, strip_check=True)
LONG = text(max_length=1_000_000, optional=True)
MESSAGE_ID = text(max_length=998, optional=True)
EXTENSION = text(
    max_length=32, optional=True, pattern=r"[^\s/\\]*", rule="must be a bare extension"
)
WHEN = aware_datetime(optional=True)


def hex_digest(length: int) -> Validator:
    """An optional lowercase hex digest of `length` characters (callers lower-case first)."""

    check = text(
        max_length=length, pattern=f"[0-9a-f]{{{length}}}", rule=f"must be {length} hex digits"
    )

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            check(instance, attribute, value)

    return validate


def lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


_COUNT = integer(minimum=0, maximum=2**31 - 1)
_SIZE = integer(minimum=0, maximum=2**63 - 1)


def optional_count(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _COUNT(instance, attribute, value)


def optional_size(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _SIZE(instance, attribute, value)


def require(condition: bool, field: str, rule: str) -> None:
    if not condition:
        raise ValidationError(field, rule)


MD5 = hex_digest(32)
SHA256 = hex_digest(64)
