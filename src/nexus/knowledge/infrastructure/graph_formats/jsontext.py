"""Reading graph files: UTF-8 text, and strict JSON (no NaN/Infinity, no duplicate keys)."""

from __future__ import annotations

import json
from typing import Any

from nexus.shared.errors import ValidationError


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r} in an object")
        result[key] = value
    return result


def decode_text(data: str | bytes, field: str) -> str:
    """Text as is; bytes decoded as UTF-8 (a BOM is dropped)."""
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(field, f"not UTF-8 text (byte {error.start})") from None
    if not isinstance(data, str):
        raise ValidationError(field, f"must be text or bytes, not {type(data).__name__}")
    return data


def parse_json(data: str | bytes, field: str) -> Any:
    """The document `data` as Python values; every failure is a ValidationError on `field`."""
    text = decode_text(data, field)
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        raise ValidationError(
            field, f"not JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except ValueError as error:
        raise ValidationError(field, f"not JSON: {error}") from None
    except RecursionError:
        raise ValidationError(field, "not JSON this parser can read: nested too deeply") from None


def dump_json(value: Any) -> str:
    """Compact JSON keeping Unicode as is (values are checked before they get here)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
