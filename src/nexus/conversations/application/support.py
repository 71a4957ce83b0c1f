"""What conversations' use-case groups share: their dependencies, the acting party, and the role
check every use case makes (through the `WorkspaceAccess` port) before it reads or writes."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from nexus.conversations.application.ports import (
    ChatExportReader,
    ConversationsQueries,
    ConversationsUnitOfWorkFactory,
    WorkspaceAccess,
)
from nexus.conversations.domain.access import Access, require, require_owner_or_manager
from nexus.conversations.domain.conversations import Conversation
from nexus.conversations.domain.ids import ConversationId, IngestionJobId
from nexus.shared.actors import Actor, Operator
from nexus.shared.clock import Clock
from nexus.shared.errors import ValidationError
from nexus.shared.ids import UserId, WorkspaceId, parse_id

IdLike = str | uuid.UUID
ActorLike = Actor | str | uuid.UUID


class Acting:
    """The actor of one call: their user id (None for the operator) and workspace role."""

    __slots__ = ("role", "user")

    def __init__(self, user: UserId | None, role: str | None) -> None:
        self.user = user
        self.role = role

    def may_see(self, conversation: Conversation, what: str) -> None:
        if self.user is not None:
            require_owner_or_manager(self.role, conversation.user_id == self.user, what)

    def owner(self, user_id: IdLike | None) -> UserId:
        """The user a new conversation or import belongs to: the acting user; the operator
        names one."""
        if self.user is not None:
            if user_id is not None and parse_id(user_id, field="user_id") != self.user:
                raise ValidationError("user_id", "a user acts only for themself")
            return self.user
        if user_id is None:
            raise ValidationError("user_id", "is required when the operator acts")
        return UserId(parse_id(user_id, field="user_id"))


class ConversationsUseCases:
    """`app.conversations` is one object made of the groups (conversations, messages, jobs,
    imports); each method is one use case, named once."""

    def __init__(
        self,
        *,
        uow: ConversationsUnitOfWorkFactory,
        queries: ConversationsQueries,
        clock: Clock,
        access: WorkspaceAccess,
        exports: ChatExportReader,
        overlap_writes: Callable[[], bool] = lambda: False,
    ) -> None:
        self.uow = uow
        self.queries = queries
        self.clock = clock
        self.access = access
        self.exports = exports
        # Whether an import writes in a thread beside its parsing, asked per import (the
        # composition root says so for a database server, where the server's time then
        # overlaps the parsing, unless the import runs inside an application's transaction).
        self.overlap_writes = overlap_writes

    def _acting(
        self, workspace_id: WorkspaceId, actor: ActorLike, access: Access, what: str
    ) -> Acting:
        """The actor, after checking their role lets them `access` the workspace's
        conversations. A non-member is refused whether or not the workspace exists."""
        if isinstance(actor, Operator):
            return Acting(None, None)
        user = UserId(parse_id(actor, field="actor"))
        role = self.access.role_of(workspace_id, user)
        require(role, access, what)
        return Acting(user, role)


def workspace_id_of(value: IdLike) -> WorkspaceId:
    return WorkspaceId(parse_id(value, field="workspace_id"))


def conversation_id_of(value: IdLike) -> ConversationId:
    return ConversationId(parse_id(value, field="conversation_id"))


def job_id_of(value: IdLike) -> IngestionJobId:
    return IngestionJobId(parse_id(value, field="job_id"))
