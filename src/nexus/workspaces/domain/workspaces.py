"""The workspace (the tenant root), its members, and the rule that it always keeps an owner."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from nexus.shared.entity import Entity, aware_datetime, boolean, text
from nexus.shared.errors import ConflictError, NotFoundError, ValidationError
from nexus.shared.ids import OrganizationId, UserId, WorkspaceId
from nexus.shared.rules import SLUG_PATTERN, SLUG_RULE, font_family, hex_colour, http_url
from nexus.workspaces.domain.ids import (
    WorkspaceMemberId,
    new_workspace_id,
    new_workspace_member_id,
)
from nexus.workspaces.domain.roles import WorkspaceRole, role_of
from nexus.workspaces.domain.rules import apply_changes, required_name

DEFAULT_PRIMARY_COLOR = "#22c55e"

# What `Workspace.change` may touch: the name, the slug and the style; not the owner or the
# organization (`hand_over`, `move_to`).
STYLE_FIELDS = (
    "logo_url",
    "logo_emoji",
    "primary_color",
    "accent_color",
    "background_color",
    "sidebar_color",
    "font_family",
    "platform_drive_enabled",
    "system_drive_enabled",
)
EDITABLE_FIELDS = ("name", "slug", *STYLE_FIELDS)


def _colour() -> Any:
    return attrs.field(default=None, validator=hex_colour())


@attrs.define(kw_only=True)
class Workspace(Entity):
    """A workspace; its owner (`owner_id`) is also an `owner` member."""

    __label__ = "workspaces"

    id: WorkspaceId = attrs.field(factory=new_workspace_id)
    name: str = required_name()
    slug: str = attrs.field(
        validator=text(min_length=3, max_length=63, pattern=SLUG_PATTERN, rule=SLUG_RULE)
    )
    owner_id: UserId
    organization_id: OrganizationId | None = None
    logo_url: str | None = attrs.field(default=None, validator=http_url)
    logo_emoji: str | None = attrs.field(
        default=None, validator=text(min_length=1, max_length=10, optional=True)
    )
    primary_color: str | None = attrs.field(default=DEFAULT_PRIMARY_COLOR, validator=hex_colour())
    accent_color: str | None = _colour()
    background_color: str | None = _colour()
    sidebar_color: str | None = _colour()
    font_family: str | None = attrs.field(default=None, validator=font_family)
    platform_drive_enabled: bool = attrs.field(default=False, validator=boolean)
    system_drive_enabled: bool = attrs.field(default=False, validator=boolean)
    created_at: datetime = attrs.field(validator=aware_datetime())
    updated_at: datetime = attrs.field(validator=aware_datetime())

    @classmethod
    def create(
        cls,
        *,
        name: str,
        slug: str,
        owner_id: UserId,
        now: datetime,
        organization_id: OrganizationId | None = None,
    ) -> tuple[Workspace, WorkspaceMember]:
        """The workspace and its creator's `owner` membership: save both in one transaction."""
        workspace = cls(
            name=name,
            slug=slug,
            owner_id=owner_id,
            organization_id=organization_id,
            created_at=now,
            updated_at=now,
        )
        owner = WorkspaceMember(
            workspace_id=workspace.id, user_id=owner_id, role=WorkspaceRole.OWNER, created_at=now
        )
        return workspace, owner

    def change(self, changes: Mapping[str, Any], now: datetime) -> list[str]:
        """Rename and restyle; returns the fields whose value changed."""
        return apply_changes(self, changes, EDITABLE_FIELDS, now)

    def move_to(self, organization_id: OrganizationId | None, now: datetime) -> bool:
        """Into an organization, or out of it (None). The use case checks the actor belongs
        to the organization. Returns whether anything changed."""
        if organization_id == self.organization_id:
            return False
        self.organization_id = organization_id
        self.updated_at = now
        return True

    def hand_over(self, new_owner: UserId, now: datetime) -> None:
        """The primary owner left or was demoted; another owner becomes `owner_id`."""
        if new_owner != self.owner_id:
            self.owner_id = new_owner
            self.updated_at = now


@attrs.define(kw_only=True)
class WorkspaceMember(Entity):
    """A user's membership of a workspace, with a role."""

    __label__ = "workspace_members"

    id: WorkspaceMemberId = attrs.field(factory=new_workspace_member_id)
    workspace_id: WorkspaceId
    user_id: UserId
    role: WorkspaceRole = attrs.field(default=WorkspaceRole.MEMBER, converter=role_of)
    created_at: datetime = attrs.field(validator=aware_datetime())

    @property
    def is_owner(self) -> bool:
        return self.role is WorkspaceRole.OWNER


# The owner rule, over the full member list of one workspace (the use case loads it under a
# lock on the workspace row, so two concurrent changes cannot both remove the last owner).


def _find(members: Sequence[WorkspaceMember], user_id: UserId) -> WorkspaceMember:
    if len({m.workspace_id for m in members}) > 1:
        raise ValidationError("workspace_members.workspace_id", "must all be one workspace")
    for member in members:
        if member.user_id == user_id:
            return member
    raise NotFoundError("workspace member", user_id)


def _keeps_owner(members: Sequence[WorkspaceMember], leaving: UserId) -> None:
    if not any(m.is_owner and m.user_id != leaving for m in members):
        raise ConflictError(
            "workspace_members.role: a workspace must keep at least one owner",
            field="workspace_members.role",
        )


def change_role(
    members: Sequence[WorkspaceMember], user_id: UserId, role: WorkspaceRole | str
) -> WorkspaceMember | None:
    """Give `user_id` a new role. Refuses (ConflictError) to leave the workspace without an
    owner. Returns the changed member to save, or None when the role was already that."""
    wanted = role_of(role)
    member = _find(members, user_id)
    if member.role is wanted:
        return None
    if member.is_owner:
        _keeps_owner(members, leaving=user_id)
    member.role = wanted
    return member


def remove_member(members: Sequence[WorkspaceMember], user_id: UserId) -> WorkspaceMember:
    """The member to delete; refuses (ConflictError) to remove the last owner."""
    member = _find(members, user_id)
    if member.is_owner:
        _keeps_owner(members, leaving=user_id)
    return member


def successor(workspace: Workspace, members: Sequence[WorkspaceMember]) -> UserId | None:
    """After a change: when `owner_id` is no longer an owner member, the owner who takes over
    (the longest-standing one), else None. Call `workspace.hand_over` with it."""
    owners = sorted((m for m in members if m.is_owner), key=lambda m: (m.created_at, m.id))
    if not owners or any(m.user_id == workspace.owner_id for m in owners):
        return None
    return owners[0].user_id


def owner_ids(members: Sequence[WorkspaceMember]) -> list[UserId]:
    return [m.user_id for m in members if m.is_owner]
