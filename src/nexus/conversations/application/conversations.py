"""Use cases on conversations: start, get, rename, pin, archive, delete, recent, search."""

from __future__ import annotations

from nexus.conversations.application.ports import ConversationsUnitOfWork
from nexus.conversations.application.results import ConversationResult
from nexus.conversations.application.support import (
    ActorLike,
    ConversationsUseCases,
    IdLike,
    conversation_id_of,
    workspace_id_of,
)
from nexus.conversations.domain.access import Access
from nexus.conversations.domain.conversations import DEFAULT_AGENT, DEFAULT_TITLE, Conversation
from nexus.shared.errors import ValidationError
from nexus.shared.usecases import Page, transaction

SEARCH_MAX = 200


class Conversations(ConversationsUseCases):
    @transaction
    def start_conversation(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        *,
        actor: ActorLike,
        title: str = DEFAULT_TITLE,
        agent: str = DEFAULT_AGENT,
        user_id: IdLike | None = None,
    ) -> ConversationResult:
        """A new conversation of the acting user (the operator names `user_id`)."""
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.WRITE, "start_conversation")
        now = self.clock.now()
        conversation = Conversation(
            workspace_id=workspace,
            user_id=acting.owner(user_id),
            title=title,
            agent=agent,
            created_at=now,
            updated_at=now,
        )
        tx.conversations.add(conversation)
        return ConversationResult.from_entity(conversation)

    @transaction
    def get_conversation(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        conversation_id: IdLike,
        *,
        actor: ActorLike,
    ) -> ConversationResult:
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.READ, "get_conversation")
        conversation = tx.conversations.get(workspace, conversation_id_of(conversation_id))
        acting.may_see(conversation, "get_conversation")
        return ConversationResult.from_entity(conversation)

    def _change(
        self,
        tx: ConversationsUnitOfWork,
        workspace_id: IdLike,
        conversation_id: IdLike,
        actor: ActorLike,
        what: str,
    ) -> Conversation:
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.WRITE, what)
        conversation = tx.conversations.get(workspace, conversation_id_of(conversation_id))
        acting.may_see(conversation, what)
        return conversation

    @transaction
    def rename_conversation(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        conversation_id: IdLike,
        title: str,
        *,
        actor: ActorLike,
    ) -> ConversationResult:
        conversation = self._change(tx, workspace_id, conversation_id, actor, "rename_conversation")
        conversation.rename(title, self.clock.now())
        tx.conversations.update(conversation)
        return ConversationResult.from_entity(conversation)

    @transaction
    def pin_conversation(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        conversation_id: IdLike,
        *,
        actor: ActorLike,
        pinned: bool = True,
    ) -> ConversationResult:
        """Pin (or, with pinned=False, unpin): pinned conversations come first."""
        conversation = self._change(tx, workspace_id, conversation_id, actor, "pin_conversation")
        conversation.pin(pinned, self.clock.now())
        tx.conversations.update(conversation)
        return ConversationResult.from_entity(conversation)

    @transaction
    def archive_conversation(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        conversation_id: IdLike,
        *,
        actor: ActorLike,
        archived: bool = True,
    ) -> ConversationResult:
        """Archive (or, with archived=False, bring back): hidden from recent lists."""
        conversation = self._change(
            tx, workspace_id, conversation_id, actor, "archive_conversation"
        )
        conversation.archive(archived, self.clock.now())
        tx.conversations.update(conversation)
        return ConversationResult.from_entity(conversation)

    @transaction
    def delete_conversation(
        self,
        tx: ConversationsUnitOfWork,
        /,
        workspace_id: IdLike,
        conversation_id: IdLike,
        *,
        actor: ActorLike,
    ) -> None:
        """Deletes its messages too (the foreign key cascades)."""
        conversation = self._change(tx, workspace_id, conversation_id, actor, "delete_conversation")
        tx.conversations.remove(conversation.workspace_id, conversation.id)

    def recent_conversations(
        self,
        workspace_id: IdLike,
        *,
        actor: ActorLike,
        include_archived: bool = False,
        page: Page | None = None,
    ) -> list[ConversationResult]:
        """The actor's conversations (the operator: everyone's), pinned first, then by last
        activity; archived ones only when asked."""
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.READ, "recent_conversations")
        page = page or Page()
        return self.queries.recent_conversations(
            workspace,
            acting.user,
            include_archived=bool(include_archived),
            limit=page.limit,
            offset=page.offset,
        )

    def count_conversations(
        self, workspace_id: IdLike, *, actor: ActorLike, include_archived: bool = False
    ) -> int:
        """How many conversations `recent_conversations` pages through."""
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.READ, "count_conversations")
        return self.queries.count_conversations(
            workspace, acting.user, include_archived=bool(include_archived)
        )

    def search_conversations(
        self, workspace_id: IdLike, words: str, *, actor: ActorLike, limit: int = 50
    ) -> list[ConversationResult]:
        """The actor's conversations whose title contains `words` (case-insensitive), most
        recent first; archived ones included."""
        workspace = workspace_id_of(workspace_id)
        acting = self._acting(workspace, actor, Access.READ, "search_conversations")
        if not isinstance(words, str) or not words.strip() or "\x00" in words:
            raise ValidationError("words", "must be non-blank text")
        page = Page.of(limit, 0, max_limit=SEARCH_MAX)
        return self.queries.search_conversations(workspace, acting.user, words.strip(), page.limit)
