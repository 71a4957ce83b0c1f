"""Chat-export reader output: parsed conversations and messages, or an error per conversation."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple

import attrs

ExportSource = Literal["chatgpt", "claude"]
MessageRole = Literal["user", "assistant", "tool"]


class ParsedMessage(NamedTuple):
    """One visible message of a thread, `external_id` is stable in its conversation. A named
    tuple (immutable, as a frozen attrs class was): one is made per message of an export, and a
    frozen attrs instance took twice as long to build (~2 µs against ~1)."""

    external_id: str
    role: MessageRole
    text: str
    created_at: datetime | None
    metadata: dict[str, Any]


@attrs.frozen(kw_only=True)
class ParsedConversation:
    """One conversation of an export: its displayed thread and what was left out (in metadata)."""

    index: int
    source: ExportSource
    external_id: str
    title: str | None
    created_at: datetime | None
    updated_at: datetime | None
    messages: tuple[ParsedMessage, ...]
    metadata: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class ConversationError:
    """A conversation that could not be read: its position in the export and why."""

    index: int
    external_id: str | None
    reason: str


class MalformedConversation(Exception):  # noqa: N818 - internal signal, never escapes the package
    """Raised inside a parser; the reader turns it into a ConversationError."""


def as_text(value: object) -> str | None:
    """The value when it is a non-blank string, else None."""
    return value if isinstance(value, str) and value.strip() else None


def as_id(value: object) -> str | None:
    """An identifier: a non-blank string, or an integer written as text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    return as_text(value)


def to_utc(value: object) -> datetime | None:
    """Epoch seconds or an ISO-8601 string as an aware UTC datetime; None when unusable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=UTC)
        try:
            return parsed.astimezone(UTC)
        except (OverflowError, ValueError):
            return None
    return None


def as_object(value: object, what: str) -> dict[str, Any]:
    """The value when it is a JSON object, else the conversation is malformed."""
    if not isinstance(value, dict):
        raise MalformedConversation(f"{what} is not an object")
    return value
