"""The owner rule: whatever sequence of role changes and removals is tried, a workspace always
keeps an owner, and `owner_id` always names one of its owners after a hand-over."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nexus.shared.errors import ConflictError, NotFoundError, ValidationError
from nexus.shared.ids import UserId, new_id
from nexus.workspaces.domain.roles import WorkspaceRole
from nexus.workspaces.domain.workspaces import (
    WorkspaceMember,
    change_role,
    owner_ids,
    remove_member,
    successor,
)
from tests.factories import NOW
from tests.factories.workspaces import make_workspace, make_ws_member

ROLES = list(WorkspaceRole)


def team(*roles: WorkspaceRole) -> list[WorkspaceMember]:
    workspace = make_workspace()
    return [
        make_ws_member(workspace_id=workspace.id, role=role, created_at=NOW + timedelta(minutes=i))
        for i, role in enumerate(roles)
    ]


def test_the_last_owner_cannot_be_demoted_or_removed() -> None:
    members = team(WorkspaceRole.OWNER, WorkspaceRole.ADMIN)
    owner = members[0].user_id
    with pytest.raises(ConflictError, match="must keep at least one owner"):
        change_role(members, owner, "admin")
    with pytest.raises(ConflictError, match="must keep at least one owner"):
        remove_member(members, owner)
    assert members[0].role is WorkspaceRole.OWNER


def test_with_two_owners_one_may_go() -> None:
    members = team(WorkspaceRole.OWNER, WorkspaceRole.OWNER)
    changed = change_role(members, members[0].user_id, WorkspaceRole.VIEWER)
    assert changed is members[0]
    assert changed.role is WorkspaceRole.VIEWER
    assert owner_ids(members) == [members[1].user_id]


def test_an_unchanged_role_changes_nothing() -> None:
    members = team(WorkspaceRole.OWNER, WorkspaceRole.MEMBER)
    assert change_role(members, members[1].user_id, "member") is None


def test_unknown_members_and_roles_are_refused() -> None:
    members = team(WorkspaceRole.OWNER)
    with pytest.raises(NotFoundError, match="workspace member"):
        change_role(members, UserId(new_id()), "admin")
    with pytest.raises(NotFoundError):
        remove_member(members, UserId(new_id()))
    with pytest.raises(ValidationError, match=r"workspace_members\.role"):
        change_role(members, members[0].user_id, "root")
    mixed = [*members, *team(WorkspaceRole.OWNER)]
    with pytest.raises(ValidationError, match="one workspace"):
        remove_member(mixed, members[0].user_id)


operations = st.lists(st.tuples(st.integers(0, 5), st.sampled_from([*ROLES, None])), max_size=25)


@given(st.lists(st.sampled_from(ROLES), min_size=1, max_size=6), operations)
def test_no_sequence_of_changes_leaves_a_workspace_without_an_owner(
    roles: list[WorkspaceRole], steps: list[tuple[int, WorkspaceRole | None]]
) -> None:
    members = team(WorkspaceRole.OWNER, *roles)
    workspace = make_workspace(owner_id=members[0].user_id)
    for index, role in steps:
        if not members:
            break
        target = members[index % len(members)]
        had_owners = len(owner_ids(members))
        try:
            if role is None:
                members.remove(remove_member(members, target.user_id))
            else:
                change_role(members, target.user_id, role)
        except ConflictError:
            assert had_owners == 1
            assert target.is_owner
        new_owner = successor(workspace, members)
        if new_owner is not None:
            workspace.hand_over(new_owner, NOW)
        assert owner_ids(members), "a workspace lost its last owner"
        assert workspace.owner_id in owner_ids(members)


def test_the_successor_is_the_longest_standing_owner() -> None:
    members = team(
        WorkspaceRole.OWNER, WorkspaceRole.MEMBER, WorkspaceRole.OWNER, WorkspaceRole.OWNER
    )
    workspace = make_workspace(owner_id=members[0].user_id)
    assert successor(workspace, members) is None
    members.remove(remove_member(members, members[0].user_id))
    assert successor(workspace, members) == members[1].user_id
