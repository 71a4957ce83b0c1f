"""An upload log row: one export attempt of a session to one destination."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from nexus.lab.domain.ids import UploadLogId, new_upload_log_id
from nexus.lab.domain.session_log import SESSION_IDENTIFIER_MAX_LENGTH
from nexus.lab.domain.timestamps import fixed_offset
from nexus.shared.entity import Entity, boolean, text
from nexus.shared.errors import ValidationError

METADATA_MAX_BYTES = 64 * 1024
METADATA_MAX_DEPTH = 64


def _timestamp(value: object) -> datetime:
    return fixed_offset(value, field="upload_log.timestamp")


def _check_json_value(document: Any, path: str) -> None:
    """Every value JSON can hold, finite numbers, text keys, no NUL, at most METADATA_MAX_DEPTH
    levels of nesting. Iterative: a deeply nested value is a ValidationError, never a
    RecursionError."""
    stack: list[tuple[Any, str, int]] = [(document, path, 1)]
    while stack:
        value, where, depth = stack.pop()
        if value is None or isinstance(value, bool | int | str):
            if isinstance(value, str) and "\x00" in value:
                raise ValidationError(where, "must not contain NUL characters")
            continue
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValidationError(where, "must be a finite number (JSON has no NaN)")
            continue
        if not isinstance(value, list | dict):
            raise ValidationError(where, f"must be JSON (not {type(value).__name__})")
        if depth > METADATA_MAX_DEPTH:
            raise ValidationError(path, f"must be nested at most {METADATA_MAX_DEPTH} levels deep")
        children: list[tuple[Any, str, int]] = []
        if isinstance(value, list):
            children = [(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value)]
        else:
            for key, item in value.items():
                if not isinstance(key, str) or "\x00" in key:
                    raise ValidationError(where, "keys must be text without NUL characters")
                children.append((item, f"{where}.{key}", depth + 1))
        stack.extend(reversed(children))  # first child checked first, as it reads


def check_metadata(_instance: Any, _attribute: Any, value: Any) -> None:
    """A JSON object (NexusLIMS keeps an unvalidated JSON string; ours is checked)."""
    field = "upload_log.metadata"
    if value is None:
        return
    if not isinstance(value, dict):
        raise ValidationError(field, "must be a JSON object", value=value)
    _check_json_value(value, field)
    if len(json.dumps(value, ensure_ascii=False).encode()) > METADATA_MAX_BYTES:
        raise ValidationError(field, f"must be at most {METADATA_MAX_BYTES} bytes of JSON")


@attrs.define(kw_only=True)
class UploadLogEntry(Entity):
    __label__ = "upload_log"

    id: UploadLogId = attrs.field(factory=new_upload_log_id)
    session_identifier: str = attrs.field(
        validator=text(min_length=1, max_length=SESSION_IDENTIFIER_MAX_LENGTH)
    )
    destination_name: str = attrs.field(
        validator=text(min_length=1, max_length=100, strip_check=True)
    )
    success: bool = attrs.field(validator=boolean)
    timestamp: datetime = attrs.field(converter=_timestamp)
    record_id: str | None = attrs.field(default=None, validator=text(max_length=255, optional=True))
    record_url: str | None = attrs.field(
        default=None, validator=text(max_length=500, optional=True)
    )
    error_message: str | None = attrs.field(
        default=None, validator=text(max_length=100_000, optional=True)
    )
    metadata: dict[str, Any] | None = attrs.field(default=None, validator=check_metadata)


def destination_names(destinations: Iterable[str]) -> set[str]:
    """The destinations a session must have reached. No destinations is a caller's mistake, not
    'exported' (an empty configuration would mark every session exported); so is one bare
    string, which would otherwise be taken letter by letter (`"cdcs"` -> c, d, s)."""
    if isinstance(destinations, str | bytes):
        raise ValidationError(
            "destinations",
            "must be a collection of destination names, not one string (write ['cdcs'])",
            value=destinations,
        )
    wanted = set(destinations)
    if not wanted:
        raise ValidationError("destinations", "must name at least one destination")
    return wanted


def is_exported(successful: Iterable[str], destinations: Iterable[str]) -> bool:
    """Exported only when every configured destination has a successful upload (NexusLIMS once
    called a partial export complete)."""
    return destination_names(destinations) <= set(successful)
