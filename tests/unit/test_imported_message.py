"""`imported_message` (an import's message, written as a row) holds a message to exactly the rules
`Message(...)` does: the same values refused, with the same errors, and no rule of Message left
unchecked."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from nexus.conversations.domain.conversations import Message, MessageRole, imported_message
from nexus.shared.errors import ValidationError

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
GOOD: dict[str, Any] = {
    "position": 1,
    "role": "user",
    "content": "hello",
    "metadata": {"k": [1, 2.5, None, True, "v"]},
    "external_id": "m-1",
    "created_at": NOW,
}
BAD: list[dict[str, Any]] = [
    {"position": 0},
    {"position": "1"},
    {"position": 2**63},
    {"role": "robot"},
    {"role": None},
    {"content": "a\x00b"},
    {"content": "\ud800"},
    {"content": "x" * 10_000_001},
    {"content": None},
    {"metadata": {"k": "\x00"}},
    {"metadata": {"\x00": 1}},
    {"metadata": {"k": float("inf")}},
    {"metadata": {"k": object()}},
    {"metadata": [1]},
    {"external_id": ""},
    {"external_id": " "},
    {"external_id": "x" * 256},
    {"external_id": "a\x00"},
    {"external_id": 5},
    {"created_at": datetime(2026, 1, 1)},  # naive on purpose
    {"created_at": "2026-01-01"},
    {"created_at": None},
]


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"k": value}
    return value


BAD.append({"metadata": _nested(40)})


def _entity_error(values: dict[str, Any]) -> str | None:
    try:
        Message(
            workspace_id=uuid.uuid4(),
            conversation_id=uuid.uuid4(),
            position=values["position"],
            role=values["role"],
            content=values["content"],
            metadata_=values["metadata"],
            external_id=values["external_id"],
            created_at=values["created_at"],
        )
    except ValidationError as error:
        return str(error)
    return None


def _imported(values: dict[str, Any]) -> Any:
    return imported_message(
        uuid.uuid4(),  # type: ignore[arg-type]
        values["position"],
        values["role"],
        values["content"],
        values["metadata"],
        values["external_id"],
        values["created_at"],
    )


def _row_error(values: dict[str, Any]) -> str | None:
    try:
        _imported(values)
    except ValidationError as error:
        return str(error)
    return None


@pytest.mark.parametrize("change", BAD, ids=[str(i) for i in range(len(BAD))])
def test_the_same_values_are_refused_with_the_same_error(change: dict[str, Any]) -> None:
    values = GOOD | change
    expected = _entity_error(values)
    assert expected is not None or not change
    assert _row_error(values) == expected


def test_valid_values_give_the_entity_s_values() -> None:
    other_zone = NOW.astimezone(timezone(timedelta(hours=2)))
    for values in (GOOD, GOOD | {"role": MessageRole.TOOL, "external_id": None}):
        row = _imported(values)
        assert row[2:] == (
            values["position"],
            MessageRole(values["role"]),
            values["content"],
            values["metadata"],
            values["external_id"],
            values["created_at"],
        )
        assert isinstance(row[0], uuid.UUID)
        assert row[0].version == 7
    assert _row_error(GOOD | {"created_at": other_zone}) == _entity_error(
        GOOD | {"created_at": other_zone}
    )


def test_every_rule_of_message_is_one_imported_message_checks() -> None:
    """A validator or converter added to Message must be added to `imported_message` too (the
    import builds no entity): the fields it does not check are the ones it sets itself."""
    checked = {"position", "role", "content", "metadata_", "external_id", "created_at"}
    set_by_the_import = {"id", "workspace_id", "conversation_id", "agent"}
    ruled = {a.name for a in attrs.fields(Message) if a.validator or a.converter}
    assert ruled <= checked | set_by_the_import
    assert {a.name for a in attrs.fields(Message)} == checked | set_by_the_import
