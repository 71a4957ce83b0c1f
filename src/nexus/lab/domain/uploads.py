"""An upload log row: one export attempt of a session to one destination."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from nexus.lab.domain.ids import UploadLogId, new_upload_log_id
from nexus.lab.domain.session_log import SESSION_IDENTIFIER_MAX_LENGTH
from nexus.lab.domain.timestamps import fixed_offset
from nexus.shared.entity import Entity, boolean, text
from nexus.shared.errors import ValidationError
from nexus.shared.values import check_json

METADATA_MAX_BYTES = 64 * 1024
METADATA_MAX_DEPTH = 64


def _timestamp(value: object) -> datetime:
    return fixed_offset(value, field="upload_log.timestamp")


def check_metadata(_instance: Any, _attribute: Any, value: Any) -> None:
    """A JSON object (NexusLIMS keeps an unvalidated JSON string; ours is checked)."""
    field = "upload_log.metadata"
    if value is None:
        return
    if not isinstance(value, dict):
        raise ValidationError(field, "must be a JSON object", value=value)
    check_json(value, field, max_depth=METADATA_MAX_DEPTH)
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
