"""Knowledge's value rules: JSON objects a column can store exactly, and bounded names."""

from __future__ import annotations

import math
from typing import Any

import attrs

from nexus.shared.entity import text
from nexus.shared.errors import ValidationError
from nexus.shared.rules import field_label

NAME_MAX_LENGTH = 255
MAX_JSON_DEPTH = 64


def check_json_value(field: str, value: Any) -> None:
    """Refuse what a JSON column cannot hold exactly: NaN/Infinity, NUL, non-text keys, lone
    surrogates, other Python types, nesting deeper than MAX_JSON_DEPTH (iterative)."""
    stack: list[tuple[str, Any, int]] = [(field, value, 0)]
    while stack:
        where, item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ValidationError(field, f"must nest at most {MAX_JSON_DEPTH} levels")
        if item is None or isinstance(item, bool | int):
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                raise ValidationError(where, "must be a finite number (JSON has no NaN/Infinity)")
        elif isinstance(item, str):
            _check_string(where, item)
        elif isinstance(item, list):
            stack.extend((f"{where}[{i}]", v, depth + 1) for i, v in enumerate(item))
        elif isinstance(item, dict):
            for name, element in item.items():
                if not isinstance(name, str):
                    raise ValidationError(where, "object keys must be text")
                _check_string(f"{where} key", name)
                stack.append((f"{where}.{name}", element, depth + 1))
        else:
            raise ValidationError(where, f"must be a JSON value, not {type(item).__name__}")


def _check_string(where: str, value: str) -> None:
    if "\x00" in value:
        raise ValidationError(where, "must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(where, "must not contain lone surrogates") from None


def json_object(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An attrs validator: a JSON object (dict) a column can store exactly."""
    field = field_label(instance, attribute)
    if not isinstance(value, dict):
        raise ValidationError(field, f"must be a JSON object, not {type(value).__name__}")
    check_json_value(field, value)


def name_field(max_length: int = NAME_MAX_LENGTH) -> Any:
    return attrs.field(validator=text(min_length=1, max_length=max_length))
