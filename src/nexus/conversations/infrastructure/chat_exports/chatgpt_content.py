"""Where a ChatGPT message keeps its text, by `content_type`; images and files become references."""

from __future__ import annotations

from typing import Any

from nexus.conversations.infrastructure.chat_exports.values import as_text

#: content types that are never shown as a message (custom instructions, saved memory context).
PRIVATE_CONTENT_TYPES = frozenset({"user_editable_context", "model_editable_context"})

_POINTER_KINDS = {
    "image_asset_pointer": "image",
    "audio_asset_pointer": "audio",
    "real_time_user_audio_video_asset_pointer": "audio_video",
    "video_container_asset_pointer": "video",
}
_REFERENCE_KEYS = ("asset_pointer", "size_bytes", "width", "height", "format", "mime_type")


def _join(pieces: list[str]) -> str:
    return "\n\n".join(piece for piece in pieces if piece.strip())


def _part_reference(part: dict[str, Any]) -> dict[str, Any]:
    kind = part.get("content_type")
    reference: dict[str, Any] = {"kind": _POINTER_KINDS.get(str(kind), str(kind or "object"))}
    reference.update({key: part[key] for key in _REFERENCE_KEYS if key in part})
    return reference


def _parts(content: dict[str, Any], references: list[dict[str, Any]]) -> str:
    """Strings of `parts` are text; an audio transcription is text; other objects are references."""
    pieces: list[str] = []
    parts = content.get("parts")
    for part in parts if isinstance(parts, list) else ():
        if isinstance(part, str):
            pieces.append(part)
        elif isinstance(part, dict):
            if part.get("content_type") == "audio_transcription" and isinstance(
                part.get("text"), str
            ):
                pieces.append(part["text"])
            else:
                references.append(_part_reference(part))
    return _join(pieces)


def _thoughts(content: dict[str, Any]) -> str:
    """Reasoning summaries: each thought's summary, then its content when it says more."""
    pieces: list[str] = []
    thoughts = content.get("thoughts")
    for thought in thoughts if isinstance(thoughts, list) else ():
        if not isinstance(thought, dict):
            continue
        summary, body = as_text(thought.get("summary")), as_text(thought.get("content"))
        said = [summary] if summary else []
        if body and body != summary:
            said.append(body)
        pieces.append("\n".join(said))
    return _join(pieces)


def _first_text(content: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = content.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def message_text(content: dict[str, Any], references: list[dict[str, Any]]) -> str:
    """The text of a message's `content` object; media references are appended to `references`."""
    kind = content.get("content_type")
    if kind in ("text", "multimodal_text"):
        return _parts(content, references)
    if kind == "thoughts":
        return _thoughts(content)
    if kind == "reasoning_recap":
        return _first_text(content, "content")
    if kind == "tether_browsing_display":
        return _first_text(content, "result", "summary")
    if kind in ("code", "execution_output", "tether_quote", "system_error", "sonic_webpage"):
        return _first_text(content, "text", "snippet")
    # an unknown type: the usual places, strings only (never str() of an object)
    return _first_text(content, "text", "result", "content") or _parts(content, references)


def attachment_references(metadata: dict[str, Any]) -> list[dict[str, Any]]:
    """Files the user attached (`metadata.attachments`), as references without their bytes."""
    found = metadata.get("attachments")
    references: list[dict[str, Any]] = []
    for item in found if isinstance(found, list) else ():
        if isinstance(item, dict):
            reference: dict[str, Any] = {"kind": "file"}
            for key in ("id", "name", "size", "mime_type", "file_token_size"):
                if key in item:
                    reference[key] = item[key]
            references.append(reference)
    return references
