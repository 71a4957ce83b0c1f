"""Who may do what with conversations, from the actor's role in the workspace (the role names
are workspaces'; this context only reads them through its `WorkspaceAccess` port).

Any member reads; owners, admins and members write (viewers only read). A conversation is its
user's: others see or change it only as a workspace owner or admin."""

from __future__ import annotations

from enum import StrEnum

from nexus.shared.errors import PermissionDeniedError


class Access(StrEnum):
    READ = "read"
    WRITE = "write"


MANAGERS = frozenset({"owner", "admin"})
WRITERS = MANAGERS | {"member"}
READERS = WRITERS | {"viewer"}


def require(role: str | None, access: Access, what: str) -> None:
    """PermissionDeniedError unless `role` may `access` (None: not a member)."""
    allowed = READERS if access is Access.READ else WRITERS
    if role not in allowed:
        who = "a non-member" if role is None else f"a workspace {role}"
        raise PermissionDeniedError(f"{what}: {who} may not do this")


def require_owner_or_manager(role: str | None, is_own: bool, what: str) -> None:
    """Someone else's conversation is only a workspace owner's or admin's to see or change."""
    if not is_own and role not in MANAGERS:
        raise PermissionDeniedError(f"{what}: the conversation belongs to another user")
