"""The value checks every engine needs, in one place: text that UTF-8 can encode, 64-bit
integers, instants that exist in UTC, JSON of bounded depth, paths, and pages."""

from __future__ import annotations

import math
import os
from datetime import UTC, datetime
from typing import Any

from nexus.shared.errors import ValidationError

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
JSON_MAX_DEPTH = 64
PAGE_MAX = 10_000


def check_text(value: str, field: str) -> None:
    """Text every engine stores and every terminal encodes: no NUL, no lone surrogate."""
    if "\x00" in value:
        raise ValidationError(field, "must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            field, "must be valid Unicode text (no lone surrogate characters)"
        ) from None


def check_int64(value: Any, field: str) -> int:
    """An integer (not a bool) that fits a 64-bit column."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, "must be an integer", value=value)
    if not INT64_MIN <= value <= INT64_MAX:
        raise ValidationError(field, "must fit in 64 bits (between -2^63 and 2^63-1)")
    return value


def check_datetime(value: Any, field: str) -> datetime:
    """A datetime whose instant exists in UTC when it is aware (a wall clock at the calendar's
    edge in a far offset has none: converting it would overflow on every engine)."""
    if not isinstance(value, datetime):
        raise ValidationError(field, "must be a datetime", value=value)
    if value.tzinfo is not None and value.utcoffset() is not None:
        try:
            value.astimezone(UTC)
        except OverflowError:
            raise ValidationError(
                field, "must fall between the years 1 and 9999 in UTC", value=value
            ) from None
    return value


def check_path(value: Any, field: str) -> str:
    """A filesystem path as text (a str or an os.PathLike giving one), no NUL."""
    if not isinstance(value, str | os.PathLike):
        raise ValidationError(field, "must be a path", value=value)
    path = os.fspath(value)
    if not isinstance(path, str):
        raise ValidationError(field, "must be a path given as text")
    if not path.strip():
        raise ValidationError(field, "must not be empty")
    check_text(path, field)
    return path


def check_json(document: Any, field: str, *, max_depth: int = JSON_MAX_DEPTH) -> None:
    """Every value JSON can hold: finite numbers, 64-bit integers, text keys, storable text,
    at most `max_depth` levels of nesting. Iterative: a deeply nested value is a
    ValidationError, never a RecursionError."""
    stack: list[tuple[Any, str, int]] = [(document, field, 1)]
    while stack:
        value, where, depth = stack.pop()
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, str):
            check_text(value, where)
            continue
        if isinstance(value, int):
            check_int64(value, where)
            continue
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValidationError(where, "must be a finite number (JSON has no NaN)")
            continue
        if not isinstance(value, list | dict):
            raise ValidationError(where, f"must be JSON (not {type(value).__name__})")
        if depth > max_depth:
            raise ValidationError(field, f"must be nested at most {max_depth} levels deep")
        children: list[tuple[Any, str, int]] = []
        if isinstance(value, list):
            children = [(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value)]
        else:
            for key, item in value.items():
                if not isinstance(key, str):
                    raise ValidationError(where, "keys must be text")
                check_text(key, where)
                children.append((item, f"{where}.{key}", depth + 1))
        stack.extend(reversed(children))  # first child checked first, as it reads


def check_page(limit: Any, offset: Any, *, max_limit: int = PAGE_MAX) -> tuple[int, int]:
    """A page of a list: 1 <= limit <= max_limit, 0 <= offset < 2^63."""
    limit = check_int64(limit, "limit")
    offset = check_int64(offset, "offset")
    if not 1 <= limit <= max_limit:
        raise ValidationError("limit", f"must be between 1 and {max_limit}")
    if offset < 0:
        raise ValidationError("offset", "must be 0 or more")
    return limit, offset
