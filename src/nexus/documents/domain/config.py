"""The JSON configuration a case carries (near-dupe and bulk-redaction settings, the fields a
duplicate merges), checked here before anything is written: the seed stores it unvalidated."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from nexus.shared.errors import ValidationError

# The fields Nextpoint merges into the original when a duplicate arrives (its support pages).
MERGEABLE_FIELDS = (
    "mailbox_file",
    "mailbox_path",
    "recipients",
    "cc",
    "root_folder",
    "file_path",
    "shortcut",
    "custodians",
)
DEFAULT_MERGE_FIELDS = list(MERGEABLE_FIELDS)


def _bool(field: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise ValidationError(field, "must be true or false", value=value)


def _percent(field: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(field, "must be a number", value=value)
    if not 0 <= value <= 100:
        raise ValidationError(field, "must be between 0 and 100", value=value)


def _short_text(field: str, value: Any) -> None:
    if not isinstance(value, str) or "\x00" in value or len(value) > 255:
        raise ValidationError(field, "must be text of at most 255 characters", value=value)


def _terms(field: str, value: Any) -> None:
    if not isinstance(value, list) or len(value) > 1000:
        raise ValidationError(field, "must be a list of at most 1000 terms", value=value)
    for i, term in enumerate(value):
        if not isinstance(term, str) or not term.strip() or "\x00" in term or len(term) > 1000:
            raise ValidationError(f"{field}[{i}]", "must be non-blank text of at most 1000 chars")


Check = Callable[[str, Any], None]

NEAR_DUPE_KEYS: Mapping[str, Check] = {
    "enabled": _bool,
    "threshold": _percent,
    "include_attachments": _bool,
}
BULK_REDACTION_KEYS: Mapping[str, Check] = {
    "enabled": _bool,
    "terms": _terms,
    "reason": _short_text,
    "case_sensitive": _bool,
}


def _object(field: str, value: Any, keys: Mapping[str, Check]) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValidationError(field, "must be a JSON object", value=value)
    for key, item in value.items():
        check = keys.get(key) if isinstance(key, str) else None
        if check is None:
            raise ValidationError(field, f"unknown key {key!r} (allowed: {', '.join(keys)})")
        check(f"{field}.{key}", item)
    return dict(value)


def near_dupe_info(value: Any) -> dict[str, Any] | None:
    """`{"enabled": bool, "threshold": 0..100, "include_attachments": bool}`, each optional."""
    return _object("npcases.near_dupe_info", value, NEAR_DUPE_KEYS)


def bulk_redaction_info(value: Any) -> dict[str, Any] | None:
    """`{"enabled": bool, "terms": [text], "reason": text, "case_sensitive": bool}`."""
    return _object("npcases.bulk_redaction_info", value, BULK_REDACTION_KEYS)


def merge_fields(value: Any) -> list[str]:
    """A list of distinct names from MERGEABLE_FIELDS."""
    field = "npcases.dedupe_merge_fields"
    if not isinstance(value, list | tuple):
        raise ValidationError(field, "must be a list of field names", value=value)
    unknown = [v for v in value if v not in MERGEABLE_FIELDS]
    if unknown:
        raise ValidationError(
            field, f"unknown field {unknown[0]!r} (allowed: {', '.join(MERGEABLE_FIELDS)})"
        )
    if len(set(value)) != len(value):
        raise ValidationError(field, "must not name a field twice")
    return list(value)


def choice_options(value: Any, *, required: bool) -> list[str] | None:
    """custom_fields.options: a list of distinct non-blank choices (required for `choice`)."""
    field = "custom_fields.options"
    if value is None:
        if required:
            raise ValidationError(field, "is required for a choice field")
        return None
    if not required:
        raise ValidationError(field, "is only allowed for a choice field")
    if not isinstance(value, list | tuple) or not value or len(value) > 500:
        raise ValidationError(field, "must be a list of 1 to 500 choices", value=value)
    for i, option in enumerate(value):
        if not isinstance(option, str) or not option.strip() or "\x00" in option:
            raise ValidationError(f"{field}[{i}]", "must be non-blank text")
        if len(option) > 255:
            raise ValidationError(f"{field}[{i}]", "must be at most 255 characters")
    if len(set(value)) != len(value):
        raise ValidationError(field, "must not list a choice twice")
    return list(value)
