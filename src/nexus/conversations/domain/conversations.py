"""A conversation and its messages. A message's `position` (1, 2, ...) in its conversation is
its order, so two messages posted in the same instant still come back in the order posted."""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs

from nexus.conversations.domain.ids import (
    ConversationId,
    MessageId,
    new_conversation_id,
    new_message_id,
)
from nexus.shared.entity import Entity, aware_datetime, boolean, enum_converter, integer, text
from nexus.shared.errors import ValidationError
from nexus.shared.ids import UserId, WorkspaceId

DEFAULT_TITLE = "New Conversation"
DEFAULT_AGENT = "aia"
TITLE_MAX = 500
NAME_MAX = 255
EXTERNAL_ID_MAX = 255
METADATA_MAX_DEPTH = 32


class MessageRole(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"
    SYSTEM = "system"
    TOOL = "tool"


class ExportSource(StrEnum):
    """Where an imported conversation came from (its `external_id` is that source's id)."""

    CHATGPT = "chatgpt"
    CLAUDE = "claude"


def _check_json(value: Any, where: str, depth: int = 0) -> None:
    if depth > METADATA_MAX_DEPTH:
        raise ValidationError(where, f"must nest at most {METADATA_MAX_DEPTH} levels")
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationError(where, "must not contain NUL characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or "\x00" in key:
                raise ValidationError(where, "keys must be text without NUL characters")
            _check_json(item, where, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_json(item, where, depth + 1)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(where, "must be a finite number (JSON has no NaN)")
    elif value is not None and not isinstance(value, bool | int):
        raise ValidationError(where, f"must be JSON (not {type(value).__name__})")


def json_object(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    where = f"{type(instance).__label__}.{attribute.name.rstrip('_')}"
    if not isinstance(value, dict):
        raise ValidationError(where, "must be a JSON object", value=value)
    _check_json(value, where)


_to_role = enum_converter(MessageRole, "messages.role")
_to_source = enum_converter(ExportSource, "conversations.external_source")


def message_role(value: object) -> MessageRole:
    role: MessageRole = _to_role(value)
    return role


def export_source(value: object) -> ExportSource | None:
    source: ExportSource | None = None if value is None else _to_source(value)
    return source


def _optional_name() -> Any:
    return attrs.field(default=None, validator=text(max_length=NAME_MAX, optional=True))


@attrs.define(kw_only=True)
class Conversation(Entity):
    """A user's conversation in a workspace. `message_count` is the last message's position
    (posting takes the next one); `external_source`/`external_id` identify an imported one."""

    __label__ = "conversations"

    id: ConversationId = attrs.field(factory=new_conversation_id)
    workspace_id: WorkspaceId
    user_id: UserId
    title: str = attrs.field(
        default=DEFAULT_TITLE, validator=text(min_length=1, max_length=TITLE_MAX)
    )
    agent: str = attrs.field(
        default=DEFAULT_AGENT, validator=text(min_length=1, max_length=NAME_MAX)
    )
    pinned: bool = attrs.field(default=False, validator=boolean)
    archived: bool = attrs.field(default=False, validator=boolean)
    message_count: int = attrs.field(default=0, validator=integer(minimum=0))
    external_source: ExportSource | None = attrs.field(
        default=None,
        converter=export_source,
    )
    external_id: str | None = attrs.field(
        default=None, validator=text(min_length=1, max_length=EXTERNAL_ID_MAX, optional=True)
    )
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())

    def rename(self, title: str, now: datetime) -> None:
        self.title = title
        self.updated_at = now

    def pin(self, pinned: bool, now: datetime) -> None:
        self.pinned = pinned
        self.updated_at = now

    def archive(self, archived: bool, now: datetime) -> None:
        self.archived = archived
        self.updated_at = now

    def next_positions(self, count: int, now: datetime) -> range:
        """Positions for `count` new messages, after the last one; activity moves to `now`."""
        first = self.message_count + 1
        self.message_count += count
        if now > self.updated_at:
            self.updated_at = now
        return range(first, first + count)


@attrs.define(kw_only=True)
class Message(Entity):
    """One message of a conversation (of the same workspace: the key says so)."""

    __label__ = "messages"

    id: MessageId = attrs.field(factory=new_message_id)
    workspace_id: WorkspaceId
    conversation_id: ConversationId
    position: int = attrs.field(validator=integer(minimum=1))
    role: MessageRole = attrs.field(converter=message_role)
    content: str = attrs.field(validator=text(max_length=10_000_000))
    agent: str | None = _optional_name()
    metadata_: dict[str, Any] = attrs.field(factory=dict, validator=json_object)
    external_id: str | None = attrs.field(
        default=None, validator=text(min_length=1, max_length=EXTERNAL_ID_MAX, optional=True)
    )
    created_at: datetime = attrs.field(validator=aware_datetime())


# A message an import writes as a row (no entity per message): its id, conversation, position,
# role, content, metadata, external id and time, checked by `imported_message`.
NewMessage = tuple[
    MessageId, ConversationId, int, MessageRole, str, dict[str, Any], str | None, datetime
]

_ROLES = {role.value: role for role in MessageRole}
_FIELDS = attrs.fields(Message)
# What `Message(...)` checks of the values an import brings, with the same validators (and so
# the same errors): `_PROBE` (never initialised) only names the table in their messages.
_PROBE: Message = object.__new__(Message)
_POSITION, _CONTENT, _METADATA, _EXTERNAL_ID, _CREATED_AT = (
    getattr(_FIELDS, name)
    for name in ("position", "content", "metadata_", "external_id", "created_at")
)


def imported_message(
    conversation_id: ConversationId,
    position: int,
    role: object,
    content: str,
    metadata: dict[str, Any],
    external_id: str | None,
    created_at: datetime,
) -> NewMessage:
    """A new message of an import, checked as `Message(...)` checks it (same rules, same
    errors), without building one: a bulk import writes each message once, as a row."""
    found = _ROLES.get(role) if type(role) is str else None
    checked = found if found is not None else message_role(role)
    _POSITION.validator(_PROBE, _POSITION, position)
    _CONTENT.validator(_PROBE, _CONTENT, content)
    _METADATA.validator(_PROBE, _METADATA, metadata)
    _EXTERNAL_ID.validator(_PROBE, _EXTERNAL_ID, external_id)
    _CREATED_AT.validator(_PROBE, _CREATED_AT, created_at)
    return (
        new_message_id(),
        conversation_id,
        position,
        checked,
        content,
        metadata,
        external_id,
        created_at,
    )
