"""Conversations and messages through `app.conversations` on memory, SQLite and PostgreSQL:
lifecycle, order stability, recent lists, search, and the workspace's role rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nexus.app import Nexus
from nexus.shared.actors import OPERATOR
from nexus.shared.clock import FixedClock
from nexus.shared.errors import NotFoundError, PermissionDeniedError, ValidationError
from nexus.shared.usecases import Page
from tests.contract.conversations_setup import Crew, crew


@pytest.fixture
def team(app: Nexus) -> Crew:
    return crew(app)


def test_a_conversation_is_started_renamed_pinned_archived_and_deleted(
    app: Nexus, team: Crew
) -> None:
    chat = app.conversations
    started = chat.start_conversation(team.workspace, actor=team.member)
    assert (started.title, started.agent, started.pinned, started.archived) == (
        "New Conversation",
        "aia",
        False,
        False,
    )
    assert started.user_id == team.member
    renamed = chat.rename_conversation(team.workspace, started.id, "Budget", actor=team.member)
    assert renamed.title == "Budget"
    assert chat.pin_conversation(team.workspace, started.id, actor=team.member).pinned
    assert chat.archive_conversation(team.workspace, started.id, actor=team.member).archived
    got = chat.get_conversation(team.workspace, started.id, actor=team.member)
    assert (got.title, got.pinned, got.archived) == ("Budget", True, True)
    chat.post_message(team.workspace, started.id, content="hi", actor=team.member)
    chat.delete_conversation(team.workspace, started.id, actor=team.member)
    with pytest.raises(NotFoundError):
        chat.get_conversation(team.workspace, started.id, actor=team.member)


def test_messages_come_back_in_the_order_posted_even_at_one_instant(app: Nexus, team: Crew) -> None:
    chat = app.conversations
    conversation = chat.start_conversation(team.workspace, actor=team.member)
    texts = [f"message {i}" for i in range(12)]
    roles = ["user", "assistant", "tool", "system"]
    for i, text in enumerate(texts):  # the clock is frozen: every message has one timestamp
        chat.post_message(
            team.workspace, conversation.id, content=text, role=roles[i % 4], actor=team.member
        )
    listed = chat.list_messages(team.workspace, conversation.id, actor=team.member)
    assert [m.content for m in listed] == texts
    assert [m.position for m in listed] == list(range(1, 13))
    assert len({m.created_at for m in listed}) == 1
    page = chat.list_messages(team.workspace, conversation.id, Page.of(5, 5), actor=team.member)
    assert [m.content for m in page] == texts[5:10]
    got = chat.get_conversation(team.workspace, conversation.id, actor=team.member)
    assert got.message_count == 12


def test_recent_conversations_pinned_first_then_last_activity_archived_hidden(
    app: Nexus, team: Crew, clock: FixedClock
) -> None:
    chat = app.conversations
    ids = {}
    for name in ("old", "pinned", "archived", "active", "newest"):
        clock.advance(timedelta(minutes=1))
        ids[name] = chat.start_conversation(team.workspace, actor=team.member, title=name).id
    clock.advance(timedelta(hours=1))
    chat.post_message(team.workspace, ids["active"], content="bump", actor=team.member)
    chat.pin_conversation(team.workspace, ids["pinned"], actor=team.member)
    chat.archive_conversation(team.workspace, ids["archived"], actor=team.member)
    chat.start_conversation(team.workspace, actor=team.admin, title="someone else's")
    titles = [c.title for c in chat.recent_conversations(team.workspace, actor=team.member)]
    assert titles[0] == "pinned"
    assert "archived" not in titles
    assert "someone else's" not in titles
    assert titles.index("active") < titles.index("old")
    with_archived = chat.recent_conversations(
        team.workspace, actor=team.member, include_archived=True
    )
    assert "archived" in [c.title for c in with_archived]
    everyone = chat.recent_conversations(team.workspace, actor=OPERATOR)
    assert "someone else's" in [c.title for c in everyone]


def test_search_by_title_is_case_insensitive_and_per_user(app: Nexus, team: Crew) -> None:
    chat = app.conversations
    for title in ("Paris trip", "Budget 2026", "paris museums", "Über PARIS"):
        chat.start_conversation(team.workspace, actor=team.member, title=title)
    chat.start_conversation(team.workspace, actor=team.admin, title="Paris admin")
    found = chat.search_conversations(team.workspace, "PARIS", actor=team.member)
    assert sorted(c.title for c in found) == ["Paris trip", "paris museums", "Über PARIS"]
    assert len(chat.search_conversations(team.workspace, "paris", actor=team.member, limit=2)) == 2
    with pytest.raises(ValidationError, match="words"):
        chat.search_conversations(team.workspace, "  ", actor=team.member)


def test_role_rules(app: Nexus, team: Crew) -> None:
    chat = app.conversations
    mine = chat.start_conversation(team.workspace, actor=team.member, title="mine")
    with pytest.raises(PermissionDeniedError, match="viewer"):
        chat.start_conversation(team.workspace, actor=team.viewer)
    with pytest.raises(PermissionDeniedError, match="non-member"):
        chat.recent_conversations(team.workspace, actor=team.outsider)
    with pytest.raises(PermissionDeniedError, match="another user"):
        chat.list_messages(team.workspace, mine.id, actor=team.viewer)
    with pytest.raises(PermissionDeniedError):
        chat.post_message(team.workspace, mine.id, content="x", actor=team.viewer)
    # Owners and admins see and manage everyone's conversations.
    chat.rename_conversation(team.workspace, mine.id, "by admin", actor=team.admin)
    assert chat.get_conversation(team.workspace, mine.id, actor=team.owner).title == "by admin"
    # Another workspace's id is "not found", whoever asks.
    with pytest.raises(NotFoundError):
        chat.get_conversation(team.other_workspace, mine.id, actor=team.outsider)
    # The operator acts for a named user.
    made = chat.start_conversation(team.workspace, actor=OPERATOR, user_id=team.viewer)
    assert made.user_id == team.viewer
    with pytest.raises(ValidationError, match="user_id"):
        chat.start_conversation(team.workspace, actor=OPERATOR)


def test_bad_input_names_the_field(app: Nexus, team: Crew) -> None:
    chat = app.conversations
    conversation = chat.start_conversation(team.workspace, actor=team.member)
    with pytest.raises(ValidationError, match=r"conversations\.title"):
        chat.rename_conversation(team.workspace, conversation.id, "x" * 501, actor=team.member)
    with pytest.raises(ValidationError, match=r"messages\.role"):
        chat.post_message(
            team.workspace, conversation.id, content="x", role="robot", actor=team.member
        )
    with pytest.raises(ValidationError, match=r"messages\.metadata"):
        chat.post_message(
            team.workspace,
            conversation.id,
            content="x",
            metadata={"n": float("nan")},
            actor=team.member,
        )
    with pytest.raises(ValidationError, match="workspace_id"):
        chat.start_conversation("not-a-uuid", actor=team.member)
    with pytest.raises(ValidationError, match="limit"):
        Page.of(0)
    assert chat.list_messages(team.workspace, conversation.id, actor=team.member) == []


def test_deleting_the_workspace_removes_its_conversations(app: Nexus, team: Crew) -> None:
    chat = app.conversations
    conversation = chat.start_conversation(team.workspace, actor=team.member)
    chat.post_message(team.workspace, conversation.id, content="x", actor=team.member)
    app.workspaces.delete_workspace(team.workspace, actor=team.owner)
    assert chat.recent_conversations(team.workspace, actor=OPERATOR) == []
