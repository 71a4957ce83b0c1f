"""Recognise an export by its content: the JSON shape of a file and whose conversations it holds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any, Literal

import ijson

from nexus.conversations.infrastructure.chat_exports.values import ExportSource

Shape = Literal["array", "wrapped", "single"]
#: where the conversation objects are, per shape, as an ijson prefix
ITEM_PREFIX: dict[Shape, str] = {"array": "item", "wrapped": "conversations.item", "single": ""}

_DECISIVE: dict[str, ExportSource] = {"mapping": "chatgpt", "chat_messages": "claude"}
_CHATGPT_HINTS = frozenset({"current_node", "conversation_id"})
_ITEMS_LOOKED_AT = 20

Event = tuple[str, str, Any]


class NotAnExport(Exception):  # noqa: N818 - internal signal, turned into a ValidationError
    """The content is not a chat export; the message says which rule it broke."""


def _scan_items(
    events: Iterator[Event], array: str, prefix: str
) -> tuple[ExportSource | None, int]:
    """Whose conversations the array holds (None if it cannot tell), and how many items were seen.

    `array` is the ijson prefix of the array, `prefix` the prefix of its items.
    """
    items = 0
    hinted: ExportSource | None = None
    for where, event, value in events:
        if where == prefix and event == "start_map":
            items += 1
            if items > _ITEMS_LOOKED_AT:
                break
        elif where == prefix and event == "map_key":
            if value in _DECISIVE:
                return _DECISIVE[value], items
            if value in _CHATGPT_HINTS:
                hinted = "chatgpt"
        elif where == array and event == "end_array":
            break
    return hinted, items


def sniff(stream: IO[bytes]) -> tuple[Shape, ExportSource | None]:
    """The shape of the JSON in `stream` and whose export it looks like (None: no conversation)."""
    events: Iterator[Event] = iter(ijson.parse(stream, use_float=True))
    first = next(events, None)
    if first is None:
        raise NotAnExport("empty file")
    if first[1] == "start_array":
        source, items = _scan_items(events, "", "item")
        if source is None and items:
            raise NotAnExport("its objects have neither `mapping` nor `chat_messages`")
        return "array", source
    if first[1] != "start_map":
        raise NotAnExport("the JSON is neither a list of conversations nor a conversation")
    hinted: ExportSource | None = None
    for where, event, value in events:
        if where != "" or event != "map_key":
            continue
        if value == "conversations" and next(events, ("", "", None))[1] == "start_array":
            source, items = _scan_items(events, "conversations", "conversations.item")
            if source is None and items:
                raise NotAnExport("its conversations have neither `mapping` nor `chat_messages`")
            return "wrapped", source
        if value in _DECISIVE:
            return "single", _DECISIVE[value]
        if value in _CHATGPT_HINTS:
            hinted = "chatgpt"
    if hinted is None:
        raise NotAnExport("the object has neither `mapping` nor `chat_messages`")
    return "single", hinted
